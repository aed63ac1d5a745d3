"""Periodic work of the help exchange: "still needed?" reminders, expiry and digests."""

from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from hilfenetz.core.mail import queue_mail
from hilfenetz.core.periodic import every
from hilfenetz.core.signed_links import SignedLinks
from hilfenetz.exchange import alerts, privacy, services
from hilfenetz.exchange.models import Listing, Status

REMIND_DAYS_BEFORE = 3
REMINDER_ACTIONS = ("extend", "fulfilled", "withdraw")
# Salts kept from before the links moved to core, so links already mailed keep working.
REMINDER_LINKS = SignedLinks("exchange.reminder", REMINDER_ACTIONS)


def reminder_token(listing: Listing, action: str) -> str:
    """The signed token of one one-click link: this listing, this action, for 30 days."""
    return REMINDER_LINKS.token(listing.pk, action)


def reminder_url(listing: Listing, action: str) -> str:
    return reverse("exchange:reminder", args=[listing.pk, reminder_token(listing, action)])


def action_for_token(listing_id: int, token: str) -> str | None:
    return REMINDER_LINKS.action(listing_id, token)


def undo_token(listing: Listing, action: str, state: dict) -> str:
    return REMINDER_LINKS.undo_token(listing.pk, action, state)


def undo_for_token(listing_id: int, token: str) -> tuple[str, dict] | None:
    return REMINDER_LINKS.undo(listing_id, token)


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
