"""Kept pages and fragments under real commits, with the versions in Redis and in the database
cache: what was removed or changed shows on the next anonymous request."""

import re
import shutil
import subprocess
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts import second_factor
from hilfenetz.accounts.services import delete_account
from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory, coordinator_of
from hilfenetz.core import page_cache
from hilfenetz.core.tests.factories import TopicFactory
from hilfenetz.core.tests.redis_for_tests import redis_url, skip_without_redis
from hilfenetz.directory import exports
from hilfenetz.directory.tests.factories import OfficeFactory
from hilfenetz.exchange import services
from hilfenetz.exchange.models import SavedSearch
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.media import services as media_services
from hilfenetz.media.tests.factories import MediaItemFactory
from hilfenetz.regions.models import CoordinatorRole
from hilfenetz.regions.tests.factories import AreaFactory, DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse("exchange:list")
MODERATION = reverse("exchange:moderation")
DIRECTORY = reverse("directory:index")
REDIS = redis_url()


@pytest.fixture(params=["database", "redis"], autouse=True)
def shared_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = 300
    if request.param == "redis":
        skip_without_redis()
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            },
        }
    page_cache.forget()
    return request.param


def kept_page(url) -> str:
    """The page as a visitor gets it once it is kept (the first rendering learns what it reads)."""
    visitor = Client()
    visitor.get(url)
    visitor.get(url)
    with CaptureQueriesContext(connection) as queries:
        body = visitor.get(url).content.decode()
    assert len(queries) <= 1, [q["sql"] for q in queries]  # the data versions at most
    return body


def fresh(url) -> str:
    return Client().get(url).content.decode()


def test_a_withdrawn_listing_leaves_the_list_after_a_search_was_saved():
    author = UserFactory()
    listing = ListingFactory(author=author, title="Fahrrad gesucht")
    SavedSearch.objects.create(user=UserFactory(), query="Fahrrad")  # outside any transaction
    assert "Fahrrad gesucht" in kept_page(LIST)
    services.withdraw(listing, actor=author)
    assert "Fahrrad gesucht" not in fresh(LIST)


def test_a_blocked_listing_leaves_the_list():
    listing = ListingFactory(title="Billige Uhren")
    assert "Billige Uhren" in kept_page(LIST)
    services.block(listing, UserFactory(is_superuser=True, is_staff=True), "Werbung")
    assert "Billige Uhren" not in fresh(LIST)


def test_an_erased_accounts_listing_leaves_the_list():
    author = UserFactory()
    ListingFactory(author=author, title="Kinderwagen abzugeben")
    assert "Kinderwagen abzugeben" in kept_page(LIST)
    delete_account(author)
    assert "Kinderwagen abzugeben" not in fresh(LIST)


def erase_author(listing):
    delete_account(listing.author)


@pytest.mark.parametrize(
    "remove",
    [
        lambda listing: services.withdraw(listing, actor=listing.author),
        lambda listing: services.block(listing, UserFactory(is_superuser=True), "Werbung"),
        erase_author,
    ],
    ids=["withdrawn", "blocked", "erased"],
)
def test_a_removed_listings_own_page_is_gone_on_the_next_request(remove):
    listing = ListingFactory(title="Fahrrad gesucht")
    url = reverse("exchange:detail", args=[listing.pk])
    assert "Fahrrad gesucht" in kept_page(url)
    remove(listing)
    response = Client().get(url)
    assert response.status_code == 404
    assert "Fahrrad gesucht" not in response.content.decode()


def test_a_listings_own_page_follows_its_edits_and_promises():
    listing = ListingFactory(title="Stühle", quantity=4, remaining=4, unit="Stück")
    url = reverse("exchange:detail", args=[listing.pk])
    assert "(4 noch offen)" in kept_page(url)
    services.pledge(listing, UserFactory(), quantity=3)
    assert "(1 noch offen)" in fresh(url)
    services.update_listing(listing, UserFactory(is_superuser=True), title="Vier Stühle")
    assert "Vier Stühle" in kept_page(url)


def rename(row, name):
    row.name = name
    row.save()


