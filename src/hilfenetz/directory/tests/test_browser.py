"""The directory in real Chromium, in German and in Persian (right to left), with axe-core."""

import re

import pytest
from django.urls import reverse

from hilfenetz.accounts.models import Organisation
from hilfenetz.accounts.tests.factories import OrganisationFactory, coordinator_of
from hilfenetz.core.models import AuditEntry
from hilfenetz.core.tests.browser import fits_320
from hilfenetz.core.tests.factories import TopicFactory
from hilfenetz.directory.models import OrganisationProfile
from hilfenetz.directory.tests.factories import ContactFactory, OfficeFactory
from hilfenetz.regions.tests.factories import AreaFactory, DistrictFactory, MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory():
    district = DistrictFactory(name="Landkreis Beispiel", slug="landkreis-beispiel")
    area = AreaFactory(district=district, name="Nord", slug="nord")
    here = MunicipalityFactory(area=area, name="Hierdorf", slug="hierdorf")
    office = OfficeFactory(
        district=district,
        name="Koordinationsstelle Hierdorf",
        slug="ks-hierdorf",
        municipalities=[here],
        opening_hours="Mo 9–12",
    )
    ContactFactory(office=office, name="Erika Beispiel")
    topic = TopicFactory(name="Sprache", slug="sprache")
    organisation = OrganisationFactory(municipality=here, name="Helferkreis Hierdorf")
    OrganisationProfile.objects.create(organisation=organisation).topics.set([topic])
    return {"office": office, "here": here, "coordinator": coordinator_of(municipality=here)}


@pytest.mark.parametrize("language", ["de", "fa", "prs", "ti"])
def test_directory_journey(browse, page, login_as, axe_check, live_server, directory, language):
    page = browse("/", language)
    right_to_left = language in ("fa", "prs")
    assert page.locator("html").get_attribute("dir") == ("rtl" if right_to_left else "ltr")
    axe_check(page, "home")

    # "Who is my contact?" from the home page, in one step.
    page.select_option("#finder-municipality", "hierdorf")
    page.locator("form.contact-finder button[type=submit]").click()
    page.wait_for_load_state()
    assert "Koordinationsstelle Hierdorf" in page.content()
    axe_check(page, "contact finder")

    page.locator("a", has_text="Koordinationsstelle Hierdorf").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("directory:office", args=["ks-hierdorf"]))
    assert "Erika Beispiel" in page.content()
    axe_check(page, "office")

    page.goto(live_server.url + reverse("directory:index"))
    axe_check(page, "directory")
    page.fill("form.directory-search input[name=q]", "Sprache")
    page.select_option("form.directory-search select[name=area]", "nord")
    page.locator("form.directory-search button[type=submit]").click()
    page.wait_for_load_state()
    assert "area=nord" in page.url
    axe_check(page, "directory search")

    page.goto(live_server.url + reverse("directory:organisations") + "?topic=sprache&area=nord")
    assert "Helferkreis Hierdorf" in page.content()
    axe_check(page, "organisations")

    pdf_href = page.locator(".directory-nav a[href$='.pdf']").get_attribute("href")
    response = page.request.get(live_server.url + pdf_href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    login_as(directory["coordinator"])
    page = browse(reverse("directory:office", args=["ks-hierdorf"]), language)
    axe_check(page, "office as coordinator")
    page.locator(f"a[href='{reverse('directory:office_edit', args=['ks-hierdorf'])}']").click()
    page.wait_for_load_state()
    axe_check(page, "office edit")
    page.fill("input[name=phone]", "0711 4242")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("directory:office", args=["ks-hierdorf"]))
    assert "0711 4242" in page.content()
    axe_check(page, "office saved")

    verify = reverse("directory:office_verify", args=["ks-hierdorf"])
    page.locator(f"form[action='{verify}'] button").click()
    page.wait_for_load_state()
    axe_check(page, "office confirmed")
    assert [c.action for c in AuditEntry.objects.all()] == ["verify", "update"]

    page.locator(f"a[href='{reverse('directory:office_history', args=['ks-hierdorf'])}']").click()
    page.wait_for_load_state()
    assert re.search(r"0711 4242", page.content())
    axe_check(page, "history")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_importing_organisations_and_undoing_it(
    browse, page, login_as, axe_check, directory, language
):
    login_as(directory["coordinator"])
    page = browse(reverse("directory:import_upload"), language)
    axe_check(page, "import upload")
    page.check("input[name=kind][value=organisations]")
    page.check("input[name=duplicates][value=skip]")
    table = (
        "name;municipality;kind\nHelferkreis Hierdorf;Hierdorf;\nSprachcafé;Hierdorf;initiative\n"
    )
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "liste.csv", "mimeType": "text/csv", "buffer": table.encode()}],
    )
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Sprachcafé" in page.content()
    axe_check(page, "import preview")
    assert not Organisation.objects.filter(name="Sprachcafé").exists()

    page.locator("form[action$='/import/bestaetigen/'] button").click()
    page.wait_for_load_state()
    assert page.locator("#import-bar").get_attribute("value") == "2"
    axe_check(page, "import progress")
    assert Organisation.objects.filter(name="Sprachcafé").exists()
    fits_320(page, "import progress")

    page.locator("form[action$='/rueckgaengig/'] button").click()
    page.wait_for_load_state()
    assert not Organisation.objects.filter(name="Sprachcafé").exists()
    assert Organisation.objects.filter(name="Helferkreis Hierdorf").exists()
    axe_check(page, "import undone")
