import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
)
from hilfenetz.core import page_cache, search
from hilfenetz.exchange import services
from hilfenetz.exchange.models import ConsentRecord, Conversation, Message, Report, Status
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def make_listings(n, municipality, **kwargs):
    organisation = OrganisationFactory(municipality=municipality)
    return [
        ListingFactory(
            municipality=municipality,
            organisation=organisation if i % 2 else None,
            category_slug="sprache" if i % 3 else "sachspenden",
            **kwargs,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("url_name", ["exchange:list", "exchange:mine"])
def test_list_pages_query_count_does_not_grow(client, url_name):
    municipality = MunicipalityFactory()
    user = UserFactory()
    client.force_login(user)
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    counts = []
    for n in (5, 45):  # 5 listings, then 50
        # The person's own listings and answers, so "mine" lists them too.
        own = make_listings(n, municipality, author=user)
        answered = make_listings(n, municipality)
        for listing in answered:
            Conversation.objects.create(listing=listing, helper=user)
        newest = own[-1] if url_name == "exchange:mine" else answered[-1]
        page_cache.forget()  # a page's first rendering, not one from kept fragments
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(url_name))
        assert response.status_code == 200
        assert reverse("exchange:detail", args=[newest.pk]) in response.text
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_list_search_query_count(client, django_assert_max_num_queries):
    municipality = MunicipalityFactory()
    make_listings(50, municipality)
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    # one of them the crisis banner; two the categories' labels and the places' names, which
    # the cards' query no longer joins (kept from the first page on)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("exchange:list"), {"q": "Kinderwagen", "sort": "relevance"})
    assert response.status_code == 200


def test_a_search_says_when_it_shows_only_the_newest_matches(client, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    municipality = MunicipalityFactory()
    for n, kind in enumerate(("need", "offer", "offer")):
        ListingFactory(title=f"Kinderwagen {n}", municipality=municipality, kind=kind)
    response = client.get(reverse("exchange:list"), {"q": "Kinderwagen"})
    assert "Mehr als 2 Einträge – grenzen Sie die Suche ein, um ältere zu sehen." in response.text
    assert len(re.findall(r'href="/hilfeboerse/\d+/"', response.text)) == 2
    # the one match of a narrower search: counted as it is
    response = client.get(reverse("exchange:list"), {"q": "Kinderwagen 0"})
    assert "1 Eintrag<" in response.text and "Mehr als" not in response.text
    # the filters narrow the matches searched: the older need is found, the newest two are
    # the offers, and no more are claimed
    response = client.get(reverse("exchange:list"), {"q": "Kinderwagen", "kind": "need"})
    assert "1 Eintrag<" in response.text and "Mehr als" not in response.text
    response = client.get(reverse("exchange:list"), {"q": "Kinderwagen", "kind": "offer"})
    assert "2 Einträge<" in response.text and "Mehr als" not in response.text


def test_moderation_queue_is_scoped_and_query_count_is_flat(client):
    here, other = MunicipalityFactory(), MunicipalityFactory()
    coordinator = coordinator_of(municipality=here)
    reporter = UserFactory()
    client.force_login(coordinator)
    counts, waiting = [], 0
    for n in (5, 45):
        waiting += n
        for _ in range(n):
            listing = ListingFactory(municipality=here, status=Status.PENDING, title="Hier wartet")
            Report.objects.create(listing=listing, reporter=reporter, reason="Werbung?")
        elsewhere = ListingFactory(
            municipality=other, status=Status.PENDING, title="Woanders wartet"
        )
        Report.objects.create(listing=elsewhere, reporter=reporter, reason="Woanders gemeldet")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("exchange:moderation"))
        counts.append(len(ctx.captured_queries))
        # a form to block each listing on the page (20 a page) and each reported one
        assert response.text.count('<textarea name="reason"') == min(waiting, 20) + waiting
        # every form of the page carries its CSRF token (a form to approve and one to block
        # each waiting listing, one to block and one to close each report, the language and
        # logging out)
        assert (
            response.text.count('name="csrfmiddlewaretoken"')
            == 2 * min(waiting, 20) + 2 * waiting + 2
        )
    assert counts[0] == counts[1] <= 9  # one of them the crisis banner
    assert "Hier wartet" in response.text
    assert "Woanders" not in response.text


def test_open_reports_in_scope_are_read_through_the_join_to_their_listing():
    """Not as "listing in (every listing in scope)": that list is read in full first."""
    coordinator = coordinator_of(municipality=MunicipalityFactory())
    sql = str(Report.objects.coordinated_by(coordinator).open().query)
    assert sql.count("SELECT") == 1, sql


def test_detail_query_count_and_no_personal_data(client, django_assert_max_num_queries):
    author = UserFactory(display_name="Frieda", email="frieda@example.org")
    listing = ListingFactory(author=author, title="Bücher")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("exchange:detail", args=[listing.pk]))
    assert "Frieda" not in response.text  # a person's name is not public
    assert listing.municipality.name in response.text
    assert "frieda@example.org" not in response.text
    assert 'lang="de" dir="auto"' in response.text


