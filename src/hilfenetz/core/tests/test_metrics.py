"""Figures to watch: a JSON line per request, /metrics for Prometheus, the status page."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core.mail import queue_rendered_mail
from hilfenetz.core.tests.test_task_queues import database_tasks  # noqa: F401
from hilfenetz.exchange.similarity import embed_listing
from hilfenetz.regions.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

TOKEN = "a-long-random-token-for-the-monitoring-system"  # noqa: S105 - a test's token


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def scrape(client, token) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(figures, name, **labels) -> float:
    return figures.get((name, tuple(sorted(labels.items()))), 0.0)


def test_the_figures_move_with_requests_tasks_and_mail(
    client,
    token,
    settings,
    database_tasks,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    settings.PAGE_CACHE_SECONDS = 300  # home is kept for visitors without a session
    before = scrape(client, token)
    visitor = Client()
    for _ in range(3):  # learned, kept, answered from memory
        assert visitor.get("/").status_code == 200
    assert visitor.get("/gibt-es-nicht/").status_code == 404
    embed_listing.enqueue(1)
    with django_capture_on_commit_callbacks(execute=False):
        queue_rendered_mail("test:waiting", "someone@example.org", "Betreff", "Text")
    after = scrape(client, token)

    home = {"view": "core:home", "method": "GET", "status": "200"}
    assert value(after, "hilfenetz_requests_total", **home) == (
        value(before, "hilfenetz_requests_total", **home) + 3
    )
    assert value(
        after, "hilfenetz_requests_total", view="unresolved", method="GET", status="404"
    ) == 1 + value(
        before, "hilfenetz_requests_total", view="unresolved", method="GET", status="404"
    )
    for name in ("_count", "_sum"):
        metric = f"hilfenetz_request_duration_seconds{name}"
        assert value(after, metric, view="core:home") > value(before, metric, view="core:home")
    assert value(after, "hilfenetz_request_db_seconds_total", view="core:home") >= value(
        before, "hilfenetz_request_db_seconds_total", view="core:home"
    )
    for result, count in (("hit", 1), ("miss", 2)):
        assert value(after, "hilfenetz_page_cache_total", result=result) == (
            value(before, "hilfenetz_page_cache_total", result=result) + count
        )
    assert value(after, "hilfenetz_task_queue_length", queue="default") == (
        value(before, "hilfenetz_task_queue_length", queue="default") + 1
    )
    assert value(after, "hilfenetz_task_queue_length", queue="mail") == 0
    assert value(before, "hilfenetz_oldest_waiting_mail_age_seconds") == 0
    assert value(after, "hilfenetz_oldest_waiting_mail_age_seconds") > 0
    assert "hilfenetz_failed_tasks" in {name for name, _labels in after}
    assert "hilfenetz_failed_mails" in {name for name, _labels in after}


def test_metrics_need_the_token_or_an_administrator(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403
    for user in (UserFactory(), coordinator_of(district=DistrictFactory())):
        client.force_login(user)
        assert client.get("/metrics").status_code == 403
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/metrics").status_code == 200
    client.logout()
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_without_a_token_setting_no_bearer_token_is_accepted(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "hilfenetz.requests"]


def test_each_request_logs_one_json_line_with_its_role_but_not_who(client, caplog):
    admin = UserFactory(is_superuser=True, is_staff=True, email="chefin@example.org")
    client.force_login(admin)
    with caplog.at_level(logging.INFO, logger="hilfenetz.requests"):
        response = client.get("/", HTTP_X_REQUEST_ID="proxy-4711-abcdef")
    (line,) = request_lines(caplog)
    assert response["X-Request-ID"] == "proxy-4711-abcdef"
    assert line["request_id"] == "proxy-4711-abcdef"
    assert line["role"] == "administrator"
    assert (line["method"], line["view"], line["status"]) == ("GET", "core:home", 200)
    assert line["duration_ms"] >= line["db_ms"] >= 0
    assert "chefin" not in json.dumps(line) and str(admin.pk) not in line.values()


def test_the_line_names_a_coordinator_and_a_volunteer_by_role(client, caplog):
    with caplog.at_level(logging.INFO, logger="hilfenetz.requests"):
        for user in (coordinator_of(district=DistrictFactory()), UserFactory()):
            client.force_login(user)
            client.get("/")
    assert [line["role"] for line in request_lines(caplog)] == ["coordinator", "person"]


@pytest.mark.parametrize("offered", ["short", "x" * 200, "bad id with spaces", "a\\nb-injected"])
def test_an_insane_incoming_request_id_is_replaced(client, caplog, offered):
    with caplog.at_level(logging.INFO, logger="hilfenetz.requests"):
        response = client.get("/", HTTP_X_REQUEST_ID=offered)
    (line,) = request_lines(caplog)
    assert response["X-Request-ID"] == line["request_id"] != offered
    assert len(line["request_id"]) == 32
    assert line["role"] == "anonymous"


def test_the_request_log_is_configured_as_bare_json_lines():
    config = settings.LOGGING
    assert config["loggers"]["hilfenetz.requests"]["propagate"] is False
    handler = config["handlers"][config["loggers"]["hilfenetz.requests"]["handlers"][0]]
    assert config["formatters"][handler["formatter"]]["format"] == "%(message)s"


STATUS = "/admin/status/"


def test_the_administrator_reads_the_status_page_with_the_last_backup(client, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    (tmp_path / "hilfenetz-2026-12-01.tar.gz").write_bytes(b"x" * 1000)
    newest = tmp_path / "hilfenetz-2026-12-03.tar.zst"
    newest.write_bytes(b"x" * 2048)
    os.utime(newest, (1_796_000_000, 1_796_000_000))
    os.utime(tmp_path / "hilfenetz-2026-12-01.tar.gz", (1_795_000_000, 1_795_000_000))
    (tmp_path / "notes.txt").write_text("not a backup")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/").status_code == 200
    page = client.get(STATUS, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "hilfenetz-2026-12-03.tar.zst" in page
    assert "2,0\xa0KB" in page or "2.0\xa0KB" in page
    assert "core:home" in page
    assert "Wartende Aufgaben in der Warteschlange" in page
    assert client.get("/admin/").content.decode().count(STATUS) == 1


def test_without_a_backup_the_status_page_says_so(client, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "missing"
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert "Keine Sicherung gefunden" in client.get(STATUS).content.decode()


def test_coordinators_and_volunteers_do_not_see_the_status_page(client):
    coordinator = coordinator_of(district=DistrictFactory())
    client.force_login(coordinator)
    assert client.get(STATUS).status_code == 403
    assert STATUS not in client.get("/admin/").content.decode()
    client.force_login(UserFactory())
    response = client.get(STATUS)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_counters_of_several_worker_processes_are_added_up(tmp_path):
    """What granian's workers count lands in PROMETHEUS_MULTIPROC_DIR; a scrape adds it up."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    setup = "import django; django.setup(); from hilfenetz.core import metrics; "
    count = "metrics.REQUESTS.labels('core:home', 'GET', '200').inc(); metrics.PAGE_CACHE.labels('hit').inc()"
    read = (
        "views, cache = metrics.request_figures(); print(views['core:home'].requests, cache['hit'])"
    )
    project = Path(__file__).resolve().parents[4]
    for code in (count, count, read):
        result = subprocess.run(  # noqa: S603 - the project's own interpreter
            [sys.executable, "-c", setup + code],
            cwd=project / "src",
            env={**env, "DJANGO_SETTINGS_MODULE": "hilfenetz.settings"},
            capture_output=True,
            text=True,
            check=True,
        )
    assert result.stdout.split() == ["2", "2.0"]
