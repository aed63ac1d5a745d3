from datetime import timedelta

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from hilfenetz.core import search
from hilfenetz.exchange import services
from hilfenetz.exchange.alerts import apply_filters
from hilfenetz.exchange.models import Listing
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.regions.models import Area
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def titles(qs):
    return sorted(qs.values_list("title", flat=True))


def test_stemming_finds_other_word_forms():
    ListingFactory(title="Fahrräder für Kinder", description="Zwei Fahrräder abzugeben")
    ListingFactory(title="Deutschkurs", description="Wir üben Sprechen")
    assert titles(search.search(Listing.objects.all(), "Fahrrad")) == ["Fahrräder für Kinder"]
    assert titles(search.search(Listing.objects.all(), "Kindern")) == ["Fahrräder für Kinder"]
    assert titles(search.search(Listing.objects.all(), "Waschmaschine")) == []


def test_all_words_must_match_and_rank_orders():
    ListingFactory(title="Kinderwagen", description="Kinderwagen und Kinderwagen-Zubehör")
    ListingFactory(title="Winterjacke", description="auch ein Kinderwagen")
    found = search.ranked(Listing.objects.all(), "Kinderwagen")
    assert [listing.title for listing in found] == ["Kinderwagen", "Winterjacke"]
    assert titles(search.search(Listing.objects.all(), "Kinderwagen Winterjacke")) == [
        "Winterjacke"
    ]


def test_index_follows_edits():
    listing = ListingFactory(title="Sofa", description="gemütlich")
    listing.title = "Schrank"
    listing.save()
    search.index(listing)
    assert titles(search.search(Listing.objects.all(), "Sofa")) == []
    assert titles(search.search(Listing.objects.all(), "Schrank")) == ["Schrank"]


def test_filters_by_kind_category_area_municipality_and_date():
    here = MunicipalityFactory()
    same_area = MunicipalityFactory(area=here.area)
    a = ListingFactory(municipality=here, kind="need", title="A")
    ListingFactory(municipality=same_area, kind="offer", title="B")
    c = ListingFactory(kind="need", category_slug="sprache", title="C")
    ListingFactory(title="D", published_at=timezone.now() - timedelta(days=10))
    qs = Listing.objects.all()
    assert titles(apply_filters(qs, municipality=here)) == ["A"]
    assert titles(apply_filters(qs, area=here.area)) == ["A", "B"]
    assert titles(apply_filters(qs, kind="offer")) == ["B"]
    assert titles(apply_filters(qs, category=c.category)) == ["C"]
    since = timezone.now() - timedelta(days=1)
    assert "D" not in titles(apply_filters(qs, since=since))
    assert a in apply_filters(qs, q="Kinderwagen", municipality=here)
    # with words, the area narrows the search index's walk too (its facet)
    assert titles(apply_filters(qs, q="Kinderwagen", area=here.area)) == ["A", "B"]
    ranked = apply_filters(qs, q="Kinderwagen", area=here.area, by_relevance=True)
    assert sorted(row.title for row in ranked[:10]) == ["A", "B"]


def in_area(area) -> list[str]:
    ranked = apply_filters(Listing.objects.all(), q="Fahrrad", area=area, by_relevance=True)
    return sorted(row.title for row in ranked[:10])


def test_a_listing_keeps_its_municipalitys_area_and_is_searched_in_it(django_assert_num_queries):
    here = MunicipalityFactory()
    there = MunicipalityFactory(district=here.district, area__district=here.district)
    listing = ListingFactory(municipality=here, title="Fahrrad A")
    assert listing.area == here.area
    assert (in_area(here.area), in_area(there.area)) == (["Fahrrad A"], [])
    # edited into another municipality
    services.update_listing(listing, listing.author, municipality=there)
    listing.refresh_from_db()
    assert listing.area == there.area
    assert (in_area(here.area), in_area(there.area)) == ([], ["Fahrrad A"])
    # a save of other fields neither reads nor writes the area
    again = Listing.objects.get(pk=listing.pk)
    with django_assert_num_queries(1):
        again.save(update_fields=["title"])
    # created in bulk with the municipality's key alone: the areas are read at once
    fields = [
        f.attname for f in Listing._meta.concrete_fields if f.attname not in ("id", "area_id")
    ]
    copies = [Listing(**{f: getattr(listing, f) for f in fields}) for _ in range(2)]
    copies[1].municipality_id, copies[1].title = here.pk, "Fahrrad B"
    with django_assert_num_queries(2):
        created = Listing.objects.bulk_create(copies)
    search.index_all(created)
    assert [row.area_id for row in created] == [there.area_id, here.area_id]
    assert (in_area(here.area), in_area(there.area)) == (["Fahrrad B"], ["Fahrrad A", "Fahrrad A"])
    # a municipality moved to another area takes its listings along, in the index too
    here.area = there.area
    here.save()
    assert set(Listing.objects.values_list("area", flat=True)) == {there.area_id}
    assert in_area(there.area) == ["Fahrrad A", "Fahrrad A", "Fahrrad B"]
    assert in_area(Area.objects.exclude(pk=there.area_id).get()) == []


def test_query_without_words_finds_nothing_but_does_not_fail(client):
    ListingFactory()
    response = client.get("/hilfeboerse/", {"q": "!!!", "sort": "relevance"})
    assert response.status_code == 200


def test_category_translations_are_validated_and_used():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    language = category("sprache", district=MunicipalityFactory().district)
    with translation.override("uk"):
        assert language.label() == "Мова"
    assert language.label("de") == "Sprache"
    language.translations = {"xx": "?"}
    with pytest.raises(ValidationError):
        language.clean()


def test_searches_of_the_same_filters_build_and_compile_their_query_once(client, monkeypatch):
    here = MunicipalityFactory()
    for title, kind, place in (
        ("Fahrrad rot", "offer", here),
        ("Fahrrad grün", "need", here),
        ("Fahrrad blau", "offer", MunicipalityFactory()),
        ("Kinderwagen", "offer", here),
    ):
        ListingFactory(title=title, description="", kind=kind, municipality=place)
    filters = {"area": here.area.pk, "kind": "offer"}
    client.get("/hilfeboerse/", {**filters, "q": "Kinderwagen"})
    compiled = {}  # compiler -> its model: each query built and compiled, once
    compile_node = SQLCompiler.compile

    def counted(self, node):
        compiled.setdefault(self, self.query.model)
        return compile_node(self, node)

    monkeypatch.setattr(SQLCompiler, "compile", counted)
    response = client.get("/hilfeboerse/", {**filters, "q": "Fahrrad"})
    # neither the search's query nor the cards' (one listing's row, as before) is built again
    assert list(compiled.values()).count(Listing) == 0
    assert [row.title for row in response.context["result"].object_list] == ["Fahrrad rot"]
    # other filters: a search query of their own (the one card not kept, a row read as before)
    compiled.clear()
    response = client.get("/hilfeboerse/", {"kind": "offer", "q": "Fahrrad"})
    assert list(compiled.values()).count(Listing) == 1
    assert sorted(row.title for row in response.context["result"].object_list) == [
        "Fahrrad blau",
        "Fahrrad rot",
    ]
