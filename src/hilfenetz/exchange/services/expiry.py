"""Listings that expire, are extended, and the reminders before (with their links)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import lifecycle
from hilfenetz.core.predicates import allowed
from hilfenetz.exchange.models import (
    OPEN_STATUSES,
    Listing,
    ListingEvent,
    PledgeStatus,
    Ride,
    Status,
)
from hilfenetz.exchange.services.closing import mark_fulfilled, withdraw
from hilfenetz.exchange.services.common import transition


@transaction.atomic
def expire(listing: Listing) -> bool:
    listing = lifecycle.locked(listing)
    if listing.status != Status.PUBLISHED or listing.valid_until >= timezone.localdate():
        return False
    transition(listing, Status.EXPIRED, actor=None, note="valid_until passed")
    return True


@transaction.atomic
def extend(listing: Listing, actor=None) -> Listing:
    """Keep a listing open for another validity period."""
    if actor is not None and not allowed("exchange.close_listing", actor, listing):
        raise PermissionDenied
    listing = lifecycle.locked(listing)
    if listing.status not in (Status.PUBLISHED, Status.EXPIRED):
        raise ValidationError(_("This listing cannot be extended."))
    days = listing.municipality.district.listing_validity_days
    listing.valid_until = timezone.localdate() + timedelta(days=days)
    listing.reminder_sent_at = None
    listing.save(update_fields=["valid_until", "reminder_sent_at", "updated_at"])
    if listing.status == Status.EXPIRED:
        transition(listing, Status.PUBLISHED, actor=actor, note="extended")
    else:
        ListingEvent.objects.create(
            listing=listing,
            actor=actor,
            from_status=listing.status,
            to_status=listing.status,
            note=f"extended until {listing.valid_until}",
        )
    return listing


def reminder_done(listing: Listing, action: str) -> bool:
    """Whether a one-click action of the "still needed?" mail has nothing left to do: the
    listing is closed that way already, or open for a whole period from today."""
    if action == "extend":
        days = listing.municipality.district.listing_validity_days
        return listing.status == Status.PUBLISHED and listing.valid_until >= (
            timezone.localdate() + timedelta(days=days)
        )
    return listing.status == {"fulfilled": Status.FULFILLED, "withdraw": Status.WITHDRAWN}.get(
        action
    )


@transaction.atomic
def reminder_action(listing: Listing, action: str) -> dict | None:
    """Carry out a one-click action of the "still needed?" mail (no login: the signed link is
    the authority). Returns what :func:`undo_reminder_action` needs to take it back, or None
    if it was done already (so a second click records nothing twice)."""
    listing = lifecycle.locked(listing)
    if reminder_done(listing, action):
        return None
    state = {
        "status": listing.status,
        "valid_until": listing.valid_until.isoformat(),
        "pledges": list(
            listing.pledges.filter(status=PledgeStatus.ACTIVE).values_list("pk", flat=True)
        ),
        "rides": list(
            Ride.objects.filter(pledge__listing=listing, status=PledgeStatus.ACTIVE).values_list(
                "pk", flat=True
            )
        ),
    }
    if action == "extend":
        extend(listing)
    elif action == "fulfilled":
        mark_fulfilled(listing, None)
    elif action == "withdraw":
        withdraw(listing, None, note="reminder link")
    else:
        raise ValidationError(_("Unknown action."))
    return state


@transaction.atomic
def undo_reminder_action(listing: Listing, action: str, state: dict) -> Listing:
    """Take back a one-click action, if nothing else happened to the listing since."""
    from datetime import date

    listing = lifecycle.locked(listing)
    previous_status = state["status"]
    valid_until = date.fromisoformat(state["valid_until"])
    pledge_ids = state.get("pledges", [])
    if action == "extend":
        if listing.status != Status.PUBLISHED:
            raise ValidationError(_("This can no longer be undone."))
        listing.valid_until = valid_until
        listing.save(update_fields=["valid_until", "updated_at"])
        if previous_status != listing.status:
            transition(listing, previous_status, actor=None, note="undo extend")
        else:
            ListingEvent.objects.create(
                listing=listing,
                from_status=listing.status,
                to_status=listing.status,
                note=f"undo extend: valid until {valid_until}",
            )
        return listing
    undone = {"fulfilled": Status.FULFILLED, "withdraw": Status.WITHDRAWN}.get(action)
    if undone is None or listing.status != undone or previous_status not in OPEN_STATUSES:
        raise ValidationError(_("This can no longer be undone."))
    changed_to = PledgeStatus.FULFILLED if action == "fulfilled" else PledgeStatus.CANCELLED
    listing.pledges.filter(pk__in=pledge_ids, status=changed_to).update(status=PledgeStatus.ACTIVE)
    Ride.objects.filter(
        pk__in=state.get("rides", []), pledge__listing=listing, status=changed_to
    ).update(status=PledgeStatus.ACTIVE)
    transition(listing, previous_status, actor=None, note=f"undo {action}")
    return listing
