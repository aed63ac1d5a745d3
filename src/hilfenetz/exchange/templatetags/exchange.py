from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext

from hilfenetz.core import page_cache
from hilfenetz.core.i18n import isolate
from hilfenetz.core.templatetags.hilfenetz import user_text
from hilfenetz.exchange.models import Kind

register = template.Library()

CARD = """<li class="card listing listing--{}">
  <p class="listing__meta"><span class="badge">{}</span> <span class="badge">{}</span> {}</p>
  <h2 class="listing__title"><a href="{}">{}</a></h2>
  <p class="muted">{}{}</p>
</li>
"""


PENDING_ROW = """<li class="card">
    <p class="listing__meta">{} · {} · {}</p>
    <h3><a href="{}">{}</a></h3>
    <form method="post" action="{}">{}<input type="hidden" name="action" value="approve"><button type="submit">{}</button></form>
    <form method="post" action="{}">{}<input type="hidden" name="action" value="block"><input type="hidden" name="row" value="{}"><input type="hidden" name="page" value="{}">{}<button type="submit" class="button--danger">{}</button></form>
  </li>
"""


@register.simple_tag
def filter_fields(form):
    return form.rendered_fields()


# What a card shows: the listing, its category and municipality (loaded before the tag runs).
CARD_READS = page_cache.model_tables(
    "exchange.Listing", "exchange.Category", "regions.Municipality"
)
page_cache.declare("listing-cards", CARD_READS)


@register.simple_tag
def listing_cards(listings):
    """A card (``<li>``) per listing. Rendered here rather than by a template per card: a list
    page shows 20 cards, and the template engine made them a third of the page's cost.
    A card shows nothing of the viewer, so the cards of a page are kept per listing ids (and
    language, day, data versions) and reused for visitors and logged-in people alike."""
    listings = list(listings)
    return page_cache.kept(
        "listing-cards",
        tuple(listing.pk for listing in listings),
        lambda: _render_cards(listings),
        reads=CARD_READS,
    )


def _render_cards(listings):
    detail = _numbered("exchange:detail")
    kinds = dict(Kind.choices)
    return format_html_join(
        "",
        CARD,
        (
            (
                listing.kind,
                kinds.get(listing.kind, listing.kind),
                listing.category.label(),
                listing.municipality.name,
                detail(listing.pk),
                user_text(listing.title, lang=listing.language),
                date_format(localtime(listing.published_at), "SHORT_DATE_FORMAT")
                if listing.published_at
                else "",
                ""
                if listing.remaining is None
                else " · "
                + gettext("%(n)s %(unit)s still open")
                % {"n": localize(listing.remaining), "unit": isolate(listing.unit)},
            )
            for listing in listings
        ),
    )


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
