from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hilfenetz.network.models import MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory, platform
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_platforms_are_listed_per_district(client):
    district = MunicipalityFactory().district
    MunicipalityFactory()  # another district
    data = client.get(reverse("api-v1:list_platforms"), {"district": district.slug}).json()
    assert data["count"] == 6
    first = data["items"][0]
    assert first["district"] == district.slug
    assert first["translations"]["en"]["name"] == "Social care in the community"


def test_meetings_filter_by_platform_place_and_dates_and_show_public_fields_only(client):
    here = MunicipalityFactory()
    there = MunicipalityFactory(district=here.district, area__district=here.district)
    soon = MeetingFactory(municipality=here, online_link="https://meet.example.org/x")
    later = MeetingFactory(
        municipality=there,
        platform=platform(here.district, "ausbildung-arbeit"),
        starts_at=timezone.now() + timedelta(days=90),
        ends_at=timezone.now() + timedelta(days=90, hours=2),
    )
    MeetingFactory(municipality=here, status=MeetingStatus.PROPOSED)
    url = reverse("api-v1:list_meetings")

    def ids(**params):
        return [m["id"] for m in client.get(url, params).json()["items"]]

    assert ids() == [soon.pk, later.pk]
    assert ids(platform=later.platform_id) == [later.pk]
    assert ids(municipality=here.slug) == [soon.pk]
    assert ids(area=there.area.slug, district=here.district.slug) == [later.pk]
    assert ids(start=(timezone.localdate() + timedelta(days=30)).isoformat()) == [later.pk]
    assert ids(end=(timezone.localdate() + timedelta(days=30)).isoformat()) == [soon.pk]
    assert ids(district="unbekannt") == []
    item = client.get(reverse("api-v1:get_meeting", args=[soon.pk])).json()
    assert "online_link" not in item and "address" not in item
    assert item["municipalities"] == [here.slug]


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/platforms", "/api/v1/meetings", "/api/v1/meetings/{meeting_id}"} <= set(paths)
