"""Credentials never show on the DEBUG page, in error mails or in the log."""

import logging
import sys

import pytest
from django.test import RequestFactory
from django.views.debug import get_exception_reporter_class, technical_500_response

from hilfenetz.core.reporting import MaskCredentialsLogFilter, mask_credentials

PASSWORD = "Geheim-7f3a9Xq"  # noqa: S105 - the secret the reports must not show
DATABASE_URL = f"postgres://hilfenetz:{PASSWORD}@db.internal:5432/hilfenetz"
REDIS_URL = f"redis://:{PASSWORD}@cache.internal:6379/0"


@pytest.fixture
def failing_request(settings, monkeypatch):
    settings.DEBUG = True
    settings.REDIS_URL = REDIS_URL
    settings.CACHES = {**settings.CACHES, "spare": {"BACKEND": "x", "LOCATION": REDIS_URL}}
    settings.MAILERS = {"default": {"BACKEND": "x", "OPTIONS": {"password": PASSWORD}}}
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    # runserver (wsgiref) copies the whole environment into every request's META
    import os

    return RequestFactory().get("/", **dict(os.environ))


def fail_with_a_dsn():
    dsn = DATABASE_URL  # noqa: F841 - a local variable the traceback shows
    secret_token = PASSWORD  # noqa: F841, S105
    raise ConnectionError(f"could not connect to {DATABASE_URL}")


def exception_info():
    try:
        fail_with_a_dsn()
    except ConnectionError:
        return sys.exc_info()


def test_the_technical_500_page_shows_no_password(failing_request):
    response = technical_500_response(failing_request, *exception_info())
    html = response.content.decode()
    assert response.status_code == 500
    assert "db.internal" in html  # the page still says where it tried to connect
    assert "cache.internal" in html
    assert PASSWORD not in html


def test_the_error_mail_text_shows_no_password(failing_request):
    # what the mail to the admins holds (AdminEmailHandler uses the configured reporter)
    reporter = get_exception_reporter_class(failing_request)
    text = reporter(failing_request, *exception_info()).get_traceback_text()
    assert "DATABASE_URL" in text
    assert PASSWORD not in text


def test_log_lines_and_tracebacks_mask_addresses(caplog):
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "connecting to %s", (REDIS_URL,), exception_info()
    )
    MaskCredentialsLogFilter().filter(record)
    line = logging.Formatter().format(record)
    assert "cache.internal" in line and "db.internal" in line
    assert PASSWORD not in line


def test_mask_credentials_keeps_addresses_without_them():
    assert mask_credentials("see https://example.org/a:b@c") == "see https://example.org/a:b@c"
    assert mask_credentials("smtp://mail:pw@host") == "smtp://mail:********************@host"
