"""The help exchange in a real Chromium: a need written in Arabic is found, answered and
fulfilled; axe-core finds no WCAG 2.1 AA violation on the pages in German and Arabic."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.exchange.models import Listing, Message, Status
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "نحتاج عربة أطفال"
DESCRIPTION = "نبحث عن عربة أطفال مستعملة لطفلنا الرضيع. يمكننا استلامها بأنفسنا."


def second_page(browser, live_server, user, language):
    """A separate browser context for a second person, logged in through a session cookie."""
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": "hilfenetz_language", "value": language, "url": live_server.url},
        ]
    )
    return context, context.new_page()


def test_arabic_need_found_in_german_answered_and_fulfilled(
    browse, login_as, axe_check, browser, live_server
):
    area = AreaFactory(name="Nordkreis")
    municipality = MunicipalityFactory(name="Birkenfeld", area=area, district=area.district)
    MunicipalityFactory(name="Anderswo", area=AreaFactory(district=area.district))
    municipality.district.moderate_new_accounts = False
    municipality.district.save()
    baby = category("kinder", district=area.district)
    baby.name = "Kinder und Familie"
    baby.translations = {"ar": {"name": "الأطفال والعائلة"}}
    baby.save()
    ListingFactory(municipality=municipality, title="Fahrrad gesucht")  # noise

    seeker = UserFactory(display_name="Amal", preferred_language="ar")
    volunteer = UserFactory(display_name="Jonas", preferred_language="de")

    # 1. The help-seeker writes a need in Arabic, with the Arabic interface.
    login_as(seeker)
    page = browse(reverse("exchange:create"), "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    axe_check(page, "form ar")
    page.select_option("select[name=kind]", "need")
    page.select_option("select[name=category]", str(baby.pk))
    page.select_option("select[name=municipality]", str(municipality.pk))
    page.select_option("select[name=language]", "ar")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", DESCRIPTION)
    page.locator("main form.narrow button[type=submit]").click()
    page.wait_for_load_state()
    need = Listing.objects.get(title=TITLE)
    assert need.status == Status.PUBLISHED
    assert need.language == "ar"
    assert page.url.endswith(reverse("exchange:detail", args=[need.pk]))
    assert page.locator(f'h1[lang="ar"]:has-text("{TITLE}")').count() == 1
    axe_check(page, "detail ar (author)")

    # 2. The volunteer, German interface, searches by category and area.
    context, vpage = second_page(browser, live_server, volunteer, "de")
    vpage.goto(f"{live_server.url}{reverse('exchange:list')}")
    axe_check(vpage, "list de")
    vpage.fill("input[name=q]", "")
    vpage.select_option("select[name=kind]", "need")
    vpage.select_option("select[name=category]", str(baby.pk))
    vpage.select_option("select[name=area]", str(area.pk))
    vpage.locator("form.exchange-filters button[type=submit]").click()
    vpage.wait_for_load_state()
    results = vpage.locator("ul.exchange-list li.listing")
    assert results.count() == 1
    assert TITLE in results.first.inner_text()
    axe_check(vpage, "list de with filters")
    results.first.locator("a").click()
    vpage.wait_for_load_state()
    assert vpage.locator('h1[lang="ar"]').inner_text() == TITLE
    axe_check(vpage, "detail de")

    # 3. The volunteer answers; a private conversation opens.
    vpage.locator(f'a[href="{reverse("exchange:answer", args=[need.pk])}"]').click()
    vpage.wait_for_load_state()
    vpage.fill("textarea[name=body]", "Ich habe einen Kinderwagen und kann ihn morgen bringen.")
    vpage.locator("main form button[type=submit]").click()
    vpage.wait_for_load_state()
    conversation = need.conversations.get()
    assert vpage.url.endswith(reverse("exchange:conversation", args=[conversation.pk]))
    axe_check(vpage, "conversation de")

    # 4. The help-seeker reads it on the answers page and replies in Arabic.
    page = browse(reverse("exchange:answers", args=[need.pk]), "ar")
    page.locator(f'a[href="{reverse("exchange:conversation", args=[conversation.pk])}"]').click()
    page.wait_for_load_state()
    assert "Kinderwagen" in page.locator("ol.messages-thread").inner_text()
    axe_check(page, "conversation ar")
    page.fill("textarea[name=body]", "شكراً جزيلاً! غداً بعد الظهر مناسب.")
    page.locator("main form.narrow button[type=submit]").click()
    page.wait_for_load_state()
    assert Message.objects.filter(conversation=conversation).count() == 2

    # 5. The volunteer sees the answer.
    vpage.reload()
    assert "شكراً جزيلاً" in vpage.locator("ol.messages-thread").inner_text()
    # Each message body carries its own language once; the report form's label quotes the
    # start of the Arabic message with its own lang="ar", which is not a second body.
    bodies = vpage.locator("ol.messages-thread > li > [lang]")
    assert [bodies.nth(i).get_attribute("lang") for i in range(bodies.count())] == ["de", "ar"]
    assert "شكراً جزيلاً" in vpage.locator('ol.messages-thread > li > [lang="ar"]').inner_text()
    assert vpage.locator('ol.messages-thread label [lang="ar"]').count() == 1
    context.close()

    # 6. The help-seeker marks the need fulfilled.
    page = browse(reverse("exchange:detail", args=[need.pk]), "ar")
    page.locator(f'form[action="{reverse("exchange:fulfil", args=[need.pk])}"] button').click()
    page.wait_for_load_state()
    need.refresh_from_db()
    assert need.status == Status.FULFILLED
    assert [e.to_status for e in need.events.all()][-1] == Status.FULFILLED


@pytest.mark.parametrize("language", ["de", "ar", "prs", "ti"])
def test_exchange_pages_have_no_axe_violations(browse, login_as, axe_check, language):
    municipality = MunicipalityFactory()
    listing = ListingFactory(
        municipality=municipality, language="ar", title=TITLE, description=DESCRIPTION
    )
    helper = UserFactory()
    from hilfenetz.exchange import services

    conversation = services.answer(listing, helper, "Ich kann helfen.")
    services.answer(listing, helper, "Morgen?")
    login_as(listing.author)
    for name, args in [
        ("exchange:list", []),
        ("exchange:detail", [listing.pk]),
        ("exchange:create", []),
        ("exchange:edit", [listing.pk]),
        ("exchange:answers", [listing.pk]),
        ("exchange:conversation", [conversation.pk]),
        ("exchange:mine", []),
        ("exchange:saved_searches", []),
    ]:
        page = browse(reverse(name, args=args), language)
        assert page.locator("h1").count() == 1, name
        axe_check(page, name)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_statistics_chart_labels_stay_inside_the_chart(browse, login_as, axe_check, language):
    here = MunicipalityFactory(name="Hierdorf an der Wiese")
    for _ in range(3):
        ListingFactory(municipality=here)
    ListingFactory(municipality=MunicipalityFactory(name="Au", area=here.area))
    login_as(coordinator_of(district=here.district))
    page = browse(reverse("exchange:statistics"), language)
    axe_check(page, "statistics")
    boxes = page.evaluate(
        "Array.from(document.querySelectorAll('.exchange-chart text')).map(t => {"
        "const b = t.getBBox(); return [b.x, b.x + b.width]; })"
    )
    assert boxes
    for left, right in boxes:
        assert left >= -1 and right <= 641, boxes


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_driver_says_they_can_drive_and_brings_a_promise(
    browse, login_as, axe_check, browser, live_server, language
):
    from hilfenetz.exchange import services
    from hilfenetz.exchange.models import PledgeStatus, Ride, SavedSearch
    from hilfenetz.exchange.services.rides import RIDES_CATEGORY

    here = MunicipalityFactory(name="Birkenfeld")
    need = ListingFactory(
        municipality=here,
        title="Kinderbett gesucht",
        transport_needed=True,
        quantity=1,
        remaining=1,
    )
    ListingFactory(
        kind="offer",
        municipality=here,
        category_slug=RIDES_CATEGORY,
        title="Fahrten mit dem Kombi",
    )
    giver = UserFactory(display_name="Gabi")
    promised = services.pledge(need, giver, 1)
    driver = UserFactory(display_name="Dana", preferred_language=language)

    # 1. The driver says where they can drive.
    login_as(driver)
    page = browse(reverse("exchange:saved_searches"), language)
    page.check("input[name=drives]")
    page.select_option("select[name=area]", str(here.area.pk))
    page.locator("main form.narrow button[type=submit]").click()
    page.wait_for_load_state()
    assert SavedSearch.objects.get(user=driver).drives
    axe_check(page, f"saved searches {language} (driver)")

    # 2. On the need's page the promise waits for a driver; they promise to drive it.
    page = browse(reverse("exchange:detail", args=[need.pk]), language)
    section = page.locator("section.deliveries")
    assert "Gabi" not in section.inner_text()  # the giver's name is not for everyone
    axe_check(page, f"detail {language} (transport open)")
    action = reverse("exchange:ride_pledge", args=[need.pk, promised.pk])
    section.locator(f'form[action="{action}"] button').click()
    page.wait_for_load_state()
    ride = Ride.objects.get(pledge=promised)
    assert "Gabi" in page.locator("section.deliveries").inner_text()
    axe_check(page, f"detail {language} (driver)")

    # 3. The author sees who brings it and who else could drive.
    context, apage = second_page(browser, live_server, need.author, language)
    apage.goto(f"{live_server.url}{reverse('exchange:detail', args=[need.pk])}")
    text = apage.locator("section.deliveries").inner_text()
    assert "Gabi" in text and "Dana" in text
    assert "Fahrten mit dem Kombi" in apage.locator("main").inner_text()
    axe_check(apage, f"detail {language} (author)")

    # 4. The driver can no longer drive: the transport is open again for the author.
    action = reverse("exchange:ride_withdraw", args=[need.pk, ride.pk])
    page.locator(f'form[action="{action}"] button').click()
    page.wait_for_load_state()
    assert Ride.objects.get(pk=ride.pk).status == PledgeStatus.CANCELLED
    apage.reload()
    assert "Dana" not in apage.locator("section.deliveries").inner_text()
    context.close()
