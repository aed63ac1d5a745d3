"""Background work of slips: a text message per answer, and the daily tidying."""

from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hilfenetz.core.periodic import every
from hilfenetz.slips import services, sms
from hilfenetz.slips.models import Slip, TextMessage

MAX_ATTEMPTS = 5


def text_new_answer(sender, instance, created, raw=False, **kwargs):
    """A message of the other side in a conversation about a listing with a slip: one text
    message to each person who agreed to them, sent after the commit."""
    if not created or raw or not services.sms_configured():
        return
    listing = instance.conversation.listing
    if instance.sender_id == listing.author_id:
        return  # the person's own side wrote it
    slips = Slip.objects.active().filter(listings=listing, sms_consent_at__isnull=False)
    for slip in slips.exclude(phone=""):
        notice, made = TextMessage.objects.get_or_create(slip=slip, message=instance)
        if made:
            transaction.on_commit(lambda pk=notice.pk: send_text.enqueue(pk))


def text_for(slip: Slip, title: str) -> str:
    with translation.override(slip.language):
        return _("Hilfenetz: a new answer to “%(title)s”. Enter your code at %(address)s") % {
            "title": title[:60],
            "address": services.short_address(reverse("slips:enter")),
        }


@task()
def send_text(notice_id: int) -> str:
    """Send one text message, once: a message already sent (or given up) is left alone; a
    failure is raised, so the task is tried again later (core/task_retries.py)."""
    with transaction.atomic():
        notice = (
            TextMessage.objects.select_for_update()
            .select_related("slip", "message__conversation__listing")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.status != TextMessage.Status.PENDING:
            return "done already"
        slip = notice.slip
        if not (slip.is_active() and slip.texts_answers and services.sms_configured()):
            notice.status = TextMessage.Status.FAILED
            notice.last_error = "no longer agreed or no gateway"
            notice.save(update_fields=["status", "last_error"])
            return notice.last_error
        notice.attempts += 1
        notice.save(update_fields=["attempts"])
        phone, text = slip.phone, text_for(slip, notice.message.conversation.listing.title)
    # outside the transaction: the gateway may take seconds
    try:
        sms.send(phone, text)
    except sms.GatewayError as exc:
        status = (
            TextMessage.Status.FAILED
            if notice.attempts >= MAX_ATTEMPTS
            else TextMessage.Status.PENDING
        )
        TextMessage.objects.filter(pk=notice.pk).update(status=status, last_error=str(exc)[:300])
        raise
    TextMessage.objects.filter(pk=notice.pk).update(
        status=TextMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


@task()
def tidy_slips() -> dict:
    return services.tidy()


every(timedelta(days=1), tidy_slips)
