"""The history is scoped, and keeps no personal data of contacts who did not consent."""

import pytest
from django.urls import reverse

from hilfenetz.accounts.tests.factories import coordinator_of
from hilfenetz.core.models import AuditEntry
from hilfenetz.directory import services
from hilfenetz.directory.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

SECRET_PHONE = "0711 999-4711"


def _everything_recorded():
    return str(list(AuditEntry.objects.values_list("object_repr", "changes", "note")))


def test_contact_without_consent_leaves_no_personal_data_in_the_history(place):
    services.save_contact(
        place.coordinator_here,
        place.office,
        {"name": "Nadia Ohnezustimmung", "phone": SECRET_PHONE, "email": "nadia@example.org"},
    )
    services.save_contact(place.coordinator_here, place.office, {"phone": "0711 1"}, place.secret)
    recorded = _everything_recorded()
    for personal in ("Nadia", SECRET_PHONE, "nadia@example.org", "Geheime Person", "0711 1"):
        assert personal not in recorded
    assert AuditEntry.objects.for_object(place.office).count() == 2


def test_deleting_a_contact_removes_its_personal_data_from_the_history(place):
    services.save_contact(
        place.coordinator_here, place.office, {"phone": SECRET_PHONE}, place.public
    )
    assert SECRET_PHONE in _everything_recorded()  # public while consenting
    key = f"contact #{place.public.pk}"
    services.delete_contact(place.coordinator_here, place.public)
    recorded = _everything_recorded()
    assert SECRET_PHONE not in recorded and "Öffentliche Person" not in recorded
    assert AuditEntry.objects.for_object(place.office).first().changes == {key: "deleted"}


def test_withdrawn_consent_removes_personal_data_from_the_history(place):
    services.save_contact(
        place.coordinator_here, place.office, {"phone": SECRET_PHONE}, place.public
    )
    services.save_contact(
        place.coordinator_here, place.office, {"consent_given": False}, place.public
    )
    assert SECRET_PHONE not in _everything_recorded()


def test_history_page_of_a_shared_office_shows_no_unconsented_contact_data(client, place):
    shared = OfficeFactory(district=place.district, municipalities=[place.here, place.other])
    services.save_contact(
        place.coordinator_here,
        shared,
        {"name": "Nadia Ohnezustimmung", "phone": SECRET_PHONE, "consent_given": False},
    )
    client.force_login(place.coordinator_other)
    response = client.get(reverse("directory:office_history", args=[shared.slug]))
    assert response.status_code == 200
    assert SECRET_PHONE not in response.text and "Nadia" not in response.text


def test_admin_history_is_scoped_to_the_coordinators_places(client, place):
    services.verify(place.coordinator_here, place.office)
    entry = AuditEntry.objects.get()
    assert (entry.municipality, entry.district) == (place.here, place.district)
    changelist = reverse("admin:core_auditentry_changelist")
    detail = reverse("admin:core_auditentry_change", args=[entry.pk])

    client.force_login(place.coordinator_other)
    assert place.office.name not in client.get(changelist).text
    assert client.get(detail).status_code in (302, 403, 404)

    for user in (place.coordinator_here, place.district_coordinator):
        client.force_login(user)
        assert place.office.name in client.get(changelist).text
        assert client.get(detail).status_code == 200


def test_history_entries_are_never_edited_in_the_admin(client, place):
    services.verify(place.coordinator_here, place.office)
    entry = AuditEntry.objects.get()
    client.force_login(coordinator_of(district=place.district, is_superuser=True))
    response = client.post(
        reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
