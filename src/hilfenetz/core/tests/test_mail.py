"""Mail goes through a real SMTP conversation with a local aiosmtpd server."""

import contextlib
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import transaction
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.mail import (
    MAX_ATTEMPTS,
    deliver_mail,
    queue_mail,
    reclaim_interrupted_mail,
    retry_pending_mail,
)
from hilfenetz.core.models import OutboundMail
from hilfenetz.core.periodic import enqueue_due

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    inbox.controller = controller
    inbox.port = port
    yield inbox
    with contextlib.suppress(AssertionError):  # it was never started
        controller.stop()


def test_mail_is_rendered_in_the_recipients_language_and_sent_over_smtp(
    smtp, django_capture_on_commit_callbacks
):
    smtp.controller.start()
    person = UserFactory(preferred_language="de")
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(
            "test:welcome",
            person,
            "accounts/mail/membership_accepted",
            {"organisation": type("O", (), {"name": "Sprachcafé", "slug": "sprachcafe"})()},
        )
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == [person.email]
    assert "Sprachcaf" in envelope.content.decode("utf-8", "replace")
    assert OutboundMail.objects.get(key="test:welcome").status == OutboundMail.Status.SENT


def test_the_same_event_is_mailed_only_once(smtp, django_capture_on_commit_callbacks):
    smtp.controller.start()
    person = UserFactory()
    context = {"organisation": type("O", (), {"name": "X", "slug": "x"})()}
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail("test:once", person, "accounts/mail/membership_accepted", context)
        queue_mail("test:once", person, "accounts/mail/membership_accepted", context)
    deliver_mail.call(OutboundMail.objects.get(key="test:once").pk)
    assert len(smtp.messages) == 1


def test_a_failing_mail_server_loses_nothing(smtp, django_capture_on_commit_callbacks):
    person = UserFactory()
    context = {"organisation": type("O", (), {"name": "X", "slug": "x"})()}
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_mail("test:retry", person, "accounts/mail/membership_accepted", context)
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.PENDING
    assert mail.attempts == 1 and mail.last_error
    smtp.controller.start()
    assert deliver_mail.call(mail.pk) is True
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.SENT
    assert len(smtp.messages) == 1


def queued(key, django_capture_on_commit_callbacks, execute=False):
    context = {"organisation": type("O", (), {"name": "X", "slug": "x"})()}
    with django_capture_on_commit_callbacks(execute=execute):
        return queue_mail(key, UserFactory(), "accounts/mail/membership_accepted", context)


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_talking_to_the_mail_server(smtp, monkeypatch):
    """An open transaction during SMTP would hold SQLite's write lock for the whole send."""
    smtp.controller.start()
    seen = []
    original = SMTPBackend.send_messages

    def spy(self, messages):
        seen.append(transaction.get_connection().in_atomic_block)
        return original(self, messages)

    monkeypatch.setattr(SMTPBackend, "send_messages", spy)
    # outside a test transaction the delivery runs right after queue_mail's commit
    mail = queue_mail(
        "test:no-lock",
        UserFactory(),
        "accounts/mail/membership_accepted",
        {"organisation": type("O", (), {"name": "X", "slug": "x"})()},
    )
    assert seen == [False]
    assert len(smtp.messages) == 1
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.SENT


class WorkerKilled(BaseException):
    """Stands for the worker process dying in the middle of the SMTP conversation."""


def test_a_mail_cut_off_by_a_dying_worker_is_sent_within_about_a_minute(
    smtp, monkeypatch, django_capture_on_commit_callbacks
):
    smtp.controller.start()
    mail = queued("test:killed", django_capture_on_commit_callbacks)
    original = SMTPBackend.send_messages

    def die(self, messages):
        raise WorkerKilled

    monkeypatch.setattr(SMTPBackend, "send_messages", die)
    with pytest.raises(WorkerKilled):
        deliver_mail.call(mail.pk)
    monkeypatch.setattr(SMTPBackend, "send_messages", original)
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_due(now=start)  # the scheduler's tick right after the death
    assert smtp.messages == []  # a delivery that may still be running is left alone
    later = start + timedelta(seconds=45)  # well within a minute: stale after 30 s, 15 s ticks
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_due(now=later)
    assert len(smtp.messages) == 1
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.SENT
    assert mail.attempts == 2  # the interrupted try counts


def test_a_mail_whose_delivery_finished_is_never_sent_again(
    smtp, monkeypatch, django_capture_on_commit_callbacks
):
    smtp.controller.start()
    mail = queued("test:finished", django_capture_on_commit_callbacks)
    assert deliver_mail.call(mail.pk) is True
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert reclaim_interrupted_mail.call() == 0
    assert retry_pending_mail.call() == 0
    assert deliver_mail.call(mail.pk) is False
    assert len(smtp.messages) == 1


def test_a_mail_that_kills_the_worker_every_time_ends_up_failed(
    monkeypatch, django_capture_on_commit_callbacks
):
    mail = queued("test:poison", django_capture_on_commit_callbacks)
    OutboundMail.objects.filter(pk=mail.pk).update(
        status=OutboundMail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=5),
        attempts=MAX_ATTEMPTS - 1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reclaim_interrupted_mail.call() == 1
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.FAILED
    assert mail.attempts == MAX_ATTEMPTS
