"""The page of the Kreisarbeitsgemeinschaft „Netzwerk Flüchtlinge“: drawn from the live entries,
with the district office's contacts, in a real browser in German and Arabic."""

import pytest
from django.db import connection
from django.urls import reverse

from hilfenetz.accounts.models import OrganisationKind
from hilfenetz.accounts.tests.factories import OrganisationFactory, coordinator_of
from hilfenetz.core import page_cache
from hilfenetz.core.tests.browser import fits_320
from hilfenetz.directory.models import OfficeKind, TeamArea
from hilfenetz.directory.tests.factories import ContactFactory, OfficeFactory, TeamFactory
from hilfenetz.network import services
from hilfenetz.network.models import Platform
from hilfenetz.regions.tests.factories import DistrictFactory, MunicipalityFactory


def _district(groups=1):
    here = MunicipalityFactory(name="Hierdorf")
    district = here.district
    TeamFactory(district=district, area=TeamArea.HOUSING)
    TeamFactory(district=district, area=TeamArea.HEALTH)
    OfficeFactory(district=district, name="Koordinationsstelle Hierdorf", municipalities=[here])
    OfficeFactory(district=district, name="Geschlossene Stelle", is_active=False)
    office = OfficeFactory(
        district=district,
        kind=OfficeKind.DISTRICT,
        name="Landratsamt Demo",
        phone="0711 3902-0",
        fax="0711 3902-9",
        email="zentrale@landkreis.example",
    )
    ContactFactory(office=office, name="Hanna Leiterin", function="Amtsleitung")
    ContactFactory(office=office, name="Ohne Zustimmung", consent_given=False)
    for n in range(groups):
        OrganisationFactory(
            district=district,
            municipality=here,
            kind=OrganisationKind.WORKING_GROUP,
            name=f"Helferkreis {n}",
        )
    OrganisationFactory(district=district, municipality=here, kind=OrganisationKind.INITIATIVE)
    OrganisationFactory(
        district=district, municipality=here, kind=OrganisationKind.WORKING_GROUP, is_active=False
    )
    OrganisationFactory(district=district, municipality=here, kind=OrganisationKind.ASSOCIATION)
    return district


@pytest.mark.django_db
def test_the_structure_counts_only_the_districts_live_entries():
    district = _district(groups=3)
    other = _district()
    assert other != district
    result = services.structure(district)
    assert [t.area for t in result.teams] == sorted([TeamArea.HEALTH, TeamArea.HOUSING])
    assert [o.name for o in result.municipal_offices] == ["Koordinationsstelle Hierdorf"]
    assert [o.name for o in result.district_offices] == ["Landratsamt Demo"]
    assert {kind: n for kind, _label, n in result.local_groups} == {
        OrganisationKind.WORKING_GROUP: 3,
        OrganisationKind.INITIATIVE: 1,
    }
    # the six platforms every district starts with, not those of the other district
    assert len(result.platforms) == 6
    assert {p.district_id for p in result.platforms} == {district.pk}


@pytest.mark.django_db
def test_the_page_links_every_entry_and_shows_the_district_offices_contacts(client):
    district = _district()
    html = client.get(reverse("network:kag")).content.decode()
    assert "Kreisarbeitsgemeinschaft (KAG) „Netzwerk Flüchtlinge“" in html
    assert "Lenkungskreis" in html
    for team in district.competence_teams.all():
        assert f"{reverse('directory:teams')}#team-{team.pk}" in html
    for platform in Platform.objects.filter(district=district):
        assert reverse("network:platform", args=[platform.pk]) in html
    assert reverse("directory:office", args=["koordinationsstelle-hierdorf"]) not in html
    office = district.offices.get(name="Koordinationsstelle Hierdorf")
    assert reverse("directory:office", args=[office.slug]) in html
    assert "Geschlossene Stelle" not in html
    assert f"{reverse('directory:organisations')}?kind=working_group" in html
    # the district office with its head of office, phone, fax, e-mail and address
    for text in ("Hanna Leiterin", "Amtsleitung", "0711 3902-9", "zentrale@landkreis.example"):
        assert text in html
    assert "Ohne Zustimmung" not in html


@pytest.mark.django_db
def test_with_several_districts_the_page_asks_which(client):
    first, second = _district(), DistrictFactory(name="Zweitkreis")
    html = client.get(reverse("network:kag")).content.decode()
    assert f"?district={second.pk}" in html
    assert "Lenkungskreis" not in html
    html = client.get(reverse("network:kag"), {"district": first.pk}).content.decode()
    assert "Lenkungskreis" in html


@pytest.mark.django_db
@pytest.mark.parametrize("groups", [1, 12])
def test_the_page_does_not_grow_with_the_data(client, django_assert_max_num_queries, groups):
    district = _district(groups=groups)
    for n in range(groups):
        OfficeFactory(district=district, name=f"Stelle {n}")
    page_cache.versions(connection.introspection.table_names())
    client.get(reverse("network:kag"))  # what the page keeps, learned
    with django_assert_max_num_queries(6):  # one of them the crisis banner
        assert client.get(reverse("network:kag")).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_page_reads_in_a_browser(browse, page, axe_check, language):
    _district()
    browse(reverse("directory:index"), language)
    page.locator(".directory-nav").get_by_role("link", name="KAG").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator(".kag-diagram > li").count() == 3
    axe_check(page, f"KAG {language}")
    fits_320(page, f"KAG {language}")


@pytest.mark.django_db
def test_the_directorys_exports_list_the_district_office_with_its_head(client):
    _district()
    csv = client.get(reverse("directory:export_csv")).content.decode()
    vcard = client.get(reverse("directory:export_vcard")).content.decode()
    for text in ("Landratsamt Demo", "Hanna Leiterin / Amtsleitung", "0711 3902-9"):
        assert text in csv
    assert "Landratsamt Demo" in vcard
    assert "Ohne Zustimmung" not in csv + vcard


@pytest.mark.django_db
def test_the_district_coordinators_edit_the_district_office_from_the_page(client):
    district = _district()
    office = district.offices.get(kind=OfficeKind.DISTRICT)
    edit = reverse("directory:office_edit", args=[office.slug])
    client.force_login(coordinator_of(municipality=district.municipalities.first()))
    assert edit not in client.get(reverse("network:kag")).content.decode()
    client.force_login(coordinator_of(district=district))
    assert edit in client.get(reverse("network:kag")).content.decode()
    assert client.get(edit).status_code == 200
