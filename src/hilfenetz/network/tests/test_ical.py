"""The calendar output, parsed back by the icalendar package and checked field by field."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.network import services
from hilfenetz.network.models import CalendarFeed, Invitation, MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_meeting_ics_has_uid_local_times_with_their_zone_and_location(client):
    start = datetime(2031, 7, 1, 18, 30, tzinfo=BERLIN)  # summer time: UTC+2
    meeting = MeetingFactory(
        title="Austausch Wohnen", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    calendar = parse(client.get(reverse("network:meeting_ics", args=[meeting.pk])))
    assert str(calendar["VERSION"]) == "2.0"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@hilfenetz"
    assert str(event["SUMMARY"]) == "Austausch Wohnen"
    assert event["DTSTART"].dt == start
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTSTART"].dt.utcoffset() == timedelta(hours=2)
    assert event["DTEND"].dt == start + timedelta(hours=2)
    assert str(event["LOCATION"]) == "Rathaus, Marktplatz 1"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(reverse("network:meeting", args=[meeting.pk]))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_moved_and_cancelled_meetings_update_the_platform_feed(client):
    meeting = MeetingFactory()
    organiser = meeting.organisers.get()
    other = MeetingFactory(platform=meeting.platform, municipality=meeting.municipality)
    proposed = MeetingFactory(
        platform=meeting.platform, municipality=meeting.municipality, status=MeetingStatus.PROPOSED
    )
    url = reverse("network:platform_feed", args=[meeting.platform_id])
    found = events(parse(client.get(url)))
    assert set(found) == {f"{meeting.uid}@hilfenetz", f"{other.uid}@hilfenetz"}
    assert f"{proposed.uid}@hilfenetz" not in found
    new_start = (meeting.starts_at + timedelta(days=7)).astimezone(BERLIN)
    services.reschedule(
        meeting, organiser, starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )
    event = events(parse(client.get(url)))[f"{meeting.uid}@hilfenetz"]
    assert int(event["SEQUENCE"]) == 1 and event["DTSTART"].dt == new_start
    services.cancel(meeting, organiser, "krank")
    event = events(parse(client.get(url)))[f"{meeting.uid}@hilfenetz"]
    assert int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CANCELLED"


def test_personal_feed_has_my_meetings_and_their_links_only_when_registered(client):
    person = UserFactory()
    feed = CalendarFeed.objects.create(user=person)
    coming = MeetingFactory(format="online", online_link="https://meet.example.org/ja", capacity=1)
    maybe = MeetingFactory(format="online", online_link="https://meet.example.org/vielleicht")
    MeetingFactory(title="Nicht meins")
    services.rsvp(
        Invitation.objects.create(
            meeting=coming, user=person, email=person.email, reason="follower"
        ),
        "yes",
    )
    services.rsvp(
        Invitation.objects.create(
            meeting=maybe, user=person, email=person.email, reason="follower"
        ),
        "maybe",
    )
    found = events(parse(client.get(reverse("network:my_feed", args=[feed.token]))))
    assert set(found) == {f"{coming.uid}@hilfenetz", f"{maybe.uid}@hilfenetz"}
    assert str(found[f"{coming.uid}@hilfenetz"]["LOCATION"]) == "https://meet.example.org/ja"
    assert "LOCATION" not in found[f"{maybe.uid}@hilfenetz"]
