"""Logged-in people reuse what is the same for everyone and stay within a few queries a page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import page_cache
from hilfenetz.exchange.models import Listing, Status
from hilfenetz.exchange.templatetags import exchange as exchange_tags
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_renderings(monkeypatch):
    calls = []
    render = exchange_tags._render_cards

    def counting(listings):
        calls.append([listing.pk for listing in listings])
        return render(listings)

    monkeypatch.setattr(exchange_tags, "_render_cards", counting)
    return calls


@pytest.mark.django_db(transaction=True)  # changes commit, as on the platform
def test_cards_rendered_for_a_visitor_are_reused_for_a_volunteer(client, card_renderings):
    listing = ListingFactory(title="Kinderwagen")
    page_cache.forget()
    client.get(reverse("exchange:list"))  # learns what the page reads
    client.get(reverse("exchange:list"), {"kind": "offer"})  # another page, the same cards
    renderings = len(card_renderings)
    client.force_login(UserFactory())
    response = client.get(reverse("exchange:list"))
    assert "Kinderwagen" in response.text
    assert len(card_renderings) == renderings  # kept cards, not rendered again

    Listing.objects.filter(pk=listing.pk).update(title="Fahrradanhänger")
    response = client.get(reverse("exchange:list"))
    assert "Fahrradanhänger" in response.text
    assert "Kinderwagen" not in response.text
    assert len(card_renderings) == renderings + 1


def _pages(listing, municipality):
    return [
        (reverse("exchange:list"), {}),
        (reverse("exchange:list"), {"page": 2}),
        (reverse("exchange:list"), {"q": "Kinderwagen"}),
        (reverse("exchange:list"), {"kind": "offer", "area": municipality.area_id}),
        (reverse("exchange:mine"), {}),
        (reverse("exchange:detail", args=[listing.pk]), {}),
    ]


@pytest.mark.parametrize("who", ["volunteer", "coordinator"])
def test_a_logged_in_page_makes_at_most_eight_queries(client, who):
    municipality = MunicipalityFactory()
    person = UserFactory() if who == "volunteer" else coordinator_of(municipality=municipality)
    own = ListingFactory(municipality=municipality, author=person, title="Kinderwagen")
    for _ in range(25):
        ListingFactory(municipality=municipality, title="Kinderwagen gesucht")
    ListingFactory(municipality=municipality, status=Status.PENDING)
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    client.force_login(person)
    pages = _pages(own, municipality)
    if who == "coordinator":
        pages.append((reverse("exchange:moderation"), {}))
    for url, params in pages:
        assert client.get(url, params).status_code == 200  # what every page keeps, learned
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        assert len(ctx.captured_queries) <= 8, (url, params, [q["sql"] for q in ctx])


@pytest.mark.parametrize("who", ["volunteer", "coordinator"])
def test_a_logged_in_list_asked_again_reads_only_session_person_and_versions(client, settings, who):
    settings.PAGE_CACHE_SECONDS = 300  # on, as on the platform
    municipality = MunicipalityFactory()
    person = UserFactory() if who == "volunteer" else coordinator_of(municipality=municipality)
    ListingFactory(municipality=municipality, title="Kinderwagen")
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    client.force_login(person)
    for _ in range(2):  # what the page reads, learned; then kept
        assert client.get(reverse("exchange:list")).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("exchange:list"))
    assert "Kinderwagen" in response.text
    # the person's roles come with the data versions, not from a query of their own
    tables = ["django_session", "accounts_user", "hilfenetz_cache"]
    assert [q["sql"].split('FROM "')[1].split('"')[0] for q in ctx] == tables
