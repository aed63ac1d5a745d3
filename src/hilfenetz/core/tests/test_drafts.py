"""A person's typed text survives a server error: drafts.js keeps it until the server confirms."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.middleware import DRAFT_CONFIRMATION_COOKIE
from hilfenetz.exchange import services
from hilfenetz.exchange.tests.factories import ListingFactory

DRAFT_KEYS = "Object.keys(localStorage).filter(k => k.startsWith('hilfenetz-draft:'))"
TEXT = "Ich habe einen Kinderwagen und kann ihn morgen bringen."


@pytest.mark.django_db
def test_a_saved_form_sets_the_confirmation_cookie_and_a_failed_one_does_not(client):
    listing = ListingFactory()
    client.force_login(UserFactory(verified=True))
    url = reverse("exchange:answer", args=[listing.pk])
    refused = client.post(url, {"body": ""})
    assert refused.status_code == 200
    assert DRAFT_CONFIRMATION_COOKIE not in refused.cookies
    saved = client.post(url, {"body": TEXT})
    assert saved.status_code == 302
    assert saved.cookies[DRAFT_CONFIRMATION_COOKIE].value == url.replace("/", "%2F")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_text_is_back_after_a_503_and_gone_after_saving(
    browse, page, login_as, monkeypatch, axe_check
):
    listing = ListingFactory()
    login_as(UserFactory(verified=True))
    url = reverse("exchange:answer", args=[listing.pk])
    answer = services.answer

    def database_away(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "answer", database_away)
    page = browse(url, "de")
    page.fill("textarea[name=body]", TEXT)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-server-error='503']").count() == 1

    # The person opens the form again: the text is back, and they are told so.
    page.goto(page.url)
    assert page.locator("textarea[name=body]").input_value() == TEXT
    note = page.locator("#draft-note")
    assert note.get_attribute("role") == "status"
    assert note.inner_text() == "Ihr Entwurf wurde wiederhergestellt."
    axe_check(page, "restored draft")

    # The server works again: the message is sent and the draft is forgotten.
    monkeypatch.setattr(services, "answer", answer)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert listing.conversations.get().messages.get().body == TEXT
    assert page.evaluate(DRAFT_KEYS) == []

    # A new draft on the conversation page is removed when the person logs out.
    page.locator("main textarea").first.fill("Noch eine Frage")
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    page.locator("form[data-draft-clear] button").click()
    page.wait_for_load_state()
    assert page.evaluate(DRAFT_KEYS) == []
