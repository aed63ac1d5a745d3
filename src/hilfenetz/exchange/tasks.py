"""Periodic work of the help exchange: "still needed?" reminders, expiry and digests."""

from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from hilfenetz.core.mail import queue_mail
from hilfenetz.core.periodic import every
from hilfenetz.exchange import alerts, services
from hilfenetz.exchange.models import Listing, Status

REMIND_DAYS_BEFORE = 3
TOKEN_SALT = "exchange.reminder"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = timedelta(days=30)
REMINDER_ACTIONS = ("extend", "fulfilled", "withdraw")


def reminder_token(listing: Listing) -> str:
    return signing.dumps({"l": listing.pk, "v": str(listing.valid_until)}, salt=TOKEN_SALT)


def listing_for_token(token: str) -> Listing | None:
    """The listing a reminder link belongs to, or None if the link is forged or too old."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return Listing.objects.filter(pk=data.get("l")).select_related("municipality").first()


def send_reminders(today=None) -> int:
    today = today or timezone.localdate()
    due = Listing.objects.filter(
        status=Status.PUBLISHED,
        reminder_sent_at__isnull=True,
        valid_until__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        valid_until__gte=today,
    ).select_related("author")
    sent = 0
    for listing in due:
        with transaction.atomic():
            updated = Listing.objects.filter(pk=listing.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            )
            if not updated:
                continue
            url = reverse("exchange:reminder", args=[reminder_token(listing)])
            queue_mail(
                f"exchange-reminder:{listing.pk}:{listing.valid_until}",
                listing.author,
                "exchange/mail/reminder",
                {"listing": listing, "url": url},
            )
            sent += 1
    return sent


def expire_overdue(today=None) -> int:
    today = today or timezone.localdate()
    overdue = Listing.objects.filter(status=Status.PUBLISHED, valid_until__lt=today)
    return sum(1 for listing in overdue if services.expire(listing))


@task()
def hourly() -> dict:
    return {"reminded": send_reminders(), "expired": expire_overdue()}


every(timedelta(hours=1), hourly)
every(timedelta(hours=1), alerts.send_daily_digests)
