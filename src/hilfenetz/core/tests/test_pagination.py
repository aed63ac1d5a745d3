"""KeysetPagination on its own: any order that ends in the primary key, either direction; the
columns of rows by key, through a query compiled once per queryset."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hilfenetz.core import pagination
from hilfenetz.core.pagination import KeysetPagination, values_by_key
from hilfenetz.exchange.models import Listing
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.models import Municipality
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def walk(queryset, limit: int) -> list[int]:
    paginator = KeysetPagination()
    ids, cursor = [], None
    while True:
        page = paginator.paginate_queryset(
            queryset, KeysetPagination.Input(limit=limit, cursor=cursor), request=None
        )
        ids += [row.pk for row in page["items"]]
        cursor = page["next"]
        if cursor is None:
            return ids


@pytest.mark.parametrize("order", [("name", "pk"), ("-name", "pk"), ("name", "-pk")])
def test_the_cursor_walks_any_order_that_ends_in_the_key(order):
    for i in range(23):
        MunicipalityFactory(name=f"Gemeinde {i % 4}")  # ties: the key decides
    queryset = Municipality.objects.order_by(*order)
    assert walk(queryset, limit=4) == list(queryset.values_list("pk", flat=True))


def test_an_order_without_the_key_is_a_mistake_of_the_code():
    MunicipalityFactory()
    with pytest.raises(ImproperlyConfigured):
        walk(Municipality.objects.order_by("name"), limit=4)


COLUMNS = ("pk", "title", "published_at", "remaining")


def test_values_by_key_are_the_querysets_values_of_those_rows_for_any_number_of_keys():
    listings = [ListingFactory(title=f"Fahrrad {n}") for n in range(9)]
    draft = ListingFactory(status="draft")
    published = Listing.objects.published()
    keys = [listing.pk for listing in listings]
    for count in range(1, 10):
        asked = keys[:count] + [draft.pk, 10**9]  # a row the queryset leaves out, one gone
        expected = published.filter(pk__in=asked).values_list(*COLUMNS)
        assert sorted(values_by_key(published, asked, COLUMNS)) == sorted(expected)
    # as the ORM gives them: a date and time with its zone (SQLite stores text)
    (row,) = values_by_key(published, keys[:1], COLUMNS)
    assert row[2] == listings[0].published_at


def test_values_by_key_compile_their_query_once_per_queryset_and_read_the_rows_each_time():
    first, second, third = (ListingFactory() for _ in range(3))
    published = Listing.objects.published()
    assert values_by_key(published, [], COLUMNS) == []
    values_by_key(published, [first.pk, second.pk, third.pk], COLUMNS)
    kept = dict(pagination._by_key[published])
    Listing.objects.filter(pk=second.pk).update(title="Neu", status="withdrawn")
    Listing.objects.filter(pk=first.pk).update(title="Neu")
    with CaptureQueriesContext(connection) as queries:
        found = values_by_key(published, [third.pk, first.pk, second.pk], COLUMNS)
    assert pagination._by_key[published] == kept  # four places for three keys, as before
    assert len(queries) == 1
    assert sorted(row[:2] for row in found) == [(first.pk, "Neu"), (third.pk, third.title)]
    # another queryset has its own query
    values_by_key(Listing.objects.filter(status="withdrawn"), [second.pk], COLUMNS)
    assert len(pagination._by_key[published]) == 1
