from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core.models import OutboundMail
from hilfenetz.engagement import services
from hilfenetz.engagement.models import Intent, Onboarding
from hilfenetz.engagement.tests.factories import standards
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    area = AreaFactory(name="Nordkreis")
    here = MunicipalityFactory(name="Birkenfeld", area=area, district=area.district)
    other = MunicipalityFactory(name="Eichstett", area=area, district=area.district)
    standards(area.district)
    return here, other


def volunteer(municipality, intent=Intent.HELP, **kwargs):
    user = UserFactory(home_municipality=municipality, **kwargs)
    Onboarding.objects.create(user=user, intent=intent, finished_at=timezone.now())
    return user


def test_the_overview_shows_the_volunteers_of_the_coordinators_municipalities(places):
    here, other = places
    coordinator = coordinator_of(municipality=here)
    new = volunteer(here)
    settled = volunteer(here)
    settled.date_joined = timezone.now() - timedelta(days=400)
    settled.save()
    services.acknowledge_standards(settled, services.standards_for(settled).version)
    certificate = services.record_certificate(
        coordinator, settled, timezone.localdate() - timedelta(days=5 * 365 - 10)
    )
    volunteer(other)
    volunteer(here, intent=Intent.SEEK)
    long_ago = UserFactory(home_municipality=here, date_joined=timezone.now() - timedelta(days=99))
    unanswered = UserFactory(home_municipality=here)  # new, has not answered the welcome yet
    rows = list(services.volunteers_overview(coordinator))
    assert rows == [unanswered, new, settled]
    assert long_ago not in rows
    assert [r.acknowledged for r in rows] == [False, False, True]
    assert [r.certificate_due_on for r in rows] == [None, None, certificate.due_on]
    assert rows[1].date_joined >= services.new_since() > rows[2].date_joined
    # a district coordinator sees all of the district's
    assert len(services.volunteers_overview(coordinator_of(district=here.district))) == 4


def test_people_without_a_coordinator_role_have_no_overview(places, client):
    here, _ = places
    for person in (volunteer(here), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.volunteers_overview(person)
        client.force_login(person)
        assert client.get(reverse("engagement:overview")).status_code == 403


def test_the_overview_makes_the_same_number_of_queries_for_more_volunteers(places, client):
    here, _ = places
    coordinator = coordinator_of(municipality=here)
    client.force_login(coordinator)
    client.get(reverse("engagement:overview"))  # what every page keeps, kept
    counts = []
    for n in (2, 10):
        for _ in range(n):
            person = volunteer(here)
            services.acknowledge_standards(person, services.standards_for(person).version)
            services.record_certificate(coordinator, person, timezone.localdate())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("engagement:overview"))
        assert len(response.context["result"].object_list) == {2: 2, 10: 12}[n]
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_overview_shows_no_e_mail_addresses(places, client):
    here, _ = places
    person = volunteer(here, email="versteckt@example.org")
    client.force_login(coordinator_of(municipality=here))
    assert person.email not in client.get(reverse("engagement:overview")).text
    assert person.email not in client.get(reverse("engagement:write", args=[person.pk])).text


def test_a_coordinator_writes_to_a_volunteer_in_their_language(places):
    here, _ = places
    coordinator = coordinator_of(municipality=here, display_name="Koordination Birkenfeld")
    person = volunteer(here, preferred_language="tr")
    services.write_to_volunteer(coordinator, person, "  Treffen am Montag?  ")
    mail = OutboundMail.objects.get()
    assert mail.to == person.email and mail.language == "tr"
    assert "Treffen am Montag?" in mail.body and coordinator.email in mail.body
    assert "Koordination Birkenfeld" in mail.subject
    with pytest.raises(ValidationError):
        services.write_to_volunteer(coordinator, person, "   ")
    for outsider in (coordinator_of(municipality=places[1]), volunteer(here)):
        with pytest.raises(PermissionDenied):
            services.write_to_volunteer(outsider, person, "Hallo")
    assert OutboundMail.objects.count() == 1


def test_onboarding_counts_the_certificates_due(places):
    here, other = places
    coordinator = coordinator_of(municipality=here)
    today = timezone.localdate()
    due = volunteer(here)
    services.record_certificate(coordinator, due, today - timedelta(days=5 * 365 - 10))
    renewed = volunteer(here)
    services.record_certificate(coordinator, renewed, today - timedelta(days=5 * 365 - 10))
    services.record_certificate(coordinator, renewed, today)
    now = timezone.now()
    counts = services.onboarding_counts([here], now - timedelta(days=7), now + timedelta(days=30))
    assert counts["certificates_due"] == 1
    assert services.onboarding_counts([other], now, now + timedelta(days=30)) == {
        "new_volunteers": 0,
        "acknowledged_standards": 0,
        "certificates_due": 0,
    }
