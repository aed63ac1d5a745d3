"""``check --deploy`` warns when PostgreSQL never vacuums its tables."""

import pytest
from django.core.checks import run_checks
from django.db import connection

from hilfenetz.core.checks import postgres_vacuums

pytestmark = pytest.mark.django_db


def test_a_postgresql_server_that_never_vacuums_is_reported():
    if connection.vendor != "postgresql":
        assert postgres_vacuums(None) == []
        pytest.skip("PostgreSQL's settings; SQLite keeps no visibility map")
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (autovacuum,) = cursor.fetchone()
        # autovacuum is the server's; without track_counts (settable per session) it never runs
        cursor.execute("SET track_counts = off")
        try:
            # through the registry, as ``check --deploy`` runs it
            [warning] = [
                w for w in run_checks(include_deployment_checks=True) if w.id == "hilfenetz.W001"
            ]
        finally:
            cursor.execute("RESET track_counts")
    assert warning.id == "hilfenetz.W001"
    assert "track_counts off" in warning.msg
    assert ("autovacuum and" in warning.msg) == (autovacuum == "off")
    left = [w.msg for w in postgres_vacuums(None)]
    if autovacuum == "on":
        assert left == []
    else:
        [message] = left
        assert message.startswith("PostgreSQL runs with autovacuum off:")
