import csv
import io
import json

import pytest
import vobject
from django.urls import reverse
from openpyxl import Workbook
from pypdf import PdfReader

from hilfenetz.accounts.tests.factories import OrganisationFactory
from hilfenetz.core import page_cache
from hilfenetz.core.models import AuditEntry
from hilfenetz.core.tests.factories import TopicFactory
from hilfenetz.directory.models import Office, OrganisationProfile
from hilfenetz.directory.tests.factories import (
    ContactFactory,
    OfficeFactory,
    TeamFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db

SECRETS = ["Geheime Person", "geheim@example.org", "Private Helferin", "privat@example.org"]


def assert_private(text):
    for secret in SECRETS:
        assert secret not in text


# --- pages ------------------------------------------------------------------------------------


def test_pages_show_key_content(client, place):
    OfficeFactory(district=place.district, kind="district", name="Landratsamt Stabsstelle")
    team = TeamFactory(district=place.district)
    TeamMemberFactory(team=team, name="Sichtbares Mitglied")
    TeamMemberFactory(team=team, name="Verborgenes Mitglied", consent_given=False)
    OrganisationProfile.objects.create(organisation=place.organisation, how_to_reach="Montags")
    pages = {
        reverse("directory:index"): ["Koordinationsstelle Hierdorf", "Öffentliche Person"],
        reverse("directory:office", args=[place.office.slug]): ["Rathausplatz 1", "Hierdorf"],
        reverse("directory:contact_finder") + "?municipality=hierdorf": [
            "Koordinationsstelle Hierdorf",
            "Landratsamt Stabsstelle",
        ],
        reverse("directory:organisations"): ["Helferkreis Hierdorf", "Montags"],
        reverse("directory:teams"): ["Housing and follow-up accommodation", "Sichtbares Mitglied"],
        reverse("core:home"): ['action="/verzeichnis/kontakt/"', "Hierdorf"],
    }
    for url, needles in pages.items():
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        for needle in needles:
            assert needle in html, (url, needle)
        assert_private(html)
        assert "Verborgenes Mitglied" not in html
    assert "koordinationsstellen.pdf" in client.get(reverse("directory:index")).content.decode()


def test_rendered_cards_and_forms_follow_data_language_and_query(client, place, committed):
    url = reverse("directory:index")
    assert "Ansprechpersonen" in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Contact persons" in html and "Ansprechpersonen" not in html
    place.public.name = "Neue Person"
    place.here.name = "Neudorf"
    committed(lambda: (place.public.save(), place.here.save()))
    html = client.get(url).content.decode()
    assert "Neue Person" in html and "Öffentliche Person" not in html
    assert ": <bdi>Neudorf</bdi></p>" in html
    for query in ("Hier", "Anders"):
        html = client.get(url, {"q": query}).content.decode()
        assert f'value="{query}"' in html


def test_contact_finder_for_municipality_without_office(client, place):
    html = client.get(reverse("directory:contact_finder"), {"municipality": "anderstadt"})
    assert "Koordinationsstelle Hierdorf" not in html.content.decode()


def test_coordinator_pages(client, place):
    client.force_login(place.coordinator_here)
    for name in ("office_edit", "office_history", "contact_create"):
        response = client.get(reverse(f"directory:{name}", args=[place.office.slug]))
        assert response.status_code == 200
    assert (
        "Geheime Person"
        in client.get(reverse("directory:office_edit", args=[place.office.slug])).content.decode()
    )
    assert client.get(reverse("directory:overdue")).status_code == 200


def test_edit_office_through_the_form(client, place):
    client.force_login(place.coordinator_here)
    response = client.post(
        reverse("directory:office_edit", args=[place.office.slug]),
        {
            "name": "Koordinationsstelle Hierdorf",
            "municipalities": [place.here.pk],
            "phone": "0711 123",
            "email": "neu@example.org",
        },
    )
    assert response.status_code == 302
    place.office.refresh_from_db()
    assert place.office.phone == "0711 123"
    change = AuditEntry.objects.get()
    assert change.changes["email"][1] == "neu@example.org"
    html = client.get(reverse("directory:office_history", args=[place.office.slug])).content
    assert b"neu@example.org" in html


def test_coordinator_of_other_municipality_changes_nothing(client, place):
    client.force_login(place.coordinator_other)
    before = Office.objects.values().get(pk=place.office.pk)
    for name, data in [
        ("office_edit", {"name": "Gekapert", "phone": "1"}),
        ("office_verify", {}),
        ("contact_create", {"name": "Eindringling"}),
    ]:
        response = client.post(reverse(f"directory:{name}", args=[place.office.slug]), data)
        assert response.status_code == 404
    response = client.post(reverse("directory:contact_delete", args=[place.public.pk]))
    assert response.status_code == 404
    response = client.post(reverse("directory:contact_edit", args=[place.public.pk]), {"name": "X"})
    assert response.status_code == 404
    response = client.post(
        reverse("directory:organisation_profile", args=[place.organisation.slug]),
        {"phone": "1"},
    )
    assert response.status_code == 403
    assert Office.objects.values().get(pk=place.office.pk) == before
    assert place.office.contacts.count() == 3
    assert not AuditEntry.objects.exists()
    assert not OrganisationProfile.objects.exists()


# --- exports ----------------------------------------------------------------------------------


def test_csv_export(client, place):
    response = client.get(reverse("directory:export_csv"))
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["name"] for r in rows] == ["Koordinationsstelle Hierdorf"]
    assert rows[0]["municipalities"] == "Hierdorf"
    assert "Öffentliche Person" in rows[0]["contacts"]
    assert_private(text)


