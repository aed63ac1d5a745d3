"""KeysetPagination on its own: any order that ends in the primary key, either direction."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from hilfenetz.core.pagination import KeysetPagination
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
