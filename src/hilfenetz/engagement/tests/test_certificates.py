from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.services import delete_account, export_personal_data
from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core.models import AuditEntry, OutboundMail
from hilfenetz.engagement import services
from hilfenetz.engagement.models import ConductCertificate
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    area = AreaFactory(name="Nordkreis")
    here = MunicipalityFactory(name="Birkenfeld", area=area, district=area.district)
    other = MunicipalityFactory(name="Eichstett", area=area, district=area.district)
    return here, other


def test_only_the_date_and_who_saw_it_are_kept_never_a_copy():
    fields = ConductCertificate._meta.get_fields()
    assert not [f for f in fields if isinstance(f, models.FileField)]
    assert {f.name for f in fields} == {
        "id",
        "user",
        "municipality",
        "seen_on",
        "seen_by",
        "due_on",
        "reminded_at",
        "created_at",
    }


def test_a_coordinator_records_a_certificate_due_again_after_five_years(places):
    here, _ = places
    coordinator = coordinator_of(municipality=here)
    volunteer = UserFactory(home_municipality=here)
    seen = timezone.localdate() - timedelta(days=10)
    certificate = services.record_certificate(coordinator, volunteer, seen)
    assert certificate.due_on == services.due_after(seen)
    assert certificate.due_on.year == seen.year + 5
    assert certificate.seen_by == coordinator and certificate.municipality == here
    assert AuditEntry.objects.for_object(certificate).get().action == "certificate_seen"


def test_a_29_february_is_due_on_the_28th():
    assert services.due_after(date(2024, 2, 29)) == date(2029, 2, 28)


def test_a_future_or_expired_date_is_refused(places):
    here, _ = places
    coordinator = coordinator_of(municipality=here)
    volunteer = UserFactory(home_municipality=here)
    today = timezone.localdate()
    for seen in (today + timedelta(days=1), today - timedelta(days=5 * 366)):
        with pytest.raises(ValidationError):
            services.record_certificate(coordinator, volunteer, seen)
    assert not ConductCertificate.objects.exists()


def test_nobody_outside_the_municipality_records_or_sees_it(places, client):
    here, other = places
    coordinator = coordinator_of(municipality=here)
    volunteer = UserFactory(home_municipality=here)
    certificate = services.record_certificate(coordinator, volunteer, timezone.localdate())
    outsiders = [
        coordinator_of(municipality=other),
        coordinator_of(district=AreaFactory().district),
        UserFactory(home_municipality=here),  # another volunteer
    ]
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            services.record_certificate(outsider, volunteer, timezone.localdate())
        assert not services.certificates_of(outsider, volunteer).exists()
        client.force_login(outsider)
        page = reverse("engagement:person_certificate", args=[volunteer.pk])
        assert client.get(page).status_code == 403
        own_page = client.get(reverse("engagement:my_certificates"))
        assert certificate not in own_page.context["certificates"]
    client.logout()
    assert client.get(reverse("engagement:my_certificates")).status_code == 302  # to the login


def test_a_coordinator_does_not_record_their_own_certificate(places, client):
    here, _ = places
    coordinator = coordinator_of(municipality=here)
    coordinator.home_municipality = here
    coordinator.save(update_fields=["home_municipality"])
    with pytest.raises(PermissionDenied):
        services.record_certificate(coordinator, coordinator, timezone.localdate())
    client.force_login(coordinator)
    page = reverse("engagement:person_certificate", args=[coordinator.pk])
    assert client.post(page, {"seen_on": timezone.localdate().isoformat()}).status_code == 403
    assert not ConductCertificate.objects.exists()


def test_the_volunteer_and_the_coordinators_in_scope_see_it(places, client):
    here, _ = places
    coordinator = coordinator_of(municipality=here)
    volunteer = UserFactory(home_municipality=here)
    certificate = services.record_certificate(coordinator, volunteer, timezone.localdate())
    for viewer in (volunteer, coordinator, coordinator_of(district=here.district)):
        assert list(services.certificates_of(viewer, volunteer)) == [certificate]
    client.force_login(volunteer)
    assert list(client.get(reverse("engagement:my_certificates")).context["certificates"]) == [
        certificate
    ]


def test_the_api_has_no_address_for_certificates(client):
    schema = client.get("/api/v1/openapi.json").text.lower()
    assert "certificate" not in schema and "conduct" not in schema


def test_reminders_go_once_to_the_volunteer_and_the_coordinator_in_their_languages(places):
    here, _ = places
    coordinator = coordinator_of(municipality=here, preferred_language="de")
    volunteer = UserFactory(home_municipality=here, preferred_language="uk")
    today = timezone.localdate()
    seen = today - timedelta(days=5 * 365 - 20)  # due in about three weeks
    old = services.record_certificate(coordinator, volunteer, seen - timedelta(days=1))
    current = services.record_certificate(coordinator, volunteer, seen)
    later = UserFactory(home_municipality=here)
    services.record_certificate(coordinator, later, today - timedelta(days=30))  # years ahead
    assert services.send_certificate_reminders(today) == 2
    mails = {m.to: m for m in OutboundMail.objects.all()}
    assert set(mails) == {volunteer.email, coordinator.email}
    assert mails[volunteer.email].language == "uk"
    assert mails[coordinator.email].language == "de"
    assert "Führungszeugnis" in mails[coordinator.email].subject
    assert volunteer.display_name in mails[coordinator.email].subject
    assert services.send_certificate_reminders(today) == 0  # idempotent
    assert OutboundMail.objects.count() == 2
    current.refresh_from_db()
    old.refresh_from_db()
    assert current.reminded_at is not None and old.reminded_at is None  # superseded


def test_without_its_recorder_the_municipalitys_coordinators_are_reminded(places):
    here, _ = places
    recorder = coordinator_of(municipality=here)
    successor = coordinator_of(municipality=here)
    volunteer = UserFactory(home_municipality=here)
    services.record_certificate(recorder, volunteer, timezone.localdate() - timedelta(days=1820))
    recorder.coordinator_roles.all().delete()
    services.send_certificate_reminders()
    assert set(OutboundMail.objects.values_list("to", flat=True)) == {
        volunteer.email,
        successor.email,
    }


def test_export_and_erase_include_the_certificates(places):
    here, _ = places
    volunteer = UserFactory(home_municipality=here)
    services.record_certificate(coordinator_of(municipality=here), volunteer, date.today())
    data = export_personal_data(volunteer)["engagement"]["certificate_of_conduct_seen"]
    assert data == [
        {
            "seen_on": date.today().isoformat(),
            "due_on": services.due_after(date.today()).isoformat(),
        }
    ]
    delete_account(volunteer)
    assert not ConductCertificate.objects.filter(user=volunteer).exists()
