"""Creating offices, scoped municipalities, competence teams, contact import, reminders and
the overdue view."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory
from hilfenetz.core.models import AuditEntry, OutboundMail
from hilfenetz.core.predicates import allowed
from hilfenetz.directory import services
from hilfenetz.directory.models import (
    CompetenceTeam,
    ContactPerson,
    Office,
    OrganisationProfile,
    TeamMember,
)
from hilfenetz.directory.tests.factories import (
    ContactFactory,
    OfficeFactory,
    TeamFactory,
    TeamMemberFactory,
)
from hilfenetz.regions.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(place):
    return OfficeFactory(
        district=place.district, name="Gemeinsame Stelle", municipalities=[place.here, place.other]
    )


# --- 1. served municipalities stay in scope ----------------------------------------------------


def test_municipal_coordinator_cannot_remove_neighbours_municipality(place, shared):
    services.update_office(place.coordinator_here, shared, {"municipalities": [place.here]})
    assert set(shared.municipalities.all()) == {place.here, place.other}
    # Leaving their own municipality out removes only theirs.
    services.update_office(place.coordinator_here, shared, {"municipalities": []})
    assert list(shared.municipalities.all()) == [place.other]


def test_municipal_coordinator_cannot_add_foreign_municipality(place, shared):
    third = MunicipalityFactory(area=place.here.area, name="Drittdorf")
    with pytest.raises(PermissionDenied):
        services.update_office(
            place.coordinator_here, shared, {"municipalities": [place.here, third]}
        )
    assert set(shared.municipalities.all()) == {place.here, place.other}


def test_district_coordinator_changes_all_municipalities(place, shared):
    services.update_office(place.district_coordinator, shared, {"municipalities": [place.here]})
    assert list(shared.municipalities.all()) == [place.here]
    change = services.history(shared).get()
    assert change.changes["municipalities"] == [["Anderstadt", "Hierdorf"], ["Hierdorf"]]


def test_municipal_office_keeps_a_municipality(place):
    with pytest.raises(ValidationError):
        services.update_office(place.coordinator_here, place.office, {"municipalities": []})
    assert list(place.office.municipalities.all()) == [place.here]


def test_edit_form_keeps_neighbours_municipality(client, place, shared):
    client.force_login(place.coordinator_here)
    url = reverse("directory:office_edit", args=[shared.slug])
    html = client.get(url).content.decode()
    assert f'value="{place.other.pk}"' not in html and "Anderstadt" in html
    response = client.post(url, {"name": shared.name, "municipalities": [place.here.pk]})
    assert response.status_code == 302
    assert set(shared.municipalities.all()) == {place.here, place.other}
    # Choosing the neighbour's municipality through the form is refused.
    response = client.post(url, {"name": shared.name, "municipalities": [place.other.pk]})
    assert response.status_code == 200


def test_import_keeps_neighbours_municipality(place, shared):
    rows = [{"id": str(shared.pk), "name": shared.name, "municipalities": "Hierdorf"}]
    plan = services.plan_import(place.coordinator_here, place.district, rows)
    assert plan.is_valid and "municipalities" not in plan.rows[0].changes
    services.apply_import(place.coordinator_here, place.district, rows)
    assert set(shared.municipalities.all()) == {place.here, place.other}
    # Naming the neighbour's municipality the office serves already is no error either.
    rows[0]["municipalities"] = "Hierdorf; Anderstadt"
    assert services.plan_import(place.coordinator_here, place.district, rows).is_valid


# --- 2. creating offices ---------------------------------------------------------------------


def test_municipal_coordinator_creates_office_for_their_municipality(place):
    office = services.create_office(
        place.coordinator_here,
        place.district,
        {"name": "Neue Stelle", "municipalities": [place.here], "phone": "0711 1"},
    )
    assert office.kind == "municipal" and office.verified_by == place.coordinator_here
    assert list(office.municipalities.all()) == [place.here]
    change = services.history(office).get()
    assert change.action == "create" and change.actor == place.coordinator_here
    assert change.changes["phone"] == ["", "0711 1"]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "Fremd", "municipalities": ["other"]},
        {"name": "Landkreis", "kind": "district", "municipalities": []},
    ],
)
def test_municipal_coordinator_cannot_create_outside_scope(place, data):
    data = {**data, "municipalities": [place.other] if data["municipalities"] else []}
    with pytest.raises(PermissionDenied):
        services.create_office(place.coordinator_here, place.district, data)
    assert Office.objects.count() == 1


def test_create_office_rules(place):
    foreign = DistrictFactory()
    assert allowed("directory.office.create", place.coordinator_here, place.district)
    assert not allowed("directory.office.create", place.coordinator_here, foreign)
    assert not allowed("directory.office.create", place.person, place.district)
    assert not allowed("directory.office.create", place.person)
    assert allowed("directory.office.create_district", place.district_coordinator, place.district)
    assert not allowed("directory.office.create_district", place.coordinator_here, place.district)
    with pytest.raises(PermissionDenied):
        services.create_office(place.person, place.district, {"name": "X"})
    with pytest.raises(PermissionDenied):
        services.create_office(place.district_coordinator, foreign, {"name": "X"})


def test_district_coordinator_creates_district_office(client, place):
    client.force_login(place.district_coordinator)
    response = client.post(
        reverse("directory:office_create"), {"name": "Stabsstelle Integration", "kind": "district"}
    )
    assert response.status_code == 302
    office = Office.objects.get(name="Stabsstelle Integration")
    assert office.kind == "district" and office.district == place.district
    assert AuditEntry.objects.filter(object_id=office.pk, action="create").exists()


def test_create_page_for_municipal_coordinator(client, place):
    client.force_login(place.coordinator_here)
    html = client.get(reverse("directory:office_create")).content.decode()
    assert 'name="kind"' not in html and "Anderstadt" not in html
    response = client.post(
        reverse("directory:office_create"),
        {"name": "Stelle ohne Gemeinde", "kind": "district"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Office.objects.filter(name="Stelle ohne Gemeinde").exists()
    client.force_login(place.person)
    assert client.get(reverse("directory:office_create")).status_code == 403


# --- 3. competence teams -----------------------------------------------------------------------


def test_team_edit_and_members_with_history(place):
    team = TeamFactory(district=place.district)
    user = place.district_coordinator
    diff = services.update_team(user, team, {"description": "Wohnungen", "email": "w@example.org"})
    assert diff["email"] == ["", "w@example.org"]
    member = services.save_member(user, team, {"name": "Ana", "consent_given": False})
    assert list(TeamMember.objects.public()) == []
    services.save_member(user, team, {"consent_given": True}, member)
    assert list(TeamMember.objects.public()) == [member]
    key = f"member #{member.pk}"
    services.delete_member(user, member)
    assert not TeamMember.objects.exists()
    changes = list(services.history(team))
    assert [c.actor for c in changes] == [user] * 4
    assert changes[0].changes == {key: "deleted"}
    # She was added without consent: her name never went into the history.
    assert changes[1].changes == {key: {"consent_given": [False, True]}}
    assert changes[2].changes == {key: {}}
    assert "Ana" not in str([c.changes for c in changes])


def test_municipal_coordinator_cannot_edit_teams(place):
    team = TeamFactory(district=place.district)
    member = TeamMemberFactory(team=team)
    for call in (
        lambda: services.update_team(place.coordinator_here, team, {"description": "x"}),
        lambda: services.save_member(place.coordinator_here, team, {"name": "x"}),
        lambda: services.save_member(place.coordinator_here, team, {"name": "x"}, member),
        lambda: services.delete_member(place.coordinator_here, member),
    ):
        with pytest.raises(PermissionDenied):
            call()
    other_team = TeamFactory(district=DistrictFactory())
    with pytest.raises(PermissionDenied):
        services.save_member(place.district_coordinator, other_team, {"name": "x"}, member)
    assert not AuditEntry.objects.exists()


def test_team_history_visible_to_the_districts_coordinators(client, place):
    team = TeamFactory(district=place.district)
    services.update_team(place.district_coordinator, team, {"description": "Neu beschrieben"})
    url = reverse("directory:team_history", args=[team.pk])
    for user in (place.coordinator_here, place.coordinator_other, place.district_coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and "Neu beschrieben" in response.content.decode()
    client.force_login(place.person)
    assert client.get(url).status_code == 404
    foreign_coordinator = UserFactory()
    client.force_login(foreign_coordinator)
    assert client.get(url).status_code == 404


def test_team_pages_through_the_forms(client, place):
    team = TeamFactory(district=place.district)
    client.force_login(place.district_coordinator)
    response = client.post(
        reverse("directory:member_create", args=[team.pk]),
        {"name": "Beate Beispiel", "affiliation": "Diakonie"},
    )
    assert response.status_code == 302
    member = team.members.get()
    assert not member.consent_given
    html = client.get(reverse("directory:teams")).content.decode()
    assert "Beate Beispiel" not in html
    client.post(
        reverse("directory:member_edit", args=[member.pk]),
        {"name": "Beate Beispiel", "affiliation": "Diakonie", "consent_given": "on"},
    )
    assert "Beate Beispiel" in client.get(reverse("directory:teams")).content.decode()
    html = client.get(reverse("directory:team_edit", args=[team.pk])).content.decode()
    assert "Beate Beispiel" in html
    client.post(reverse("directory:member_delete", args=[member.pk]))
    assert not team.members.exists()
    client.force_login(place.coordinator_here)
    response = client.post(
        reverse("directory:team_edit", args=[team.pk]), {"description": "Gekapert"}
    )
    assert response.status_code == 404
    team.refresh_from_db()
    assert team.description == ""


# --- 4. importing contact persons --------------------------------------------------------------


def _upload(rows, name="contacts.csv"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def test_contact_import_preview_and_confirm(client, place):
    client.force_login(place.coordinator_here)
    upload = _upload(
        [
            ["id", "office", "name", "function", "phone", "email", "official", "consent"],
            ["", place.office.pk, "Neue Leitung", "Leitung", "0711 7", "l@example.org", "ja", "ja"],
            [place.secret.pk, place.office.pk, "Geheime Person", "", "", "", "yes", "yes"],
        ]
    )
    response = client.post(reverse("directory:import_upload"), {"file": upload, "kind": "contacts"})
    assert response.status_code == 302
    preview = client.get(reverse("directory:import_preview")).content.decode()
    assert "Neue Leitung" in preview
    assert not ContactPerson.objects.filter(name="Neue Leitung").exists()
    assert client.post(reverse("directory:import_confirm")).status_code == 302
    new = ContactPerson.objects.get(name="Neue Leitung")
    assert new.office == place.office and new.is_public
    assert new.consent_date == timezone.localdate()
    place.secret.refresh_from_db()
    assert place.secret.consent_given and place.secret.consent_date == timezone.localdate()
    assert AuditEntry.objects.filter(action="import", object_id=place.office.pk).count() == 2


def test_contact_import_with_bad_rows_changes_nothing(place):
    foreign = OfficeFactory(district=place.district, municipalities=[place.other])
    foreign_contact = ContactFactory(office=foreign)
    rows = [
        {"office": str(place.office.pk), "name": "Gut", "official": "ja", "consent": "nein"},
        {"office": str(foreign.pk), "name": "Fremd"},
        {"id": str(foreign_contact.pk), "office": "", "name": "Fremd"},
        {"office": str(place.office.pk), "name": "", "email": "kaputt"},
        {"office": str(place.office.pk), "name": "X", "consent": "vielleicht"},
        {"office": "", "name": "Ohne Stelle"},
    ]
    plan = services.plan_contact_import(place.coordinator_here, place.district, rows)
    assert [bool(r.errors) for r in plan.rows] == [False, True, True, True, True, True]
    before = ContactPerson.objects.count()
    with pytest.raises(ValidationError):
        services.apply_import(place.coordinator_here, place.district, rows, "contacts")
    assert ContactPerson.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_contact_import_xlsx(client, place):
    workbook = Workbook()
    workbook.active.append(["office", "name", "function", "official", "consent"])
    workbook.active.append([place.office.pk, "Aus Excel", "Sprechstunde", "1", "0"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(place.district_coordinator)
    upload = SimpleUploadedFile("contacts.xlsx", buffer.getvalue())
    response = client.post(reverse("directory:import_upload"), {"file": upload, "kind": "contacts"})
    assert response.status_code == 302
    assert client.post(reverse("directory:import_confirm")).status_code == 302
    contact = ContactPerson.objects.get(name="Aus Excel")
    assert contact.is_official_function and not contact.consent_given


def test_administrator_chooses_the_import_district(client, place):
    other_district = DistrictFactory(name="Landkreis Zwei")
    other_municipality = MunicipalityFactory(district=other_district, name="Zweidorf")
    other_office = OfficeFactory(district=other_district, municipalities=[other_municipality])
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get(reverse("directory:import_upload")).content.decode()
    assert 'name="district"' in html and "Landkreis Zwei" in html
    rows = [["id", "name", "phone"], [other_office.pk, other_office.name, "0800 2"]]
    response = client.post(reverse("directory:import_upload"), {"file": _upload(rows)})
    assert response.status_code == 200  # the district must be chosen
    response = client.post(
        reverse("directory:import_upload"),
        {"file": _upload(rows), "district": other_district.pk},
    )
    assert response.status_code == 302
    assert client.post(reverse("directory:import_confirm")).status_code == 302
    other_office.refresh_from_db()
    assert other_office.phone == "0800 2"


def test_coordinator_is_fixed_to_their_district(client, place):
    other_district = DistrictFactory(name="Landkreis Zwei")
    client.force_login(place.coordinator_here)
    html = client.get(reverse("directory:import_upload")).content.decode()
    assert 'name="district"' not in html
    assert services.import_districts(place.coordinator_here) == [place.district]
    with pytest.raises(PermissionDenied):
        services.apply_import(place.coordinator_here, other_district, [])
    with pytest.raises(PermissionDenied):
        services.apply_import(place.person, place.district, [])


# --- 5. reminder covers organisations ------------------------------------------------------------


def test_reminder_lists_overdue_organisation_profiles(place, django_capture_on_commit_callbacks):
    Office.objects.update(verified_at=timezone.now())
    TeamFactory(district=place.district, verified_at=timezone.now())
    profile = OrganisationProfile.objects.create(
        organisation=place.organisation, verified_at=timezone.now() - timedelta(days=400)
    )
    neighbour = OrganisationFactory(municipality=place.other, name="Sportverein Anderstadt")
    OrganisationProfile.objects.create(organisation=neighbour, verified_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.remind_coordinators(timezone.localdate())
    assert sent == 2  # coordinator of "here" and the district coordinator
    mails = {m.to: m.body for m in OutboundMail.objects.all()}
    assert profile.organisation.name in mails[place.coordinator_here.email]
    assert profile.organisation.name in mails[place.district_coordinator.email]
    assert place.coordinator_other.email not in mails


# --- 6. the overdue view -----------------------------------------------------------------------


def test_overdue_view_for_district_and_municipal_coordinators(client, place):
    old = timezone.now() - timedelta(days=400)
    district_office = OfficeFactory(
        district=place.district, kind="district", name="Landratsamt Stabsstelle"
    )
    other_office = OfficeFactory(
        district=place.district, name="Stelle Anderstadt", municipalities=[place.other]
    )
    foreign_district = DistrictFactory()
    foreign_office = OfficeFactory(district=foreign_district, name="Ferne Stelle")
    Office.objects.update(verified_at=old)
    CompetenceTeam.objects.create(district=place.district, area="housing", verified_at=old)
    OrganisationProfile.objects.create(organisation=place.organisation, verified_at=old)
    neighbour = OrganisationFactory(municipality=place.other, name="Sportverein Anderstadt")
    OrganisationProfile.objects.create(organisation=neighbour, verified_at=old)

    entries = services.overdue_entries(place.district_coordinator)
    assert set(entries["offices"]) == {place.office, district_office, other_office}
    assert {p.organisation for p in entries["profiles"]} == {place.organisation, neighbour}
    assert entries["teams"].count() == 1

    entries = services.overdue_entries(place.coordinator_here)
    assert list(entries["offices"]) == [place.office]
    assert [p.organisation for p in entries["profiles"]] == [place.organisation]
    assert not entries["teams"].exists()

    client.force_login(place.district_coordinator)
    html = client.get(reverse("directory:overdue")).content.decode()
    for name in ("Landratsamt Stabsstelle", "Stelle Anderstadt", "Sportverein Anderstadt"):
        assert name in html
    assert foreign_office.name not in html
    client.force_login(place.coordinator_here)
    html = client.get(reverse("directory:overdue")).content.decode()
    assert "Koordinationsstelle Hierdorf" in html and "Helferkreis Hierdorf" in html
    for name in ("Landratsamt Stabsstelle", "Stelle Anderstadt", "Sportverein Anderstadt"):
        assert name not in html
    client.force_login(place.person)
    assert client.get(reverse("directory:overdue")).status_code == 403


# --- 7. query guards on the new list pages -------------------------------------------------------


@pytest.mark.parametrize("page", ["team_edit", "team_history"])
def test_team_pages_query_count_does_not_grow(client, place, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    team = TeamFactory(district=place.district)
    client.force_login(place.district_coordinator)
    counts = []
    for n in (5, 45):  # 5 members and changes, then 50
        for i in range(n):
            services.save_member(place.district_coordinator, team, {"name": f"M {n} {i}"})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"directory:{page}", args=[team.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- the PDF in the requesting person's language ----------------------------------------------


@pytest.mark.parametrize(
    ("language", "needle"), [("de", "Koordinationsstellen"), ("en", "Coordination offices")]
)
def test_pdf_in_the_requesting_persons_language(client, place, language, needle):
    from pypdf import PdfReader

    client.cookies["hilfenetz_language"] = language
    response = client.get(reverse("directory:export_pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == language
    assert needle in reader.pages[0].extract_text()


def test_pdf_in_persian(client, place):
    from pypdf import PdfReader

    client.cookies["hilfenetz_language"] = "fa"
    response = client.get(reverse("directory:export_pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "fa"
    assert "Koordinationsstelle Hierdorf" in reader.pages[0].extract_text()


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_pdf_prints_phone_numbers_in_order_in_right_to_left_languages(client, place, language):
    """An Arabic line reordered "0711 555-000" to "000-555 0711": the number is isolated as
    left to right, and pdftotext reads it back in order."""
    import shutil
    import subprocess

    assert shutil.which("pdftotext"), "poppler-utils is needed (scripts/ensure-system-packages)"
    place.office.phone = "0711 555-000"
    place.office.email = "stelle@example.org"
    place.office.save()
    client.cookies["hilfenetz_language"] = language
    response = client.get(reverse("directory:export_pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "0711 555-000" in text, text
    assert "stelle@example.org" in text, text


def test_import_errors_isolate_the_values_they_quote(place):
    """An Arabic error message quoting "kaputt@" or a municipality keeps the value in order."""
    from django.utils import translation

    from hilfenetz.core.i18n import FSI, LRI, PDI

    rows = [{"name": "Neu", "email": "kaputt@", "municipalities": "Nirgendwo"}]
    with translation.override("ar"):
        errors = services.plan_import(place.coordinator_here, place.district, rows).rows[0].errors
    assert any(f"{LRI}kaputt@{PDI}" in str(e) for e in errors), errors
    assert any(f"{FSI}Nirgendwo{PDI}" in str(e) for e in errors), errors


def test_arabic_office_page_shows_phone_and_address_left_to_right(client, place):
    place.office.phone = "0711 555-000"
    place.office.email = "stelle@example.org"
    place.office.save()
    client.cookies["hilfenetz_language"] = "ar"
    html = client.get(reverse("directory:office", args=[place.office.slug])).content.decode()
    assert '<bdi dir="ltr">0711 555-000</bdi>' in html
    assert '<bdi dir="ltr">stelle@example.org</bdi>' in html
