"""Crisis mode in a real Chromium: the district coordinator turns it on in German (template,
banner, end date, confirmation) and off again; the banner shows in Arabic, right to left, in
German where no Arabic text was written. axe-core checks every page of crisis mode in German
and Arabic; the pages fit a 320 px screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core.tests.browser import fits_320, page_for
from hilfenetz.crisis import services
from hilfenetz.crisis.tests.factories import offer, template
from hilfenetz.exchange.models import Category
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click(page, role, name):
    page.get_by_role(role, name=name, exact=True).click()
    page.wait_for_load_state()


def test_switching_crisis_mode_on_and_off(browser, live_server, axe_check):
    here = MunicipalityFactory(name="Neckarhausen")
    district = here.district
    flood = template(district, categories=[("notunterkunft", "Notunterkunft")])
    boss = coordinator_of(district=district, display_name="Kreis")
    page = page_for(browser, live_server, boss, "de")

    manage = f"{live_server.url}{reverse('crisis:manage', args=[district.pk])}"
    page.goto(manage)
    axe_check(page, "crisis switch (off) de")
    page.select_option("select[name=template]", str(flood.pk))
    page.fill("textarea[name=banner]", "Hochwasser: Wir suchen Unterkünfte und Trocknungsgeräte.")
    page.fill("textarea[name=banner_uk]", "Повінь: шукаємо житло.")
    ends = timezone.localdate() + timedelta(days=10)
    page.fill("input[name=ends_on]", ends.isoformat())
    click(page, "button", "Prüfen und bestätigen")
    assert not services.mode_of(district).is_on
    axe_check(page, "confirmation de")
    fits_320(page, "confirmation")
    assert "Notunterkunft" in page.locator("main").inner_text()
    click(page, "button", "Krisenmodus jetzt einschalten")
    assert services.mode_of(district).is_on
    assert Category.objects.get(district=district, slug="notunterkunft").is_active
    banner = page.locator("section.crisis-banner")
    assert "Trocknungsgeräte" in banner.inner_text()
    axe_check(page, "crisis switch (on) de")
    fits_320(page, "crisis switch")

    # A visitor reads the banner in Arabic: the page right to left, the text in German.
    visitor = page_for(browser, live_server, None, "ar")
    visitor.goto(f"{live_server.url}{reverse('core:home')}")
    assert visitor.locator("html").get_attribute("dir") == "rtl"
    region = visitor.get_by_role("region", name=f"وضع الأزمة في {district.name}")
    assert region.locator("p[lang=de]").inner_text().startswith("Hochwasser")
    axe_check(visitor, "home with the banner ar")
    fits_320(visitor, "home with the banner")

    # Switching off, in German: the page says what happens, one button does it.
    page.goto(manage)
    click(page, "link", "Krisenmodus ausschalten")
    axe_check(page, "switching off de")
    click(page, "button", "Krisenmodus jetzt ausschalten")
    assert not services.mode_of(district).is_on
    assert not Category.objects.get(district=district, slug="notunterkunft").is_active
    assert page.locator("section.crisis-banner").count() == 0
    assert "Krisenmodus ausgeschaltet" in page.locator("main table").inner_text()
    visitor.reload()
    assert visitor.locator("section.crisis-banner").count() == 0


@pytest.mark.parametrize("language", ["de", "ar"])
def test_every_page_of_crisis_mode_passes_axe(browser, live_server, axe_check, language):
    here = MunicipalityFactory(name="Neckarhausen")
    district = here.district
    flood = template(district)
    boss = coordinator_of(district=district)
    volunteer = UserFactory(preferred_language=language)
    offer(here, volunteer, note="Zimmer mit eigenem Bad")
    services.switch_on(
        district,
        boss,
        banner="Ankunft vieler Menschen",
        translations={},
        ends_on=timezone.localdate() + timedelta(days=5),
    )
    pages = {
        volunteer: [reverse("crisis:index"), reverse("crisis:offer")],
        boss: [
            reverse("crisis:manage", args=[district.pk]),
            reverse("crisis:switch_off", args=[district.pk]),
            reverse("crisis:templates", args=[district.pk]),
            reverse("crisis:template", args=[flood.pk]),
            reverse("crisis:category_add", args=[district.pk]),
            reverse("crisis:offers"),
        ],
    }
    for user, paths in pages.items():
        page = page_for(browser, live_server, user, language)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            assert page.locator("html").get_attribute("dir") == (
                "rtl" if language == "ar" else "ltr"
            )
            axe_check(page, f"{path} {language}")
            fits_320(page, path)
