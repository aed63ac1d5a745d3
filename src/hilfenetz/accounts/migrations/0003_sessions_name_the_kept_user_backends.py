"""Sessions name the backend that logged the person in; the backends moved to
hilfenetz.accounts.backends (they keep the user between requests). Rewriting the name keeps
everyone logged in across the update."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

MOVED = {
    "django.contrib.auth.backends.ModelBackend": "hilfenetz.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "hilfenetz.accounts.backends.AuthenticationBackend"
    ),
}
BACKEND_KEY = "_auth_user_backend"  # django.contrib.auth.BACKEND_SESSION_KEY


def _rename(apps, schema_editor, names):
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.using(schema_editor.connection.alias).iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_KEY) in names:
            data[BACKEND_KEY] = names[data[BACKEND_KEY]]
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def forwards(apps, schema_editor):
    _rename(apps, schema_editor, MOVED)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_coordinatorrole_moves_to_regions"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
