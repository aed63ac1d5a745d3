"""iCalendar (RFC 5545) for meetings: one event per meeting with a stable UID; SEQUENCE and
STATUS change when a meeting is moved or cancelled, so subscribed calendars update."""

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from hilfenetz.network.models import MeetingFormat, MeetingStatus

STATUS = {MeetingStatus.CANCELLED: "CANCELLED", MeetingStatus.PROPOSED: "TENTATIVE"}


def meeting_event(meeting, *, with_link: bool = False) -> Event:
    url = settings.SITE_URL + reverse("network:meeting", args=[meeting.pk])
    event = Event()
    event.add("uid", f"{meeting.uid}@hilfenetz")
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.local_start())
    event.add("dtend", meeting.local_end())
    event.add("summary", meeting.title)
    event.add("description", f"{meeting.description}\n\n{url}".strip())
    if meeting.format != MeetingFormat.ONLINE:
        event.add("location", " ".join(meeting.address.split()))
    elif with_link:
        event.add("location", meeting.online_link)
    event.add("url", url)
    event.add("sequence", meeting.sequence)
    event.add("status", STATUS.get(meeting.status, "CONFIRMED"))
    return event


def calendar(meetings, name: str, *, linked_ids=frozenset()) -> bytes:
    """A calendar of ``meetings``; the online link only in those of ``linked_ids``."""
    cal = Calendar()
    cal.add("prodid", "-//Hilfenetz//Vernetzung//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, with_link=meeting.pk in linked_ids))
    cal.add_missing_timezones()
    return cal.to_ical()
