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


AREA_PAGES = ("change", "history", "delete")


def _area_page(client, area, page):
    return client.get(reverse(f"admin:regions_area_{page}", args=[area.pk]))


@pytest.mark.parametrize("page", AREA_PAGES)
def test_administrator_and_district_coordinator_open_every_page_of_an_area(
    client, admin_user, page
):
    area = AreaFactory()
    for user in (admin_user, coordinator_of(district=area.district)):
        client.force_login(user)
        assert _area_page(client, area, page).status_code == 200


def test_district_coordinator_corrects_an_area_of_their_district(client):
    area = AreaFactory(name="Nord")
    client.force_login(coordinator_of(district=area.district))
    response = client.post(
        reverse("admin:regions_area_change", args=[area.pk]),
        {"district": area.district.pk, "name": "Nordost", "slug": "nordost"},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "Nordost"


def test_municipal_coordinator_only_looks_at_the_areas_of_their_district(client):
    municipality = MunicipalityFactory()
    area = municipality.area
    client.force_login(coordinator_of(municipality=municipality))
    change = _area_page(client, area, "change")
    assert change.status_code == 200
    assert 'name="_save"' not in change.text  # read-only
    assert _area_page(client, area, "history").status_code == 200
    assert _area_page(client, area, "delete").status_code == 403
    response = client.post(
        reverse("admin:regions_area_change", args=[area.pk]),
        {"district": area.district.pk, "name": "Umbenannt", "slug": "umbenannt"},
    )
    assert response.status_code == 403
    area.refresh_from_db()
    assert area.name != "Umbenannt"


@pytest.mark.parametrize("page", AREA_PAGES)
def test_coordinators_of_another_district_do_not_reach_its_areas(client, page):
    area = AreaFactory()
    elsewhere = MunicipalityFactory()
    for user in (
        coordinator_of(district=elsewhere.district),
        coordinator_of(municipality=elsewhere),
    ):
        client.force_login(user)
        response = _area_page(client, area, page)
        # the admin's answers for an object outside the user's rows: back to the index with
        # "does not exist", or 403 where the page needs a permission first (delete)
        if response.status_code == 302:
            assert response.url == reverse("admin:index")
        else:
            assert response.status_code == 403