def test_a_listings_page_reads_its_own_row_and_follows_its_places_and_organisations_names(client):
    organisation = OrganisationFactory(name="Tafel Süd")
    listing = ListingFactory(
        municipality=MunicipalityFactory(name="Altdorf"), organisation=organisation, title="Regal"
    )
    url = reverse("exchange:detail", args=[listing.pk])
    client.force_login(UserFactory())  # a person's page is not kept: only the rows around it
    client.get(url)  # the first reading learns what they read
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "Altdorf" in page
    assert "Tafel Süd" in page
    assert listing.category.name in page
    read = [query["sql"] for query in queries]
    own = [sql for sql in read if 'FROM "exchange_listing"' in sql]  # the listing's own row
    assert own
    for table in ("regions_", "exchange_category", "accounts_organisation"):
        # kept: neither joined to the listing nor read on their own
        assert not [sql for sql in own if f'JOIN "{table}' in sql], table
        assert not [sql for sql in read if f'FROM "{table}' in sql], table
    rename(listing.municipality, "Neudorf")
    rename(listing.municipality.area, "Filder")
    rename(organisation, "Tafel Nord")
    rename(listing.category, "Möbel und Hausrat")
    page = client.get(url).content.decode()
    for old, new in (("Altdorf", "Neudorf"), ("Tafel Süd", "Tafel Nord")):
        assert new in page
        assert old not in page
    assert "Filder" in page
    assert "Möbel und Hausrat" in page


def test_the_lists_cards_show_a_renamed_place_and_category_on_the_next_request():
    listing = ListingFactory(municipality=MunicipalityFactory(name="Altdorf"), title="Regal")
    page = kept_page(LIST)
    assert "Altdorf" in page
    assert f'<span class="badge">{listing.category.name}</span>' in page  # on the card
    rename(listing.municipality, "Neudorf")
    rename(listing.category, "Möbel und Hausrat")
    page = fresh(LIST)
    assert "Neudorf" in page
    assert "Altdorf" not in page
    assert '<span class="badge">Möbel und Hausrat</span>' in page


def test_a_renamed_municipality_shows_in_the_directory_and_its_pdf():
    municipality = MunicipalityFactory(name="Altdorf")
    OfficeFactory(name="Koordination Mitte", municipalities=[municipality])
    assert "Altdorf" in kept_page(DIRECTORY)
    exports.current_offices_pdf()
    rename(municipality, "Neudorf")
    page = fresh(DIRECTORY)
    assert "Neudorf" in page
    assert "Altdorf" not in page
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is missing: make test installs it")
    text = subprocess.run(  # noqa: S603 - a fixed program on our own PDF
        [pdftotext, "-", "-"], input=exports.current_offices_pdf(), capture_output=True, check=True
    ).stdout.decode()
    assert "Neudorf" in text
    assert "Altdorf" not in text


def test_a_new_topic_is_offered_by_the_kept_directory_search_form():
    organisations = reverse("directory:organisations")
    for _ in range(2):  # learn what the form reads, then keep it
        assert "Wohnungssuche" not in fresh(organisations)
    TopicFactory(name="Wohnungssuche")
    assert "Wohnungssuche" in fresh(organisations)


def test_a_change_in_a_queryset_update_shows_too():
    listing = ListingFactory(title="Deutschkurs angeboten")
    assert "Deutschkurs angeboten" in kept_page(LIST)
    type(listing).objects.filter(pk=listing.pk).update(title="Sprachcafé angeboten")
    assert "Sprachcafé angeboten" in fresh(LIST)


