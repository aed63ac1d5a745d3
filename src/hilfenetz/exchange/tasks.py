"""Periodic work of the help exchange: "still needed?" reminders, expiry and digests."""

from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from hilfenetz.core.mail import queue_mail
from hilfenetz.core.periodic import every
from hilfenetz.exchange import alerts, privacy, services
from hilfenetz.exchange.models import Listing, Status

REMIND_DAYS_BEFORE = 3
TOKEN_SALT = "exchange.reminder"  # noqa: S105 - a signing salt, not a secret
UNDO_SALT = "exchange.reminder.undo"
TOKEN_MAX_AGE = timedelta(days=30)
UNDO_MAX_AGE = timedelta(days=2)
REMINDER_ACTIONS = ("extend", "fulfilled", "withdraw")


def reminder_token(listing: Listing, action: str) -> str:
    """The signed token of one one-click link: this listing, this action, for 30 days."""
    if action not in REMINDER_ACTIONS:
        raise ValueError(action)
    return signing.dumps({"l": listing.pk, "a": action}, salt=TOKEN_SALT)


def reminder_url(listing: Listing, action: str) -> str:
    return reverse("exchange:reminder", args=[listing.pk, reminder_token(listing, action)])


def action_for_token(listing_id: int, token: str) -> str | None:
    """The action a link allows for listing ``listing_id``, or None if the link is forged, too
    old or made for another listing."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("l") != listing_id:
        return None
    action = data.get("a")
    return action if action in REMINDER_ACTIONS else None


def undo_token(listing: Listing, action: str, state: dict) -> str:
    return signing.dumps({"l": listing.pk, "a": action, "s": state}, salt=UNDO_SALT)


def undo_for_token(listing_id: int, token: str) -> tuple[str, dict] | None:
    try:
        data = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("l") != listing_id:
        return None
    if data.get("a") not in REMINDER_ACTIONS or not isinstance(data.get("s"), dict):
        return None
    return data["a"], data["s"]


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
            queue_mail(
                f"exchange-reminder:{listing.pk}:{listing.valid_until}",
                listing.author,
                "exchange/mail/reminder",
                {
                    "listing": listing,
                    "extend_url": reminder_url(listing, "extend"),
                    "fulfilled_url": reminder_url(listing, "fulfilled"),
                    "withdraw_url": reminder_url(listing, "withdraw"),
                },
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


@task()
def erase_expired_consents() -> int:
    return privacy.erase_expired_consents()


every(timedelta(hours=1), hourly)
every(timedelta(days=1), erase_expired_consents)
every(timedelta(hours=1), alerts.send_daily_digests)
