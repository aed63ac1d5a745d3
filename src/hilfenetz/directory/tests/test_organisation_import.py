"""Importing organisations and working groups: the plan (each kind of error, the importer's
scope, duplicates), the run in batches, the undo, and the pages around them."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from hilfenetz.accounts.models import Organisation, OrganisationKind
from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory
from hilfenetz.core.models import AuditEntry
from hilfenetz.directory import services
from hilfenetz.directory.models import ImportRun, ImportStatus, OrganisationProfile
from hilfenetz.directory.services import organisation_import
from hilfenetz.directory.services.organisation_import import Duplicates

pytestmark = pytest.mark.django_db

HEADER = ["name", "municipality", "kind", "has_speaker", "public_email", "phone"]


@pytest.fixture(autouse=True)
def english(client):
    """Messages in the language of their source, for services and pages alike."""
    client.cookies["hilfenetz_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _rows(*rows):
    return [dict(zip(HEADER, row, strict=True)) for row in rows]


def _csv(rows, name="organisationen.csv", delimiter=";"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def _plan(place, user, *rows, duplicates=Duplicates.UPDATE):
    return services.plan_organisation_import(user, place.district, _rows(*rows), duplicates)


def _run(place, user, rows, duplicates=Duplicates.UPDATE, capture=None):
    """Start an import and let the queue run it (immediately, as the tests' task backend does)."""
    with capture(execute=True):
        run = services.start_organisation_import(user, place.district, _rows(*rows), duplicates)
    run.refresh_from_db()
    return run


def test_valid_rows_are_planned_and_nothing_is_written(place):
    plan = _plan(
        place,
        place.coordinator_here,
        ["Sprachcafé Hierdorf", "Hierdorf", "Initiative", "ja", "cafe@example.org", "0711 1"],
        ["Fahrradwerkstatt", "hierdorf", "", "", "", ""],
    )
    assert plan.is_valid
    first, second = plan.rows
    assert first.is_new and first.data["kind"] == OrganisationKind.INITIATIVE
    assert first.changes["has_speaker"] == ["", True]
    assert first.changes["phone"] == ["", "0711 1"]
    assert second.data["kind"] == OrganisationKind.WORKING_GROUP  # a helper circle by default
    assert len(plan.changed_rows) == 2
    assert not Organisation.objects.filter(name="Fahrradwerkstatt").exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["", "Hierdorf", "", "", "", ""], "The name is missing."),
        (["Kreis", "", "", "", "", ""], "The municipality is missing."),
        (["Kreis", "Nirgendwo", "", "", "", ""], "Unknown municipality"),
        (["Kreis", "Anderstadt", "", "", "", ""], "You do not coordinate the municipality"),
        (["Kreis", "Hierdorf", "Club", "", "", ""], "Unknown kind"),
        (["Kreis", "Hierdorf", "", "vielleicht", "", ""], "is neither yes nor no"),
        (["Kreis", "Hierdorf", "", "", "kein-mail", ""], "is not an e-mail address"),
        (["Kreis", "Hierdorf", "", "", "", "0" * 41], "is too long"),
        (["K" * 161, "Hierdorf", "", "", "", ""], "is too long"),
    ],
)
def test_each_kind_of_error_is_shown_on_its_row(place, row, message):
    plan = _plan(place, place.coordinator_here, ["Gute Zeile", "Hierdorf", "", "", "", ""], row)
    assert not plan.is_valid
    good, bad = plan.rows
    assert not good.errors
    assert any(message in error for error in bad.errors), bad.errors


def test_a_row_twice_in_the_file_is_an_error(place):
    plan = _plan(
        place,
        place.district_coordinator,
        ["Tafel", "Hierdorf", "", "", "", ""],
        ["tafel", "hierdorf", "", "", "", ""],
        ["Tafel", "Anderstadt", "", "", "", ""],
    )
    assert [bool(r.errors) for r in plan.rows] == [False, True, False]
    assert "appears twice" in plan.rows[1].errors[0]


def test_the_scope_refuses_other_municipalities_and_people_without_one(place, capture):
    plan = _plan(place, place.coordinator_other, ["Neu", "Hierdorf", "", "", "", ""])
    assert "You do not coordinate" in plan.rows[0].errors[0]
    with pytest.raises(ValidationError):
        _run(place, place.coordinator_other, [["Neu", "Hierdorf", "", "", "", ""]], capture=capture)
    with pytest.raises(PermissionDenied):
        _run(place, place.person, [["Neu", "Hierdorf", "", "", "", ""]], capture=capture)
    assert not Organisation.objects.filter(name="Neu").exists()
    # the district's coordinator imports for every municipality of it
    assert _plan(place, place.district_coordinator, ["Neu", "Anderstadt", "", "", "", ""]).is_valid


