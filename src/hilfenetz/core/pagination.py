"""Pagination shared by list pages and the API so both count and slice the same way.

Counts are bounded: a list counts at most ``max_count`` rows and pages reach no further, so a
page costs the same with 1,000 or 100,000 matches (narrower filters find older rows)."""

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
