"""Outgoing mail: rendered in the recipient's language, delivered by a background task.

Never send mail inside a request: call :func:`queue_mail`, which stores the mail and enqueues
its delivery after the surrounding transaction commits.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from hilfenetz.core.models import OutboundMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def render_mail(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render ``<template>_subject.txt``, ``.txt`` and (if present) ``.html`` in ``language``."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except Exception:  # noqa: BLE001 - the HTML part is optional
            html = ""
    return subject, body, html


def queue_rendered_mail(
    key: str, to: str, subject: str, body: str, html: str = "", language: str = "de"
):
    try:
        with transaction.atomic():
            mail = OutboundMail.objects.create(
                key=key[:200],
                to=to,
                subject=subject[:300],
                body=body,
                html_body=html,
                language=language,
            )
    except IntegrityError:
        return OutboundMail.objects.get(key=key[:200])
    transaction.on_commit(lambda: deliver_mail.enqueue(mail.pk))
    return mail


def queue_mail(key: str, to, template: str, context: dict, language: str | None = None):
    """Queue a mail to a person (a user, rendered in their preferred language) or an address."""
    if hasattr(to, "email"):
        language = language or to.preferred_language
        address = to.email
    else:
        address = to
    language = language or settings.LANGUAGE_CODE
    subject, body, html = render_mail(template, context, language)
    return queue_rendered_mail(key, address, subject, body, html, language)


def send_now(mail: OutboundMail) -> bool:
    """Deliver one mail; on failure keep it for a later attempt. Returns whether it was sent."""
    message = EmailMultiAlternatives(
        mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to]
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any transport error is retried later
        mail.attempts += 1
        mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if mail.attempts >= MAX_ATTEMPTS:
            mail.status = OutboundMail.Status.FAILED
        mail.save(update_fields=["attempts", "last_error", "status"])
        logger.warning(
            "mail %s to %s failed (%s attempts): %s", mail.pk, mail.to, mail.attempts, exc
        )
        return False
    mail.status = OutboundMail.Status.SENT
    mail.sent_at = timezone.now()
    mail.attempts += 1
    mail.save(update_fields=["status", "sent_at", "attempts"])
    return True


@task()
def deliver_mail(mail_id: int) -> bool:
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != OutboundMail.Status.PENDING:
            return False
        sent = send_now(mail)
    if (
        not sent
        and mail.status == OutboundMail.Status.PENDING
        and deliver_mail.get_backend().supports_defer
    ):
        delay = timedelta(minutes=2 ** min(mail.attempts, 6))
        deliver_mail.using(run_after=timezone.now() + delay).enqueue(mail_id)
    return sent


@task()
def retry_pending_mail() -> int:
    """Re-enqueue mail that is still pending after a while (e.g. the worker was down)."""
    stale = timezone.now() - timedelta(minutes=15)
    ids = list(
        OutboundMail.objects.filter(
            status=OutboundMail.Status.PENDING, created_at__lt=stale
        ).values_list("pk", flat=True)[:500]
    )
    for mail_id in ids:
        deliver_mail.enqueue(mail_id)
    return len(ids)