def test_a_duplicate_is_updated_or_skipped_as_chosen(place, capture):
    listed = place.organisation  # "Helferkreis Hierdorf" in Hierdorf
    row = ["helferkreis hierdorf", "Hierdorf", "", "ja", "neu@example.org", "0711 9"]
    update = _plan(place, place.coordinator_here, row)
    assert update.rows[0].organisation == listed and not update.rows[0].is_new
    assert update.rows[0].changes["public_email"] == ["", "neu@example.org"]
    skip = _plan(place, place.coordinator_here, row, duplicates=Duplicates.SKIP)
    assert skip.rows[0].skip and not skip.changed_rows and skip.skipped_rows == skip.rows

    run = _run(place, place.coordinator_here, [row], Duplicates.SKIP, capture=capture)
    listed.refresh_from_db()
    assert (run.status, run.skipped, listed.public_email) == (ImportStatus.DONE, 1, "")
    run = _run(place, place.coordinator_here, [row], capture=capture)
    listed.refresh_from_db()
    assert (listed.public_email, listed.has_speaker) == ("neu@example.org", True)
    assert listed.directory_profile.phone == "0711 9"
    assert Organisation.objects.filter(name__iexact="helferkreis hierdorf").count() == 1


def test_the_run_applies_in_batches_and_goes_on_where_it_stopped(place, capture, monkeypatch):
    monkeypatch.setattr(organisation_import, "BATCH_SIZE", 2)
    rows = [[f"Gruppe {n}", "Hierdorf", "", "", "", ""] for n in range(5)]
    user, district = place.coordinator_here, place.district
    run = ImportRun.objects.create(
        district=district,
        user=user,
        duplicates=Duplicates.UPDATE,
        rows=_rows(*rows),
        total=5,
        done=2,  # the first batch was applied before the worker went away
        status=ImportStatus.RUNNING,
    )
    run = services.continue_import(run.pk)
    assert (run.status, run.done, run.rows) == (ImportStatus.DONE, 5, [])
    names = set(
        Organisation.objects.filter(name__startswith="Gruppe").values_list("name", flat=True)
    )
    assert names == {"Gruppe 2", "Gruppe 3", "Gruppe 4"}
    assert services.continue_import(run.pk).done == 5  # once done, a second attempt does nothing
    assert Organisation.objects.filter(name__startswith="Gruppe").count() == 3


