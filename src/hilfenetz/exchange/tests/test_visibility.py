"""Who reaches a listing, and whose name they see on it."""

import pytest
from django.urls import reverse

from hilfenetz.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
)
from hilfenetz.exchange.models import Listing, Status
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_listing():
    """A published need of an organisation with three active members."""
    organisation = OrganisationFactory()
    members = [MembershipFactory(organisation=organisation).user for _ in range(3)]
    listing = ListingFactory(
        organisation=organisation, author=members[0], municipality=organisation.municipality
    )
    return listing, members


def test_visible_to_lists_an_organisation_listing_once(organisation_listing):
    listing, members = organisation_listing
    for user in (*members, UserFactory(), coordinator_of(listing.municipality)):
        assert list(Listing.objects.visible_to(user).filter(pk=listing.pk)) == [listing]


def test_member_sees_a_draft_of_their_organisation_once(organisation_listing):
    listing, members = organisation_listing
    Listing.objects.filter(pk=listing.pk).update(status=Status.DRAFT)
    assert Listing.objects.visible_to(members[2]).filter(pk=listing.pk).count() == 1
    assert not Listing.objects.visible_to(UserFactory()).filter(pk=listing.pk).exists()


def test_pages_of_an_organisation_listing_with_several_members(client, organisation_listing):
    listing, members = organisation_listing
    client.force_login(members[1])
    assert client.get(reverse("exchange:detail", args=[listing.pk])).status_code == 200
    assert client.get(reverse("exchange:edit", args=[listing.pk])).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("exchange:detail", args=[listing.pk])).status_code == 200
    response = client.post(reverse("exchange:answer", args=[listing.pk]), {"body": "Gern!"})
    assert response.status_code == 302
    response = client.post(reverse("exchange:pledge", args=[listing.pk]), {"quantity": 1})
    assert response.status_code == 302
    assert listing.pledges.count() == 1


def test_a_persons_name_is_shown_only_to_them_and_their_coordinators(client):
    here = MunicipalityFactory(name="Aichwald")
    author = UserFactory(display_name="Samira Testfall")
    listing = ListingFactory(author=author, municipality=here)
    url = reverse("exchange:detail", args=[listing.pk])
    outsiders = [None, UserFactory(), coordinator_of(MunicipalityFactory())]
    for viewer in outsiders:
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Samira" not in page
        assert "Aichwald" in page
    for viewer in (author, coordinator_of(here), coordinator_of(district=here.district)):
        client.force_login(viewer)
        assert "Samira Testfall" in client.get(url).content.decode()


def test_an_organisation_listing_shows_the_organisation_not_the_person(
    client, organisation_listing
):
    listing, members = organisation_listing
    client.force_login(UserFactory())
    page = client.get(reverse("exchange:detail", args=[listing.pk])).content.decode()
    assert listing.organisation.name in page
    assert members[0].display_name not in page


def test_a_coordinator_of_another_municipality_does_not_reach_unpublished_listings(client):
    listing = ListingFactory(status=Status.PENDING)
    client.force_login(coordinator_of(MunicipalityFactory()))
    assert client.get(reverse("exchange:detail", args=[listing.pk])).status_code == 404
    assert client.get(reverse("exchange:answers", args=[listing.pk])).status_code == 404
    assert not Listing.objects.visible_to(coordinator_of(MunicipalityFactory())).filter(
        pk=listing.pk
    )


def test_an_administrator_reaches_every_listing():
    draft = ListingFactory(status=Status.DRAFT)
    administrator = UserFactory(is_superuser=True)
    assert list(Listing.objects.visible_to(administrator).filter(pk=draft.pk)) == [draft]
