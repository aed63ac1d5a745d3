"""Periodic jobs, privacy export and erasure, the platform page and the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import privacy
from hilfenetz.core.periodic import registered_jobs
from hilfenetz.network import services, tasks
from hilfenetz.network.models import Follow, Invitation, Platform, Thread
from hilfenetz.network.tests.factories import MeetingFactory, platform
from hilfenetz.regions.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_reminders_and_digests_are_periodic_jobs():
    jobs = registered_jobs()
    assert tasks.send_meeting_reminders.module_path in jobs
    assert tasks.send_board_digests.module_path in jobs
    meeting = MeetingFactory(
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
    )
    Invitation.objects.create(
        meeting=meeting, email="a@example.org", reason="follower", answer="yes"
    )
    assert tasks.send_meeting_reminders.call() == 1
    assert tasks.send_meeting_reminders.call() == 0


def test_export_and_erasure_free_the_persons_place_for_the_waiting_list():
    meeting = MeetingFactory(capacity=1)
    person, waiting = UserFactory(), UserFactory()
    Follow.objects.create(platform=meeting.platform, user=person)
    services.rsvp(
        Invitation.objects.create(
            meeting=meeting, user=person, email=person.email, reason="follower"
        ),
        "yes",
    )
    queued = services.rsvp(
        Invitation.objects.create(
            meeting=meeting, user=waiting, email=waiting.email, reason="follower"
        ),
        "yes",
    )
    assert queued.is_waiting
    Thread.objects.create(platform=meeting.platform, author=person, kind="tip", title="T", body="B")
    exported = privacy.export_sections(person)["network"]
    assert exported["follows"] == [meeting.platform.name]
    assert exported["invitations"][0]["answer"] == "yes"
    assert exported["invitations"][0]["attended"] is False
    assert exported["threads"][0]["title"] == "T"
    privacy.erase_everywhere(person)
    assert not Invitation.objects.filter(user=person).exists()
    assert not Thread.objects.exists() and not Follow.objects.exists()
    queued.refresh_from_db()
    assert queued.is_attending


def test_district_coordinator_edits_names_in_every_language_on_the_page(client):
    district = MunicipalityFactory().district
    target = platform(district)
    client.force_login(coordinator_of(district=district))
    response = client.post(
        reverse("network:platform_edit", args=[target.pk]),
        {
            "name": "Ehrenamt",
            "description": "Wir stärken das Ehrenamt.",
            "position": 5,
            "is_active": "on",
            "name_ar": "التطوع",
            "description_ar": "نقوي العمل التطوعي.",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.label("de") == "Ehrenamt" and target.label("ar") == "التطوع"
    assert target.purpose("ar") == "نقوي العمل التطوعي."
    assert target.label("uk") == "Ehrenamt"  # no Ukrainian name: the German one


def test_platform_admin_is_scoped_to_the_coordinators_district(client):
    district = DistrictFactory()
    client.force_login(coordinator_of(district=district, is_staff=True))
    response = client.get(reverse("admin:network_platform_changelist"))
    assert response.status_code == 200
    shown = {p.district_id for p in response.context["cl"].result_list}
    assert shown == {district.pk}
    foreign = platform(DistrictFactory())
    assert (
        client.get(reverse("admin:network_platform_change", args=[foreign.pk])).status_code == 302
    )
    assert Platform.objects.filter(district=district).count() == 6
