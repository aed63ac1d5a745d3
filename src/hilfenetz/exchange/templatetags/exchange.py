import html
from datetime import datetime
from functools import lru_cache, partial
from typing import NamedTuple

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext

from hilfenetz.core import page_cache
from hilfenetz.core.i18n import isolate
from hilfenetz.core.pagination import Rows, values_by_key
from hilfenetz.core.templatetags.hilfenetz import user_text
from hilfenetz.exchange.models import Category, Kind
from hilfenetz.regions.models import Municipality

register = template.Library()

PENDING_ROW = """<li class="card">
    <p class="listing__meta">{} · {} · {}</p>
    <h3><a href="{}">{}</a></h3>
    <form method="post" action="{}">{}<input type="hidden" name="action" value="approve"><button type="submit">{}</button></form>
    <form method="post" action="{}">{}<input type="hidden" name="action" value="block"><input type="hidden" name="row" value="{}"><input type="hidden" name="page" value="{}">{}<button type="submit" class="button--danger">{}</button></form>
  </li>
"""


# What a card shows: the listing, its category and municipality (loaded before the tag runs).
CARD_READS = page_cache.model_tables(
    "exchange.Listing", "exchange.Category", "regions.Municipality"
)
page_cache.declare("listing-card", CARD_READS)


@register.simple_tag
def listing_cards(listings):
    """A card (``<li>``) per listing. Rendered here rather than by a template per card: a list
    page shows 20 cards, and the template engine made them a third of the page's cost.
    A card shows nothing of the viewer, so each listing's card is kept (per language, day and
    data versions) and reused on every page that shows the listing, for visitors and
    logged-in people alike; a page's rows (``Rows``) are loaded only for cards not kept."""
    if isinstance(listings, Rows):
        keys, load = listings.keys, partial(_card_rows, listings.queryset)
    else:
        given = {listing.pk: listing for listing in listings}
        keys, load = list(given), lambda missing: [CardRow.of(given[pk]) for pk in missing]

    def render(missing):
        found = {row.pk: row for row in load(missing)}
        # the kinds' names translated once, not once per card
        detail, kinds = _numbered("exchange:detail"), {k: str(v) for k, v in Kind.choices}
        return [_card(found[pk], detail, kinds) if pk in found else "" for pk in missing]

    cards = page_cache.kept_each("listing-card", keys, render, reads=CARD_READS)
    return format_html_join("", "{}", ((card,) for card in cards))


class CardRow(NamedTuple):
    """What a card shows of a listing."""

    pk: int
    kind: str
    category: str  # its label in the current language
    municipality: str
    title: str
    language: str
    published_at: datetime | None
    remaining: int | None
    unit: str

    @classmethod
    def of(cls, listing):
        return cls(
            listing.pk,
            listing.kind,
            listing.category.label(),
            listing.municipality.name,
            listing.title,
            listing.language,
            listing.published_at,
            listing.remaining,
            listing.unit,
        )


CARD_COLUMNS = (
    "pk",
    "kind",
    "category_id",
    "municipality_id",
    "title",
    "language",
    "published_at",
    "remaining",
    "unit",
)
NAMES_READS = page_cache.model_tables("exchange.Category", "regions.Municipality")
page_cache.declare("card-names", NAMES_READS)


def _card_rows(queryset, keys) -> list[CardRow]:
    """The listings' columns in one query of their own table, as values: no model instances.
    Their categories' labels and places' names are kept (``_names``): joined to the listings,
    PostgreSQL spent 0.35 of the query's 0.5 ms planning the join (12 cards)."""
    rows = values_by_key(queryset, keys, CARD_COLUMNS)
    categories, places = _names()
    return [
        CardRow(pk, kind, categories.get(category, ""), places.get(place, ""), *rest)
        for pk, kind, category, place, *rest in rows
    ]


def _names() -> tuple[dict, dict]:
    """Every category's label in the language of the request and every municipality's name,
    by key: kept as text (not copied on each reading); a few hundred at most."""
    categories, places = page_cache.kept(
        "card-names",
        (),
        lambda: (
            tuple((category.pk, category.label()) for category in Category.objects.all()),
            tuple(Municipality.objects.values_list("pk", "name")),
        ),
        reads=NAMES_READS,
    )
    return dict(categories), dict(places)


def _card(row: CardRow, detail, kinds) -> SafeString:
    # html.escape (what django's escape() calls) and an f-string: format_html's checks of each
    # value made a card twice as dear, django's escape() checking for lazy text a third dearer
    remaining = ""
    if row.remaining is not None:
        remaining = " · " + html.escape(
            gettext("%(n)s %(unit)s still open")
            % {"n": localize(row.remaining), "unit": isolate(row.unit)}
        )
    published = ""
    if row.published_at:
        published = _short_date(localtime(row.published_at).date(), get_language())
    return SafeString(
        f'<li class="card listing listing--{html.escape(row.kind)}">\n'
        f'  <p class="listing__meta"><span class="badge">{html.escape(kinds.get(row.kind, row.kind))}'
        f'</span> <span class="badge">{html.escape(row.category)}</span> '
        f"{html.escape(row.municipality)}</p>\n"
        f'  <h2 class="listing__title"><a href="{html.escape(detail(row.pk))}">'
        f"{user_text(row.title, lang=row.language)}</a></h2>\n"
        f'  <p class="muted">{html.escape(published)}{remaining}</p>\n'
        "</li>\n"
    )


@lru_cache(maxsize=2048)
def _short_date(day, language) -> str:
    """A day in the short form of ``language``, the active one: cards show a few hundred days."""
    return date_format(day, "SHORT_DATE_FORMAT")


@register.simple_tag(takes_context=True)
def pending_rows(context, pending, page):
    """A row (``<li>``) per ``(listing, row, block form)`` waiting in the moderation queue, on
    ``page``. Rendered here rather than by the template per row: through the template engine
    (three addresses, two CSRF fields, translations) a row cost twice as much."""
    detail, moderate = _numbered("exchange:detail"), _numbered("exchange:moderate")
    csrf = CsrfTokenNode().render(context)
    kinds = dict(Kind.choices)
    approve, block = gettext("Approve"), gettext("Block")
    return format_html_join(
        "",
        PENDING_ROW,
        (
            (
                kinds.get(listing.kind, listing.kind),
                listing.category.label(),
                listing.municipality.name,
                detail(listing.pk),
                user_text(listing.title, lang=listing.language),
                moderate(listing.pk),
                csrf,
                approve,
                moderate(listing.pk),
                csrf,
                row,
                page,
                form,
                block,
            )
            for listing, row, form in pending
        ),
    )


def _numbered(name, mark=987654321):
    """The address of ``name`` for a number: reversed once, with ``mark`` for the number (the
    addresses differ only in it)."""
    before, _, after = reverse(name, args=[mark]).partition(str(mark))
    return lambda pk: f"{before}{pk}{after}"
