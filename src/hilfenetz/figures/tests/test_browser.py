"""The figures page in a real Chromium, in German and Arabic: a municipal coordinator finds it
in the menu, chooses a period, reads charts and tables (axe-core checks them), and the page
fits a 320 px screen."""

from datetime import timedelta

import pytest
from django.urls import reverse

from hilfenetz.accounts.tests.factories import coordinator_of
from hilfenetz.core.tests.browser import fits_320
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.figures import services
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU = {"de": "Kennzahlen", "ar": "المؤشرات"}
SHOW = {"de": "Anzeigen", "ar": "عرض"}
FEWER = {"de": "weniger als 5", "ar": "أقل من 5"}


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_coordinator_reads_the_figures_of_their_town(browse, login_as, axe_check, language):
    town = MunicipalityFactory(name="Birkenfeld")
    quarter = services.last_full_quarter()
    for index in range(9):
        ListingFactory(
            municipality=town,
            kind="need" if index < 7 else "offer",
            published_at=quarter.start + timedelta(days=3, hours=index),
        )
    login_as(coordinator_of(municipality=town))

    page = browse(reverse("core:home"), language)
    page.get_by_role("link", name=MENU[language], exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("button", name=SHOW[language], exact=True).click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("svg[role=img]").count() >= 1
    assert page.get_by_role("table").count() == 6  # with the onboarding of new volunteers
    assert page.get_by_role("cell", name="7", exact=True).count() >= 1
    assert page.get_by_text(FEWER[language], exact=True).count() >= 1  # the two offers
    axe_check(page, f"figures {language}")
    fits_320(page, f"figures {language}")
