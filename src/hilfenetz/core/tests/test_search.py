"""The full-text backend, through the listings (and the media centre's index, for its prefixes)."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState
from django.db.models import Value
from django.db.models.sql.compiler import SQLCompiler

from hilfenetz.core import search
from hilfenetz.exchange import services
from hilfenetz.exchange.models import Listing
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.media.models import MediaItem
from hilfenetz.media.tests.factories import MediaItemFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def titles(qs):
    return sorted(qs.values_list("title", flat=True))


def test_prefix_any_word_and_hostile_syntax():
    ListingFactory(title="Kinderwagen", description="gut erhalten")
    ListingFactory(title="Winterjacke", description="warm")
    everything = Listing.objects.all()
    assert titles(search.search(everything, "kinderw*")) == ["Kinderwagen"]
    assert titles(search.search(everything, "Kinderw")) == []
    assert titles(search.search(everything, "Kinderwagen Jacke", any_word=True)) == ["Kinderwagen"]
    assert titles(search.search(everything, "Winterjacke Kinderwagen", any_word=True)) == [
        "Kinderwagen",
        "Winterjacke",
    ]
    for hostile in ['"', "NEAR(a b)", "a OR", "-x", "':*", "\\", "*"]:
        assert list(search.search(everything, hostile)) == []


def test_search_works_inside_a_subquery():
    ListingFactory(title="Sofa", description="gemütlich")
    ListingFactory(title="Schrank", description="groß")
    found = search.search(Listing.objects.all(), "Sofa").values("pk")
    assert titles(Listing.objects.filter(pk__in=found)) == ["Sofa"]
    assert titles(Listing.objects.exclude(pk__in=found)) == ["Schrank"]
    # the words are matched on the subquery's own rows, not on the outer query's
    outer = str(Listing.objects.filter(pk__in=found).query)
    assert f'"exchange_listing"."{search.COLUMN}"' not in outer


def test_searches_find_the_newest_matches_the_queryset_holds_and_pages_load_their_rows(
    monkeypatch,
):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    oldest, *newer = [ListingFactory(title=f"Fahrrad {n}") for n in range(3)]
    ListingFactory(title="Fahrrad Fahrrad", status="draft")  # the newest match, not published
    published = Listing.objects.filter(status="published")
    assert set(search.hits(published, "Fahrrad")) == {newer[0].pk, newer[1].pk}
    # as many as a list counts, one more than it shows
    assert titles(search.search(published, "Fahrrad")) == ["Fahrrad 0", "Fahrrad 1", "Fahrrad 2"]
    monkeypatch.setattr(search, "MAX_COUNT", 1)
    found = titles(search.search(published, "Fahrrad"))
    # SQLite reads only the newest, as many as a list counts; PostgreSQL plans with the order
    if connection.vendor == "sqlite":
        assert found == ["Fahrrad 1", "Fahrrad 2"]
    else:
        assert found == ["Fahrrad 0", "Fahrrad 1", "Fahrrad 2"]
    assert titles(search.search(published.filter(pk=oldest.pk), "Fahrrad")) == ["Fahrrad 0"]
    assert titles(search.search(published.none(), "Fahrrad")) == []
    monkeypatch.setattr(search, "CANDIDATES", 10)
    found = search.ranked(published, "Fahrrad")
    assert len(found) == 3
    assert [listing.pk for listing in found[:2]] == [newer[1].pk, newer[0].pk]
    assert found[2].pk == oldest.pk and found[2].rank > 0


def test_a_ranked_search_tells_whether_it_left_out_older_matches_the_queryset_holds(
    monkeypatch,
):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    oldest, middle, newest = [ListingFactory(title=f"Fahrrad {n}", kind="offer") for n in range(3)]
    everything = Listing.objects.all()
    found = search.ranked(everything, "Fahrrad")
    # the two newest are scored, as before; the third tells that there are more
    assert set(found.keys) == {middle.pk, newest.pk} and found.more
    assert search.hits(everything, "Fahrrad") == found.scores
    # the older match left out is not one of the queryset's rows: nothing more to say
    assert not search.ranked(everything.exclude(pk=oldest.pk), "Fahrrad").more
    assert not search.ranked(everything, "Fahrrad 1").more  # one match
    # the candidates are the newest matches the filters keep: the older one takes the place of
    # the newest once the filters leave that out
    newest.kind = "need"
    newest.save()
    offers = Listing.objects.filter(kind="offer")
    found = search.ranked(offers, "Fahrrad")
    assert set(found.keys) == {oldest.pk, middle.pk} and not found.more
    monkeypatch.setattr(search, "CANDIDATES", 1)
    found = search.ranked(offers, "Fahrrad")
    assert list(found.keys) == [middle.pk] and found.more
    assert list(search.ranked(Listing.objects.filter(kind="need"), "Fahrrad").keys) == [newest.pk]
    # all of several words, with the window of the newest keys and the index behind it
    monkeypatch.setattr(search, "CANDIDATES", 1)
    for window in (0, 1, 100):
        monkeypatch.setattr(search, "WINDOW", window)
        found = search.ranked(everything, "Fahrrad 2 Fahrrad")
        assert list(found.keys) == [newest.pk] and not found.more
        found = search.ranked(everything, "Fahrrad", any_word=True)
        assert list(found.keys) == [newest.pk] and found.more


@pytest.mark.parametrize("window", [0, 2, 4, 100])
def test_all_of_several_words_find_their_newest_matches_wherever_the_walk_stops(
    monkeypatch, window
):
    # PostgreSQL walks only the newest WINDOW keys for all of several words and reads the older
    # matches from the index: 0 (none walked), 2 (one match walked), 4 (all), 100 (the table)
    monkeypatch.setattr(search, "CANDIDATES", 3)
    monkeypatch.setattr(search, "WINDOW", window)
    made = [ListingFactory(title=f"Fahrrad {'Sattel' if n % 3 != 1 else 'Korb'}") for n in range(9)]
    newest = {made[5].pk, made[6].pk, made[8].pk}  # the three newest of 0, 2, 3, 5, 6, 8
    everything = Listing.objects.all()
    with_both = {made[n].pk for n in (0, 2, 3, 5, 6, 8)}
    assert set(search.search(everything, "Fahrrad Sattel").values_list("pk", flat=True)) == (
        with_both
    )
    assert set(search.hits(everything, "sattel fahrrad")) == newest
    # the filters keep the older ones: they are the newest matches now
    older = everything.exclude(pk__in=newest)
    assert set(search.hits(older, "Fahrrad Sattel")) == with_both - newest
    assert len(search.hits(everything, "Fahrrad Sattel", any_word=True)) == 3


def test_a_ranked_search_puts_the_best_first_and_the_newest_of_equal_scores_first():
    ranked = search.Ranked(Listing.objects.none(), {4: 0.5, 9: 0.5, 2: 0.9, 7: 0.1}, more=True)
    assert ranked.keys == [2, 9, 4, 7]
    assert ranked.scores == {4: 0.5, 9: 0.5, 2: 0.9, 7: 0.1}
    assert ranked.more


def test_a_ranked_search_is_one_query_and_ranks_the_rows_the_filters_keep(
    django_assert_num_queries,
):
    ListingFactory(title="Fahrrad rot", description="Fahrrad", kind="need")
    ListingFactory(title="Fahrrad blau", kind="offer")
    ListingFactory(title="Fahrrad Sattel", kind="offer")
    ListingFactory(title="Fahrrad Fahrrad", status="draft")
    everything = search.ranked(Listing.objects.all(), "fahrrad sattel*", any_word=True)
    offers = Listing.objects.filter(status="published", kind="offer")
    with django_assert_num_queries(1):  # the candidates, the filters and the scores
        found = search.ranked(offers, "fahrrad sattel*", any_word=True)
    assert [row.title for row in found] == ["Fahrrad Sattel", "Fahrrad blau"]
    if connection.vendor == "sqlite":  # each word weighs by the candidates the filters keep
        kept = {row.pk: search._text(row) for row in offers}
        assert found.scores == search.bm25(kept, search.Terms.parse("fahrrad sattel*"))
    assert len(everything) == 4
    assert search.hits(offers.none(), "fahrrad") == {}
    assert search.hits(offers, "  *  ") == {}


def test_a_ranked_search_keeps_the_rows_of_filters_on_the_row_and_through_other_tables():
    # filters on the listing's own row are checked on the row the search reads; a filter
    # through another table (a join) by looking each match up in the filtered rows
    here, there = MunicipalityFactory(), MunicipalityFactory()
    kept = ListingFactory(title="Fahrrad rot", municipality=here)
    ListingFactory(title="Fahrrad blau", municipality=there)
    ListingFactory(title="Fahrrad grün", municipality=here, status="draft")
    published = Listing.objects.filter(status="published")
    for filtered in (
        published.filter(municipality=here),
        published.in_area(here.area),  # a subquery on the row's place
        published.filter(municipality__name=here.name),  # a join
        published.annotate(one=Value(1)).filter(one=1, municipality=here),
    ):
        found = search.ranked(filtered, "Fahrrad")
        assert list(found.keys) == [kept.pk] and found.scores[kept.pk] > 0
    assert search.hits(published.filter(municipality__name="nowhere"), "Fahrrad") == {}


def test_facets_narrow_a_search_to_the_matches_that_have_them_and_words_never_match_them(
    monkeypatch,
):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    here, there = MunicipalityFactory(), MunicipalityFactory()
    older = [ListingFactory(title=f"Fahrrad {n}", municipality=here) for n in (1, 2)]
    # the newest matches of the word are elsewhere: without the facets, the walk reads them
    # first and refuses them one by one
    for n in range(3):
        ListingFactory(title=f"Fahrrad neu {n}", municipality=there)
    offers_here = Listing.objects.filter(municipality=here)
    facets = {
        "category_id": [older[0].category_id],
        "municipality_id": [here.pk, MunicipalityFactory().pk],
    }
    found = search.ranked(offers_here, "Fahrrad", facets=facets)
    assert set(found.keys) == {row.pk for row in older} and not found.more
    # ranked by the words alone: the facets change which rows are read, never their scores
    assert found.scores == search.ranked(offers_here, "Fahrrad").scores
    assert titles(search.search(offers_here, "fahr*", facets=facets)) == ["Fahrrad 1", "Fahrrad 2"]
    # words are looked for in the text alone, never among the facets' tokens
    everything = Listing.objects.all()
    assert titles(search.search(everything, "muni*")) == []
    token = search.facet("municipality_id", here.pk)
    assert titles(search.search(everything, f"{token} categoryid*", any_word=True)) == []
    assert search.hits(everything, "Fahrrad", facets={"category_id": []}) == {}
    assert list(search.search(everything, "Fahrrad", facets={"municipality_id": []})) == []
    with pytest.raises(ValueError, match="title is not a facet"):
        search.hits(everything, "Fahrrad", facets={"title": ["Fahrrad 1"]})
    # the facets decide which matches are read: given others, none here
    assert search.hits(offers_here, "Fahrrad", facets={"municipality_id": [there.pk]}) == {}
    # so do several values of a facet on PostgreSQL; SQLite leaves them to the filters
    others = {"municipality_id": [there.pk, MunicipalityFactory().pk]}
    read = {row.pk for row in older} if connection.vendor == "sqlite" else set()
    assert set(search.hits(offers_here, "Fahrrad", facets=others)) == read


def test_a_listing_edited_into_another_category_and_place_is_found_by_their_facets():
    listing = ListingFactory(title="Fahrrad", category_slug="sachspenden")
    district, was_in = listing.municipality.district, listing.municipality_id
    elsewhere = MunicipalityFactory(area=listing.municipality.area, district=district)
    mobility = category("mobilitaet", district=district)
    services.update_listing(listing, listing.author, category=mobility, municipality=elsewhere)

    def found(**facets):
        return set(search.hits(Listing.objects.all(), "Fahrrad", facets=facets))

    assert found(category_id=[mobility.pk], municipality_id=[elsewhere.pk]) == {listing.pk}
    was = category("sachspenden", district=district)
    assert found(category_id=[was.pk]) == set()
    assert found(municipality_id=[was_in]) == set()


def test_a_queryset_searched_again_is_not_compiled_again_and_its_values_stay_its_own(
    monkeypatch,
):
    ListingFactory(title="Fahrrad rot", kind="offer", description="")
    ListingFactory(title="Kinderwagen blau", kind="offer", description="")
    ListingFactory(title="Fahrrad grün", kind="need", description="")
    # a filter's value that reads like the words' stand-in is a value of the filter still
    ListingFactory(title="words Fahrrad", kind="offer", description="words")
    offers = Listing.objects.filter(kind="offer").exclude(description="words")
    assert set(search.hits(offers, "Kinderwagen")) == {
        Listing.objects.get(title="Kinderwagen blau").pk
    }
    compiled = []
    compile_node = SQLCompiler.compile
    monkeypatch.setattr(
        SQLCompiler, "compile", lambda self, node: compiled.append(1) or compile_node(self, node)
    )
    found = search.hits(offers, "Fahrrad")
    assert compiled == []
    assert set(found) == {Listing.objects.get(title="Fahrrad rot").pk}
    assert found == search.hits(offers.all(), "Fahrrad")  # a new queryset: compiled for itself
    assert compiled
    # fewer candidates: the kept query no longer fits; "words Fahrrad" is newer, and not
    # held, so the one candidate is the older offer
    monkeypatch.setattr(search, "CANDIDATES", 1)
    compiled.clear()
    assert set(search.hits(offers, "Fahrrad")) == {Listing.objects.get(title="Fahrrad rot").pk}
    assert compiled
    assert search.hits(offers.none(), "Fahrrad") == search.hits(offers.none(), "blau") == {}


def test_deleting_removes_the_text_from_the_index():
    listing = ListingFactory(title="Nähmaschine")
    pk = listing.pk
    listing.delete()
    assert list(search.search(Listing.objects.all(), "Nähmaschine")) == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM exchange_listing_fts WHERE rowid = %s", [pk])
            assert cursor.fetchone() == (0,)


def test_bm25_over_the_candidates():
    terms = search.Terms.parse("fahrrad sofa*")
    scores = search.bm25(
        {1: "fahrrad fahrrad", 2: "fahrrad alt rot blau", 3: "sofas", 4: "tisch"}, terms
    )
    assert scores[1] > scores[2] > 0
    assert scores[3] > scores[1]  # the word fewer candidates have weighs more
    assert scores[4] == 0
    assert search.bm25({}, terms) == {}


def index_definition(model) -> str:
    """SQLite's FTS5 table or PostgreSQL's generated vector, as the database keeps them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s", [search.fts_table(model)]
            )
        else:
            cursor.execute(
                "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
                "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                "WHERE d.adrelid = %s::regclass AND a.attname = %s",
                [model._meta.db_table, search.COLUMN],
            )
        return cursor.fetchone()[0]


