"""The demo shows a platform people have used for months, not one filled today."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from hilfenetz.accounts.models import User
from hilfenetz.exchange import services
from hilfenetz.exchange.models import (
    Conversation,
    Listing,
    Message,
    Pledge,
    Ride,
    SavedSearch,
    Status,
)


@pytest.mark.django_db
def test_demo_people_have_a_history_and_need_no_moderation():
    call_command("demo", verbosity=0)
    now = timezone.now()
    volunteers = User.objects.filter(email__startswith="ehrenamt").order_by("date_joined")
    joined = [user.date_joined for user in volunteers]
    assert joined[-2] < now - timedelta(days=7)  # all but the one newcomer
    assert max(joined[:-1]) - min(joined) > timedelta(days=120)  # spread over months
    assert len({day.date() for day in joined}) > 20
    assert all(u.last_login and u.date_joined <= u.last_login <= now for u in volunteers)

    # An established volunteer's new offer is published at once; the newcomer's waits.
    established, newcomer = volunteers[0], volunteers.last()
    assert newcomer.date_joined > now - timedelta(days=7)
    offer = services.create_listing(
        established,
        kind="offer",
        category=Listing.objects.first().category,
        municipality=established.home_municipality,
        title="Fahrradreparatur",
        description="Ich repariere Fahrräder.",
    )
    assert offer.status == Status.PUBLISHED
    assert Listing.objects.filter(author=newcomer, status=Status.PENDING).exists()

    fulfilled = Listing.objects.filter(status=Status.FULFILLED)
    assert fulfilled.count() >= 10
    for listing in fulfilled:
        assert listing.published_at < now - timedelta(days=7)
        assert listing.author.date_joined < listing.published_at
        conversation = Conversation.objects.get(listing=listing)
        times = list(
            Message.objects.filter(conversation=conversation).values_list("created_at", flat=True)
        )
        assert len(times) >= 3
        assert listing.published_at <= conversation.created_at <= min(times)
        assert max(times) <= listing.updated_at < now - timedelta(days=1)
    assert Pledge.objects.filter(listing__status=Status.FULFILLED, status="fulfilled").exists()
    assert Listing.objects.filter(status=Status.EXPIRED, valid_until__lt=now.date()).exists()
    assert not Listing.objects.filter(status=Status.EXPIRED, valid_until__gte=now.date()).exists()
    # A need with transport needed, its promise brought by a volunteer who can drive there.
    ride = Ride.objects.select_related("pledge__listing").get(
        pledge__listing__title__startswith="Kinderbett"
    )
    need = ride.pledge.listing
    assert need.transport_needed and ride.driver != ride.pledge.helper != need.author
    assert SavedSearch.objects.filter(user=ride.driver, drives=True, area=need.municipality.area)
    assert ride.driver.email.startswith("ehrenamt")
    assert services.ride_offers(need)
    assert [d.ride for d in services.deliveries(need, need.author)] == [ride]
