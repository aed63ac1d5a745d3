import pytest

from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory, coordinator_of
from hilfenetz.directory.tests.factories import ContactFactory, OfficeFactory
from hilfenetz.regions.tests.factories import AreaFactory, DistrictFactory, MunicipalityFactory


@pytest.fixture
def place(db):
    """A district with two municipalities, their coordinators and an office in ``here``."""
    district = DistrictFactory(name="Landkreis Beispiel", slug="landkreis-beispiel")
    here = MunicipalityFactory(
        area=AreaFactory(district=district, name="Nord", slug="nord"),
        name="Hierdorf",
        slug="hierdorf",
    )
    other = MunicipalityFactory(
        area=AreaFactory(district=district, name="Süd", slug="sued"),
        name="Anderstadt",
        slug="anderstadt",
    )
    office = OfficeFactory(
        district=district,
        name="Koordinationsstelle Hierdorf",
        slug="ks-hierdorf",
        municipalities=[here],
    )
    public = ContactFactory(
        office=office, name="Öffentliche Person", email="oeffentlich@example.org"
    )
    secret = ContactFactory(
        office=office, name="Geheime Person", email="geheim@example.org", consent_given=False
    )
    unofficial = ContactFactory(
        office=office,
        name="Private Helferin",
        email="privat@example.org",
        is_official_function=False,
    )

    class Place:
        pass

    p = Place()
    p.district, p.here, p.other, p.office = district, here, other, office
    p.public, p.secret, p.unofficial = public, secret, unofficial
    p.coordinator_here = coordinator_of(municipality=here)
    p.coordinator_other = coordinator_of(municipality=other)
    p.district_coordinator = coordinator_of(district=district)
    p.person = UserFactory()
    p.organisation = OrganisationFactory(municipality=here, name="Helferkreis Hierdorf")
    return p
