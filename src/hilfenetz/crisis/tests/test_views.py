"""Crisis mode's pages: the banner on every page (also on kept pages for visitors), the
switch with its confirmation step, the intake and its list, and the pages' query counts."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.crisis import services
from hilfenetz.crisis.models import AccommodationOffer
from hilfenetz.crisis.tests.factories import offer, template
from hilfenetz.exchange.models import Category
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


@pytest.fixture
def place():
    here = MunicipalityFactory(name="Hierdorf")
    return here, here.district, coordinator_of(district=here.district)


def turn_on(district, actor, **kwargs):
    return services.switch_on(
        district,
        actor,
        banner=kwargs.pop("banner", "Ankunft vieler Menschen"),
        translations=kwargs.pop("translations", {"uk": {"banner": "Прибуття багатьох людей"}}),
        ends_on=timezone.localdate() + timedelta(days=7),
        **kwargs,
    )


def banner(response):
    found = re.search(
        r'<section class="crisis-banner".*?</section>', response.content.decode(), re.S
    )
    return found.group(0) if found else None


def test_a_kept_page_shows_the_banner_once_turned_on_and_loses_it_once_off(
    client, settings, place, committed
):
    settings.PAGE_CACHE_SECONDS = 300
    _, district, boss = place
    client.get(HOME)  # the first rendering learns what the page reads
    assert banner(client.get(HOME)) is None  # kept without a banner
    committed(lambda: turn_on(district, boss))
    shown = banner(client.get(HOME))
    assert shown is not None and "Ankunft vieler Menschen" in shown
    assert banner(client.get(HOME)) == shown  # kept with it
    committed(lambda: services.switch_off(district, boss))
    assert banner(client.get(HOME)) is None


def test_the_banner_is_a_region_in_the_language_it_is_written_in(client, place):
    _, district, boss = place
    turn_on(district, boss)
    client.cookies["hilfenetz_language"] = "uk"
    ukrainian = banner(client.get(HOME))
    assert 'aria-labelledby="crisis-banner-' in ukrainian and "<h2" in ukrainian
    assert '<p lang="uk" dir="auto">Прибуття багатьох людей</p>' in ukrainian
    client.cookies["hilfenetz_language"] = "ar"
    page = client.get(reverse("exchange:list"))
    arabic = banner(page)
    assert 'dir="rtl"' in page.content.decode()[:200]
    # no Arabic text: the German one, marked as German
    assert '<p lang="de" dir="auto">Ankunft vieler Menschen</p>' in arabic
    assert "وضع الأزمة" in arabic


def test_the_banner_ends_with_its_end_date(client, place, monkeypatch):
    _, district, boss = place
    turn_on(district, boss)
    later = timezone.localdate() + timedelta(days=8)
    monkeypatch.setattr(timezone, "localdate", lambda *args: later)
    assert banner(client.get(HOME)) is None


def test_switching_on_through_the_pages_asks_for_confirmation(client, place):
    _, district, boss = place
    tmpl = template(district)
    client.force_login(boss)
    data = {
        "template": tmpl.pk,
        "banner": "Hochwasser im Neckartal",
        "banner_ar": "فيضان",
        "ends_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    url = reverse("crisis:switch_on", args=[district.pk])
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "Notunterkunft" in confirm.content.decode()
    assert not services.mode_of(district).is_on
    # the confirmation carries everything typed
    assert 'name="banner_ar" value="فيضان"' in confirm.content.decode()
    assert client.post(url, {**data, "confirmed": "on"}).status_code == 302
    mode = services.mode_of(district)
    assert mode.is_on and mode.translations == {"ar": {"banner": "فيضان"}}
    page = client.get(reverse("crisis:manage", args=[district.pk])).content.decode()
    assert "Hochwasser im Neckartal" in page and "Krisenmodus eingeschaltet" in page


def test_a_bad_switch_form_keeps_what_was_typed(client, place):
    _, district, boss = place
    client.force_login(boss)
    response = client.post(
        reverse("crisis:switch_on", args=[district.pk]),
        {"banner": "Text bleibt", "ends_on": "", "confirmed": "on"},
    )
    assert response.status_code == 200
    assert "Text bleibt" in response.content.decode()
    assert not services.mode_of(district).is_on


def test_a_municipal_coordinator_sees_the_state_without_the_switch(client, place):
    here, district, boss = place
    turn_on(district, boss)
    client.force_login(coordinator_of(municipality=here))
    page = client.get(reverse("crisis:manage", args=[district.pk])).content.decode()
    assert "Ankunft vieler Menschen" in page
    assert reverse("crisis:switch_off", args=[district.pk]) not in page
    assert reverse("crisis:switch_on", args=[district.pk]) not in page


def test_offering_accommodation_while_the_intake_is_open(client, place):
    here, district, boss = place
    person = UserFactory()
    client.force_login(person)
    assert 'name="people"' not in client.get(reverse("crisis:offer")).content.decode()
    turn_on(district, boss)
    data = {
        "municipality": here.pk,
        "people": 60,
        "available_from": timezone.localdate().isoformat(),
        "accessible": "on",
        "note": "Einliegerwohnung",
    }
    refused = client.post(reverse("crisis:offer"), data)
    assert refused.status_code == 200 and "Einliegerwohnung" in refused.content.decode()
    assert not AccommodationOffer.objects.exists()
    assert client.post(reverse("crisis:offer"), {**data, "people": 4}).status_code == 302
    made = AccommodationOffer.objects.get()
    assert (made.offered_by, made.people, made.accessible) == (person, 4, True)


def test_the_list_and_its_export_show_the_scope_only(client, place):
    here, district, boss = place
    other = MunicipalityFactory(district=district, area=here.area, name="Anderstadt")
    mine = offer(here, UserFactory(email="gast@example.org"), note="Gästezimmer")
    offer(other, UserFactory(email="fremd@example.org"), note="Dachzimmer")
    client.force_login(coordinator_of(municipality=here))
    page = client.get(reverse("crisis:offers")).content.decode()
    assert "Gästezimmer" in page and "Dachzimmer" not in page
    rows = list(csv.reader(io.StringIO(client.get(reverse("crisis:offers_csv")).content.decode())))
    assert [row[0] for row in rows[1:]] == [str(mine.pk)]
    assert "gast@example.org" in rows[1]
    client.force_login(UserFactory())
    assert client.get(reverse("crisis:offers")).status_code == 403
    assert client.get(reverse("crisis:offers_csv")).status_code == 403


def test_the_export_keeps_typed_text_from_running_as_a_formula(client, place):
    here, _, boss = place
    person = UserFactory(display_name="+49 Gast")
    offer(here, person, note='=HYPERLINK("https://example.org","Zimmer")')
    client.force_login(boss)
    rows = list(csv.reader(io.StringIO(client.get(reverse("crisis:offers_csv")).content.decode())))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["note"] == '\'=HYPERLINK("https://example.org","Zimmer")'
    assert row["name"] == "'+49 Gast"


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_of_offers_does_not_grow_with_the_data(
    client, place, django_assert_max_num_queries, count
):
    here, _, boss = place
    for n in range(count):
        offer(here, UserFactory(), note=f"Zimmer {n}")
    client.force_login(boss)
    client.get(reverse("crisis:offers"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("crisis:offers")).status_code == 200


def test_the_alert_is_asked_for_and_stopped_on_the_crisis_page(client):
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("crisis:alerts"), {"alert": "on"})
    assert person.crisis_alert
    page = client.get(reverse("crisis:index")).content.decode()
    assert 'value="off"' in page
    client.post(reverse("crisis:alerts"), {"alert": "off"})
    assert not type(person).objects.filter(pk=person.pk, crisis_alert__isnull=False).exists()


def test_a_category_is_added_with_its_name_in_every_language(client, place):
    _, district, boss = place
    client.force_login(boss)
    url = reverse("crisis:category_add", args=[district.pk])
    page = client.get(url).content.decode()
    for code in ("en", "ar", "fa", "uk", "tr"):
        assert f'name="name_{code}"' in page
    names = {
        "name": "Dolmetschen",
        "name_en": "Interpreting",
        "name_ar": "الترجمة الفورية",
        "name_fa": "ترجمه شفاهی",
        "name_uk": "Усний переклад",
        "name_tr": "Tercümanlık",
    }
    assert client.post(url, names).status_code == 302
    category = Category.objects.get(district=district, slug="dolmetschen")
    assert category.is_active
    assert category.label("fa") == "ترجمه شفاهی" and category.label("de") == "Dolmetschen"
    assert client.post(url, {"name": "", "name_en": "Nameless"}).status_code == 200


def test_a_template_is_edited_on_its_page(client, place):
    _, district, boss = place
    tmpl = template(district, categories=())
    client.force_login(boss)
    url = reverse("crisis:template", args=[tmpl.pk])
    client.post(url, {"name": "Trockenräume", "name_uk": "Сушильні кімнати"})
    entry = tmpl.categories.get()
    assert entry.label("uk") == "Сушильні кімнати"
    client.post(reverse("crisis:template_remove", args=[entry.pk]))
    assert not tmpl.categories.exists()
