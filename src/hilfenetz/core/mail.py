"""Outgoing mail: rendered in the recipient's language, delivered by a background task.

Never send mail inside a request: call :func:`queue_mail`, which stores the mail and enqueues
its delivery after the surrounding transaction commits.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from hilfenetz.core.models import OutboundMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# The queue of mail and of the light jobs that keep it flowing: its own worker takes nothing
# else, so a confirmation never waits behind bulk work on the default queue.
QUEUE = "mail"
INTERRUPTED = "delivery interrupted (the worker stopped while sending)"


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


# Longer than the SMTP timeout (settings: 20 s), so a delivery still talking to the server is
# never taken over; a claim older than this belongs to a worker that died mid-delivery.
CLAIM_TIMEOUT = timedelta(seconds=30)


def claim(mail_id: int) -> OutboundMail | None:
    """Mark a pending mail as being sent, in a transaction of its own, or return None if it is
    not pending (sent, failed, or claimed by another delivery)."""
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != OutboundMail.Status.PENDING:
            return None
        mail.status = OutboundMail.Status.SENDING
        mail.claimed_at = timezone.now()
        mail.save(update_fields=["status", "claimed_at"])
    return mail


def send_now(mail: OutboundMail) -> bool:
    """Deliver one claimed mail and record the result; on failure keep it for a later attempt.
    Returns whether it was sent.

    Runs outside any transaction: the SMTP conversation may take seconds, and an open
    transaction would hold SQLite's write lock (and a PostgreSQL row lock) all that time."""
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
        failed = mail.attempts >= MAX_ATTEMPTS
        mail.status = OutboundMail.Status.FAILED if failed else OutboundMail.Status.PENDING
        # only while the claim is still ours: a later delivery may have taken it over
        OutboundMail.objects.filter(
            pk=mail.pk, status=OutboundMail.Status.SENDING, claimed_at=mail.claimed_at
        ).update(attempts=mail.attempts, last_error=mail.last_error, status=mail.status)
        logger.warning(
            "mail %s to %s failed (%s attempts): %s", mail.pk, mail.to, mail.attempts, exc
        )
        return False
    mail.status = OutboundMail.Status.SENT
    mail.sent_at = timezone.now()
    mail.attempts += 1
    # recorded even if the claim was taken over meanwhile, so the mail is not sent again
    OutboundMail.objects.filter(pk=mail.pk).exclude(status=OutboundMail.Status.SENT).update(
        status=mail.status, sent_at=mail.sent_at, attempts=mail.attempts
    )
    return True


@task(queue_name=QUEUE)
def deliver_mail(mail_id: int) -> bool:
    mail = claim(mail_id)
    if mail is None:
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


@task(queue_name=QUEUE)
def retry_pending_mail() -> int:
    """Re-enqueue mail that is still pending after a while (e.g. its task was lost)."""
    stale = timezone.now() - timedelta(minutes=15)
    ids = list(
        OutboundMail.objects.filter(
            status=OutboundMail.Status.PENDING, created_at__lt=stale
        ).values_list("pk", flat=True)[:500]
    )
    for mail_id in ids:
        deliver_mail.enqueue(mail_id)
    return len(ids)


@task(queue_name=QUEUE)
def reclaim_interrupted_mail() -> int:
    """Re-enqueue mail whose delivery was cut off (the worker died while sending it): its claim
    is older than :data:`CLAIM_TIMEOUT`. The interrupted try counts as an attempt, so a mail
    that kills the worker every time ends up failed instead of looping."""
    stale = timezone.now() - CLAIM_TIMEOUT
    ids = list(
        OutboundMail.objects.filter(
            status=OutboundMail.Status.SENDING, claimed_at__lt=stale
        ).values_list("pk", flat=True)[:500]
    )
    if not ids:
        return 0
    reclaimed = OutboundMail.objects.filter(
        pk__in=ids, status=OutboundMail.Status.SENDING, claimed_at__lt=stale
    )
    reclaimed.filter(attempts__gte=MAX_ATTEMPTS - 1).update(
        status=OutboundMail.Status.FAILED, attempts=F("attempts") + 1, last_error=INTERRUPTED
    )
    reclaimed.update(
        status=OutboundMail.Status.PENDING, attempts=F("attempts") + 1, last_error=INTERRUPTED
    )
    for mail_id in ids:
        deliver_mail.enqueue(mail_id)
    return len(ids)
