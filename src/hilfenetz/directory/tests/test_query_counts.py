"""Query guards: the directory's pages cost the same with few and with many entries.

Each page is asked for twice: the first request is a first rendering (nothing kept in the
process) of what is the same for everyone (office cards, the search forms, the PDF), which keeps
it; the second is the one a running platform serves. Both are counted at both sizes.
A logged-in person's frame (session, user, roles) costs 3 queries; a district coordinator's one
more (the second factor); every page one more for the crisis banner (with the page cache off)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory
from hilfenetz.core import page_cache
from hilfenetz.core.tests.factories import TopicFactory
from hilfenetz.directory.models import CompetenceTeam, Office, OrganisationProfile
from hilfenetz.directory.tests.factories import ContactFactory, OfficeFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

SIZES = (2, 20)


def _queries(client, url, data=None) -> tuple[int, int]:
    """Queries of a first and a second request of ``url``."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, data or {})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts[0], counts[1]


def _add_offices(place, n):
    """``n`` offices in ``place.here``, each serving another municipality too, with contacts."""
    for _ in range(n):
        office = OfficeFactory(
            district=place.district,
            municipalities=[place.here, MunicipalityFactory(district=place.district)],
        )
        ContactFactory(office=office)
        ContactFactory(office=office, consent_given=False)


def _running_platform():
    """Nothing kept yet (a test's writes never commit, so nothing kept would follow them), the
    data versions known (as on a running platform)."""
    cache.clear()
    page_cache.forget()
    page_cache.versions(connection.introspection.table_names())


def _counts_for_sizes(client, place, url, data=None, add=_add_offices) -> list:
    counts, added = [], 0
    for n in SIZES:
        add(place, n - added)
        added = n
        _running_platform()
        counts.append(_queries(client, url, data))
    return counts


@pytest.mark.parametrize(
    ("url_name", "data", "limit"),
    [
        ("directory:index", None, 6),
        ("directory:index", {"q": "Koordinationsstelle", "area": "nord"}, 6),
        ("directory:contact_finder", {"municipality": "hierdorf"}, 7),
        ("directory:export_pdf", None, 5),
    ],
)
def test_office_lists_do_not_grow_with_the_offices(client, place, url_name, data, limit):
    client.force_login(place.person)
    (first_small, small), (first_large, large) = _counts_for_sizes(
        client, place, reverse(url_name), data
    )
    assert first_small == first_large
    assert small == large <= limit


def _add_organisations(place, n):
    topics = [TopicFactory(), TopicFactory()]
    for _ in range(n):
        organisation = OrganisationFactory(municipality=place.here, name="Verein Hierdorf")
        profile = OrganisationProfile.objects.create(organisation=organisation, phone="0711")
        profile.topics.set(topics)


@pytest.mark.parametrize("data", [None, {"q": "Verein", "municipality": "hierdorf"}])
def test_organisations_do_not_grow_with_the_organisations(client, place, data):
    client.force_login(place.person)
    (first_small, small), (first_large, large) = _counts_for_sizes(
        client, place, reverse("directory:organisations"), data, add=_add_organisations
    )
    assert first_small == first_large
    assert small == large <= 8


def test_office_edit_does_not_grow_with_municipalities_and_contacts(client, place):
    """An office serving many municipalities, some outside the editor's scope, and many
    contact persons."""
    client.force_login(place.coordinator_here)
    url = reverse("directory:office_edit", args=[place.office.slug])
    counts = []
    for n in SIZES:
        for _ in range(n):
            place.office.municipalities.add(MunicipalityFactory(district=place.district))
            ContactFactory(office=place.office)
        _running_platform()
        counts.append(_queries(client, url)[1])
    assert counts[0] == counts[1] <= 9  # 1 of them the menu's count of what waits for them


def _add_overdue(place, n):
    old = timezone.now() - timedelta(days=400)
    _add_offices(place, n)
    Office.objects.update(verified_at=old)
    for _ in range(n):
        OrganisationProfile.objects.create(
            organisation=OrganisationFactory(municipality=place.here), verified_at=old
        )
        OrganisationFactory(municipality=place.here)  # no directory entry yet


# (1 of them the menu's count of what waits for a coordinator)
@pytest.mark.parametrize(("role", "limit"), [("coordinator_here", 9), ("district_coordinator", 11)])
def test_entries_to_confirm_do_not_grow_with_the_entries(client, place, role, limit):
    CompetenceTeam.objects.create(district=place.district, area="housing")
    client.force_login(getattr(place, role))
    counts = _counts_for_sizes(client, place, reverse("directory:overdue"), add=_add_overdue)
    assert counts[0] == counts[1]
    assert counts[1][1] <= limit


def test_cards_and_forms_are_shared_by_everyone(client, place):
    """What the first person's request kept serves the next person's: a second person's first
    request costs what the first person's second did."""
    _add_offices(place, 5)
    _running_platform()
    client.force_login(place.person)
    first, second = _queries(client, reverse("directory:index"))
    client.force_login(UserFactory())
    assert _queries(client, reverse("directory:index"))[0] == second < first
