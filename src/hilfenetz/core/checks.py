from django.core.checks import Error, Warning, register
from django.db import DatabaseError, connection

from hilfenetz.core.installation import UploadsNotShared, check_uploads


@register("files", deploy=True)
def uploads_are_shared(app_configs, **kwargs):
    """``check --deploy``: this server's upload storage is the installation's (see
    core/installation.py)."""
    try:
        check_uploads()
    except DatabaseError:
        return []  # not migrated yet: there is no installation to compare with
    except UploadsNotShared as exc:
        return [Error(str(exc), id="hilfenetz.E001")]
    return []


# not Django's "database" tag: checks with it run only when --database is given
@register("postgresql", deploy=True)
def postgres_vacuums(app_configs, **kwargs):
    """``check --deploy``: PostgreSQL's autovacuum runs. The lists walk their indexes alone
    (exchange.Listing's indexes); only a vacuumed table tells PostgreSQL which rows every
    transaction sees, otherwise each step of the walk also reads the row's page, and a list
    costs more the more listings there are."""
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM pg_settings "
                "WHERE name IN ('autovacuum', 'track_counts') AND setting = 'off' ORDER BY name"
            )
            off = [name for (name,) in cursor.fetchall()]
    except DatabaseError:
        return []  # unreachable: the server's own start reports it
    if not off:
        return []
    return [
        Warning(
            f"PostgreSQL runs with {' and '.join(off)} off: tables are never vacuumed, so lists "
            "and search read every row's page and slow down as listings grow.",
            hint="Turn autovacuum and track_counts on in postgresql.conf (the default).",
            id="hilfenetz.W001",
        )
    ]
