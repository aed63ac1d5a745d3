"""A listing's photos are served by a view with the listing's own rule, never from /media/."""

import pytest
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.exchange import services
from hilfenetz.exchange.models import Status
from hilfenetz.exchange.tests.factories import ListingFactory, image_upload

pytestmark = pytest.mark.django_db


def _photo(**listing_fields):
    listing = ListingFactory(**listing_fields)
    return services.add_photo(listing, listing.author, image_upload(), "Ein Kinderwagen")


def _url(photo):
    return reverse("exchange:photo", args=[photo.listing_id, photo.pk])


def test_the_photo_of_a_published_listing_is_anyones_and_may_be_cached(client):
    photo = _photo()
    html = client.get(reverse("exchange:detail", args=[photo.listing_id])).content.decode()
    assert _url(photo) in html
    assert "/media/" not in html
    response = client.get(_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert "public" in response["Cache-Control"]
    ranged = client.get(_url(photo), headers={"Range": "bytes=0-1"})
    assert ranged.status_code == 206
    assert b"".join(ranged.streaming_content) == b"\xff\xd8"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING])
def test_the_photo_of_an_unpublished_listing_is_only_for_who_may_see_the_listing(client, status):
    photo = _photo(status=status)
    assert client.get(_url(photo)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(_url(photo)).status_code == 404
    client.force_login(photo.listing.author)
    response = client.get(_url(photo))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_photo_is_not_reached_through_another_listing(client):
    photo = _photo()
    other = ListingFactory()
    assert client.get(reverse("exchange:photo", args=[other.pk, photo.pk])).status_code == 404


def test_the_edit_form_shows_photos_through_the_view(client):
    photo = _photo()
    client.force_login(photo.listing.author)
    html = client.get(reverse("exchange:edit", args=[photo.listing_id])).content.decode()
    assert _url(photo) in html
    assert "/media/" not in html
