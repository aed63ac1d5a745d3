"""Real Chromium through Playwright: the pages a newcomer sees first, with axe-core checks."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from hilfenetz.accounts.models import User
from hilfenetz.accounts.tests.factories import PASSWORD, UserFactory
from hilfenetz.core.tests.browser import drawn_with_own_fonts
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# German, Arabic, and two of the languages added last: Dari (right to left) and Tigrinya (Ge'ez)
LANGUAGES = ["de", "ar", "prs", "ti"]
RIGHT_TO_LEFT = settings.LANGUAGES_BIDI


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page(browse, axe_check, language):
    page = browse("/", language)
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language in RIGHT_TO_LEFT else "ltr")
    assert page.locator("h1").count() == 1
    axe_check(page, "home")


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_on_a_small_screen_has_no_horizontal_scrolling(browse, page, language):
    page.set_viewport_size({"width": 320, "height": 640})
    browse("/", language)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320


def test_language_switcher_remembers_the_choice(browse, page):
    browse("/", "de")
    page.locator("details.language-switcher summary").click()
    with page.expect_navigation():
        page.locator("button[lang=fa]").click()
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(page.url.split("?")[0])
    assert page.locator("html").get_attribute("lang") == "fa"


def test_the_language_menu_of_thirteen_languages_fits_a_phone_and_works_by_keyboard(
    browse, page, axe_check
):
    page.set_viewport_size({"width": 320, "height": 640})
    browse("/", "ti")
    page.locator("details.language-switcher summary").focus()
    page.keyboard.press("Enter")
    menu = page.locator("details.language-switcher form")
    assert menu.locator("fieldset").count() == 4
    assert menu.locator("button[lang]").count() == len(settings.LANGUAGES)
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    axe_check(page, "the open language menu")
    # Tab walks through the names; Enter on Dari switches the whole page to it
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('lang')") == "prs":
            break
    # a key press does not wait for the navigation it starts, so wait for it here
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "prs"
    assert page.locator("html").get_attribute("dir") == "rtl"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_is_drawn_with_the_self_hosted_fonts(browse, page, language):
    for name in ["core:home", "exchange:list", "directory:index", "media:index"]:
        browse(reverse(name), language)
        assert drawn_with_own_fonts(page, f"{name} in {language}")


def test_the_public_pages_in_leichte_sprache_have_no_axe_violations(browse, axe_check):
    for name in ["core:home", "exchange:list", "directory:index", "media:index", "core:legal"]:
        page = browse(reverse(name), "de-x-ls")
        assert page.locator("html").get_attribute("lang") == "de-x-ls", name
        axe_check(page, f"{name} in Leichte Sprache")


def test_skip_link_is_the_first_stop_and_moves_to_the_content(browse, page):
    browse("/", "de")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_confirmation_and_login(browse, page, axe_check, language, live_server):
    MunicipalityFactory()
    page = browse(reverse("account_signup"), language)
    axe_check(page, "signup")
    page.fill("input[name=display_name]", "Nour")
    page.fill("input[name=email]", f"nour-{language}@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("form:has(input[name=display_name]) button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page, "verification sent")
    user = User.objects.get(email=f"nour-{language}@example.org")
    assert user.display_name == "Nour"
    assert user.preferred_language == language
    link = re.search(r"https?://\S+/confirm-email/\S+", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]
    page.goto(f"{live_server.url}{path}")
    axe_check(page, "confirm e-mail")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # a confirmed account is welcomed first
    assert page.url.endswith(reverse("engagement:welcome"))
    axe_check(page, "welcome")


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_page_and_wrong_password_message(browse, axe_check, language):
    user = UserFactory()
    page = browse(reverse("account_login"), language)
    axe_check(page, "login")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "wrong password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("account_login"))
    axe_check(page, "login with error")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("engagement:welcome"))  # not welcomed yet


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_and_organisation_pages_have_no_axe_violations(
    browse, login_as, axe_check, language
):
    from hilfenetz.accounts.models import MembershipRole
    from hilfenetz.accounts.tests.factories import MembershipFactory

    membership = MembershipFactory(role=MembershipRole.ADMIN)
    MembershipFactory(organisation=membership.organisation, status="requested")
    login_as(membership.user)
    slug = membership.organisation.slug
    for name, args in [
        ("core:legal", []),
        ("accounts:profile", []),
        ("accounts:delete", []),
        ("accounts:organisation_create", []),
        ("accounts:organisation", [slug]),
        ("accounts:organisation_edit", [slug]),
        ("accounts:organisation_members", [slug]),
        ("account_change_password", []),
        ("mfa_index", []),
    ]:
        page = browse(reverse(name, args=args), language)
        assert page.locator("h1").count() >= 1, name
        axe_check(page, name)


def test_main_pages_fit_a_320px_screen_with_demo_data(browse, page):
    from django.core.management import call_command

    # One test for all languages: loading the demo takes far longer than the pages.
    call_command("demo", verbosity=0)
    page.set_viewport_size({"width": 320, "height": 640})
    for language in LANGUAGES:
        for name in ["core:home", "exchange:list", "directory:index", "directory:organisations"]:
            browse(reverse(name), language)
            overflowing = page.evaluate("document.documentElement.scrollWidth")
            assert overflowing <= 320, f"{name} in {language}: {overflowing}px wide"


def test_api_docs_run_under_the_content_security_policy(browse, page):
    """Swagger UI comes from our own static files and works with the site's CSP."""
    refused, requests = [], []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and refused.append(msg))
    page.on("request", lambda request: requests.append(request.url))
    browse("/api/v1/docs")
    page.locator(".opblock-summary-path", has_text="/api/v1/listings").first.wait_for()
    assert not refused, [msg.text for msg in refused]
    assert all(url.startswith(page.url.split("/api/")[0]) for url in requests), requests


def test_the_date_pickers_button_gets_the_sites_focus_ring(browse, page):
    """Chromium drops a rule whose selector it does not know: read back what it kept."""
    browse("/", "de")
    rules = page.evaluate(
        """() => Object.fromEntries([...document.styleSheets]
            .filter(sheet => sheet.href && sheet.href.includes("hilfenetz.css"))
            .flatMap(sheet => [...sheet.cssRules])
            .filter(rule => rule.selectorText)
            .map(rule => [rule.selectorText, [rule.style.outline, rule.style.boxShadow]]))"""
    )
    ring = rules[":focus-visible"]
    assert ring[0], rules.keys()
    assert rules["input::-webkit-calendar-picker-indicator:focus-visible"] == ring
    assert rules['input[type="date"]:focus-within'] == ring
