"""A volunteer's own confirmation of their engagement: what it lists, in German or their own
language, and that nobody downloads another person's."""

import subprocess
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hilfenetz.accounts.models import User
from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.engagement import services
from hilfenetz.engagement.models import StandardsAcknowledgement
from hilfenetz.exchange.models import Pledge, PledgeStatus, Status
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.network.models import Invitation, MeetingKind, MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "confirmation.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def attended(person, *, kind, title, attended=True):
    meeting = MeetingFactory(
        kind=kind,
        title=title,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - timedelta(days=10),
        municipality=person.home_municipality,
    )
    Invitation.objects.create(
        meeting=meeting,
        user=person,
        email=person.email,
        reason="registered",
        answer="yes",
        attended=attended,
    )
    return meeting


@pytest.fixture
def volunteer():
    person = UserFactory(
        display_name="Samira Beispiel",
        home_municipality=MunicipalityFactory(name="Musterstadt"),
        preferred_language="ar",
    )
    attended(person, kind=MeetingKind.TRAINING, title="Schulung Asylrecht")
    attended(person, kind=MeetingKind.TRAINING, title="Schulung versäumt", attended=False)
    attended(person, kind=MeetingKind.MEETING, title="Austausch Kita")
    municipality = person.home_municipality
    for status in (Status.FULFILLED, Status.FULFILLED, Status.PUBLISHED):
        need = ListingFactory(kind="need", status=status, municipality=municipality)
        Pledge.objects.create(listing=need, helper=person, status=PledgeStatus.FULFILLED)
    cancelled = ListingFactory(kind="need", status=Status.FULFILLED, municipality=municipality)
    Pledge.objects.create(listing=cancelled, helper=person, status=PledgeStatus.CANCELLED)
    ListingFactory(kind="offer", author=person, municipality=municipality)
    ListingFactory(kind="offer", author=person, municipality=municipality, status=Status.DRAFT)
    StandardsAcknowledgement.objects.create(
        user=person, district=municipality.district, version="2.1", version_date=date(2026, 1, 1)
    )
    return person


def test_the_confirmation_lists_what_the_person_did(volunteer):
    confirmation = services.confirmation_of(volunteer)
    assert [m.title for m in confirmation.trainings] == ["Schulung Asylrecht"]
    assert [m.title for m in confirmation.meetings] == ["Austausch Kita"]
    assert confirmation.needs_helped == 2  # fulfilled needs; not the cancelled promise
    assert confirmation.offers == 1  # not the draft
    assert confirmation.standards.version == "2.1"
    assert confirmation.district == volunteer.home_municipality.district


@pytest.mark.parametrize(
    ("language", "heading"),
    [("de", "Bestätigung über bürgerschaftliches Engagement"), ("ar", "شهادة تأكيد")],
)
def test_the_pdf_names_the_training_and_the_district(volunteer, tmp_path, language, heading):
    text = pdf_text(services.confirmation_pdf(volunteer, language), tmp_path)
    assert heading in text
    assert "Schulung Asylrecht" in text
    assert "Musterstadt" in text  # the organiser
    assert volunteer.home_municipality.district.name in text
    assert "Samira Beispiel" in text
    assert "Schulung versäumt" not in text


def test_one_downloads_only_ones_own_confirmation(client, volunteer):
    other = UserFactory(preferred_language="uk")
    # the addresses take no person: there is no way to name someone else
    with pytest.raises(NoReverseMatch):
        reverse("engagement:confirmation_pdf", args=[volunteer.pk])
    client.force_login(other)
    response = client.get(reverse("engagement:confirmation_pdf"), {"user": volunteer.pk})
    assert response.status_code == 200
    assert b"Samira" not in response.content
    assert client.get(f"/mitmachen/personen/{volunteer.pk}/bestaetigung.pdf").status_code == 404


def test_the_page_offers_german_and_the_persons_language(client, volunteer):
    client.force_login(volunteer)
    page = client.get(reverse("engagement:confirmation")).content.decode()
    assert 'id="language-ar"' in page and 'id="language-de"' in page
    assert 'id="language-uk"' not in page
    assert "Schulung Asylrecht" in page
    # a language not offered falls back to German
    response = client.get(reverse("engagement:confirmation_pdf"), {"language": "uk"})
    assert response["Content-Disposition"].endswith('bestaetigung-de.pdf"')


def test_the_confirmation_page_reads_a_fixed_number_of_queries(
    client, volunteer, django_assert_max_num_queries
):
    client.force_login(volunteer)
    url = reverse("engagement:confirmation")
    client.get(url)
    for index in range(5):
        attended(volunteer, kind=MeetingKind.TRAINING, title=f"Schulung {index}")
    with django_assert_max_num_queries(9):  # one of them the crisis banner
        assert client.get(url).status_code == 200


def test_in_the_demo_ehrenamt1_confirms_the_training_attended(client, tmp_path):
    call_command("demo", verbosity=0)
    person = User.objects.get(email="ehrenamt1@hilfenetz.example")
    client.force_login(person)
    response = client.get(reverse("engagement:confirmation_pdf"), {"language": "de"})
    text = pdf_text(response.content, tmp_path)
    assert "Schulung: Erste Hilfe für Ehrenamtliche" in text
    assert "Landkreis Esslingen" in text
