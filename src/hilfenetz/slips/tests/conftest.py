import pytest

from hilfenetz.regions.tests.factories import MunicipalityFactory
from hilfenetz.slips.tests.factories import on_behalf_listing


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Hierdorf")


@pytest.fixture
def listing(municipality):
    return on_behalf_listing(municipality, title="Winterjacke für ein Kind")
