"""The migration that renames the backends sessions name keeps everyone logged in."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory

migration = import_module("hilfenetz.accounts.migrations.0003_sessions_name_the_kept_user_backends")
pytestmark = pytest.mark.django_db


def session_with(backend: str) -> str:
    """A session of a person logged in through ``backend``, as Django's login() stores it."""
    person = UserFactory()
    session = SessionStore()
    session.update(
        {
            "_auth_user_id": str(person.pk),
            "_auth_user_backend": backend,
            "_auth_user_hash": person.get_session_auth_hash(),
        }
    )
    session.save()
    return session.session_key


def backend_of(key: str) -> str:
    return SessionStore(key).load()["_auth_user_backend"]


def test_sessions_name_the_moved_backends_and_back():
    editor = SimpleNamespace(connection=connection)
    model = session_with("django.contrib.auth.backends.ModelBackend")
    allauth = session_with("allauth.account.auth_backends.AuthenticationBackend")
    axes = session_with("axes.backends.AxesStandaloneBackend")

    migration.forwards(apps, editor)
    assert backend_of(model) == "hilfenetz.accounts.backends.ModelBackend"
    assert backend_of(allauth) == "hilfenetz.accounts.backends.AuthenticationBackend"
    assert backend_of(axes) == "axes.backends.AxesStandaloneBackend"  # not moved

    migration.backwards(apps, editor)
    assert backend_of(model) == "django.contrib.auth.backends.ModelBackend"
    assert backend_of(allauth) == "allauth.account.auth_backends.AuthenticationBackend"


def test_a_person_logged_in_before_the_update_stays_logged_in(client):
    # before the update sessions lived in the database alone and named Django's backend
    key = session_with("django.contrib.auth.backends.ModelBackend")
    client.cookies["sessionid"] = key
    migration.forwards(apps, SimpleNamespace(connection=connection))
    assert client.get(reverse("accounts:profile")).status_code == 200