def roles_read(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"] for q in queries if 'FROM "accounts_coordinatorrole"' in q["sql"]]


def test_a_persons_roles_are_kept_and_a_role_given_or_taken_counts_on_the_next_request(client):
    municipality = MunicipalityFactory()
    person = UserFactory()
    client.force_login(person)
    client.get(LIST)  # learns what a person's roles read
    assert client.get(MODERATION).status_code == 403
    assert roles_read(client, LIST) == []  # kept: no query for the roles on each page

    role = CoordinatorRole.objects.create(user=person, municipality=municipality)
    assert client.get(MODERATION).status_code == 200
    assert MODERATION in client.get(LIST).text
    assert roles_read(client, LIST) == []

    role.delete()
    assert client.get(MODERATION).status_code == 403
    assert MODERATION not in client.get(LIST).text


def test_a_person_made_district_coordinator_must_set_up_the_second_factor_on_the_next_request(
    client,
):
    person = UserFactory()
    client.force_login(person)
    for _ in range(3):  # learned, kept, used
        assert client.get(LIST).status_code == 200
    CoordinatorRole.objects.create(user=person, district=DistrictFactory())
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor_required")


def test_one_persons_kept_roles_are_never_anothers(client):
    coordinator = coordinator_of(municipality=MunicipalityFactory())
    volunteer = UserFactory()
    for person, status in ((coordinator, 200), (volunteer, 403), (coordinator, 200)):
        client.force_login(person)
        for _ in range(2):
            assert client.get(MODERATION).status_code == status


def test_a_second_factor_reset_counts_on_the_next_request_of_an_open_session(client):
    person = coordinator_of(district=DistrictFactory())
    client.force_login(person)  # passes the second factor (src/conftest.py)
    for _ in range(2):  # learned, kept
        assert client.get(LIST).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    assert not [q for q in queries if 'FROM "mfa_authenticator"' in q["sql"]]

    second_factor.reset(UserFactory(is_superuser=True, is_staff=True), person)
    assert client.get(LIST)["Location"] == reverse("accounts:second_factor_required")


def test_the_media_centres_kept_results_follow_committed_changes():
    item = MediaItemFactory(title="Willkommensheft")
    person = Client()
    person.force_login(UserFactory())
    index = reverse("media:index")
    for _ in range(2):  # kept from here on, for everyone
        assert "Willkommensheft" in person.get(index).text
        assert "Willkommensheft" in person.get(index, {"q": "Willkommensheft"}).text
        assert "Wohnungssuche" not in person.get(index).text
    item.translations = {"de": {"title": "Ankommensheft"}}
    item.save(update_fields=["translations"])
    media_services.reindex(item)
    TopicFactory(name="Wohnungssuche")
    page = person.get(index).text
    assert "Ankommensheft" in page and "Willkommensheft" not in page
    assert "Wohnungssuche" in page  # offered by the search form's kept topics
    assert "Ankommensheft" not in person.get(index, {"q": "Willkommensheft"}).text
    assert "Ankommensheft" in fresh(f"{index}?q=Ankommensheft")


LOGOUT = reverse("account_logout")


def logged_in(client, url=LIST) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    return LOGOUT in response.text


def kept_login(client, person=None):
    """``person`` (a new one by default) logged in, with what their pages keep learned and kept."""
    person = person or UserFactory()
    client.force_login(person)
    for _ in range(2):  # learned, kept
        assert logged_in(client)
    return person


def test_a_persons_session_and_user_come_with_the_data_versions(client):
    kept_login(client)
    with CaptureQueriesContext(connection) as queries:
        assert logged_in(client)
    read = [q["sql"] for q in queries]
    # one round trip for the versions and the session (none in SQL with Redis), no user row
    assert len([sql for sql in read if '"hilfenetz_cache"' in sql]) <= 1, read
    assert not [sql for sql in read if '"django_session"' in sql or '"accounts_user"' in sql]


def test_a_new_password_set_elsewhere_ends_an_open_session_on_its_next_request(client):
    person = kept_login(client)
    person.set_password("ein ganz neues Kennwort 7")
    person.save()
    assert not logged_in(client)


def test_a_deactivated_account_is_logged_out_on_its_next_request(client):
    person = kept_login(client)
    type(person).objects.filter(pk=person.pk).update(is_active=False)
    assert not logged_in(client)


def test_a_session_ended_by_logout_is_over_for_every_request_that_still_sends_its_cookie(client):
    kept_login(client)
    stolen = Client()
    stolen.cookies["sessionid"] = client.cookies["sessionid"].value
    assert logged_in(stolen)
    client.post(LOGOUT)
    assert not logged_in(stolen)


def test_an_erased_account_is_logged_out_everywhere(client):
    person = kept_login(client)
    delete_account(person)
    assert not logged_in(client)


def test_one_persons_kept_user_is_never_anothers(client):
    first, second = UserFactory(display_name="Erste Person"), UserFactory(display_name="Zweite")
    for person in (first, second, first):
        client.force_login(person)
        for _ in range(2):
            assert client.get(reverse("accounts:profile")).context["user"] == person


def queue_of(person) -> Client:
    """A client of ``person`` that checks CSRF tokens as a browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client


def listing_rows_read(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MODERATION)
    assert response.status_code == 200
    return response.text, [q["sql"] for q in queries if '"exchange_listing"' in q["sql"]]


def test_the_moderation_queue_is_kept_per_scope_and_follows_committed_changes():
    here, there = MunicipalityFactory(), MunicipalityFactory()
    waiting = ListingFactory(municipality=here, status="pending", title="Wartet hier")
    ListingFactory(municipality=there, status="pending", title="Wartet dort")
    first, second = queue_of(coordinator_of(municipality=here)), queue_of(coordinator_of(here))
    for _ in range(2):  # learned, kept
        listing_rows_read(first)
    # a second coordinator of the same municipality gets what the first one's request kept
    text, read = listing_rows_read(second)
    assert "Wartet hier" in text and "Wartet dort" not in text
    assert read == []
    # a coordinator of another municipality never sees it
    text, _ = listing_rows_read(queue_of(coordinator_of(municipality=there)))
    assert "Wartet dort" in text and "Wartet hier" not in text

    # each form carries the viewer's own token: the second coordinator's approval is taken
    approve = reverse("exchange:moderate", args=[waiting.pk])
    text, _ = listing_rows_read(second)
    form = re.search(f'<form method="post" action="{approve}">(.*?)</form>', text, re.S).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert page_cache.CSRF_MARK not in text
    response = second.post(approve, {"action": "approve", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    # committed: gone from the queue of every coordinator of the scope on their next request
    assert "Wartet hier" not in listing_rows_read(first)[0]
    ListingFactory(municipality=here, status="pending", title="Neu eingegangen")
    assert "Neu eingegangen" in listing_rows_read(second)[0]


def test_a_refused_block_is_shown_only_to_the_coordinator_who_tried_it():
    here = MunicipalityFactory()
    listing = ListingFactory(municipality=here, status="pending", title="Wartet hier")
    trying, other = Client(), Client()
    trying.force_login(coordinator_of(municipality=here))
    other.force_login(coordinator_of(municipality=here))
    for client in (trying, other, other):
        client.get(MODERATION)  # learned, kept
    block = {"action": "block", "row": f"block-{listing.pk}", "page": "1", "reason": " "}
    response = trying.post(reverse("exchange:moderate", args=[listing.pk]), block, follow=True)
    refusal = "Bitte geben Sie einen Grund an"
    assert refusal in response.text
    assert refusal not in other.get(MODERATION).text
    assert refusal not in trying.get(MODERATION).text  # shown once


def test_the_kept_queue_follows_what_other_apps_decide():
    from hilfenetz.media.models import Status as MediaStatus
    from hilfenetz.network import services as network_services
    from hilfenetz.network.models import MeetingStatus
    from hilfenetz.network.tests.factories import MeetingFactory

    here = MunicipalityFactory()
    coordinator = coordinator_of(district=here.district)
    meeting = MeetingFactory(
        municipality=here, status=MeetingStatus.PROPOSED, title="Bitte zustimmen"
    )
    item = MediaItemFactory(
        district=here.district, status=MediaStatus.PENDING, title="Bitte freigeben"
    )
    client = queue_of(coordinator)
    for _ in range(2):  # learned, kept
        listing_rows_read(client)
    text, _ = listing_rows_read(client)
    assert "Bitte zustimmen" in text and "Bitte freigeben" in text
    network_services.agree(meeting, coordinator, "")
    media_services.approve(coordinator, item)
    text, _ = listing_rows_read(client)
    assert "Bitte zustimmen" not in text and "Bitte freigeben" not in text


def menu_count(client) -> int:
    text = client.get(LIST).text
    return int(re.search(rf'href="{MODERATION}"[^>]*>[^<(]*\((\d+)\)', text).group(1))


def test_the_menus_count_is_kept_per_scope_and_follows_committed_changes():
    here, there = MunicipalityFactory(), MunicipalityFactory()
    waiting = ListingFactory(municipality=here, status="pending")
    ListingFactory.create_batch(2, municipality=there, status="pending")
    coordinator = coordinator_of(municipality=here)
    first, second = queue_of(coordinator), queue_of(coordinator_of(municipality=here))
    assert [menu_count(first) for _ in range(2)] == [1, 1]  # learned, kept
    with CaptureQueriesContext(connection) as queries:
        assert menu_count(second) == 1
    assert not [q for q in queries if '"exchange_listing"' in q["sql"]]  # the kept count
    assert menu_count(queue_of(coordinator_of(municipality=there))) == 2
    services.approve(waiting, coordinator)
    assert menu_count(second) == 0
    ListingFactory(municipality=here, status="pending")
    services.report(UserFactory(), ListingFactory(municipality=here), "Spam")
    assert menu_count(first) == 2


def test_a_municipality_moved_to_another_area_takes_its_listings_to_that_areas_search():
    municipality = MunicipalityFactory()
    old_area, new_area = municipality.area, AreaFactory(district=municipality.district)
    ListingFactory(municipality=municipality, title="Fahrrad zu verschenken")
    search_in = f"{LIST}?q=Fahrrad&area="
    assert "Fahrrad zu verschenken" in kept_page(f"{search_in}{old_area.pk}")
    assert "Fahrrad zu verschenken" not in kept_page(f"{search_in}{new_area.pk}")
    municipality.area = new_area
    municipality.save()
    assert "Fahrrad zu verschenken" in fresh(f"{search_in}{new_area.pk}")
    assert "Fahrrad zu verschenken" not in fresh(f"{search_in}{old_area.pk}")
