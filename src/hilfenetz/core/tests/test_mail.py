"""Mail goes through a real SMTP conversation with a local aiosmtpd server."""

import contextlib
import socket

import pytest
from aiosmtpd.controller import Controller

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.mail import deliver_mail, queue_mail
from hilfenetz.core.models import OutboundMail

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