def test_a_run_stops_when_the_importer_lost_their_scope(place):
    run = ImportRun.objects.create(
        district=place.district,
        user=UserFactory(),
        duplicates=Duplicates.UPDATE,
        rows=_rows(["Neu", "Hierdorf", "", "", "", ""]),
        total=1,
        status=ImportStatus.QUEUED,
    )
    services.continue_import(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and run.error
    assert not Organisation.objects.filter(name="Neu").exists()


def test_undo_removes_what_was_created_and_restores_what_was_changed(place, capture):
    listed = place.organisation
    untouched = OrganisationFactory(municipality=place.here, name="Nicht in der Datei")
    run = _run(
        place,
        place.coordinator_here,
        [
            ["Helferkreis Hierdorf", "Hierdorf", "Verein", "ja", "neu@example.org", "0711 9"],
            ["Neue Initiative", "Hierdorf", "initiative", "", "", ""],
        ],
        capture=capture,
    )
    assert run.status == ImportStatus.DONE and len(run.created_ids) == 1
    listed.refresh_from_db()
    assert listed.kind == OrganisationKind.ASSOCIATION
    assert AuditEntry.objects.filter(action="import").count() == 2
    with pytest.raises(PermissionDenied):
        services.undo_import(place.coordinator_other, run)
    services.undo_import(place.coordinator_here, run)
    run.refresh_from_db()
    listed.refresh_from_db()
    assert run.status == ImportStatus.UNDONE
    assert not Organisation.objects.filter(name="Neue Initiative").exists()
    assert (listed.kind, listed.public_email, listed.has_speaker) == (
        OrganisationKind.WORKING_GROUP,
        "",
        False,
    )
    # it had no directory entry before the import: it has none again
    assert not OrganisationProfile.objects.filter(organisation=listed).exists()
    assert Organisation.objects.filter(pk=untouched.pk).exists()
    with pytest.raises(ValidationError):
        services.undo_import(place.coordinator_here, run)  # once


def test_undo_restores_an_existing_directory_entry(place, capture):
    profile = OrganisationProfile.objects.create(organisation=place.organisation, phone="0711 1")
    row = ["Helferkreis Hierdorf", "Hierdorf", "", "", "", "0711 2"]
    run = _run(place, place.district_coordinator, [row], capture=capture)
    assert run.status == ImportStatus.DONE, run.error
    profile.refresh_from_db()
    assert profile.phone == "0711 2"
    services.undo_import(place.district_coordinator, run)
    profile.refresh_from_db()
    assert profile.phone == "0711 1"


# --- pages ------------------------------------------------------------------------------------


def test_upload_preview_confirm_progress_and_undo(client, place, capture):
    client.force_login(place.coordinator_here)
    upload = _csv(
        [
            HEADER,
            ["Helferkreis Hierdorf", "Hierdorf", "", "ja", "", ""],
            ["Begegnungscafé", "Hierdorf", "Initiative", "nein", "cafe@example.org", ""],
        ]
    )
    response = client.post(
        reverse("directory:import_upload"),
        {"kind": "organisations", "duplicates": "skip", "file": upload},
    )
    assert response.status_code == 302
    preview = client.get(reverse("directory:import_preview")).content.decode()
    assert "Begegnungscafé" in preview and "cafe@example.org" in preview
    assert "already listed: left as it is" in preview
    assert not Organisation.objects.filter(name="Begegnungscafé").exists()
    with capture(execute=True):
        response = client.post(reverse("directory:import_confirm"))
    run = ImportRun.objects.get()
    assert response.url == reverse("directory:import_run", args=[run.pk])
    page = client.get(response.url)
    assert (
        page.status_code == 200 and b'<progress id="import-bar" max="2" value="2">' in page.content
    )
    # htmx asks again while the import runs; once it is done, it is told to stop (286)
    assert client.get(response.url, headers={"HX-Request": "true"}).status_code == 286
    assert Organisation.objects.filter(name="Begegnungscafé").exists()
    # found again from the import page
    assert response.url.encode() in client.get(reverse("directory:import_upload")).content
    assert client.post(reverse("directory:import_undo", args=[run.pk])).status_code == 302
    assert not Organisation.objects.filter(name="Begegnungscafé").exists()


def test_a_file_with_errors_cannot_be_confirmed(client, place):
    client.force_login(place.coordinator_here)
    upload = _csv([HEADER, ["Neu", "Anderstadt", "", "", "", ""]], delimiter=",")
    client.post(reverse("directory:import_upload"), {"kind": "organisations", "file": upload})
    preview = client.get(reverse("directory:import_preview")).content.decode()
    assert "You do not coordinate the municipality" in preview
    assert "Apply these changes" not in preview
    response = client.post(reverse("directory:import_confirm"))
    assert response.url == reverse("directory:import_preview")
    assert not ImportRun.objects.exists() and not Organisation.objects.filter(name="Neu").exists()


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_sample_file_reads_back_as_a_valid_import(client, place, extension):
    client.force_login(place.coordinator_here)
    response = client.get(reverse("directory:import_sample"), {"format": extension})
    assert response.status_code == 200
    upload = SimpleUploadedFile(f"vorlage.{extension}", response.content)
    rows = services.read_table(upload, services.ImportKind.ORGANISATIONS)
    assert [r["municipality"] for r in rows] == ["Hierdorf", "Hierdorf"]
    assert services.plan_organisation_import(place.coordinator_here, place.district, rows).is_valid


def test_a_file_too_big_is_refused_with_a_message_and_nothing_kept(client, place, monkeypatch):
    monkeypatch.setattr("hilfenetz.directory.services.tables.MAX_IMPORT_BYTES", 1024 * 1024)
    client.force_login(place.coordinator_here)
    big = SimpleUploadedFile("gross.csv", b"name\n" + b"Neu\n" * 300_000)
    response = client.post(
        reverse("directory:import_upload"),
        {"kind": "organisations", "duplicates": "update", "file": big},
    )
    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert "directory_import" not in client.session


def test_a_field_longer_than_csv_reads_is_a_clear_error():
    upload = SimpleUploadedFile("lang.csv", b"name\n" + b"x" * 200_000)
    with pytest.raises(ValidationError, match="not a readable CSV file"):
        services.read_table(upload, services.ImportKind.ORGANISATIONS)


def test_only_the_importer_and_the_districts_coordinators_see_a_run(client, place, capture):
    run = _run(
        place, place.coordinator_here, [["Neu", "Hierdorf", "", "", "", ""]], capture=capture
    )
    url = reverse("directory:import_run", args=[run.pk])
    for user, status in (
        (place.coordinator_here, 200),
        (place.district_coordinator, 200),
        (place.coordinator_other, 404),
        (place.person, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(place.coordinator_other)
    assert client.post(reverse("directory:import_undo", args=[run.pk])).status_code == 404
    assert Organisation.objects.filter(name="Neu").exists()