# what the index of a model with facets holds on each database
FACETS_IN_INDEX = {"sqlite": "fts5(body, facets,", "postgresql": "array_to_tsvector"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's index")
@pytest.mark.django_db(transaction=True)  # SQLite changes its schema outside a transaction
def test_prefix_indexes_are_built_and_removed_with_every_row_still_found():
    MediaItemFactory(title="Begleitung zum Arzt")
    everything = MediaItem.objects.all()
    assert "prefix = '2 3 4'" in index_definition(Listing)  # as the migrations left them
    assert "prefix = '2 3 4'" in index_definition(MediaItem)
    operation = search.SearchPrefixes("mediaitem", ["search_text"])
    state = ProjectState.from_apps(apps)
    try:
        with connection.schema_editor() as editor:
            operation.database_backwards("media", editor, state, state)
        assert "prefix" not in index_definition(MediaItem)
        assert search.search(everything, "be*").count() == 1
    finally:
        with connection.schema_editor() as editor:
            operation.database_forwards("media", editor, state, state)
    assert "prefix = '2 3 4'" in index_definition(MediaItem)
    for words in ("be*", "beg*", "begl*", "beglei*", "arzt"):  # in the index and beyond
        assert search.search(everything, words).count() == 1, words


@pytest.mark.django_db(transaction=True)
def test_the_facets_are_built_into_the_index_and_removed_with_every_row_still_found():
    listing = ListingFactory(title="Begleitung zum Arzt")
    everything = Listing.objects.all()
    vendor = connection.vendor
    with_facets = FACETS_IN_INDEX[vendor]
    assert with_facets in index_definition(Listing)  # as the migrations left it
    args = ("listing", ["title", "description"], list(Listing.search_facets), "2 3 4")
    operation = search.SearchFacets(*args, vendor)
    # backwards to the facets before the area had its own (migration 0025)
    to_places = search.SearchFacets(*args, vendor, previous=["category_id", "municipality_id"])
    other_database = search.SearchFacets(*args, next(v for v in FACETS_IN_INDEX if v != vendor))
    state = ProjectState.from_apps(apps)
    with connection.schema_editor() as editor:
        other_database.database_backwards("exchange", editor, state, state)
    assert with_facets in index_definition(Listing)
    in_area, in_place = {"area_id": [listing.area_id]}, {"municipality_id": [listing.municipality]}
    try:
        with connection.schema_editor() as editor:
            to_places.database_backwards("exchange", editor, state, state)
        assert titles(search.search(everything, "arzt", facets=in_place)) == ["Begleitung zum Arzt"]
        assert titles(search.search(everything, "arzt", facets=in_area)) == []
        with connection.schema_editor() as editor:
            operation.database_backwards("exchange", editor, state, state)
        assert with_facets not in index_definition(Listing)
        if vendor == "sqlite":
            assert "prefix = '2 3 4'" in index_definition(Listing)
        assert titles(search.search(everything, "beglei*")) == ["Begleitung zum Arzt"]
    finally:
        with connection.schema_editor() as editor:
            operation.database_forwards("exchange", editor, state, state)
    assert with_facets in index_definition(Listing)
    facets = {"category_id": [listing.category_id], **in_place, **in_area}
    for words in ("beglei*", "arzt"):
        assert titles(search.search(everything, words, facets=facets)) == ["Begleitung zum Arzt"]
        assert set(search.hits(everything, words, facets=facets)) == {listing.pk}
    assert titles(search.search(everything, "arzt", facets={"municipality_id": [0]})) == []
    if vendor == "postgresql":  # rebuilt without a pending list, as the migrations left it
        assert "fastupdate=off" in index_options(Listing)


def index_options(model) -> list[str]:
    """PostgreSQL: the storage options of ``model``'s GIN index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [search.gin_index(model)]
        )
        return cursor.fetchone()[0] or []


def pending_pages(model) -> int:
    """PostgreSQL: the pages of ``model``'s GIN index's pending list, moved into the index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [search.gin_index(model)])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_a_saved_row_goes_into_the_search_index_at_once_not_into_a_pending_list():
    for model in (Listing, MediaItem):
        assert "fastupdate=off" in index_options(model)  # as the migrations left them
    operation = search.SearchWithoutPendingList("listing")
    state = ProjectState.from_apps(apps)
    try:
        with connection.schema_editor() as editor:
            operation.database_backwards("exchange", editor, state, state)
        assert "fastupdate=off" not in index_options(Listing)
        pending_pages(Listing)  # empties what the test's setup left there
        ListingFactory(title="Fahrradschloss")
        assert pending_pages(Listing) == 1  # with a pending list, a saved listing waits there
        ListingFactory(title="Fahrradlampe")  # left there for the forward step
    finally:
        with connection.schema_editor() as editor:
            operation.database_forwards("exchange", editor, state, state)
    assert "fastupdate=off" in index_options(Listing)
    assert pending_pages(Listing) == 0  # the forward step moved it into the index
    ListingFactory(title="Fahrradkorb")
    assert pending_pages(Listing) == 0
    everything = Listing.objects.all()
    assert titles(search.search(everything, "fahrrad*")) == [
        "Fahrradkorb",
        "Fahrradlampe",
        "Fahrradschloss",
    ]
