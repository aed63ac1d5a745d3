"""Two app servers on one PostgreSQL and one Redis, as README "Several servers" describes: a
change made through one shows through the other at the next request (the kept pages of both
follow the shared data versions), a session opened on one is valid on the other, and failed
logins on both count against one limit. (Uploads shared by two servers: media/tests/
test_two_servers.py.)"""

import re
import subprocess
import sys
import time
import uuid

import pytest

from hilfenetz.core.tests.redis_for_tests import redis_url
from hilfenetz.core.tests.test_deploy import PROJECT, started
from hilfenetz.core.tests.test_mail import free_port

requests = pytest.importorskip("requests")
psycopg = pytest.importorskip("psycopg")
redis = pytest.importorskip("redis")

POSTGRES = "postgres://postgres@127.0.0.1:5432/"
REDIS = redis_url()
PASSWORD = "zwei-Server-2026!"

# An established volunteer (no moderation), a second person for the lock-out, one listing.
SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from allauth.account.models import EmailAddress
from hilfenetz.accounts.models import User
from hilfenetz.exchange import services
from hilfenetz.exchange.models import Category
from hilfenetz.regions.models import Municipality

place = Municipality.objects.order_by("name").first()
for email in ("helfer@example.org", "zweite@example.org"):
    person = User.objects.create_user(email=email, password={PASSWORD!r}, display_name=email[:6])
    person.date_joined = timezone.now() - timedelta(days=200)
    person.save()
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
helper = User.objects.get(email="helfer@example.org")
category = Category.objects.filter(district=place.district).first()
listing = services.create_listing(
    helper, kind="offer", category=category, municipality=place, title="Fahrrad abzugeben",
    description="Ein Kinderfahrrad, 20 Zoll.",
)
print(listing.pk, place.pk, category.slug)
"""


@pytest.fixture
def shared_services(tmp_path):
    try:
        admin = psycopg.connect(POSTGRES + "postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 (user postgres, trust) is unreachable: {error}")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        pytest.skip(f"Redis at 127.0.0.1:6379 is unreachable: {error}")
    name = f"hilfenetz_two_servers_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    yield {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": POSTGRES + name,
        "REDIS_URL": REDIS,
        "HILFENETZ_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "uploads"),  # one shared folder, as on an NFS mount
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        "PAGE_CACHE_SECONDS": "300",
    }
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(env, *args) -> str:
    done = subprocess.run(  # noqa: S603 - the project's own command
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def wait_until_up(base: str, process, log) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError(log.read_text())


def csrf_token(session, base: str) -> str:
    page = session.get(f"{base}/accounts/login/", timeout=30).text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def log_in(session, base: str, email: str, password: str) -> None:
    session.post(
        f"{base}/accounts/login/",
        {"login": email, "password": password, "csrfmiddlewaretoken": csrf_token(session, base)},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )


def logged_in(session, base: str) -> bool:
    mine = session.get(f"{base}/hilfeboerse/meine/", timeout=30, allow_redirects=False)
    return mine.status_code == 200


def public_list(base: str) -> str:
    return requests.get(f"{base}/hilfeboerse/", timeout=30).text  # a visitor: no cookies


def test_two_app_servers_share_changes_sessions_and_login_limits(shared_services, tmp_path):
    env = shared_services
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_district", "-v", "0")
    listing, municipality, category = manage(env, "shell", "-c", SETUP).splitlines()[-1].split()
    ports = free_port(), free_port()
    first, second = (f"http://127.0.0.1:{port}" for port in ports)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with (
        started({**env, "PORT": str(ports[0])}, "web", log=logs[0]) as one,
        started({**env, "PORT": str(ports[1])}, "web", log=logs[1]) as two,
    ):
        wait_until_up(first, one, logs[0])
        wait_until_up(second, two, logs[1])
        for _ in range(3):  # the second server learns, keeps and serves its list page
            assert "Fahrrad abzugeben" in public_list(second)

        # A session opened on the first server is valid on the second.
        helper = requests.Session()
        log_in(helper, first, "helfer@example.org", PASSWORD)
        assert logged_in(helper, first)
        assert logged_in(helper, second)

        # A listing posted and another withdrawn through the first server show on the second.
        posted = helper.post(
            f"{first}/api/v1/listings",
            json={
                "kind": "need",
                "category": category,
                "municipality": int(municipality),
                "title": "Winterjacke gesucht",
                "description": "Größe 140.",
            },
            headers={"X-CSRFToken": helper.cookies["csrftoken"], "Referer": first},
            timeout=30,
        )
        assert posted.status_code == 201, posted.text
        assert "Winterjacke gesucht" in public_list(second)
        withdrawn = helper.post(
            f"{first}/hilfeboerse/{listing}/zurueckziehen/",
            {"csrfmiddlewaretoken": helper.cookies["csrftoken"]},
            headers={"Referer": first},
            timeout=30,
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert "Fahrrad abzugeben" not in public_list(second)

        # Five wrong passwords, three through one server and two through the other, lock the
        # account on both: the limit is counted once.
        for base in (first, first, first, second, second):
            log_in(requests.Session(), base, "zweite@example.org", "falsch")
        for base in (first, second):
            person = requests.Session()
            log_in(person, base, "zweite@example.org", PASSWORD)
            assert not logged_in(person, base)
