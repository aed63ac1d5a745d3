import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import page_cache
from hilfenetz.directory.tests.factories import OfficeFactory
from hilfenetz.exchange import services
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.models import Municipality
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

LIST = reverse("exchange:list")
API = "/api/v1/listings"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def nonce_of(response):
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_a_visitors_second_request_is_answered_from_memory(client, django_assert_num_queries):
    listing = ListingFactory(title="Kinderwagen für Zwillinge")
    client.get(LIST)  # the first rendering learns what the page reads
    first = client.get(LIST)
    with django_assert_num_queries(1):  # the data versions, nothing else
        second = client.get(LIST)
    assert second.status_code == 200
    assert listing.title in second.content.decode()
    assert second.content.count(b"<li class=") == first.content.count(b"<li class=")


def test_the_nonce_and_the_csrf_token_belong_to_each_request(settings):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(LIST)
    kept = [visitor.get(LIST), visitor.get(LIST)]
    nonces = [nonce_of(response) for response in kept]
    assert nonces[0] != nonces[1]
    for response, nonce in zip(kept, nonces, strict=True):
        body = response.content.decode()
        assert f'nonce="{nonce}"' in body
        assert "\x00" not in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    switched = visitor.post(
        reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "en", "next": LIST}
    )
    assert switched.status_code == 302


def test_a_logged_in_persons_page_is_neither_kept_nor_answered_from_memory(client):
    ListingFactory()
    visitor = Client()
    visitor.get(LIST)  # kept
    person = UserFactory()
    client.force_login(person)
    own = client.get(LIST)
    assert reverse("account_logout") in own.content.decode()
    cached = visitor.get(LIST)
    assert reverse("account_logout") not in cached.content.decode()
    assert reverse("account_login") in cached.content.decode()


def test_each_language_is_kept_apart(client):
    german = client.get(LIST, HTTP_ACCEPT_LANGUAGE="de")
    arabic = client.get(LIST, HTTP_ACCEPT_LANGUAGE="ar")
    again = client.get(LIST, HTTP_ACCEPT_LANGUAGE="de")
    assert b'<html lang="de" dir="ltr">' in german.content
    assert b'<html lang="ar" dir="rtl">' in arabic.content
    assert b'<html lang="de" dir="ltr">' in again.content


def test_new_changed_and_closed_listings_show_once_committed(client, committed):
    author = UserFactory()
    listing = ListingFactory(
        author=author, title="Fahrrad gesucht", quantity=3, remaining=3, unit="Stück"
    )
    assert "3 \u2068Stück\u2069 noch offen" in client.get(LIST).content.decode()
    committed(lambda: ListingFactory(title="Winterjacken abzugeben"))
    assert "Winterjacken abzugeben" in client.get(LIST).content.decode()
    committed(lambda: services.pledge(listing, UserFactory(), quantity=2))
    assert "1 \u2068Stück\u2069 noch offen" in client.get(LIST).content.decode()
    committed(lambda: services.withdraw(listing, actor=author))
    assert "Fahrrad gesucht" not in client.get(LIST).content.decode()


def test_the_api_is_kept_for_visitors_only(client, django_assert_num_queries):
    ListingFactory(title="Deutschkurs angeboten")
    client.get(API)
    client.get(API)
    with django_assert_num_queries(1):
        assert client.get(API).json()["count"] == 1
    client.force_login(UserFactory())
    assert queries_for(client, API) > 1


def test_directory_and_home_follow_their_data(client, committed):
    municipality = MunicipalityFactory(name="Altdorf")
    office = OfficeFactory(name="Koordination Altdorf", municipalities=[municipality])
    assert "Koordination Altdorf" in client.get(reverse("directory:index")).content.decode()
    assert "Altdorf" in client.get(reverse("core:home")).content.decode()
    office.name = "Koordinationsstelle Altdorf-Nord"
    committed(office.save)
    assert "Altdorf-Nord" in client.get(reverse("directory:index")).content.decode()
    municipality.name = "Neudorf"
    committed(municipality.save)
    home = client.get(reverse("core:home")).content.decode()
    assert "Neudorf" in home
    assert "Altdorf" not in home


def test_a_request_with_a_message_or_a_session_is_rendered(client):
    # the API: the list's rendering takes its results from memory too (one query as well);
    # a listing to show, so that rendering costs more (the walk of the keys, then the rows)
    ListingFactory()
    client.get(API)
    client.get(API)
    assert queries_for(client, API) == 1
    client.cookies["messages"] = "pending"
    assert queries_for(client, API) > 1
    del client.cookies["messages"]
    client.cookies["sessionid"] = "someone"
    assert queries_for(client, API) > 1


