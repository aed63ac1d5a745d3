"""Pagination shared by list pages and the API so both count and slice the same way.

Counts are bounded: a list counts at most ``max_count`` rows and pages reach no further, so a
page costs the same with 1,000 or 100,000 matches (narrower filters find older rows). The API's
listings go further with :class:`KeysetPagination`: a signed cursor continues the walk after
the last row of a page, at the cost of the first."""

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Annotated, Any

from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, PaginationBase
from pydantic import AfterValidator

from hilfenetz.core.integers import BIGINT_MAX, BIGINT_MIN

MAX_COUNT = 1000
MAX_LIMIT = ninja_settings.PAGINATION_MAX_LIMIT
# Deeper pages are not browsed but scraped; the bound also keeps the SQL OFFSET in range.
MAX_OFFSET = MAX_COUNT


class BoundedPaginator(Paginator):
    def __init__(
        self, object_list, per_page, max_count: int | None = None, more: bool = False, **kwargs
    ):
        """``more``: more rows match than ``object_list`` holds (a search that looked at the
        newest matches only, ``core.search.Ranked.more``)."""
        super().__init__(object_list, per_page, **kwargs)
        self.max_count = MAX_COUNT if max_count is None else max_count
        self.more = more

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
        return self.more or self.full_count > self.max_count


def bounded_count(queryset, max_count: int) -> int:
    if not hasattr(queryset, "order_by"):
        return min(len(queryset), max_count + 1)
    return queryset.order_by().values("pk")[: max_count + 1].count()


def rows_in_order(queryset, keys: list) -> list:
    """The rows of ``queryset`` with these primary keys, in the order of ``keys``: one query by
    primary key (its own order dropped, so no index walk), rows gone since left out."""
    found = queryset.order_by().in_bulk(keys)
    return [found[pk] for pk in keys if pk in found]


# Per process: the query of each queryset kept by its caller that reads columns of its rows by
# key (values_by_key), per columns and number of keys, until the queryset is dropped.
_by_key: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def values_by_key(queryset, keys: list, columns: tuple[str, ...]) -> list[tuple]:
    """``columns`` of the rows of ``queryset`` with these (integer) primary keys, rows gone
    since left out, in no order: one query, built and compiled once per queryset, columns and
    number of keys (rounded up to a power of two; the last key fills the places left). Built
    and compiled through the ORM on each call, it cost a list page 0.8 of the 0.95 ms its
    cards' rows took (SQLite, 100,000 listings), so a caller that shows a queryset's rows on
    every request keeps the queryset."""
    if not keys:
        return []
    places = 1 << (len(keys) - 1).bit_length()
    kept = _by_key.setdefault(queryset, {})
    if (columns, places) not in kept:
        stand_ins = list(range(1, places + 1))
        query = queryset.order_by().filter(pk__in=stand_ins).values_list(*columns).query
        compiler = query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if list(params[-places:]) != stand_ins:
            raise ValueError(f"the keys are not the last parameters of {sql}")
        selected = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
        kept[columns, places] = (sql, tuple(params[:-places]), selected)
    sql, params, selected = kept[columns, places]
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *keys, *[keys[-1]] * (places - len(keys))])
        rows = cursor.fetchall()
    # each value as the ORM gives it (SQLite's dates, stored as text, as datetimes)
    converters = []
    for position, expression in enumerate(selected):
        found = connection.ops.get_db_converters(expression)
        found += expression.get_db_converters(connection)
        if found:
            converters.append((position, expression, found))
    if not converters:
        return rows
    converted = []
    for row in map(list, rows):
        for position, expression, found in converters:
            for convert in found:
                row[position] = convert(row[position], expression, connection)
        converted.append(tuple(row))
    return converted


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


def paginate(
    request, queryset, per_page: int = 20, max_count: int | None = None, more: bool = False
) -> PageResult:
    paginator = BoundedPaginator(queryset, per_page, max_count, more)
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


# --- the API's lists ----------------------------------------------------------------------

MAX_CURSOR_LENGTH = 200
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$"  # what _SIGNER makes: data:signature
_SIGNER = signing.Signer(salt="hilfenetz.core.pagination.cursor")  # no time: a cursor keeps


def _offset_within_reach(offset: int) -> int:
    if offset > MAX_OFFSET:
        raise ValueError(
            f"offset reaches the first {MAX_OFFSET} matches; walk further with `cursor` "
            "(the `next` of each page)."
        )
    return offset


