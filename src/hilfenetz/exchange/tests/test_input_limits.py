"""Nonsense is refused with a clear message; edits never undo a moderator's decision."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.exchange import services
from hilfenetz.exchange.models import Listing, Pledge, Status
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/listings"


def form_data(municipality, **changes):
    data = {
        "kind": "need",
        "category": category(district=municipality.district).pk,
        "municipality": municipality.pk,
        "language": "de",
        "title": "Winterjacke",
        "description": "Größe 140",
    }
    return {**data, **changes}


def api_data(municipality, **changes):
    data = {
        "kind": "need",
        "category": "sachspenden",
        "municipality": municipality.pk,
        "title": "Winterjacke",
        "description": "Größe 140",
    }
    return {**data, **changes}


NONSENSE = [
    ({"quantity": 0}, "quantity"),
    ({"quantity": 10**9}, "quantity"),
    ({"valid_until": (timezone.localdate() - timedelta(days=1)).isoformat()}, "valid_until"),
    ({"valid_until": "9999-12-31"}, "valid_until"),
]


@pytest.mark.parametrize(("changes", "field"), NONSENSE)
def test_the_form_refuses_nonsense(client, changes, field):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("exchange:create"), form_data(municipality, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Listing.objects.exists()


@pytest.mark.parametrize(("changes", "field"), NONSENSE)
def test_the_api_refuses_nonsense(client, changes, field):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory())
    response = client.post(API, api_data(municipality, **changes), content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert not Listing.objects.exists()


def test_a_valid_date_within_a_year_is_taken(client):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory())
    until = timezone.localdate() + timedelta(days=300)
    response = client.post(
        API, api_data(municipality, valid_until=until.isoformat()), content_type="application/json"
    )
    assert response.status_code == 201
    assert Listing.objects.get().valid_until == until


def test_pledging_nothing_or_millions_is_refused(client):
    listing = ListingFactory()
    client.force_login(UserFactory())
    for quantity in (0, 10**9):
        response = client.post(
            f"{API}/{listing.pk}/pledge", {"quantity": quantity}, content_type="application/json"
        )
        assert response.status_code == 422
        client.post(reverse("exchange:pledge", args=[listing.pk]), {"quantity": quantity})
    assert not Pledge.objects.exists()


def test_on_behalf_from_a_non_coordinator_is_refused_not_dropped(client):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory())
    agreement = {"on_behalf_agreement": "Frau K. hat zugestimmt"}
    response = client.post(reverse("exchange:create"), form_data(municipality, **agreement))
    assert response.status_code == 200
    with translation.override("de"):  # the person's language
        refusal = str(services.ON_BEHALF_REFUSED)
    assert response.context["form"].non_field_errors() == [refusal]
    response = client.post(
        API, api_data(municipality, **agreement), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == refusal
    assert not Listing.objects.exists()


def test_a_coordinator_posts_on_behalf_through_the_api(client):
    municipality = MunicipalityFactory()
    client.force_login(coordinator_of(municipality))
    response = client.post(
        API,
        api_data(municipality, on_behalf_agreement="Herr M. hat mündlich zugestimmt"),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Listing.objects.get().consent.agreement == "Herr M. hat mündlich zugestimmt"


def test_a_stale_edit_does_not_unblock_a_listing():
    listing = ListingFactory()
    stale = Listing.objects.get(pk=listing.pk)  # the author's edit form was opened
    services.block(listing, coordinator_of(listing.municipality), "Werbung")
    with pytest.raises(PermissionDenied):
        services.update_listing(stale, listing.author, title="Neuer Titel")
    listing.refresh_from_db()
    assert (listing.status, listing.title) == (Status.BLOCKED, stale.title)


def admin_form(listing, **changes):
    data = {
        "title": listing.title,
        "description": listing.description,
        "language": listing.language,
        "kind": listing.kind,
        "category": listing.category_id,
        "municipality": listing.municipality_id,
        "quantity": listing.quantity or "",
        "unit": listing.unit,
        "valid_until": listing.valid_until.isoformat(),
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def test_the_admin_edits_through_the_service(client):
    listing = ListingFactory(quantity=5, remaining=5)
    Pledge.objects.create(listing=listing, helper=UserFactory(), quantity=1)
    Listing.objects.filter(pk=listing.pk).update(remaining=4)
    listing.refresh_from_db()
    client.force_login(coordinator_of(listing.municipality))
    url = reverse("admin:exchange_listing_change", args=[listing.pk])
    response = client.post(url, admin_form(listing, quantity=3))
    assert response.status_code == 302, response.context["adminform"].form.errors
    listing.refresh_from_db()
    assert (listing.quantity, listing.remaining) == (3, 2)  # the service recounts


def test_the_admin_does_not_change_a_blocked_listing(client):
    listing = ListingFactory(status=Status.BLOCKED)
    client.force_login(coordinator_of(listing.municipality))
    url = reverse("admin:exchange_listing_change", args=[listing.pk])
    assert client.post(url, admin_form(listing, title="Wieder da")).status_code == 403
    listing.refresh_from_db()
    assert listing.title != "Wieder da"


def test_dates_are_checked_only_while_a_listing_is_open():
    listing = ListingFactory(status=Status.EXPIRED, valid_until=date(2020, 1, 1))
    listing.full_clean()
