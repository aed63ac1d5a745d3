"""The pages: the coordinator prints and revokes; the person enters the code, sees their
listing and answers, and reaches nothing else."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.exchange.models import Conversation, Message
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.slips import services, session
from hilfenetz.slips.models import Slip
from hilfenetz.slips.services import code_of
from hilfenetz.slips.tests.factories import on_behalf_listing, slip_for

pytestmark = pytest.mark.django_db


def enter(client, code):
    return client.post(reverse("slips:enter"), {"code": code})


def test_coordinator_creates_a_slip_and_sees_its_code(client, listing):
    client.force_login(listing.author)
    page = client.get(reverse("slips:create") + f"?listing={listing.pk}")
    assert page.status_code == 200 and listing.title in page.text
    response = client.post(
        reverse("slips:create"),
        {"listing": listing.pk, "pseudonym": "Amira", "language": "ar", "valid_until": ""},
    )
    slip = Slip.objects.get()
    assert response.status_code == 302 and response.url == reverse("slips:detail", args=[slip.pk])
    detail = client.get(response.url)
    assert code_of(slip) in detail.text
    listed = client.get(reverse("slips:list"))
    assert "Amira" in listed.text


def test_a_bad_form_keeps_what_was_typed(client, listing):
    client.force_login(listing.author)
    response = client.post(
        reverse("slips:create"), {"listing": listing.pk, "pseudonym": "", "language": "ar"}
    )
    assert response.status_code == 200 and not Slip.objects.exists()
    assert 'value="ar" selected' in response.text


def test_the_print_page_is_in_the_persons_language_with_a_qr_code(client, listing):
    slip, code = slip_for(listing, language="ar")
    client.force_login(listing.author)
    page = client.get(reverse("slips:print", args=[slip.pk]))
    # the frame in the coordinator's language, the slip in the person's
    assert '<html lang="de" dir="ltr">' in page.text
    assert '<article class="slip" lang="ar" dir="rtl">' in page.text
    assert "مرحبا" in page.text or "مرحبًا" in page.text
    assert "<svg" in page.text and code in page.text
    assert "/z/" in page.text


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_pdf_shows_the_code_and_the_address(client, listing, language):
    slip, code = slip_for(listing, language=language)
    client.force_login(listing.author)
    response = client.get(reverse("slips:pdf", args=[slip.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert code in text and "/z/" in text
    assert reader.pages[0].images  # the QR code


def test_the_qr_link_asks_before_it_opens_anything(client, listing):
    slip, code = slip_for(listing)
    url = reverse("slips:open", args=[code.replace("-", "")])
    for method in (client.get, client.head):
        response = method(url)
        assert response.status_code == 200
        assert session.KEY not in client.session
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("slips:home")
    assert client.session[session.KEY][0] == slip.pk


def test_the_person_sees_the_answers_and_answers(client, listing):
    slip, code = slip_for(listing, language="ar")
    helper = UserFactory(display_name="Jonas")
    conversation = Conversation.objects.create(listing=listing, helper=helper)
    Message.objects.create(conversation=conversation, sender=helper, body="Ich bringe die Jacke.")
    response = enter(client, code.lower())
    assert response.status_code == 302
    assert response.cookies["hilfenetz_language"].value == "ar"
    home = client.get(reverse("slips:home"))
    assert listing.title in home.text and "Ich bringe die Jacke." in home.text
    assert "Jonas" not in home.text  # a visitor of the site never learns who wrote
    answered = client.post(reverse("slips:reply", args=[conversation.pk]), {"body": "شكرا"})
    assert answered.status_code == 302
    assert conversation.messages.last().sender == listing.author


def test_an_empty_answer_is_refused_and_sends_nothing(client, listing):
    _slip, code = slip_for(listing)
    conversation = Conversation.objects.create(listing=listing, helper=UserFactory())
    enter(client, code)
    response = client.post(reverse("slips:reply", args=[conversation.pk]), {"body": "  "})
    assert response.status_code == 400 and not Message.objects.exists()


def test_a_wrong_code_is_refused(client, listing):
    slip_for(listing)
    response = enter(client, "AAAA-AAAA")
    assert response.status_code == 200 and session.KEY not in client.session
    assert client.get(reverse("slips:home")).url == reverse("slips:enter")


def test_entering_codes_is_rate_limited(client, listing):
    _slip, code = slip_for(listing)
    for _ in range(services.ENTRY_LIMIT):
        assert enter(client, "AAAA-AAAA").status_code == 200
    assert enter(client, code).status_code == 429
    assert client.post(reverse("slips:open", args=[code])).status_code == 429
    assert session.KEY not in client.session


def test_revoking_ends_an_open_session_at_once(client, listing):
    slip, code = slip_for(listing)
    enter(client, code)
    assert client.get(reverse("slips:home")).status_code == 200
    desk = Client()  # the coordinator's browser
    desk.force_login(listing.author)
    assert desk.post(reverse("slips:revoke", args=[slip.pk])).status_code == 302
    assert client.get(reverse("slips:home")).url == reverse("slips:enter")
    assert session.KEY not in client.session


def test_the_coordinator_adds_a_listing_and_a_wrong_choice_changes_nothing(client, listing):
    slip, _code = slip_for(listing)
    second = on_behalf_listing(listing.municipality, coordinator=listing.author, title="Schuhe")
    client.force_login(listing.author)
    assert "Schuhe" in client.get(reverse("slips:detail", args=[slip.pk])).text
    url = reverse("slips:add_listing", args=[slip.pk])
    assert client.post(url, {"listing": ListingFactory().pk}).status_code == 400
    assert slip.listings.count() == 1
    assert client.post(url, {"listing": second.pk}).status_code == 302
    assert slip.listings.count() == 2


def test_an_ended_slip_is_not_printed_again(client, listing):
    slip, _code = slip_for(listing)
    client.force_login(listing.author)
    client.post(reverse("slips:revoke", args=[slip.pk]))
    for name in ("print", "pdf"):
        assert client.get(reverse(f"slips:{name}", args=[slip.pk])).status_code == 404
    assert client.get(reverse("slips:detail", args=[slip.pk])).status_code == 200


def test_leaving_ends_the_session(client, listing):
    _slip, code = slip_for(listing)
    enter(client, code)
    assert client.post(reverse("slips:leave")).status_code == 302
    assert client.get(reverse("slips:home")).status_code == 302


def test_a_slip_session_reaches_no_page_behind_a_login(client, listing):
    """The code opens the person's own listing only: their page and answers; nothing of an
    account, of other listings, of the admin or of the API."""
    _slip, code = slip_for(listing)
    other = ListingFactory(municipality=listing.municipality)
    other_conversation = Conversation.objects.create(listing=other, helper=UserFactory())
    own_conversation = Conversation.objects.create(listing=listing, helper=UserFactory())
    enter(client, code)
    login = reverse("account_login")
    for url in (
        reverse("accounts:profile"),
        reverse("exchange:mine"),
        reverse("exchange:create"),
        reverse("exchange:answers", args=[listing.pk]),
        reverse("exchange:edit", args=[listing.pk]),
        reverse("exchange:answers", args=[other.pk]),
        reverse("exchange:conversation", args=[own_conversation.pk]),
        reverse("exchange:conversation", args=[other_conversation.pk]),
        reverse("slips:list"),
        reverse("slips:detail", args=[_slip.pk]),
        reverse("slips:print", args=[_slip.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(login), url
    assert client.get(reverse("admin:index")).url.startswith(reverse("admin:login"))
    for target in (listing, other):  # the API's steps that need a login
        for step in ("answer", "pledge"):
            response = client.post(
                reverse(f"api-v1:{step}_listing", args=[target.pk]),
                {"body": "x", "quantity": 1},
                content_type="application/json",
            )
            assert response.status_code == 401, step
    # another listing's conversation through the slip's own answer address
    response = client.post(reverse("slips:reply", args=[other_conversation.pk]), {"body": "x"})
    assert response.status_code == 404 and not Message.objects.exists()
    # the session is still the slip's: nothing above ended or widened it
    assert client.get(reverse("slips:home")).status_code == 200


def test_entering_a_code_logs_an_account_out(client, listing):
    _slip, code = slip_for(listing)
    client.force_login(UserFactory())
    enter(client, code)
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert client.get(reverse("slips:home")).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_the_slip_list_reads_the_same_few_tables_however_many_slips(
    client, listing, count, django_assert_max_num_queries
):
    for i in range(count):
        slip_for(listing, pseudonym=f"Person {i}")
    client.force_login(listing.author)
    client.get(reverse("slips:list"))  # the session and the scope are read once
    with django_assert_max_num_queries(8):
        page = client.get(reverse("slips:list"))
    assert page.text.count(listing.title) == count


@pytest.mark.parametrize("answers", [1, 5])
def test_the_persons_page_reads_the_same_few_tables_however_many_answers(
    client, listing, answers, django_assert_max_num_queries
):
    _slip, code = slip_for(listing)
    for i in range(answers):
        helper = UserFactory()
        conversation = Conversation.objects.create(listing=listing, helper=helper)
        Message.objects.create(conversation=conversation, sender=helper, body=f"Nachricht {i}")
    enter(client, code)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("slips:home"))
    assert page.text.count("Nachricht ") == answers
