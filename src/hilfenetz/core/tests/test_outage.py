"""While the database is away every page, the API and every form answer a translated 503."""

import json
import logging

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from hilfenetz.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_unreachable(tmp_path):
    """Point the default connection at a database that is not there (on SQLite a file in a
    folder that does not exist, on PostgreSQL a port nobody listens on): every query, the
    session's and the user's included, fails with OperationalError as it would when the
    database server is away. The test database itself stays untouched."""
    original = connections["default"]
    if original.vendor == "postgresql":
        away = {"HOST": "127.0.0.1", "PORT": "1"}
    else:
        away = {"NAME": str(tmp_path / "missing" / "db.sqlite3")}
    settings_dict = {**original.settings_dict, **away}
    broken = original.__class__(settings_dict, "default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


def assert_maintenance(response, language):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Language"] == language
    assert response["Cache-Control"] == "no-store"
    assert "nonce-" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'class="site-header"' in html  # the site's layout
    return html


def test_a_page_in_german_answers_the_maintenance_page(client, database_unreachable):
    response = client.get(reverse("exchange:list"), HTTP_ACCEPT_LANGUAGE="de")
    html = assert_maintenance(response, "de")
    assert "Vorübergehend nicht erreichbar" in html
    assert 'dir="ltr"' in html


def test_a_page_in_arabic_from_the_language_cookie(client, database_unreachable):
    client.cookies["hilfenetz_language"] = "ar"
    response = client.get(reverse("core:home"))
    html = assert_maintenance(response, "ar")
    assert 'dir="rtl"' in html
    assert "غير متاح مؤقتاً" in html


def request_log_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "hilfenetz.requests"]


def test_a_logged_in_person_whose_session_cannot_be_loaded(database_unreachable, caplog):
    # The session and the user are loaded by middleware, outside any view; the test client
    # would raise the exception it saw on the way even though the response is the 503.
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32
    client.cookies["hilfenetz_language"] = "uk"
    with caplog.at_level(logging.INFO, logger="hilfenetz.requests"):
        response = client.get(reverse("accounts:profile"))
    assert_maintenance(response, "uk")
    # The request log, outside the outage middleware, names no role it would have to load.
    (line,) = request_log_lines(caplog)
    assert (line["status"], line["role"]) == (503, "unknown")


def test_a_database_lost_after_the_page_was_made_still_lets_the_page_out(
    client, monkeypatch, caplog
):
    client.force_login(UserFactory())

    def database_gone(user):
        raise OperationalError("server closed the connection unexpectedly")

    # the request log's own role query is the first to find the database away
    monkeypatch.setattr("hilfenetz.core.request_log.coordinator_scope", database_gone)
    with caplog.at_level(logging.INFO, logger="hilfenetz.requests"):
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    (line,) = request_log_lines(caplog)
    assert (line["status"], line["role"]) == (200, "unknown")


def test_the_api_answers_problem_details(client, database_unreachable):
    response = client.get("/api/v1/listings", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
    problem = response.json()
    assert problem["status"] == 503
    assert problem["title"] == "Service Unavailable"
    assert problem["type"] == "about:blank"
    assert problem["instance"] == "/api/v1/listings"
    assert "database" in problem["detail"]


def test_a_form_post_answers_the_maintenance_page(database_unreachable):
    client = Client(enforce_csrf_checks=False)
    response = client.post(
        reverse("account_login"),
        {"login": "someone@example.org", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    html = assert_maintenance(response, "tr")
    assert "Kısa süreliğine erişilemiyor" in html


def test_a_working_database_is_not_affected(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
