"""Logged-in people reuse what is the same for everyone and stay within a few queries a page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import page_cache
from hilfenetz.exchange.models import Listing, SavedSearch, Status
from hilfenetz.exchange.templatetags import exchange as exchange_tags
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_renderings(monkeypatch):
    calls = []
    render = exchange_tags._card

    def counting(listing, *args):
        calls.append(listing.pk)
        return render(listing, *args)

    monkeypatch.setattr(exchange_tags, "_card", counting)
    return calls


@pytest.mark.django_db(transaction=True)  # changes commit, as on the platform
def test_cards_rendered_for_a_visitor_are_reused_for_a_volunteer(client, card_renderings):
    listing = ListingFactory(title="Kinderwagen")
    page_cache.forget()
    client.get(reverse("exchange:list"))  # learns what the page reads
    renderings = len(card_renderings)
    # another page showing the same listing: its card is not rendered again
    client.get(reverse("exchange:list"), {"kind": listing.kind})
    assert len(card_renderings) == renderings
    client.force_login(UserFactory())
    response = client.get(reverse("exchange:list"))
    assert "Kinderwagen" in response.text
    assert len(card_renderings) == renderings  # kept cards, not rendered again

    Listing.objects.filter(pk=listing.pk).update(title="Fahrradanhänger")
    response = client.get(reverse("exchange:list"))
    assert "Fahrradanhänger" in response.text
    assert "Kinderwagen" not in response.text
    assert card_renderings[renderings:] == [listing.pk]


@pytest.mark.django_db(transaction=True)
def test_a_page_of_kept_cards_loads_no_listing_rows(client, card_renderings):
    offers = [ListingFactory(kind="offer", title=f"Angebot {n}") for n in range(3)]
    need = ListingFactory(kind="need", title="Fahrradanhänger")
    page_cache.forget()
    client.get(reverse("exchange:list"))
    client.get(reverse("exchange:list"))  # every version learned
    assert sorted(card_renderings) == sorted([*(o.pk for o in offers), need.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("exchange:list"), {"kind": "offer"})
    assert [f"Angebot {n}" in response.text for n in range(3)] == [True] * 3
    assert "Fahrradanhänger" not in response.text
    # the index walk read the keys; no row of a listing was loaded for the kept cards
    assert not [q["sql"] for q in ctx if '"title"' in q["sql"]]
    assert len(card_renderings) == 4


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
def test_a_logged_in_page_makes_at_most_eight_queries_a_coordinators_nine(client, who):
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
        # a coordinator's menu counts what waits for them: one more; the crisis banner (read
        # on every page while the page cache is off) one more
        limit = 9 + (who == "coordinator")
        assert len(ctx.captured_queries) <= limit, (url, params, [q["sql"] for q in ctx])


@pytest.mark.parametrize("count", [2, 25])
@pytest.mark.parametrize("who", ["volunteer", "coordinator"])
def test_saved_searches_make_as_many_queries_for_many(client, who, count):
    municipality = MunicipalityFactory()
    person = UserFactory() if who == "volunteer" else coordinator_of(municipality=municipality)
    for n in range(count):
        SavedSearch.objects.create(
            user=person,
            query=f"Fahrrad {n}",
            category=category(district=municipality.district),
            area=municipality.area,
            municipality=municipality,
        )
    page_cache.versions(connection.introspection.table_names())
    client.force_login(person)
    url = reverse("exchange:saved_searches")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert f"Fahrrad {count - 1}" in response.text
    # the session, the person, their roles, the data versions, the saved searches (and a
    # coordinator's count in the menu): the categories, areas and municipalities offered are
    # kept rows; the crisis banner (read on every page while the page cache is off)
    assert len(ctx.captured_queries) <= 6 + (who == "coordinator"), [q["sql"] for q in ctx]


def _walks(queries) -> list[str]:
    return [
        q["sql"] for q in queries if "LIMIT 1001" in q["sql"] and "exchange_listing" in q["sql"]
    ]


def _count(response) -> str:
    return re.search(r'<p role="status">([^<]*)</p>', response.text).group(1)


@pytest.mark.django_db(transaction=True)
def test_pages_of_the_same_filters_walk_the_index_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    listings = [ListingFactory(kind="offer", title=f"Angebot {n}") for n in range(25)]
    page_cache.forget()
    client.force_login(UserFactory())  # whole pages are not kept: what is inside them is
    for _ in range(2):  # the first rendering learns what the matches read
        client.get(reverse("exchange:list"), {"kind": "offer"})
    with CaptureQueriesContext(connection) as ctx:
        page_two = client.get(reverse("exchange:list"), {"kind": "offer", "page": 2})
    assert _walks(ctx) == []  # the matches of the filters are kept, for every page
    assert [f"Angebot {n}<" in page_two.text for n in range(5)] == [True] * 5
    assert "25" in _count(page_two)

    # a committed change counts and pages anew at once
    Listing.objects.filter(pk=listings[0].pk).update(status=Status.WITHDRAWN)
    with CaptureQueriesContext(connection) as ctx:
        page_two = client.get(reverse("exchange:list"), {"kind": "offer", "page": 2})
    assert len(_walks(ctx)) == 1
    assert "24" in _count(page_two)
    assert "Angebot 0<" not in page_two.text
    assert "Angebot 1<" in page_two.text


@pytest.mark.parametrize("who", ["volunteer", "coordinator"])
def test_a_logged_in_list_asked_again_reads_only_the_versions(client, settings, who):
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
    # the person's session, user and roles come with the data versions in one round trip
    tables = ["hilfenetz_cache"]
    assert [q["sql"].split('FROM "')[1].split('"')[0] for q in ctx] == tables
