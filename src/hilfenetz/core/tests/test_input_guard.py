"""Input no database can store, numbers out of any column's range and huge offsets are refused
with a clear answer, never a server error."""

import pytest
from django import forms
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.exchange.models import Listing
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.models import Municipality
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
HUGE = "1" * 30


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/listings?q=Kinder%00wagen",
        "/api/v1/offices?municipality=%00",
        "/api/v1/organisations?q=%00",
        "/api/v1/municipalities?district=a%00",
    ],
)
def test_api_refuses_a_nul_byte_in_the_query(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_pages_refuse_a_nul_byte_with_a_page(client):
    response = client.get(reverse("exchange:list"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert b"<main" in response.content


@pytest.mark.parametrize(
    "body",
    [
        '{"body": "Hallo\\u0000"}',
        '{"body": "Hallo \\ud800"}',
        '{"body": "\\udc00"}',
        '{"body\\u0000": "Hallo"}',
    ],
)
def test_api_refuses_a_nul_byte_or_a_lone_surrogate_in_json(client, body):
    listing = ListingFactory()
    client.force_login(UserFactory())
    response = client.post(
        f"/api/v1/listings/{listing.pk}/answer", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert not listing.conversations.exists()


def test_a_surrogate_pair_is_a_character_like_any_other(client):
    listing = ListingFactory()
    client.force_login(UserFactory())
    response = client.post(
        f"/api/v1/listings/{listing.pk}/answer",
        '{"body": "Danke \\ud83d\\ude42"}',
        content_type="application/json",
    )
    assert response.status_code == 201
    assert listing.conversations.get().messages.get().body == "Danke \U0001f642"


def test_forms_refuse_a_nul_byte(client):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("exchange:create"),
        {"kind": "need", "municipality": municipality.pk, "title": "A\x00", "description": "B"},
    )
    assert response.status_code == 400
    assert not Listing.objects.exists()


@pytest.mark.parametrize("offset", [10**6, 10**30])
def test_api_refuses_a_huge_offset_with_422(client, offset):
    for path in ("/api/v1/listings", "/api/v1/offices", "/api/v1/municipalities"):
        response = client.get(path, {"offset": offset})
        assert response.status_code == 422, path
        assert response.json()["detail"]


def test_the_deepest_allowed_offset_answers_an_empty_page(client):
    from hilfenetz.core.pagination import MAX_OFFSET

    response = client.get("/api/v1/listings", {"offset": MAX_OFFSET})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_30_digit_id_is_no_valid_choice():
    class Places(forms.Form):
        one = forms.ModelChoiceField(queryset=Municipality.objects.all(), required=False)
        several = forms.ModelMultipleChoiceField(
            queryset=Municipality.objects.all(), required=False
        )

    form = Places({"one": HUGE, "several": [HUGE, "-" + HUGE]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "several"}


def test_lists_of_huge_ids_match_nothing():
    municipality = MunicipalityFactory()
    assert not Municipality.objects.filter(pk__in=[HUGE]).exists()
    assert list(Municipality.objects.filter(pk__in=[HUGE, municipality.pk])) == [municipality]
    assert not Listing.objects.filter(municipality__in=[HUGE]).exists()


def test_a_30_digit_id_in_a_page_form_is_a_form_error(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("exchange:create"),
        {"kind": "need", "municipality": HUGE, "category": HUGE, "title": "A", "description": "B"},
    )
    assert response.status_code == 200
    assert {"municipality", "category"} <= set(response.context["form"].errors)
    response = client.get(reverse("exchange:list"), {"municipality": HUGE, "area": HUGE})
    assert response.status_code == 200
