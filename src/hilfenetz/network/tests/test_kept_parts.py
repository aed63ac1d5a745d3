"""The kept parts of the platform and meeting pages under real commits: what changed shows on
the next request, and a meeting that ended leaves the next meetings without any change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core import page_cache
from hilfenetz.network.models import AgendaItem, Expert, Follow, Thread
from hilfenetz.network.tests.factories import MeetingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.PAGE_CACHE_SECONDS = 300
    page_cache.forget()


def test_the_platform_page_shows_what_changed_and_drops_a_meeting_once_it_ended(
    client, monkeypatch
):
    now = timezone.now()
    # under way, ending in a minute (the day is in every key: the end must come first)
    meeting = MeetingFactory(
        municipality=MunicipalityFactory(),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(minutes=1),
    )
    platform = meeting.platform
    reader = UserFactory()
    Follow.objects.create(platform=platform, user=reader)
    client.force_login(reader)
    url = reverse("network:platform", args=[platform.pk])
    for _ in range(2):  # the second is kept
        assert meeting.title in client.get(url).text

    Thread.objects.create(
        platform=platform, author=UserFactory(), kind="tip", title="Neu am Brett", body="x"
    )
    later = MeetingFactory(
        municipality=meeting.municipality,
        title="Das nächste Treffen",
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7, hours=2),
    )
    Expert.objects.create(
        meeting=later,
        name="Frau Expertin",
        field="Recht",
        email="e@example.org",
        status="confirmed",
        consents_to_publication=True,
    )
    page = client.get(url).text
    assert "Neu am Brett" in page
    assert "Das nächste Treffen" in page
    assert "Frau Expertin" in page

    # Nothing changes in the data when the first meeting ends; the next meetings change.
    ended = meeting.ends_at + timedelta(seconds=1)
    if timezone.localdate(ended) != timezone.localdate(now):
        pytest.skip("run at midnight: the day alone would change the next meetings")
    monkeypatch.setattr(timezone, "now", lambda: ended)
    page = client.get(url).text
    assert meeting.title not in page
    assert "Das nächste Treffen" in page


def test_the_meeting_page_shows_a_new_agenda_item_and_experts_only_to_whom_may_see_them(client):
    meeting = MeetingFactory()
    organiser = meeting.organisers.get()
    Expert.objects.create(meeting=meeting, name="Herr Eingeladen", field="x", email="h@x.org")
    url = reverse("network:meeting", args=[meeting.pk])
    reader = UserFactory()
    for user in (reader, organiser, reader, organiser):  # kept for each after the first
        client.force_login(user)
        shown = "Herr Eingeladen" in client.get(url).text
        assert shown == (user == organiser)
    AgendaItem.objects.create(meeting=meeting, title="Begrüßung")
    client.force_login(reader)
    assert "Begrüßung" in client.get(url).text
