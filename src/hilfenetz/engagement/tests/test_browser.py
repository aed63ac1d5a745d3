"""Starting in a real Chromium, in German and Farsi: a volunteer goes through the welcome's
three steps with their coordination office, then reads and acknowledges the district's
standards, and the notice on their pages goes away; a coordinator opens the overview, records a
certificate of conduct and writes to a volunteer. axe-core checks every page; the pages fit a
320 px screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core.tests.browser import fits_320
from hilfenetz.directory.models import Office
from hilfenetz.engagement.models import (
    ConductCertificate,
    Intent,
    Onboarding,
    StandardsAcknowledgement,
)
from hilfenetz.engagement.tests.factories import standards
from hilfenetz.network.models import Follow, Invitation, MeetingKind, MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "fa"])
def test_a_volunteer_is_welcomed_and_acknowledges_the_standards(
    browse, login_as, axe_check, language
):
    area = AreaFactory(name="Nordkreis")
    here = MunicipalityFactory(name="Birkenfeld", area=area, district=area.district)
    office = Office.objects.create(
        district=here.district, name="Koordinationsstelle Birkenfeld", slug="ks-b", phone="07021 1"
    )
    office.municipalities.add(here)
    standards(here.district)
    person = login_as(UserFactory(display_name="Rana", preferred_language=language))

    page = browse(reverse("engagement:start"), language)
    assert page.url.endswith(reverse("engagement:welcome"))
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "fa" else "ltr")
    axe_check(page, f"welcome intent {language}")
    fits_320(page, "welcome")
    page.locator("input[name=intent][value=help]").check()
    page.locator("#welcome-form button[type=submit]:not([name=skip])").click()
    page.wait_for_load_state()

    axe_check(page, f"welcome place {language}")
    page.locator("select[name=municipality]").select_option(str(here.pk))
    page.locator("#welcome-form button[type=submit]:not([name=skip])").click()
    page.wait_for_load_state()

    assert "Koordinationsstelle Birkenfeld" in page.content()
    axe_check(page, f"welcome platforms {language}")
    fits_320(page, "platforms")
    page.locator("input[name=platforms]").first.check()
    page.locator("#welcome-form button[type=submit]:not([name=skip])").click()
    page.wait_for_load_state()

    # the welcome leads a volunteer to the standards, which their pages ask for until done
    assert page.url.endswith(reverse("engagement:standards"))
    assert page.locator(f"main a[href='{reverse('engagement:standards')}']").count() == 1
    axe_check(page, f"standards {language}")
    fits_320(page, "standards")
    page.locator("#acknowledge-form button").click()
    page.wait_for_load_state()
    axe_check(page, f"standards acknowledged {language}")
    assert page.locator(f"main a[href='{reverse('engagement:standards')}']").count() == 0

    onboarding = Onboarding.objects.get(user=person)
    assert onboarding.intent == Intent.HELP and onboarding.finished_at is not None
    assert Follow.objects.filter(user=person).count() == 1
    assert StandardsAcknowledgement.objects.filter(user=person).count() == 1


@pytest.mark.parametrize("language", ["de", "fa"])
def test_a_coordinator_sees_their_volunteers_and_records_a_certificate(
    browse, login_as, axe_check, language
):
    area = AreaFactory(name="Nordkreis")
    here = MunicipalityFactory(name="Birkenfeld", area=area, district=area.district)
    standards(here.district)
    person = UserFactory(display_name="Rana", home_municipality=here)
    Onboarding.objects.create(user=person, intent=Intent.HELP)
    login_as(coordinator_of(municipality=here, preferred_language=language))

    page = browse(reverse("accounts:profile"), language)
    page.locator(f"a[href='{reverse('engagement:overview')}']").click()
    page.wait_for_load_state()
    assert "Rana" in page.content()
    axe_check(page, f"overview {language}")
    fits_320(page, "overview")

    page.locator(f"a[href='{reverse('engagement:person_certificate', args=[person.pk])}']").click()
    page.wait_for_load_state()
    axe_check(page, f"certificate {language}")
    page.fill("input[name=seen_on]", "2026-01-15")
    page.locator("#certificate-form button").click()
    page.wait_for_load_state()
    axe_check(page, f"certificate recorded {language}")
    assert ConductCertificate.objects.get(user=person).seen_on.isoformat() == "2026-01-15"

    page = browse(reverse("engagement:write", args=[person.pk]), language)
    axe_check(page, f"write {language}")
    page.fill("textarea[name=message]", "Willkommen!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("engagement:overview"))


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_volunteer_downloads_their_confirmation_from_the_profile(
    browse, login_as, axe_check, language
):
    here = MunicipalityFactory(name="Birkenfeld")
    person = login_as(
        UserFactory(display_name="Rana", home_municipality=here, preferred_language=language)
    )
    training = MeetingFactory(
        municipality=here,
        kind=MeetingKind.TRAINING,
        title="Schulung Asylrecht",
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - timedelta(days=3),
    )
    Invitation.objects.create(
        meeting=training,
        user=person,
        email=person.email,
        reason="registered",
        answer="yes",
        attended=True,
    )

    page = browse(reverse("accounts:profile"), language)
    page.locator(f"main a[href='{reverse('engagement:confirmation')}']").click()
    page.wait_for_load_state()
    assert "Schulung Asylrecht" in page.content()
    axe_check(page, f"confirmation {language}")
    fits_320(page, "confirmation")
    page.locator(f"#language-{language}").check()
    with page.expect_download() as download:
        page.locator("main form button[type=submit]").click()
    assert download.value.suggested_filename == f"bestaetigung-{language}.pdf"
