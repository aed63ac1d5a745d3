import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hilfenetz.regions.models import Area, District, Municipality
from hilfenetz.regions.services import default_district_file, load_district_file

pytestmark = pytest.mark.django_db


def test_loads_the_44_municipalities_of_esslingen_in_four_areas():
    report = load_district_file(default_district_file())
    assert report.district.name == "Landkreis Esslingen"
    assert Municipality.objects.count() == 44
    assert sorted(Area.objects.values_list("name", flat=True)) == [
        "Esslingen",
        "Filder",
        "Kirchheim",
        "Nürtingen",
    ]
    assert Municipality.objects.get(name="Wendlingen am Neckar").area.name == "Nürtingen"


def test_rerunning_updates_and_never_duplicates():
    load_district_file(default_district_file())
    report = load_district_file(default_district_file())
    assert report.created == [] and report.unchanged == 44
    assert District.objects.count() == 1 and Municipality.objects.count() == 44


def test_rerunning_keeps_an_area_a_coordinator_corrected():
    load_district_file(default_district_file())
    denkendorf = Municipality.objects.get(name="Denkendorf")
    esslingen_area = Area.objects.get(name="Esslingen")
    denkendorf.area = esslingen_area
    denkendorf.save()
    load_district_file(default_district_file())
    assert Municipality.objects.get(name="Denkendorf").area == esslingen_area
    load_district_file(default_district_file(), keep_areas=False)
    assert Municipality.objects.get(name="Denkendorf").area.name == "Filder"


def test_several_districts_live_side_by_side(tmp_path):
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps({"district": "Landkreis Anders", "areas": {"Nord": ["Esslingen am Neckar"]}})
    )
    load_district_file(default_district_file())
    load_district_file(other)
    assert District.objects.count() == 2
    assert Municipality.objects.filter(name="Esslingen am Neckar").count() == 2


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not valid JSON"),
        ('{"areas": {}}', "needs a 'district'"),
        ('{"district": "X", "areas": {"A": ["Y"], "B": ["Y"]}}', "is listed in"),
        ('{"district": "X", "areas": {"A": [""]}}', "must list municipality names"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_change_nothing(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("load_district", str(bad))
    assert not District.objects.exists()


def test_municipalities_api_is_paginated_and_filterable(client):
    load_district_file(default_district_file())
    response = client.get(reverse("api-v1:list_municipalities"), {"limit": 5, "offset": 40})
    data = response.json()
    assert data["count"] == 44 and len(data["items"]) == 4
    assert set(data["items"][0]) == {"id", "name", "slug", "area", "district"}
    filder = client.get(reverse("api-v1:list_municipalities"), {"area": "filder"}).json()
    assert filder["count"] == 5
    assert {m["area"] for m in filder["items"]} == {"Filder"}


def test_api_rejects_a_bad_limit_with_a_message(client):
    response = client.get(reverse("api-v1:list_municipalities"), {"limit": 0})
    assert response.status_code == 422
    assert "limit" in response.content.decode()


def test_openapi_document_lists_the_municipalities(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/municipalities" in response.json()["paths"]


def test_municipalities_api_query_count_does_not_grow(client, django_assert_num_queries):
    load_district_file(default_district_file())
    with django_assert_num_queries(2):
        client.get(reverse("api-v1:list_municipalities"), {"limit": 5})
    with django_assert_num_queries(2):
        client.get(reverse("api-v1:list_municipalities"), {"limit": 44})
