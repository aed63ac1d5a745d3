"""Values embedded in translated sentences keep their order in Arabic and Persian, languages are
named in their own script, and each language has one date order."""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.i18n import FSI, LRI, PDI, language_name
from hilfenetz.core.mail import render_mail
from hilfenetz.network.tests.factories import MeetingFactory
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory


def render(source, **context):
    return Template("{% load hilfenetz %}" + source).render(Context(context))


def test_filters_isolate_values():
    assert render("{{ v|isolate }}", v="Ahmad & Co") == "<bdi>Ahmad &amp; Co</bdi>"
    assert render("{{ v|isolate_ltr }}", v="a@b.de") == '<bdi dir="ltr">a@b.de</bdi>'
    assert render("{{ v|isolate_text }}", v="Köln") == f"{FSI}Köln{PDI}"
    assert render("{{ v|isolate_ltr_text }}", v="0711 5") == f"{LRI}0711 5{PDI}"
    assert render("{{ c|languages }}", c=["de", "ar"]) == (
        '<bdi lang="de">Deutsch</bdi>, <bdi lang="ar">العربية</bdi>'
    )


@pytest.mark.parametrize("page_language", ["de", "ar", "fa", "uk"])
def test_languages_are_named_in_their_own_script_whatever_the_page(page_language):
    names = {"de": "Deutsch", "en": "English", "ar": "العربية", "fa": "فارسی"}
    names |= {"uk": "Українська", "tr": "Türkçe"}
    with translation.override(page_language):
        assert {code: language_name(code) for code in names} == names


@pytest.mark.django_db
def test_the_own_email_address_is_isolated_on_the_arabic_profile(client):
    user = UserFactory(email="person.name@example.org", preferred_language="ar")
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert '<bdi dir="ltr">person.name@example.org</bdi>' in html


@pytest.mark.parametrize("language", ["fa", "ar"])
def test_file_size_and_duration_are_isolated_left_to_right(language):
    f = SimpleNamespace(
        url="", size=85400, pages=None, duration=4, minutes_seconds="0:04", captions=[]
    )
    with translation.override(language):
        html = render_to_string("media/includes/file_facts.html", {"f": f})
        size = formats.number_format(83.4, 1)
    assert f'<bdi dir="ltr">{size}\xa0' in html, html  # "83.4 KB", with the number's own digits
    assert '<bdi dir="ltr">0:04</bdi>' in html, html


@pytest.mark.django_db
def test_meeting_page_names_its_languages_and_is_called_off_with_absagen(client):
    meeting = MeetingFactory(meeting_languages=["de", "ar"])
    client.force_login(meeting.organisers.first())
    client.cookies["hilfenetz_language"] = "de"
    html = client.get(reverse("network:meeting", args=[meeting.pk])).content.decode()
    assert '<bdi lang="de">Deutsch</bdi>, <bdi lang="ar">العربية</bdi>' in html
    assert ">de, ar<" not in html
    assert f'href="{reverse("network:meeting_cancel", args=[meeting.pk])}">Absagen</a>' in html


def test_arabic_mail_isolates_the_names_and_title():
    listing = SimpleNamespace(pk=7, title="Winterjacken abzugeben")
    context = {"listing": listing, "pledge": SimpleNamespace(quantity=3), "helper": "Anna B."}
    _subject, body, _html = render_mail("exchange/mail/pledge", context, "ar")
    assert f"{FSI}Anna B.{PDI}" in body
    assert f"{FSI}Winterjacken abzugeben{PDI}" in body
    assert "«" in body and "„" not in body


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_one_date_order_per_language(language):
    """Arabic showed 12/03/2026 for a date and 03/12/2026 for the same date with a time."""
    moment = datetime.datetime(2026, 3, 12, 15, 30)
    with translation.override(language):
        date = formats.date_format(moment, "SHORT_DATE_FORMAT")
        with_time = formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        long_date = formats.date_format(moment, "DATE_FORMAT")
        long_with_time = formats.date_format(moment, "DATETIME_FORMAT")
    assert with_time.startswith(date), (date, with_time)
    assert long_with_time.startswith(long_date.rstrip(".")), (long_date, long_with_time)


def test_arabic_dates_are_typed_day_first():
    from django import forms

    with translation.override("ar"):
        field = forms.DateField()
        assert field.clean("03/12/2026") == datetime.date(2026, 12, 3)


@pytest.mark.django_db
def test_a_municipality_named_like_its_area_is_named_once():
    town = MunicipalityFactory(name="Nürtingen", area=AreaFactory(name="Nürtingen"))
    other = MunicipalityFactory(name="Wendlingen am Neckar", area=town.area)
    assert town.name_with_area == "Nürtingen"
    assert other.name_with_area == "Wendlingen am Neckar (Nürtingen)"


@pytest.mark.django_db
def test_an_arabic_listing_page_marks_the_authors_unit_and_names_the_town_once(client):
    """The unit is the author's word ("Stück"), marked with its language and isolated; the
    remaining quantity reads "remaining", not "still needed", also for an offer."""
    from hilfenetz.exchange.tests.factories import ListingFactory

    town = MunicipalityFactory(name="Nürtingen", area=AreaFactory(name="Nürtingen"))
    listing = ListingFactory(kind="offer", municipality=town, quantity=6, unit="Stück")
    client.cookies["hilfenetz_language"] = "ar"
    html = client.get(reverse("exchange:detail", args=[listing.pk])).content.decode()
    assert '<bdi lang="de" dir="auto">Stück</bdi>' in html
    assert "متبقية" in html and "مطلوبة" not in html
    assert "Nürtingen (Nürtingen)" not in html


def test_user_text_is_escaped_once_with_its_language():
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from hilfenetz.core.templatetags.hilfenetz import user_text

    assert user_text('<b>"Tom & Jerry\'s"</b>', lang="ar") == (
        '<span lang="ar" dir="auto">&lt;b&gt;&quot;Tom &amp; Jerry&#x27;s&quot;&lt;/b&gt;</span>'
    )
    assert user_text(mark_safe("<em>x</em>"), element="p") == '<p dir="auto"><em>x</em></p>'
    assert user_text(gettext_lazy("<Search>"), lang='"x', element="script") == (
        '<span lang="&quot;x" dir="auto">&lt;Search&gt;</span>'
    )
    assert user_text(42) == '<span dir="auto">42</span>'
