"""Pagination shared by list pages and the API so both count and slice the same way.

Counts are bounded: a list counts at most ``max_count`` rows and pages reach no further, so a
page costs the same with 1,000 or 100,000 matches (narrower filters find older rows)."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

MAX_COUNT = 1000
MAX_LIMIT = ninja_settings.PAGINATION_MAX_LIMIT
# Deeper pages are not browsed but scraped; the bound also keeps the SQL OFFSET in range.
MAX_OFFSET = MAX_COUNT


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, max_count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_count = MAX_COUNT if max_count is None else max_count

    @cached_property
    def full_count(self) -> int:
        """Matches, counted up to one more than ``max_count`` (reads no more rows)."""
        return bounded_count(self.object_list, self.max_count)

    @cached_property
    def count(self) -> int:
        return min(self.full_count, self.max_count)

    @property
    def capped(self) -> bool:
        """There are more matches than the pages reach."""
        return self.full_count > self.max_count


def bounded_count(queryset, max_count: int) -> int:
    if not hasattr(queryset, "order_by"):
        return min(len(queryset), max_count + 1)
    return queryset.order_by().values("pk")[: max_count + 1].count()


def rows_in_order(queryset, keys: list) -> list:
    """The rows of ``queryset`` with these primary keys, in the order of ``keys``: one query by
    primary key (its own order dropped, so no index walk), rows gone since left out."""
    found = queryset.order_by().in_bulk(keys)
    return [found[pk] for pk in keys if pk in found]


class Rows(Sequence):
    """The rows of ``queryset`` with these ``keys``, in their order, loaded only when read: a
    page whose parts are kept (its cards) may never need them. ``annotate(row)`` is applied to
    each row as it is loaded."""

    def __init__(self, queryset, keys: list, annotate=None):
        self.keys, self.queryset, self._annotate = keys, queryset, annotate

    def subset(self, keys: list) -> list:
        rows = rows_in_order(self.queryset, keys)
        if self._annotate is not None:
            for row in rows:
                self._annotate(row)
        return rows

    @cached_property
    def _rows(self) -> list:
        return self.subset(self.keys)

    def __len__(self):
        return len(self._rows) if "_rows" in self.__dict__ else len(self.keys)

    def __getitem__(self, index):
        return self._rows[index]

    def __iter__(self):
        return iter(self._rows)


class Window(Sequence):
    """The first ``MAX_COUNT + 1`` rows of an ordered queryset as a sequence: their keys are
    read in one query, which an index holding the filtered columns answers without reading
    the rows; slicing loads only the rows of the slice. Counting and every page then cost that
    one walk, page 50 no more than page 1, and no OFFSET walks the rows before it."""

    def __init__(self, queryset, keys: list | None = None):
        """``keys``: of a walk made before (kept), whose rows ``queryset`` loads."""
        if keys is None:
            keys = list(queryset.values_list("pk", flat=True)[: MAX_COUNT + 1])
        self.keys, self._queryset = keys, queryset

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        return Rows(self._queryset, self.keys[index])


@dataclass
class PageResult:
    page: object
    paginator: Paginator

    @property
    def object_list(self):
        return self.page.object_list


def paginate(request, queryset, per_page: int = 20, max_count: int | None = None) -> PageResult:
    paginator = BoundedPaginator(queryset, per_page, max_count)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return PageResult(page=page, paginator=paginator)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """``limit``/``offset`` over the first ``MAX_COUNT`` matches; ``count`` is exact up to
    ``MAX_COUNT`` and ``MAX_COUNT`` beyond (narrow the filters to reach older rows). A larger
    ``offset`` or ``limit`` is refused by the schema (422)."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset = min(pagination.offset, MAX_COUNT)
        limit = min(pagination.limit, self.max_limit, MAX_COUNT - offset)
        return {
            self.items_attribute: queryset[offset : offset + limit] if limit else [],
            "count": min(bounded_count(queryset, MAX_COUNT), MAX_COUNT),
        }
