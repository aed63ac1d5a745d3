"""A logged-in page makes at most eight queries once a worker has served it before: every GET
page of the access matrix, for every logged-in role that may see it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hilfenetz.core import page_cache
from hilfenetz.core.tests.access import ROLES, all_cases

CEILING = 8
# Above the ceiling, constant in N (no query per row): a person's data export reads each table
# that holds their data once (accounts' query guard shows it with data of two sizes); who a
# meeting's invitations will reach reads followers, organisations, working groups and offices
# with their contacts once each (network's list guard shows it with 2 and 12 of them).
ABOVE = {"accounts:export": 18, "network:meeting_invite": 12}
# Not pages people read: Django's admin (its own permission queries) and the health probe
# (it asks the database, the cache and the task queue).
NOT_PAGES = ("admin:", "core:healthz")
PAGES = [c for c in all_cases() if c.method == "GET" and not c.url_name.startswith(NOT_PAGES)]
LOGGED_IN = [role for role in ROLES if role != "anonymous"]


@pytest.mark.parametrize("role", LOGGED_IN)
@pytest.mark.parametrize("case", PAGES, ids=[c.id for c in PAGES])
def test_a_logged_in_page_makes_at_most_eight_queries(client, world, case, role, settings):
    if case.expect[role] != 200:
        pytest.skip(f"{role} gets {case.expect[role]}")
    settings.PAGE_CACHE_SECONDS = 300  # as on the platform: a person's roles come with the versions
    page_cache.forget()
    client.force_login(world.users[role])
    path, data = case.path(world), case.data(world) if case.data else {}
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    assert client.get(path, data).status_code == 200  # what the page keeps, kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, data).status_code == 200
    ceiling = ABOVE.get(case.url_name, CEILING)
    assert len(queries) <= ceiling, [q["sql"] for q in queries]
