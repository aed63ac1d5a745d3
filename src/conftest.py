import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser
# tests happen outside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = True
    settings.ACCOUNT_RATE_LIMITS = False
    # A test's transaction never commits, so kept pages would not see what it changed; the page
    # cache has its own tests (core/tests/test_page_cache.py), which turn it on.
    settings.PAGE_CACHE_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Each test starts with empty caches. The cache lives in the database (or Redis), so
    only tests that may use the database can have filled it; kept pages and rendered fragments
    live in the process."""
    from django.core.cache import cache

    from hilfenetz.core import page_cache

    page_cache.forget()
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db"):
        cache.clear()
    elif names & {"db", "transactional_db", "live_server"}:
        # Database access comes with that fixture, which runs after this one: set it up first.
        transactional = names & {"transactional_db", "live_server"}
        request.getfixturevalue("transactional_db" if transactional else "db")
        cache.clear()


@pytest.fixture
def committed():
    """Runs what a commit runs after `action` (a test's own transaction never commits): kept
    pages and fragments follow committed changes only."""
    from django.db import connection

    def run(action):
        result = action()
        hooks, connection.run_on_commit = connection.run_on_commit, []  # as a commit does
        for _, hook, _ in hooks:
            hook()
        return result

    return run


@pytest.fixture(autouse=True)
def _second_factor_passed(request, monkeypatch):
    """Administrators and district coordinators must pass a second factor: a test client's
    ``force_login`` passes it for them (``pass_second_factor``). Tests marked
    ``without_second_factor`` log in with the password alone."""
    if request.node.get_closest_marker("without_second_factor"):
        return
    from django.test import Client

    from hilfenetz.accounts.tests.factories import pass_second_factor

    force_login = Client.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium; Playwright never downloads a browser of its own here."""
    import shutil

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def axe_check():
    """Run axe-core (WCAG 2.1 A and AA rules) on a Playwright page; fail with the report."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label=""):
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, f"{label} {page.url}\n{results.generate_report()}"
        return results

    return check


@pytest.fixture
def browse(live_server, page):
    """Open a path of the live server in a given UI language."""

    def go(path, language="de"):
        page.context.add_cookies(
            [{"name": "hilfenetz_language", "value": language, "url": live_server.url}]
        )
        page.goto(f"{live_server.url}{path}")
        return page

    return go


@pytest.fixture
def login_as(live_server, page):
    """Log a user in for the browser by handing it a session cookie."""
    from django.conf import settings
    from django.test import Client

    def login(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return user

    return login
