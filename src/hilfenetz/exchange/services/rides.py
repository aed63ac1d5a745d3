"""Transport for a need that needs it: who could drive, the ride a driver promises for a
pledge, and who brings what, as each side sees it."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from hilfenetz.core import lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed, require
from hilfenetz.exchange.models import (
    Kind,
    Listing,
    ListingEvent,
    Pledge,
    PledgeStatus,
    Ride,
)

RIDES_CATEGORY = "fahrdienste-transport"
User = get_user_model()


def needs_transport(listing: Listing) -> bool:
    return listing.kind == Kind.NEED and listing.transport_needed


def ride_offers(listing: Listing, limit: int = 5) -> list[Listing]:
    """ "Who could drive": the published ride and transport offers of the need's area, those of
    its municipality first, then the newest."""
    if not needs_transport(listing):
        return []
    municipality = listing.municipality
    return list(
        Listing.objects.published()
        .filter(
            kind=Kind.OFFER,
            category__slug=RIDES_CATEGORY,
            category__district_id=municipality.district_id,
        )
        .in_area(municipality.area_id)
        .exclude(author_id=listing.author_id)
        .annotate(
            nearness=Case(
                When(municipality_id=municipality.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .for_list()
        .order_by("nearness", "-published_at", "-pk")[:limit]
    )


@dataclass
class Delivery:
    """One promise of a need with transport needed, as ``viewer`` sees it on the need's page."""

    pledge: Pledge
    ride: Ride | None
    names: bool  # the giver's and the driver's names: only for the people involved
    may_drive: bool
    may_withdraw_pledge: bool
    may_withdraw_ride: bool


def deliveries(listing: Listing, viewer) -> list[Delivery]:
    """The active promises of a need with transport needed, each with its active ride, if any
    (one query, whatever their number)."""
    if not needs_transport(listing):
        return []
    ride = Ride.objects.filter(pledge=OuterRef("pk"), status=PledgeStatus.ACTIVE)
    pledges = (
        Pledge.objects.filter(listing=listing, status=PledgeStatus.ACTIVE)
        .select_related("helper")
        .annotate(
            ride_id=Subquery(ride.values("pk")[:1]),
            driver_id=Subquery(ride.values("driver_id")[:1]),
            driver_name=Subquery(ride.values("driver__display_name")[:1]),
        )
    )
    organises = allowed("exchange.view_answers", viewer, listing)
    result = []
    for pledge in pledges:
        pledge.listing = listing
        ride = None
        if pledge.ride_id is not None:
            driver = User(pk=pledge.driver_id, display_name=pledge.driver_name)
            ride = Ride(pk=pledge.ride_id, pledge=pledge, driver=driver)
        involved = {pledge.helper_id} | ({ride.driver_id} if ride else set())
        result.append(
            Delivery(
                pledge=pledge,
                ride=ride,
                names=organises or viewer.pk in involved,
                may_drive=ride is None and allowed("exchange.pledge_ride", viewer, pledge),
                may_withdraw_pledge=allowed("exchange.withdraw_pledge", viewer, pledge),
                may_withdraw_ride=ride is not None
                and allowed("exchange.withdraw_ride", viewer, ride),
            )
        )
    return result


def _tell(key: str, people, template: str, context: dict) -> None:
    for person in people:
        queue_mail(f"{key}:{person.pk}", person, template, context)


def _event(listing: Listing, actor, note: str) -> None:
    ListingEvent.objects.create(
        listing=listing,
        actor=actor,
        from_status=listing.status,
        to_status=listing.status,
        note=note,
    )


def pledge_ride(goods: Pledge, driver) -> Ride:
    """Promise to drive what ``goods`` gives. The rows are locked: two drivers offering at
    once do not both get the ride."""
    with transaction.atomic():
        listing = lifecycle.locked(goods.listing)
        goods = Pledge.objects.select_for_update().select_related("helper").get(pk=goods.pk)
        goods.listing = listing
        require("exchange.pledge_ride", driver, goods)
        if goods.rides.filter(status=PledgeStatus.ACTIVE).exists():
            raise ValidationError(_("Someone has already promised to drive this."))
        ride = Ride.objects.create(pledge=goods, driver=driver)
        _event(listing, driver, f"ride {ride.pk} for pledge {goods.pk}")
        _tell(
            f"exchange-ride:{ride.pk}",
            (listing.author, goods.helper),
            "exchange/mail/ride",
            {
                "listing": listing,
                "pledge": goods,
                "driver": driver.display_name,
                "url": reverse("exchange:detail", args=[listing.pk]),
            },
        )
    return ride


def withdraw_ride(ride: Ride, driver) -> Ride:
    """The driver can no longer drive: the need's author and the giver are told that the
    transport is open again."""
    with transaction.atomic():
        listing = lifecycle.locked(ride.pledge.listing)
        ride = (
            Ride.objects.select_for_update()
            .select_related("pledge__helper", "driver")
            .get(pk=ride.pk)
        )
        ride.pledge.listing = listing
        require("exchange.withdraw_ride", driver, ride)
        ride.status = PledgeStatus.CANCELLED
        ride.save(update_fields=["status"])
        _event(listing, driver, f"ride {ride.pk} withdrawn")
        tell_transport_open(ride)
    return ride


def tell_transport_open(ride: Ride) -> None:
    """Tell the need's author and the giver that ``ride``'s driver no longer drives."""
    listing = ride.pledge.listing
    _tell(
        f"exchange-ride-withdrawn:{ride.pk}",
        (listing.author, ride.pledge.helper),
        "exchange/mail/ride_withdrawn",
        {
            "listing": listing,
            "driver": ride.driver.display_name,
            "url": reverse("exchange:detail", args=[listing.pk]),
        },
    )


def cancel_rides(listing: Listing, pledges) -> int:
    """The active rides of ``pledges`` are no longer needed (their promise was withdrawn, or
    the need): cancel them and tell the drivers not to drive."""
    rides = list(
        Ride.objects.filter(pledge__in=pledges, status=PledgeStatus.ACTIVE).select_related("driver")
    )
    Ride.objects.filter(pk__in=[ride.pk for ride in rides]).update(status=PledgeStatus.CANCELLED)
    for ride in rides:
        queue_mail(
            f"exchange-ride-cancelled:{ride.pk}",
            ride.driver,
            "exchange/mail/ride_cancelled",
            {"listing": listing},
        )
    return len(rides)


def fulfil_rides(pledges) -> int:
    """The promises were kept, and with them their rides."""
    return Ride.objects.filter(pledge__in=pledges, status=PledgeStatus.ACTIVE).update(
        status=PledgeStatus.FULFILLED
    )