def test_only_plain_pages_are_kept(rf):
    request = rf.get(LIST)
    assert page_cache._keepable(request, HttpResponse("ok"))
    assert not page_cache._keepable(request, HttpResponse("gone", status=404))
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("choice", "1")
    assert not page_cache._keepable(request, with_cookie)
    private = HttpResponse("ok", headers={"Cache-Control": "private"})
    assert not page_cache._keepable(request, private)


def test_a_lost_version_renders_again(client):
    client.get(LIST)
    client.get(LIST)
    cache.delete(page_cache._version_key("exchange_listing"))
    assert queries_for(client, LIST) > 1
    assert queries_for(client, LIST) == 1


def test_one_bump_per_transaction(monkeypatch, committed):
    municipality = MunicipalityFactory()
    bumped = []
    monkeypatch.setattr(page_cache, "_bump", lambda tables: bumped.append(set(tables)))

    def three_listings():
        with transaction.atomic():
            ListingFactory.create_batch(3, municipality=municipality)

    committed(three_listings)
    assert len(bumped) == 1
    assert "exchange_listing" in bumped[0]


def test_kept_filter_fields_follow_a_renamed_category(client, committed):
    listing = ListingFactory()
    category = listing.category
    assert category.name in client.get(LIST).content.decode()
    category.name = "Fahrräder und Zubehör"
    committed(category.save)
    client.force_login(UserFactory())  # rendered, not a kept page: the kept form field follows
    assert "Fahrräder und Zubehör" in client.get(LIST).content.decode()


def test_the_list_below_the_actions_is_rendered_once_for_everyone(client):
    listing = ListingFactory(title="Winterjacken abzugeben")
    client.get(LIST)  # a visitor's first rendering learns what the list reads
    client.get(LIST)
    person = UserFactory()
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST).content.decode()
    assert listing.title in page
    assert '<ul class="cards exchange-list">' in page  # kept as HTML, not escaped again
    assert reverse("account_logout") in page
    # neither counted nor loaded again, nor the filters built: they were kept
    read = [query["sql"] for query in queries]
    assert not [sql for sql in read if 'FROM "exchange_listing"' in sql]
    assert not [sql for sql in read if 'FROM "regions_district"' in sql]


def test_what_is_kept_for_everyone_shows_nothing_of_one_viewer_to_another(committed):
    listing = ListingFactory(title="Deutschkurs angeboten")
    coordinator, volunteer, visitor = Client(), Client(), Client()
    coordinator.force_login(coordinator_of(municipality=listing.municipality))
    volunteer.force_login(UserFactory())
    for _ in range(2):
        as_coordinator = coordinator.get(LIST).content.decode()
    as_volunteer = volunteer.get(LIST).content.decode()
    as_visitor = visitor.get(LIST).content.decode()
    moderation, mine = reverse("exchange:moderation"), reverse("exchange:mine")
    assert moderation in as_coordinator
    assert moderation not in as_volunteer
    assert mine in as_volunteer
    assert mine not in as_visitor
    assert reverse("account_login") in as_visitor
    for page in (as_coordinator, as_volunteer, as_visitor):
        assert listing.title in page
    committed(lambda: ListingFactory(title="Kinderwagen abzugeben"))
    assert "Kinderwagen abzugeben" in volunteer.get(LIST).content.decode()


def test_what_a_kept_part_read_leaves_out_the_session_and_the_cache():
    listing = ListingFactory()
    with page_cache.recording() as tables:
        cache.get("anything")  # the database cache's own table, when there is no Redis
        Client().session.load()
        list(type(listing).objects.filter(pk=listing.pk))
    assert "exchange_listing" in tables
    assert not [table for table in tables if table.startswith(page_cache.UNWATCHED)]


def test_a_logged_in_persons_kept_frame_carries_their_own_nonce(client):
    client.force_login(UserFactory())
    client.get(LIST)  # the frame's parts are kept from here on
    for _ in range(2):
        response = client.get(LIST)
        body = response.content.decode()
        assert body.count(f'nonce="{nonce_of(response)}"') == 3  # the three scripts of the head
        assert "\x00" not in body


