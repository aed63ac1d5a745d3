"""One moderation queue: a coordinator finds everything waiting for them on one page (listings,
reports, board reports, media items, meetings to agree to), each section listing exactly what
the rule that decides it allows them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import moderation
from hilfenetz.core.predicates import allowed
from hilfenetz.exchange import services
from hilfenetz.exchange.models import Report
from hilfenetz.exchange.models import Status as ListingStatus
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.media.models import Status as MediaStatus
from hilfenetz.media.tests.factories import MediaItemFactory
from hilfenetz.network.models import MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory
from hilfenetz.regions.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("exchange:moderation")


@pytest.fixture
def place():
    here = MunicipalityFactory()
    elsewhere = MunicipalityFactory(district=DistrictFactory())
    return {
        "here": here,
        "elsewhere": elsewhere,
        "district_coordinator": coordinator_of(district=here.district),
        "municipal_coordinator": coordinator_of(municipality=here),
        "proposed": MeetingFactory(
            municipality=here, status=MeetingStatus.PROPOSED, title="Vorgeschlagen hier"
        ),
        "proposed_elsewhere": MeetingFactory(
            municipality=elsewhere, status=MeetingStatus.PROPOSED, title="Vorgeschlagen dort"
        ),
        "invited": MeetingFactory(municipality=here, title="Schon eingeladen"),
        "pending": MediaItemFactory(
            district=here.district,
            municipality=here,
            status=MediaStatus.PENDING,
            title="Broschüre wartet",
        ),
        "pending_elsewhere": MediaItemFactory(
            district=elsewhere.district,
            municipality=elsewhere,
            status=MediaStatus.PENDING,
            title="Broschüre dort",
        ),
    }


def _items(name, user) -> list:
    return list(moderation._SECTIONS[name].items(user))


def test_the_district_coordinator_finds_meetings_to_agree_to_and_media_to_approve(client, place):
    client.force_login(place["district_coordinator"])
    text = client.get(QUEUE).text
    assert "Vorgeschlagen hier" in text and "Broschüre wartet" in text
    assert "Vorgeschlagen dort" not in text and "Broschüre dort" not in text
    assert "Schon eingeladen" not in text  # agreed to already


def test_a_municipal_coordinator_finds_the_media_of_their_place_but_agrees_to_no_meeting(
    client, place
):
    client.force_login(place["municipal_coordinator"])
    text = client.get(QUEUE).text
    assert "Broschüre wartet" in text
    assert "Vorgeschlagen hier" not in text  # the district agrees, not the hosting place


@pytest.mark.parametrize("who", ["district_coordinator", "municipal_coordinator", "volunteer"])
def test_each_section_lists_exactly_what_its_rule_allows(place, who):
    user = UserFactory() if who == "volunteer" else place[who]
    for name, rule, candidates in (
        (
            "network.proposed",
            "network.review_meeting",
            [place["proposed"], place["proposed_elsewhere"]],
        ),
        ("media.pending", "media.moderate", [place["pending"], place["pending_elsewhere"]]),
    ):
        listed = _items(name, user)
        assert listed == [c for c in candidates if allowed(rule, user, c)], (name, who)


def test_an_administrator_finds_everything_waiting(client, place):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert {m.pk for m in _items("network.proposed", admin)} == {
        place["proposed"].pk,
        place["proposed_elsewhere"].pk,
    }
    assert len(_items("media.pending", admin)) == 2


def test_the_queue_asks_as_many_queries_for_many_waiting_items(client, place):
    client.force_login(place["district_coordinator"])
    counts = []
    for n in (1, 8):
        for _ in range(n):
            MeetingFactory(municipality=place["here"], status=MeetingStatus.PROPOSED)
            MediaItemFactory(
                district=place["here"].district,
                municipality=place["here"],
                status=MediaStatus.PENDING,
                title={"de": "Heft", "ar": "كتيب"},
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _menu_count(client):
    """The count the menu shows next to "Moderation" (None: no such item)."""
    link = rf'href="{QUEUE}"[^>]*>[^<(]*\((\d+)\)'
    match = re.search(link, client.get("/").text)
    return int(match.group(1)) if match else None


def test_the_menu_counts_what_waits_in_every_section(client, place):
    listing = ListingFactory(municipality=place["here"], status=ListingStatus.PENDING)
    ListingFactory(municipality=place["elsewhere"], status=ListingStatus.PENDING)
    Report.objects.create(listing=ListingFactory(municipality=place["here"]), reason="Spam")
    client.force_login(place["district_coordinator"])
    # the listing and the report, the media item and the meeting to agree to, of this district
    assert _menu_count(client) == 4
    client.force_login(place["municipal_coordinator"])
    assert _menu_count(client) == 3  # the district agrees to meetings
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert _menu_count(client) == 7
    services.approve(listing, place["municipal_coordinator"])
    assert _menu_count(client) == 6
    client.force_login(UserFactory())
    assert _menu_count(client) is None
    assert QUEUE not in client.get("/").text


def test_a_page_rendered_before_anyone_is_known_counts_nothing():
    """An error page rendered before the session was read has no user: no count, no error."""
    from django.template import Context, Template
    from django.test import RequestFactory

    template = Template("{% load hilfenetz %}{% moderation_waiting as n %}[{{ n }}]")
    assert template.render(Context({})) == "[None]"
    assert template.render(Context({"request": RequestFactory().get("/")})) == "[None]"
