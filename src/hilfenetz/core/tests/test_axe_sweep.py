"""axe-core on every HTML page of the access matrix, in German, in every right-to-left language
and in Tigrinya (Ge'ez script), with a check that each page's text is drawn with the
self-hosted fonts (no box for a missing letter; Cyrillic is checked on the main pages).

Each GET case is opened by the first role that may see it, so no page escapes the check
because no journey happens to pass by it."""

import pytest

from hilfenetz.core.tests.access import ROLES, all_cases, build_world
from hilfenetz.core.tests.browser import drawn_with_own_fonts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's own admin and machine-readable answers are not our pages.
NOT_PAGES = ("admin:", "api-v1:", "core:healthz")


def page_cases():
    seen = set()
    for case in all_cases():
        if case.method != "GET" or case.url_name.startswith(NOT_PAGES):
            continue
        role = next((r for r in ROLES if case.expect[r] == 200), None)
        if role is None or case.id in seen:
            continue
        seen.add(case.id)
        yield case, role


@pytest.mark.parametrize("language", ["de", "ar", "fa", "prs", "ps", "ti"])
def test_every_page_has_no_axe_violations(live_server, page, login_as, axe_check, language):
    world = build_world()
    checked = 0
    for case, role in page_cases():
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "hilfenetz_language", "value": language, "url": live_server.url}]
        )
        if world.users[role] is not None:
            login_as(world.users[role])
        url = f"{live_server.url}{case.path(world)}"
        head = page.request.get(url, max_redirects=0)
        if "text/html" not in head.headers.get("content-type", "") or (
            "attachment" in head.headers.get("content-disposition", "")
        ):
            continue  # a download, not a page
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language, case.id
        axe_check(page, f"{case.id} as {role}")
        drawn_with_own_fonts(page, f"{case.id} as {role}", per_selector=5)
        checked += 1
    assert checked > 30