def test_a_kept_block_carries_each_requests_own_nonce_and_csrf_token(rf):
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token
    from django.template import RequestContext, engines

    kept = engines["django"].from_string(
        '{% load hilfenetz %}{% keep "test_marks" %}<script nonce="{{ csp_nonce }}"></script>'
        "<form>{% csrf_token %}</form>{% endkeep %}"
    )
    pages = []
    for _ in range(2):
        request = rf.get("/")
        ContentSecurityPolicyMiddleware(lambda r: None).process_request(request)
        CsrfViewMiddleware(lambda r: None).process_request(request)
        html = kept.template.render(RequestContext(request))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert f'nonce="{request._csp_nonce}"' in html
        assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]  # its own secret
        pages.append(html)
    assert pages[0] != pages[1]


def test_a_kept_block_without_a_request_has_no_stand_ins():
    from django.template import engines

    kept = engines["django"].from_string(
        '{% load i18n hilfenetz %}{% keep "test_no_request" %}<p>{% translate "Home" %}</p>{% endkeep %}'
    )
    assert "\x00" not in kept.render({})


@pytest.fixture
def full_stores(settings):
    """Stores as small as a busy district's are full, empty at first: 30 entries each, or as
    many as ``sized(store=entries)`` says."""

    def sized(**entries):
        settings.CACHES = {
            **settings.CACHES,
            **{
                store: {
                    **settings.CACHES[store],
                    "LOCATION": f"full-{store}-{entries.get(store, 30)}",
                    "OPTIONS": {"MAX_ENTRIES": entries.get(store, 30)},
                }
                for store in page_cache.STORES
            },
        }
        page_cache.forget()

    sized()
    yield sized
    page_cache.forget()


def not_again():
    raise AssertionError("rendered again, though kept")


def test_items_of_lists_leave_the_fragments_that_many_pages_show_kept(full_stores):
    assert page_cache.kept("frame-test", (), lambda: "the frame") == "the frame"
    # a browsing visitor's many cards, more than the store holds
    cards = page_cache.kept_each(
        "card-test", list(range(50)), lambda parts: [f"{n}" for n in parts]
    )
    assert cards == [str(n) for n in range(50)]
    assert page_cache.kept("frame-test", (), not_again) == "the frame"


def test_what_the_filters_found_outlives_the_many_pages_of_other_filters(rf, full_stores):
    def found(path, query):
        return page_cache.same_for_everyone(
            rf.get(path), "matches-test", lambda: f"matches of {query}", query, store="matches"
        )

    assert found("/hilfeboerse/?kind=need&page=1", "kind=need") == "matches of kind=need"
    for n in range(50):  # other searches' pages, each kept by its path
        request = rf.get(f"/hilfeboerse/?q=word{n}")
        page_cache.same_for_everyone(request, "results-test", lambda n=n: f"page {n}")
    assert found("/hilfeboerse/?kind=need&page=2", "kind=need") == "matches of kind=need"
    with pytest.raises(AssertionError, match="rendered again"):  # pushed out, as it should be
        page_cache.same_for_everyone(rf.get("/hilfeboerse/?q=word0"), "results-test", not_again)


def test_a_busy_list_finds_its_filters_matches_once(client, full_stores):
    full_stores(pages=5)  # pages are many: of the 20 searches below, the last five are kept
    ListingFactory.create_batch(3)
    client.force_login(UserFactory())
    client.get(f"{LIST}?kind=offer")  # the first rendering learns what the parts read
    client.get(f"{LIST}?kind=offer")
    for n in range(20):  # other people's searches in between
        client.get(f"{LIST}?q=Wort{n}")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{LIST}?kind=offer&page=1").status_code == 200
    # neither the matches found again nor the filter fields built again
    read = [query["sql"] for query in queries]
    assert not [sql for sql in read if 'FROM "exchange_listing"' in sql]
    assert not [sql for sql in read if 'FROM "regions_' in sql]


def test_kept_rows_are_each_requests_own_copy_and_outside_a_request_are_read_each_time(
    rf, django_assert_num_queries
):
    municipality = MunicipalityFactory(name="Altdorf")

    def read():
        return page_cache.kept_rows(Municipality, [municipality.pk, None], "area")[municipality.pk]

    def in_a_request():
        return page_cache.PageCacheMiddleware(lambda request: read())(rf.get("/"))

    in_a_request().name = "changed by one request"  # the first reading learns what rows read
    in_a_request().name = "changed by another"
    with django_assert_num_queries(1):  # the data versions: the row and its area are kept
        row = in_a_request()
    assert row.name == "Altdorf"
    assert row.area.name == municipality.area.name
    with django_assert_num_queries(1):  # outside a request: read, with its area, in one query
        assert read().area.name == municipality.area.name