def test_vcard_export(client, place):
    text = client.get(reverse("directory:export_vcard")).content.decode()
    cards = list(vobject.readComponents(text))
    names = [card.fn.value for card in cards]
    assert names == ["Koordinationsstelle Hierdorf", "Öffentliche Person"]
    assert all(card.version.value == "3.0" for card in cards)
    assert cards[1].email.value == "oeffentlich@example.org"
    assert cards[1].org.value == ["Koordinationsstelle Hierdorf"]
    assert_private(text)


def test_pdf_export(client, place):
    from hilfenetz.directory.services import data_date

    response = client.get(reverse("directory:export_pdf"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Koordinationsstelle Hierdorf" in text
    assert "Öffentliche Person" in text
    as_of = data_date()
    assert f"{as_of.year}" in text and "As of" in text
    assert_private(text)


# --- API --------------------------------------------------------------------------------------


def test_api_offices(client, place):
    OfficeFactory(district=place.district, name="Andere Stelle", municipalities=[place.other])
    data = client.get("/api/v1/offices", {"municipality": "hierdorf"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["municipalities"] == ["Hierdorf"]
    assert [c["name"] for c in item["contacts"]] == ["Öffentliche Person"]
    assert "verified_at" in item
    assert_private(json.dumps(client.get("/api/v1/offices").json()))
    assert client.get("/api/v1/offices", {"municipality": "nirgendwo"}).json()["count"] == 0
    assert client.get("/api/v1/offices", {"q": "Andere"}).json()["count"] == 1


def test_api_organisations(client, place):
    topic = TopicFactory(name="Sprache", slug="sprache")
    profile = OrganisationProfile.objects.create(organisation=place.organisation)
    profile.topics.set([topic])
    OrganisationFactory(municipality=place.other, name="Sportverein Anderstadt")
    data = client.get("/api/v1/organisations", {"topic": "sprache"}).json()
    assert [o["name"] for o in data["items"]] == ["Helferkreis Hierdorf"]
    assert data["items"][0]["topics"] == ["Sprache"]
    assert client.get("/api/v1/organisations", {"area": "sued"}).json()["count"] == 1


# --- query guards -----------------------------------------------------------------------------


def _fill(place, n, area):
    for i in range(n):
        office = OfficeFactory(district=place.district, municipalities=[place.here, place.other])
        ContactFactory(office=office)
        org = OrganisationFactory(municipality=place.here, name=f"Verein {i}")
        profile = OrganisationProfile.objects.create(organisation=org)
        profile.topics.set([TopicFactory()])
    team = TeamFactory(district=place.district, area=area)
    for _ in range(n):
        TeamMemberFactory(team=team)


LIST_URLS = [
    lambda p: reverse("directory:index"),
    lambda p: reverse("directory:organisations"),
    lambda p: reverse("directory:teams"),
    lambda p: reverse("directory:overdue"),
    lambda p: reverse("directory:office_history", args=[p.office.slug]),
    lambda p: "/api/v1/offices",
    lambda p: "/api/v1/organisations",
]


def test_office_page_reads_its_card_only_when_the_card_is_rendered(client, place, committed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("directory:office", args=[place.office.slug])
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    client.get(url)  # learns what the card reads
    assert "Öffentliche Person" in client.get(url).text  # rendered and kept
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).text
    assert "Öffentliche Person" in html and "Hierdorf" in html
    read = " ".join(query["sql"] for query in ctx.captured_queries)
    assert '"directory_contactperson"' not in read  # a table read, not its data version
    assert '"directory_office_municipalities"' not in read

    place.public.name = "Neue Person"
    committed(place.public.save)
    html = client.get(url).text
    assert "Neue Person" in html and "Öffentliche Person" not in html


@pytest.mark.parametrize("make_url", LIST_URLS)
def test_list_query_count_does_not_grow(client, place, make_url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(place.district_coordinator)
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    counts = []
    # 5 entries, then 50.
    for n, area in ((5, "housing"), (45, "work")):
        _fill(place, n, area)
        for _ in range(n):
            client.post(reverse("directory:office_verify", args=[place.office.slug]))
        page_cache.forget()  # the most queries a page makes: nothing rendered yet
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(make_url(place)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- import -----------------------------------------------------------------------------------


def _csv_upload(rows, name="offices.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def test_import_preview_and_confirm(client, place):
    client.force_login(place.coordinator_here)
    upload = _csv_upload(
        [
            ["id", "name", "municipalities", "phone", "email"],
            [place.office.pk, place.office.name, "Hierdorf", "0711 42", "neu@example.org"],
            ["", "Neue Stelle Hierdorf", "hierdorf", "0711 43", ""],
        ]
    )
    response = client.post(reverse("directory:import_upload"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(reverse("directory:import_preview")).content.decode()
    assert "0711 42" in preview and "Neue Stelle Hierdorf" in preview
    place.office.refresh_from_db()
    assert place.office.phone == "0711 555-100"  # nothing changed before the confirmation
    assert client.post(reverse("directory:import_confirm")).status_code == 302
    place.office.refresh_from_db()
    assert place.office.phone == "0711 42"
    new = Office.objects.get(name="Neue Stelle Hierdorf")
    assert list(new.municipalities.all()) == [place.here]
    assert new.verified_by == place.coordinator_here
    assert AuditEntry.objects.filter(action="import").count() == 2


def test_import_with_bad_rows_changes_nothing(client, place):
    foreign_office = OfficeFactory(district=place.district, municipalities=[place.other])
    client.force_login(place.coordinator_here)
    upload = _csv_upload(
        [
            ["id", "name", "municipalities", "phone", "email"],
            [place.office.pk, place.office.name, "Hierdorf", "0711 42", ""],
            [foreign_office.pk, "Fremd", "Anderstadt", "1", ""],
            ["", "Neue Stelle", "Anderstadt", "", ""],
            ["", "", "Nirgendwo", "", "kaputt"],
        ]
    )
    client.post(reverse("directory:import_upload"), {"file": upload})
    preview = client.get(reverse("directory:import_preview")).content.decode()
    assert "No office with id" in preview or "Keine" in preview or preview.count("errorlist") >= 3
    response = client.post(reverse("directory:import_confirm"))
    assert response.status_code == 302
    place.office.refresh_from_db()
    assert place.office.phone == "0711 555-100"
    assert Office.objects.count() == 2
    assert not AuditEntry.objects.exists()


def test_import_plan_row_errors(place):
    from hilfenetz.directory.services import plan_import

    plan = plan_import(
        place.coordinator_here,
        place.district,
        [
            {"id": str(place.office.pk), "name": "A", "municipalities": "Hierdorf"},
            {"id": str(place.office.pk), "name": "A", "municipalities": "Hierdorf"},
            {"id": "", "name": "B", "municipalities": "Anderstadt"},
            {"id": "", "name": "C", "municipalities": "Hierdorf", "email": "kaputt"},
            {"id": "", "name": "D", "municipalities": ""},
        ],
    )
    assert not plan.is_valid
    assert [bool(r.errors) for r in plan.rows] == [False, True, True, True, True]


def test_import_xlsx(client, place):
    from django.core.files.uploadedfile import SimpleUploadedFile

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "name", "opening_hours"])
    sheet.append([place.office.pk, place.office.name, "Mo 9–12"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(place.district_coordinator)
    upload = SimpleUploadedFile("offices.xlsx", buffer.getvalue())
    assert client.post(reverse("directory:import_upload"), {"file": upload}).status_code == 302
    assert client.post(reverse("directory:import_confirm")).status_code == 302
    place.office.refresh_from_db()
    assert place.office.opening_hours == "Mo 9–12"


def test_import_rejects_unreadable_files(client, place):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(place.coordinator_here)
    for upload in (
        SimpleUploadedFile("x.xlsx", b"not a workbook"),
        SimpleUploadedFile("x.csv", b"\xff\xfe broken"),
        SimpleUploadedFile("x.txt", b"name\nA"),
    ):
        response = client.post(reverse("directory:import_upload"), {"file": upload})
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()


def test_import_refuses_a_nul_byte_and_changes_nothing(client, place):
    client.force_login(place.coordinator_here)
    upload = _csv_upload(
        [["id", "name", "phone"], [place.office.pk, place.office.name, "0711\x00 42"]]
    )
    response = client.post(reverse("directory:import_upload"), {"file": upload})
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert "2" in error  # the row
    place.office.refresh_from_db()
    assert place.office.phone == "0711 555-100"


def test_pdf_is_cached_until_the_data_changes(client, place, monkeypatch, committed):
    from hilfenetz.directory import exports, services

    calls = []
    render = exports.offices_pdf
    monkeypatch.setattr(
        exports, "offices_pdf", lambda *a, **kw: calls.append(1) or render(*a, **kw)
    )
    url = reverse("directory:export_pdf")
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content  # kept: it declares its reads
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").content == first
    assert len(calls) == 1
    committed(
        lambda: services.save_contact(
            place.coordinator_here,
            place.office,
            {
                "name": "Neue Ansprechperson",
                "function": "Koordination",
                "phone": "",
                "email": "",
                "is_official_function": True,
                "consent_given": True,
            },
        )
    )
    changed = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content
    assert len(calls) == 2
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(changed)).pages)
    assert "Neue Ansprechperson" in text