def _order(queryset) -> list[tuple[str, bool]]:
    """(field name, descending) of the queryset's order: field names (of numbers, text or
    dates), the last the primary key, so that a position is one row."""
    names = queryset.query.order_by or queryset.model._meta.ordering
    if not all(isinstance(name, str) for name in names):
        raise ImproperlyConfigured(f"{queryset.model.__name__}: a keyset orders by field names.")
    order = [(name.removeprefix("-"), name.startswith("-")) for name in names]
    if not order or order[-1][0] not in ("pk", queryset.model._meta.pk.name):
        raise ImproperlyConfigured(f"{queryset.model.__name__}: a keyset order ends in the pk.")
    return order


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _after(order, values) -> Q:
    """The rows after a position in this order: (a, b) after (x, y) descending is
    ``a <= x AND (a < x OR (a = x AND b < y))`` - the first term lets an index seek."""
    condition = None
    for (name, descending), value in reversed(list(zip(order, values, strict=True))):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        if condition is not None:
            step |= Q(**{name: value}) & condition
        condition = step
    (first, descending), value = order[0], values[0]
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": value}) & condition


def _not_a_cursor(message: str = "Not a cursor of this list.") -> HttpError:
    # Of the shape the schema promises, but not one this platform made for this list: the
    # domain refuses it (400), as it refuses other well-formed input.
    return HttpError(400, f"cursor: {message} Pass the `next` of the previous page unchanged.")


class KeysetPagination(PaginationBase):
    """Pages of a list that grows without bound, each at the cost of the first.

    A page walks the keys of at most ``MAX_COUNT + 1`` matches in the queryset's order (an
    index holding the filters answers it without reading a row, see :class:`Window`) and loads
    its own rows by primary key: no ``COUNT(*)`` over everything, no ``OFFSET`` scan. ``count``
    is the number of those matches. ``next`` marks the page's last row (signed); passed back
    as ``cursor`` the walk starts after it, so a consumer reaches every row of the list at a
    constant cost per page. The queryset's order must end in the primary key; a ranked
    sequence (a search by relevance) is paged by ``offset`` alone."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: Annotated[int, AfterValidator(_offset_within_reach)] = Field(
            0,
            ge=0,
            json_schema_extra={"maximum": MAX_OFFSET},
            description=f"Matches to skip (from the cursor, if given); at most {MAX_OFFSET}. "
            "Deeper pages: follow `next` with `cursor`.",
        )
        cursor: str | None = Field(
            None,
            max_length=MAX_CURSOR_LENGTH,
            pattern=CURSOR_PATTERN,
            description="The `next` of the previous page: this page starts after its last "
            "row, in the list's order. Reaches every match at the cost of the first page.",
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            description=f"Matches (after the cursor, if given), counted up to {MAX_COUNT}."
        )
        capped: bool = Field(description=f"There are more than {MAX_COUNT}: follow `next`.")
        next: str | None = Field(
            description="Pass as `cursor` for the following page; null on the last."
        )

    def paginate_queryset(self, queryset, pagination, request, **params):
        if not isinstance(queryset, QuerySet):  # ranked: no position to continue from
            if pagination.cursor is not None:
                raise HttpError(
                    400,
                    "cursor: this list is ranked by relevance, which a cursor cannot follow; "
                    "page it with offset, or sort it by date.",
                )
            matches, order = queryset, None
        elif queryset.query.is_empty():
            matches, order = [], None
        else:
            order = _order(queryset)
            if pagination.cursor is not None:
                queryset = queryset.filter(
                    _after(order, self._values(queryset, order, pagination.cursor))
                )
            matches = Window(queryset)
        start = pagination.offset
        end = min(start + pagination.limit, MAX_COUNT)
        items = matches[start:end] if start < end else []
        more = len(matches) > end
        return {
            self.items_attribute: items,
            "count": min(len(matches), MAX_COUNT),
            "capped": len(matches) > MAX_COUNT,
            "next": self._cursor(items[-1], order) if order and more and items else None,
        }

    @staticmethod
    def _values(queryset, order, cursor: str) -> list:
        """The position a cursor marks, if this platform signed it for a list in this order:
        nothing else reaches the SQL."""
        try:
            position = _SIGNER.unsign_object(cursor)
        except signing.BadSignature:
            raise _not_a_cursor("Not a cursor of this API.") from None
        if not isinstance(position, list) or len(position) != len(order):
            raise _not_a_cursor()
        try:
            values = [
                _field(queryset.model, name).to_python(value)
                for (name, _), value in zip(order, position, strict=True)
            ]
        except DjangoValidationError:
            raise _not_a_cursor() from None
        if any(isinstance(v, int) and not BIGINT_MIN <= v <= BIGINT_MAX for v in values):
            raise _not_a_cursor()
        return values

    @staticmethod
    def _cursor(row, order) -> str:
        values = []
        for name, _ in order:
            value = getattr(row, _field(type(row), name).attname)
            values.append(value.isoformat() if isinstance(value, date) else value)
        return _SIGNER.sign_object(values)
