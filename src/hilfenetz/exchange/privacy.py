"""The help exchange's part of a person's data export and erasure."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, IntegerField, Q, Value
from django.utils import timezone

from hilfenetz.core import privacy
from hilfenetz.exchange.models import (
    OPEN_STATUSES,
    ConsentRecord,
    Listing,
    Message,
    Pledge,
    PledgeStatus,
    Ride,
    SavedSearch,
    Status,
)


def export(user) -> dict:
    return {
        "listings": [
            {
                "id": listing.pk,
                "kind": listing.kind,
                "title": listing.title,
                "description": listing.description,
                "status": listing.status,
                "created": listing.created_at.isoformat(),
            }
            for listing in Listing.objects.filter(author=user)
        ],
        "messages": [
            {
                "conversation": m.conversation_id,
                "body": m.body,
                "sent": m.created_at.isoformat(),
            }
            for m in Message.objects.filter(sender=user)
        ],
        **_promises(user),
        "saved_searches": [
            {
                "query": s.query,
                "kind": s.kind,
                "frequency": s.frequency,
                "drives": s.drives,
                "municipality": s.municipality.name if s.municipality else "",
                "area": s.area.name if s.area else "",
            }
            for s in SavedSearch.objects.filter(user=user).select_related("municipality", "area")
        ],
    }


def _promises(user) -> dict:
    """What the person promised to give and to drive, read in one query (a ride is a promise
    too), so the export still reads each kind of data once. SQLite refuses the models' own
    order inside a compound query: each part drops it."""
    pledges = (
        Pledge.objects.filter(helper=user)
        .annotate(kind=Value("pledge"))
        .values_list("kind", "listing_id", "pk", "quantity", "status")
        .order_by()
    )
    rides = (
        Ride.objects.filter(driver=user)
        .annotate(
            kind=Value("ride"),
            listing_of=F("pledge__listing_id"),
            no_quantity=Value(None, output_field=IntegerField()),
        )
        .values_list("kind", "listing_of", "pledge_id", "no_quantity", "status")
        .order_by()
    )
    found = {"pledges": [], "rides": []}
    for kind, listing, pledge, quantity, status in pledges.union(rides, all=True).order_by():
        if kind == "pledge":
            found["pledges"].append({"listing": listing, "quantity": quantity, "status": status})
        else:
            found["rides"].append({"listing": listing, "pledge": pledge, "status": status})
    return found


@transaction.atomic
def erase(user) -> None:
    from hilfenetz.exchange import services

    Message.objects.filter(sender=user).delete()
    # Their rides disappear with them: the transport is open again, and those waiting for it
    # are told so.
    active_rides = Ride.objects.filter(driver=user, status=PledgeStatus.ACTIVE).select_related(
        "driver", "pledge__helper", "pledge__listing__author"
    )
    for ride in active_rides:
        services.rides.tell_transport_open(ride)
    Ride.objects.filter(driver=user).delete()
    for pledge in Pledge.objects.filter(helper=user, status=PledgeStatus.ACTIVE).select_related(
        "listing"
    ):
        # an open promise disappears with the person: the quantity is open again, and its
        # driver is told not to drive
        Listing.objects.filter(pk=pledge.listing_id, remaining__isnull=False).update(
            remaining=F("remaining") + pledge.quantity
        )
        services.rides.cancel_rides(pledge.listing, [pledge])
    Pledge.objects.filter(helper=user).delete()
    SavedSearch.objects.filter(user=user).delete()
    for listing in Listing.objects.filter(author=user, status__in=OPEN_STATUSES):
        services.transition(listing, Status.WITHDRAWN, actor=None, note="account deleted")
    erase_consents(ConsentRecord.objects.filter(Q(listing__author=user) | Q(recorded_by=user)))
    for listing in Listing.objects.filter(author=user):
        listing.title = "—"
        listing.description = ""
        listing.organisation = None
        listing.save(update_fields=["title", "description", "organisation", "updated_at"])
        services.reindex(listing)


def erase_consents(records) -> int:
    """Erase what consent records say about the person helped; the records stay as the fact
    that a coordinator posted on someone's behalf."""
    return records.filter(erased_at__isnull=True).update(agreement="", erased_at=timezone.now())


def erase_expired_consents(now=None) -> int:
    """Erase the consent records of listings closed (no longer open) for longer than
    ``settings.CONSENT_RETENTION_DAYS``. A closed listing's last change is when it closed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONSENT_RETENTION_DAYS)
    closed_long_ago = Q(listing__updated_at__lt=cutoff) & ~Q(listing__status__in=OPEN_STATUSES)
    orphaned = Q(listing__isnull=True, recorded_at__lt=cutoff)
    return erase_consents(ConsentRecord.objects.filter(closed_long_ago | orphaned))


privacy.register("exchange", export=export, erase=erase)
