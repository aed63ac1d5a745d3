"""A listing's card, as every list page shows it."""

from datetime import datetime

import pytest
from django.utils import timezone, translation

from hilfenetz.core.pagination import Rows
from hilfenetz.exchange.models import Listing
from hilfenetz.exchange.templatetags.exchange import listing_cards
from hilfenetz.exchange.tests.factories import ListingFactory, category

pytestmark = pytest.mark.django_db


def cards(*listings) -> str:
    return listing_cards(Rows(Listing.objects.published(), [x.pk for x in listings]))


def test_a_card_escapes_what_people_wrote_and_names_things_in_the_readers_language():
    listing = ListingFactory(
        title='<b>"Kinderwagen"</b> & Co',
        language="uk",
        quantity=5,
        remaining=3,
        unit="<Stück>",
        published_at=timezone.make_aware(datetime(2026, 3, 7, 12)),
    )
    sprache = category("sprache", district=listing.municipality.district)
    sprache.translations = {"ar": {"name": "اللغة"}}
    sprache.save()
    listing.category = sprache
    listing.save()
    with translation.override("ar"):
        card = cards(listing)
    assert '<li class="card listing listing--need">' in card
    assert (
        f'<a href="/hilfeboerse/{listing.pk}/"><span lang="uk" dir="auto">'
        "&lt;b&gt;&quot;Kinderwagen&quot;&lt;/b&gt; &amp; Co</span></a>" in card
    )
    assert '<span class="badge">اللغة</span>' in card
    assert listing.municipality.name in card
    assert "&lt;Stück&gt;" in card and "<Stück>" not in card
    with translation.override("de"):
        card = cards(listing)
    assert '<span class="badge">Sprache</span>' in card
    assert "07.03.2026" in card
