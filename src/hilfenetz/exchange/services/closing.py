"""A listing withdrawn by its author or marked met."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hilfenetz.core import lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed
from hilfenetz.exchange.models import OPEN_STATUSES, Listing, Pledge, PledgeStatus, Status
from hilfenetz.exchange.services import rides
from hilfenetz.exchange.services.common import transition


@transaction.atomic
def withdraw(listing: Listing, actor, note: str = "") -> Listing:
    if actor is not None and not allowed("exchange.close_listing", actor, listing):
        raise PermissionDenied
    listing = lifecycle.locked(listing)
    if listing.status not in OPEN_STATUSES:
        raise ValidationError(_("This listing is closed already."))
    transition(listing, Status.WITHDRAWN, actor=actor, note=note)
    active = list(listing.pledges.filter(status=PledgeStatus.ACTIVE).select_related("helper"))
    listing.pledges.filter(pk__in=[p.pk for p in active]).update(status=PledgeStatus.CANCELLED)
    rides.cancel_rides(listing, active)
    for promised in active:  # the helpers should not bring anything any more
        queue_mail(
            f"exchange-withdrawn:{listing.pk}:{promised.pk}",
            promised.helper,
            "exchange/mail/withdrawn",
            {"listing": listing, "pledge": promised},
        )
    return listing


@transaction.atomic
def mark_fulfilled(listing: Listing, actor, *, pledge: Pledge | None = None) -> Listing:
    """Mark the whole listing fulfilled, or one pledge (the listing follows once nothing
    remains and no pledge is open)."""
    if actor is not None and not allowed("exchange.close_listing", actor, listing):
        raise PermissionDenied
    listing = lifecycle.locked(listing)
    if listing.status not in OPEN_STATUSES:
        raise ValidationError(_("This listing is closed already."))
    if pledge is not None:
        if pledge.listing_id != listing.pk or pledge.status != PledgeStatus.ACTIVE:
            raise ValidationError(_("This promise cannot be marked fulfilled."))
        pledge.status = PledgeStatus.FULFILLED
        pledge.save(update_fields=["status"])
        rides.fulfil_rides([pledge])
        still_open = listing.pledges.filter(status=PledgeStatus.ACTIVE).exists()
        if listing.remaining == 0 and not still_open:
            transition(listing, Status.FULFILLED, actor=actor, note=f"pledge {pledge.pk}")
        return listing
    active = listing.pledges.filter(status=PledgeStatus.ACTIVE)
    rides.fulfil_rides(active)
    active.update(status=PledgeStatus.FULFILLED)
    transition(listing, Status.FULFILLED, actor=actor)
    return listing
