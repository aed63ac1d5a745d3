from django import template
from django.template.loader import get_template
from django.utils.html import format_html_join

from hilfenetz.core import page_cache
from hilfenetz.core.pagination import Rows

register = template.Library()

# What an office's card shows: the office, its district, the municipalities it serves and its
# public contact persons (loaded before the card renders, or by it).
CARD_READS = page_cache.model_tables(
    "directory.Office", "directory.ContactPerson", "regions.Municipality", "regions.District"
)
page_cache.declare("office_card", CARD_READS)


@register.simple_tag
def contact_finder_form():
    """The "who is my contact?" form, for pages that are not the directory's own."""
    from hilfenetz.directory.forms import ContactFinderForm

    return ContactFinderForm()


def _cards(offices) -> list:
    """The markup of each office's card. A card shows nothing of the viewer, so it is kept (per
    language, day and data versions) and shared by every page and person that shows the office;
    the offices of ``Rows`` are loaded only for the cards not kept."""
    if isinstance(offices, Rows):
        keys, load = offices.keys, offices.subset
    else:
        given = {office.pk: office for office in offices}
        keys, load = list(given), lambda missing: [given[pk] for pk in missing]
    card = get_template("directory/includes/office_card.html")

    def render(missing):
        found = {office.pk: office for office in load(missing)}
        return [card.render({"office": found[pk]}) if pk in found else "" for pk in missing]

    return page_cache.kept_each("office_card", keys, render, reads=CARD_READS)


@register.simple_tag
def office_card(office):
    return _cards([office])[0]


@register.simple_tag
def office_cards(offices):
    """A list item with its card per office."""
    return format_html_join("", "<li>{}</li>", ((card,) for card in _cards(offices)))
