"""The API keeps its OpenAPI promise: schemathesis sends schema-guided (and schema-breaking)
requests to every operation, anonymous and logged in, and finds no server error, no
undocumented status code and no answer that differs from the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory
from hilfenetz.core.api_errors import ERROR_DESCRIPTIONS
from hilfenetz.directory.tests.factories import OfficeFactory
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

EXAMPLES = 25  # per operation and visitor: ~2 × 9 × 25 requests, a few seconds


@pytest.fixture
def api_data(db):
    """Some data to find, served by the WSGI application inside the test transaction."""
    municipality = MunicipalityFactory()
    ListingFactory(municipality=municipality, quantity=3, remaining=3)
    ListingFactory(municipality=municipality, kind="offer")
    OfficeFactory(district=municipality.district, municipalities=[municipality])
    OrganisationFactory(municipality=municipality)
    # As Django's test client does: the handler must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def person_headers(db):
    client = Client()
    client.force_login(UserFactory())
    session = client.cookies["sessionid"].value
    token = "x" * 32  # a CSRF secret of the right shape, sent as cookie and header
    return {"Cookie": f"sessionid={session}; csrftoken={token}", "X-CSRFToken": token}


# Schema-valid input may still be refused by the domain (an unknown category, a date in the
# past, a NUL byte): with the documented 400, never with 422 or an undocumented code.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "429"]
            }
        }
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)


EXAMPLE_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
)


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLE_SETTINGS
def test_api_conforms_to_its_schema_for_visitors(case, api_data):
    case.call_and_validate()


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLE_SETTINGS
def test_api_conforms_to_its_schema_for_logged_in_people(case, api_data, person_headers):
    case.call_and_validate(headers=person_headers)


@pytest.mark.django_db
def test_every_operation_documents_every_error(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 7
    for operation in operations:
        documented = {int(code) for code in operation["responses"]}
        assert set(ERROR_DESCRIPTIONS) <= documented, operation["operationId"]


@pytest.mark.django_db
def test_api_docs_load_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "//" not in page.replace("http://www.w3.org", "")
    assert "<script>" not in page  # no inline script: the CSP allows none
