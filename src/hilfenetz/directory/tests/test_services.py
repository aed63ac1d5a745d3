from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hilfenetz.core.models import AuditEntry, OutboundMail
from hilfenetz.core.predicates import allowed
from hilfenetz.core.tests.factories import TopicFactory
from hilfenetz.directory import services
from hilfenetz.directory.models import ContactPerson, Office, OrganisationProfile
from hilfenetz.directory.tests.factories import OfficeFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_public_contacts_need_official_function_and_consent(place):
    assert list(ContactPerson.objects.public()) == [place.public]


def test_update_office_records_history_and_verifies(place):
    diff = services.update_office(
        place.coordinator_here, place.office, {"phone": "0711 999", "name": place.office.name}
    )
    place.office.refresh_from_db()
    assert diff == {"phone": ["0711 555-100", "0711 999"]}
    assert place.office.phone == "0711 999"
    assert place.office.verified_by == place.coordinator_here
    change = services.history(place.office).get()
    assert change.actor == place.coordinator_here
    assert change.action == "update"
    assert change.changes == {"phone": ["0711 555-100", "0711 999"]}


def test_coordinator_of_other_municipality_cannot_update(place):
    with pytest.raises(PermissionDenied):
        services.update_office(place.coordinator_other, place.office, {"phone": "1"})
    place.office.refresh_from_db()
    assert place.office.phone == "0711 555-100"
    assert not AuditEntry.objects.exists()


def test_office_serving_two_municipalities_is_in_both_scopes(place):
    shared = OfficeFactory(district=place.district, municipalities=[place.here, place.other])
    for user in (place.coordinator_here, place.coordinator_other, place.district_coordinator):
        assert shared in Office.objects.coordinated_by(user)
        assert allowed("directory.office.edit", user, shared)
    assert list(Office.objects.coordinated_by(place.coordinator_other)) == [shared]
    assert not Office.objects.coordinated_by(place.person).exists()
    assert not allowed("directory.office.edit", place.person, shared)


def test_district_office_belongs_to_district_coordinators(place):
    office = OfficeFactory(district=place.district, kind="district")
    assert not allowed("directory.office.edit", place.coordinator_here, office)
    assert allowed("directory.office.edit", place.district_coordinator, office)


def test_coordinator_cannot_add_foreign_municipality(place):
    with pytest.raises(PermissionDenied):
        services.update_office(
            place.coordinator_here, place.office, {"municipalities": [place.here, place.other]}
        )
    assert list(place.office.municipalities.all()) == [place.here]


def test_contact_consent_date_is_recorded(place):
    contact = services.save_contact(
        place.coordinator_here,
        place.office,
        {"name": "Neue Person", "function": "Leitung", "consent_given": True},
    )
    assert contact.consent_date == timezone.localdate()
    services.save_contact(place.coordinator_here, place.office, {"consent_given": False}, contact)
    contact.refresh_from_db()
    assert contact.consent_date is None
    assert services.history(place.office).count() == 2


def test_profile_update_and_verify(place):
    topic = TopicFactory(name="Wohnen")
    profile = services.update_profile(
        place.coordinator_here, place.organisation, phone="1", how_to_reach="x", topics=[topic]
    )
    assert list(profile.topics.all()) == [topic]
    with pytest.raises(PermissionDenied):
        services.verify(place.coordinator_other, profile)
    services.verify(place.district_coordinator, profile)
    assert [c.action for c in services.history(profile)] == ["verify", "create"]


def test_search(place):
    topic = TopicFactory(name="Sprache", slug="sprache")
    profile = OrganisationProfile.objects.create(organisation=place.organisation)
    profile.topics.set([topic])
    assert list(services.search_offices(services.Filters(q="hierdorf"))) == [place.office]
    assert not services.search_offices(services.Filters(municipality=place.other)).exists()
    assert list(services.search_offices(services.Filters(area=place.here.area))) == [place.office]
    found = services.search_organisations(services.Filters(topic=topic))
    assert list(found) == [place.organisation]
    assert list(services.search_organisations(services.Filters(q="Sprache"))) == [
        place.organisation
    ]


def test_overdue_uses_the_district_interval(place):
    place.district.verification_interval_days = 30
    place.district.save()
    Office.objects.filter(pk=place.office.pk).update(
        verified_at=timezone.now() - timedelta(days=31)
    )
    fresh = OfficeFactory(
        district=place.district, municipalities=[place.here], verified_at=timezone.now()
    )
    entries = services.overdue_entries(place.coordinator_here)
    assert list(entries["offices"]) == [place.office]
    assert fresh not in entries["offices"]
    assert not services.overdue_entries(place.coordinator_other)["offices"].exists()


def test_reminder_is_sent_once_per_window(place, django_capture_on_commit_callbacks):
    Office.objects.filter(pk=place.office.pk).update(verified_at=None)
    TeamFactory(district=place.district, verified_at=timezone.now())
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.remind_coordinators(today)
        again = services.remind_coordinators(today)
    # The municipal coordinator of "here" and the district coordinator; not "other".
    assert first == 2 and again == 2
    mails = OutboundMail.objects.all()
    assert sorted(m.to for m in mails) == sorted(
        [place.coordinator_here.email, place.district_coordinator.email]
    )
    assert "Koordinationsstelle Hierdorf" in mails[0].body
    assert len(mail.outbox) == 2


def test_reminder_task_is_registered_daily():
    from hilfenetz.core.periodic import registered_jobs
    from hilfenetz.directory.tasks import remind_to_verify

    task, interval = registered_jobs()[remind_to_verify.module_path]
    assert interval == timedelta(days=1)
