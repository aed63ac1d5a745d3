import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hilfenetz.accounts.models import MembershipRole
from hilfenetz.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
)
from hilfenetz.media import samples
from hilfenetz.regions.tests.factories import AreaFactory, DistrictFactory, MunicipalityFactory


@pytest.fixture
def place(db):
    """A district with two municipalities, their coordinators and an organisation."""
    district = DistrictFactory(name="Landkreis Beispiel", slug="landkreis-beispiel")
    here = MunicipalityFactory(
        area=AreaFactory(district=district, name="Nord", slug="nord"), name="Hierdorf"
    )
    other = MunicipalityFactory(
        area=AreaFactory(district=district, name="Süd", slug="sued"), name="Anderstadt"
    )
    organisation = OrganisationFactory(municipality=here, name="Helferkreis Hierdorf")

    class Place:
        pass

    p = Place()
    p.district, p.here, p.other, p.organisation = district, here, other, organisation
    p.coordinator_here = coordinator_of(municipality=here)
    p.coordinator_other = coordinator_of(municipality=other)
    p.district_coordinator = coordinator_of(district=district)
    p.org_admin = MembershipFactory(organisation=organisation, role=MembershipRole.ADMIN).user
    p.org_member = MembershipFactory(organisation=organisation).user
    p.person = UserFactory()
    return p


@pytest.fixture(scope="session")
def video_bytes():
    return samples.sample_video(seconds=3)


@pytest.fixture(scope="session")
def pdf_bytes():
    return samples.brochure_pdf("Willkommen im Landkreis", ["Ein Absatz."] * 4)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def vtt(*lines: str) -> SimpleUploadedFile:
    return upload("captions.vtt", samples.captions(list(lines)), "text/vtt")
