import pytest
from django.urls import reverse

from hilfenetz.accounts.tests.factories import coordinator_of
from hilfenetz.regions.models import Municipality
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def _move(client, municipality, area):
    return client.post(
        reverse("admin:regions_municipality_change", args=[municipality.pk]),
        {"area": area.pk},
    )


def test_coordinator_corrects_the_area_of_their_municipality(client):
    municipality = MunicipalityFactory()
    new_area = AreaFactory(district=municipality.district)
    client.force_login(coordinator_of(municipality=municipality))
    response = _move(client, municipality, new_area)
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.area == new_area


def test_coordinator_of_another_municipality_cannot_move_it(client):
    municipality = MunicipalityFactory()
    original = municipality.area
    elsewhere = MunicipalityFactory(area=AreaFactory(district=municipality.district))
    client.force_login(coordinator_of(municipality=elsewhere))
    response = _move(client, municipality, elsewhere.area)
    assert response.status_code in (302, 403, 404)
    municipality.refresh_from_db()
    assert municipality.area == original


def test_an_area_of_another_district_is_refused(client):
    municipality = MunicipalityFactory()
    foreign_area = AreaFactory()
    client.force_login(coordinator_of(district=municipality.district))
    response = _move(client, municipality, foreign_area)
    assert response.status_code == 200  # the form comes back with an error
    assert Municipality.objects.get(pk=municipality.pk).area != foreign_area
