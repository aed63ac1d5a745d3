"""One rule for people's names (``accounts.rules.see_name``): visitors never see them, the
board is for registered volunteers."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from hilfenetz.accounts.rules import see_name
from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.network import services
from hilfenetz.network.models import Follow
from hilfenetz.network.tests.factories import MeetingFactory, platform
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

AUTHOR = "Wilhelmine Brettschreiberin"
REPLIER = "Bartholomäus Antwortgeber"
TITLE = "Fahrradwerkstatt sucht Schrauber"


@pytest.fixture
def board():
    municipality = MunicipalityFactory()
    target = platform(municipality.district)
    author = UserFactory(display_name=AUTHOR)
    replier = UserFactory(display_name=REPLIER)
    for person in (author, replier):
        Follow.objects.create(platform=target, user=person)
    thread = services.start_thread(target, author, kind="tip", title=TITLE, body="Wer hilft?")
    services.reply(thread, replier, "Ich komme am Samstag.")
    meeting = MeetingFactory(municipality=municipality, organisers=[author])
    listing = ListingFactory(municipality=municipality, author=author, kind="offer")
    return {"platform": target, "thread": thread, "meeting": meeting, "listing": listing}


def _pages(board):
    return [
        reverse("network:index"),
        reverse("network:platform", args=[board["platform"].pk]),
        reverse("network:archive", args=[board["platform"].pk]),
        reverse("network:thread", args=[board["thread"].pk]),
        reverse("network:meeting", args=[board["meeting"].pk]),
        reverse("exchange:detail", args=[board["listing"].pk]),
        reverse("exchange:list"),
    ]


def test_visitors_see_no_names_on_any_page(client, board):
    for path in _pages(board):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert AUTHOR not in html, path
        assert REPLIER not in html, path


def test_visitors_cannot_read_the_board(client, board):
    thread = reverse("network:thread", args=[board["thread"].pk])
    response = client.get(thread)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    html = client.get(reverse("network:platform", args=[board["platform"].pk])).content.decode()
    assert TITLE not in html
    assert reverse("account_login") in html


def test_registered_people_see_volunteers_names_on_the_board(client, board):
    client.force_login(UserFactory())
    html = client.get(reverse("network:thread", args=[board["thread"].pk])).content.decode()
    assert AUTHOR in html
    assert REPLIER in html
    html = client.get(reverse("network:platform", args=[board["platform"].pk])).content.decode()
    assert TITLE in html
    assert AUTHOR in html


def test_the_name_rule():
    person, other = UserFactory(), UserFactory()
    assert not see_name(AnonymousUser(), person)
    assert not see_name(None, person)
    assert see_name(person, person)
    assert see_name(other, person)
    assert not see_name(other, None)
    other.is_active = False
    assert not see_name(other, person)