def test_on_behalf_listing_shows_no_name(client):
    coordinator = UserFactory(display_name="Koordinatorin Kim")
    listing = ListingFactory(
        author=coordinator,
        consent=ConsentRecord.objects.create(recorded_by=coordinator, agreement="mündlich"),
    )
    client.cookies["hilfenetz_language"] = "en"
    response = client.get(reverse("exchange:detail", args=[listing.pk]))
    assert "Koordinatorin Kim" not in response.text
    assert "on behalf of a person seeking help" in response.text


def test_organisation_name_instead_of_member(client):
    organisation = OrganisationFactory(name="Helferkreis Nord")
    member = MembershipFactory(organisation=organisation).user
    listing = ListingFactory(author=member, organisation=organisation)
    response = client.get(reverse("exchange:detail", args=[listing.pk]))
    assert "Helferkreis Nord" in response.text
    assert member.display_name not in response.text


def test_pending_listing_hidden_from_public(client):
    listing = ListingFactory(status=Status.PENDING)
    assert client.get(reverse("exchange:detail", args=[listing.pk])).status_code == 404
    client.force_login(listing.author)
    assert client.get(reverse("exchange:detail", args=[listing.pk])).status_code == 200


def test_create_form_warns_in_writers_language_and_publishes(client):
    user = UserFactory(preferred_language="en")
    # before the form is shown: the places it offers are kept (a test's writes never commit)
    municipality = MunicipalityFactory()
    municipality.district.moderate_new_accounts = False
    municipality.district.save()
    client.force_login(user)
    response = client.get(reverse("exchange:create"))
    assert "Health, religion, origin and names" in response.text
    response = client.post(
        reverse("exchange:create"),
        {
            "kind": "offer",
            "category": category(district=municipality.district).pk,
            "municipality": municipality.pk,
            "language": "en",
            "title": "Winter coats",
            "description": "Three warm coats, size M.",
        },
    )
    assert response.status_code == 302
    listing = user.listings.get()
    assert listing.status == Status.PUBLISHED
    assert listing.language == "en"


def test_conversation_is_private_to_the_two_sides(client):
    listing = ListingFactory()
    helper = UserFactory()
    conversation = services.answer(listing, helper, "Ich habe so etwas.")
    url = reverse("exchange:conversation", args=[conversation.pk])
    for outsider in (UserFactory(), coordinator_of(municipality=listing.municipality)):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, {"body": "Hallo?"}).status_code == 403
    assert Message.objects.count() == 1
    client.force_login(listing.author)
    response = client.get(url)
    assert "Ich habe so etwas." in response.text
    client.post(url, {"body": "Super, danke!"})
    assert Message.objects.filter(sender=listing.author).exists()


def test_conversation_query_count_is_flat(client):
    listing = ListingFactory()
    helper = UserFactory()
    conversation = Conversation.objects.create(listing=listing, helper=helper)
    client.force_login(helper)
    counts = []
    for n in (5, 45):
        for i in range(n):
            Message.objects.create(
                conversation=conversation, sender=helper if i % 2 else listing.author, body="x"
            )
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("exchange:conversation", args=[conversation.pk]))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_answers_page_shows_pledges_and_conversations_to_author(client):
    listing = ListingFactory(quantity=3, remaining=3)
    helper = UserFactory(display_name="Hanna")
    services.pledge(listing, helper, 2)
    services.answer(listing, helper, "Komme morgen")
    client.force_login(listing.author)
    response = client.get(reverse("exchange:answers", args=[listing.pk]))
    assert response.text.count("Hanna") >= 2


