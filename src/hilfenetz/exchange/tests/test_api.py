import json

import pytest
from django.core.cache import cache

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.exchange.models import Listing, Pledge, Status
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/listings"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def test_lists_only_published_without_personal_data(client, django_assert_max_num_queries):
    author = UserFactory(display_name="Geheim", email="geheim@example.org")
    for _ in range(5):
        ListingFactory(author=author)
    ListingFactory(author=author, status=Status.PENDING)
    with django_assert_max_num_queries(3):
        data = client.get(URL).json()
    assert data["count"] == 5
    item = data["items"][0]
    assert set(item) == {
        "id",
        "kind",
        "category",
        "municipality",
        "language",
        "title",
        "status",
        "created",
    }
    assert "Geheim" not in json.dumps(data)
    assert "geheim@" not in json.dumps(data)


def test_filters(client):
    here = MunicipalityFactory()
    ListingFactory(municipality=here, kind="offer", title="Fahrräder")
    ListingFactory(category_slug="sprache", title="Deutschkurs")
    assert client.get(URL, {"q": "Fahrrad"}).json()["count"] == 1
    assert client.get(URL, {"kind": "offer"}).json()["count"] == 1
    assert client.get(URL, {"category": "sprache"}).json()["count"] == 1
    assert client.get(URL, {"municipality": here.slug}).json()["count"] == 1
    assert client.get(URL, {"area": here.area.slug}).json()["count"] == 1
    assert client.get(URL, {"category": "gibt-es-nicht"}).json()["count"] == 0
    assert client.get(URL, {"since": "2999-01-01"}).json()["count"] == 0
    assert client.get(URL, {"limit": 1, "offset": 1}).json()["count"] == 2


def test_authenticated_writes_go_through_the_services(client):
    municipality = MunicipalityFactory()
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        URL,
        {
            "kind": "need",
            "category": "sachspenden",
            "municipality": municipality.pk,
            "title": "Waschmaschine",
            "description": "Für eine Familie",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = Listing.objects.get(pk=response.json()["id"])
    assert created.status == Status.PENDING  # new account: moderated
    listing = ListingFactory(quantity=2, remaining=2)
    response = client.post(
        f"{URL}/{listing.pk}/pledge", {"quantity": 3}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(
        f"{URL}/{listing.pk}/pledge", {"quantity": 2}, content_type="application/json"
    )
    assert response.status_code == 201
    assert Pledge.objects.get().quantity == 2
    response = client.post(
        f"{URL}/{listing.pk}/answer", {"body": "Ich komme"}, content_type="application/json"
    )
    assert response.status_code == 201
    own = ListingFactory(author=user)
    response = client.post(
        f"{URL}/{own.pk}/answer", {"body": "Ich"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_session_writes_need_the_csrf_token():
    from django.test import Client

    listing = ListingFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(
        f"{URL}/{listing.pk}/answer", {"body": "Hallo"}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("language", ["ti", "prs", "ru"])
def test_the_apis_refusals_speak_the_requesters_language(client, language):
    """A logged-in person's answers come in their preferred language, as their pages do."""
    listing = ListingFactory(quantity=2, remaining=2)
    details = {}
    for code in ("de", language):
        client.force_login(UserFactory(preferred_language=code))
        answer = client.post(
            f"{URL}/{listing.pk}/pledge", {"quantity": 3}, content_type="application/json"
        )
        assert answer.status_code == 400
        assert answer["Content-Language"] == code
        details[code] = json.dumps(answer.json()["detail"], ensure_ascii=False)
    assert details[language] != details["de"]
