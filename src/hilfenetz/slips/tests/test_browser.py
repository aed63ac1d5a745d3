"""Slips in a real Chromium: the coordinator prints a slip (German and Arabic); the person
enters the code on a phone, sees the answer and replies; axe-core finds no WCAG 2.1 AA
violation on the pages."""

import pytest
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.tests.browser import fits_320
from hilfenetz.exchange.models import Conversation, Message
from hilfenetz.regions.tests.factories import MunicipalityFactory
from hilfenetz.slips.models import Slip
from hilfenetz.slips.services import code_of
from hilfenetz.slips.tests.factories import on_behalf_listing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("language", ["de", "ar"])
def test_coordinator_prints_a_slip_and_the_person_answers_on_a_phone(
    browse, login_as, axe_check, browser, live_server, language
):
    listing = on_behalf_listing(
        MunicipalityFactory(name="Hierdorf"), title="Winterjacke, Größe 116"
    )
    volunteer = UserFactory(display_name="Jonas")
    conversation = Conversation.objects.create(listing=listing, helper=volunteer)
    Message.objects.create(
        conversation=conversation, sender=volunteer, body="Ich bringe die Jacke am Samstag."
    )

    # 1. The coordinator creates the slip from the listing's page and prints it.
    login_as(listing.author)
    page = browse(reverse("exchange:detail", args=[listing.pk]), language)
    page.locator(f'a[href="{reverse("slips:create")}?listing={listing.pk}"]').click()
    page.wait_for_load_state()
    axe_check(page, f"new slip {language}")
    page.fill("input[name=pseudonym]", "Samira")
    page.select_option("select[name=language]", language)
    page.locator("main form.narrow button[type=submit]").click()
    page.wait_for_load_state()
    slip = Slip.objects.get()
    code = code_of(slip)
    assert code in page.locator(".slip-code").inner_text()
    axe_check(page, f"slip {language}")
    page.locator(f'a[href="{reverse("slips:print", args=[slip.pk])}"]').click()
    page.wait_for_load_state()
    slip_box = page.locator("article.slip")
    assert slip_box.get_attribute("lang") == language
    assert slip_box.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator(".slip-qr svg[role=img]").count() == 1
    assert page.locator("article.slip .slip-code").inner_text() == code
    axe_check(page, f"print {language}")
    page.goto(f"{live_server.url}{reverse('slips:list')}")
    assert "Samira" in page.locator("table").inner_text()
    axe_check(page, f"slips {language}")
    fits_320(page, f"slips {language}")

    # 2. The person, on a phone without any account, types the code at the short address.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.add_cookies([{"name": "hilfenetz_language", "value": language, "url": live_server.url}])
    person = phone.new_page()
    person.goto(f"{live_server.url}{reverse('slips:enter')}")
    axe_check(person, f"enter {language}")
    person.fill("input[name=code]", code.lower().replace("-", " "))
    person.locator("main form button[type=submit]").click()
    person.wait_for_load_state()
    assert person.url.endswith(reverse("slips:home"))
    assert person.locator("html").get_attribute("lang") == language  # the slip's language
    assert "Ich bringe die Jacke am Samstag." in person.locator("ol.messages-thread").inner_text()
    axe_check(person, f"home {language}")
    width = person.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"

    # 3. The person answers; the volunteer's conversation has it.
    person.fill(f"#reply-{conversation.pk}", "شكرا، السبت مناسب")
    person.locator(
        f'form[action="{reverse("slips:reply", args=[conversation.pk])}"] button'
    ).click()
    person.wait_for_load_state()
    assert conversation.messages.count() == 2
    assert "السبت مناسب" in person.locator("ol.messages-thread").inner_text()

    # 4. The QR code's address asks first; revoking ends the page on the phone.
    person.goto(f"{live_server.url}{reverse('slips:open', args=[code.replace('-', '')])}")
    axe_check(person, f"open {language}")
    page.goto(f"{live_server.url}{reverse('slips:detail', args=[slip.pk])}")
    page.locator(f'form[action="{reverse("slips:revoke", args=[slip.pk])}"] button').click()
    page.wait_for_load_state()
    person.goto(f"{live_server.url}{reverse('slips:home')}")
    assert person.url.endswith(reverse("slips:enter"))
    phone.close()