def test_block_from_moderation_queue(client):
    listing = ListingFactory(status=Status.PENDING)
    client.force_login(coordinator_of(district=listing.municipality.district))
    response = client.post(
        reverse("exchange:moderate", args=[listing.pk]), {"action": "block", "reason": "Werbung"}
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == Status.BLOCKED


def _row_of(html, listing):
    """The moderation queue's row (``<li>``) of a waiting listing."""
    rows = re.findall(r'<li class="card">.*?</form>\s*</li>', html, re.S)
    return next(row for row in rows if f"id_block-{listing.pk}_reason" in row)


def test_a_refused_block_shows_its_message_in_its_row_and_keeps_the_text(client, monkeypatch):
    municipality = MunicipalityFactory()
    listings = [
        ListingFactory(municipality=municipality, status=Status.PENDING, title=title)
        for title in ("Kinderwagen gesucht", "Fahrrad gesucht")
    ]
    for _ in range(20):  # the second page of the queue
        ListingFactory(municipality=municipality, status=Status.PENDING)
    waiting = ListingFactory(municipality=municipality, status=Status.PENDING, title="Späte")
    client.force_login(coordinator_of(municipality=municipality))
    url = reverse("exchange:moderate", args=[listings[1].pk])
    post = {"action": "block", "row": f"block-{listings[1].pk}", "page": "1"}

    response = client.post(url, {**post, "reason": "   "}, follow=True)
    assert response.redirect_chain == [(reverse("exchange:moderation") + "?page=1", 302)]
    message = "Bitte geben Sie einen Grund an; der Verfasser erhält ihn."
    row = _row_of(response.text, listings[1])
    assert message in row and 'aria-invalid="true"' in row
    assert message not in _row_of(response.text, listings[0])
    assert response.text.count(message) == 1  # next to its row, not again above the page
    listings[1].refresh_from_db()
    assert listings[1].status == Status.PENDING

    def refuse(listing, actor, reason):
        raise ValidationError("Gerade nicht möglich.")

    monkeypatch.setattr(services, "block", refuse)
    typed = "Werbung <für> ein Geschäft"
    response = client.post(url, {**post, "reason": typed}, follow=True)
    row = _row_of(response.text, listings[1])
    assert "Gerade nicht möglich." in row
    assert ">\nWerbung &lt;für&gt; ein Geschäft</textarea>" in row
    # shown once: the next visit shows the form empty again
    assert "Gerade nicht möglich." not in client.get(reverse("exchange:moderation")).text

    # from the second page, back to it
    post = {"action": "block", "row": f"block-{waiting.pk}", "page": "2", "reason": typed}
    response = client.post(reverse("exchange:moderate", args=[waiting.pk]), post, follow=True)
    assert "Gerade nicht möglich." in _row_of(response.text, waiting)


def test_statistics_svg_table_and_csv(client):
    here = MunicipalityFactory(name="Hierdorf")
    ListingFactory(municipality=here)
    ListingFactory(municipality=MunicipalityFactory(name="Fernort"))
    client.force_login(coordinator_of(municipality=here))
    response = client.get(reverse("exchange:statistics"))
    assert "<svg" in response.text
    assert "Hierdorf" in response.text
    assert "Fernort" not in response.text
    csv = client.get(reverse("exchange:statistics_csv"), {"level": "area"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[1].endswith(",1,1,0,0")


def _flat_count(client, url, add):
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    client.get(url)  # what the page keeps, learned
    counts = []
    for n in (5, 45):
        add(n)
        client.get(url)  # kept again after the rows just added
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts


def test_answers_page_query_count_is_flat(client):
    listing = ListingFactory(quantity=100, remaining=100)
    client.force_login(listing.author)

    def add(n):
        for _ in range(n):
            helper = UserFactory()
            Conversation.objects.create(listing=listing, helper=helper)
            services.pledge(listing, helper, 1)

    counts = _flat_count(client, reverse("exchange:answers", args=[listing.pk]), add)
    assert counts[0] == counts[1]


def test_saved_searches_and_statistics_query_counts_are_flat(client):
    from hilfenetz.exchange.models import SavedSearch

    district = MunicipalityFactory().district
    user = coordinator_of(district=district)
    client.force_login(user)

    def add_searches(n):
        for i in range(n):
            SavedSearch.objects.create(
                user=user, query=f"Suche {i}", category=category(district=district)
            )

    counts = _flat_count(client, reverse("exchange:saved_searches"), add_searches)
    assert counts[0] == counts[1]

    def add_listings(n):
        for _ in range(n):
            ListingFactory(municipality=MunicipalityFactory(area__district=district))

    counts = _flat_count(client, reverse("exchange:statistics"), add_listings)
    assert counts[0] == counts[1]


def test_author_sees_matching_listings_of_the_other_kind(client):
    need = ListingFactory(kind="need", title="Fahrrad gesucht")
    offer = ListingFactory(kind="offer", title="Fahrrad abzugeben", municipality=need.municipality)
    client.force_login(need.author)
    response = client.get(reverse("exchange:detail", args=[need.pk]))
    assert reverse("exchange:detail", args=[offer.pk]) in response.text


def test_answering_too_often_is_refused_with_429(client, settings):
    from hilfenetz.exchange import ratelimit

    listing = ListingFactory()
    client.force_login(UserFactory())
    limit, _period = ratelimit.LIMITS["answer"]
    url = reverse("exchange:answer", args=[listing.pk])
    for _ in range(limit):
        assert client.post(url, {"body": "Hallo"}).status_code == 302
    assert client.post(url, {"body": "Hallo"}).status_code == 429


def test_description_keeps_line_breaks_and_escapes_html(client):
    listing = ListingFactory(description="Zeile eins\nZeile <b>zwei</b>")
    response = client.get(reverse("exchange:detail", args=[listing.pk]))
    assert "Zeile eins<br>Zeile &lt;b&gt;zwei&lt;/b&gt;" in response.text


def test_the_author_is_not_offered_to_report_their_own_listing_and_cannot(client):
    listing = ListingFactory()
    detail = reverse("exchange:detail", args=[listing.pk])
    report = reverse("exchange:report", args=[listing.pk])
    client.force_login(listing.author)
    assert report not in client.get(detail).text
    assert client.get(report).status_code == 403
    assert client.post(report, {"reason": "Test"}).status_code == 403
    client.force_login(UserFactory())
    assert report in client.get(detail).text
    assert client.post(report, {"reason": "Werbung"}).status_code == 302
    assert list(listing.reports.values_list("reason", flat=True)) == ["Werbung"]


def test_nobody_reports_their_own_message_but_the_other_side_may(client):
    listing = ListingFactory()
    helper = UserFactory()
    conversation = services.answer(listing, helper, "Ich habe so etwas.")
    message = conversation.messages.get()
    url = reverse("exchange:message_report", args=[message.pk])
    client.force_login(helper)
    assert client.post(url, {"reason": "Test"}).status_code == 403
    assert not listing.reports.exists()
    client.force_login(listing.author)
    assert client.post(url, {"reason": "unfreundlich"}).status_code == 302
    assert listing.reports.get().message == message


def test_who_took_part_still_sees_a_fulfilled_listing_and_strangers_do_not(client):
    listing = ListingFactory(quantity=3, remaining=3)
    helper, pledger = UserFactory(), UserFactory()
    conversation = services.answer(listing, helper, "Ich bringe es vorbei.")
    services.pledge(listing, pledger, 1)
    services.mark_fulfilled(listing, listing.author)
    detail = reverse("exchange:detail", args=[listing.pk])
    for person in (
        listing.author,
        helper,
        pledger,
        coordinator_of(municipality=listing.municipality),
    ):
        client.force_login(person)
        response = client.get(detail)
        assert response.status_code == 200, person
        # The final state as good news, not in the red box of errors and warnings.
        assert 'class="message message--success">Status: Erfüllt' in response.text
    for stranger in (UserFactory(), coordinator_of(municipality=MunicipalityFactory())):
        client.force_login(stranger)
        assert client.get(detail).status_code == 404
    client.logout()
    assert client.get(detail).status_code == 404
    client.force_login(helper)
    html = client.get(reverse("exchange:conversation", args=[conversation.pk])).text
    assert "Dieser Eintrag wurde als erfüllt markiert." in html
    assert f'href="{detail}"' in html


def test_a_blocked_listing_stays_hidden_from_those_who_answered(client):
    listing = ListingFactory()
    helper = UserFactory()
    conversation = services.answer(listing, helper, "Hallo")
    services.block(listing, coordinator_of(municipality=listing.municipality), "Werbung")
    detail = reverse("exchange:detail", args=[listing.pk])
    client.force_login(helper)
    assert client.get(detail).status_code == 404
    html = client.get(reverse("exchange:conversation", args=[conversation.pk])).text
    assert f'href="{detail}"' not in html  # the title, without a link that would answer 404


def test_each_reason_field_of_the_moderation_queue_is_labelled_with_its_listing(client):
    municipality = MunicipalityFactory()
    titles = ["Kinderwagen gesucht", "Fahrrad gesucht", "Winterjacken"]
    listings = [
        ListingFactory(municipality=municipality, status=Status.PENDING, title=title)
        for title in titles
    ]
    client.force_login(coordinator_of(municipality=municipality))
    html = client.get(reverse("exchange:moderation")).text
    ids = re.findall(r'<textarea name="reason"[^>]* id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 3
    for listing, field_id in zip(listings, ids, strict=True):
        label = re.search(rf'<label for="{field_id}">(.*?)</label>', html, re.S)
        assert label and listing.title in label.group(1), field_id
