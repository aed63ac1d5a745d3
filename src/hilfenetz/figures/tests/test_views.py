"""The page, its CSV and its PDF as coordinators and others see them."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.figures.forms import FiguresForm
from hilfenetz.figures.services import Place
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

QUARTER = {"start": "2026-07", "end": "2026-09"}


@pytest.fixture
def towns():
    area = AreaFactory()
    here = MunicipalityFactory(area=area, name="Hierdorf")
    other = MunicipalityFactory(area=area, name="Anderstadt")
    for town, count in ((here, 6), (other, 9)):
        for _ in range(count):
            ListingFactory(
                municipality=town, published_at=timezone.make_aware(datetime(2026, 7, 10))
            )
    return here, other


def test_a_municipal_coordinator_reads_their_municipality_only(client, towns):
    here, other = towns
    client.force_login(coordinator_of(municipality=here))

    response = client.get(reverse("figures:index"), {**QUARTER, "place": ""})
    page = response.content.decode()

    assert response.status_code == 200
    assert "Hierdorf" in page and "Anderstadt" not in page
    assert "<td>6</td>" in page and "<td>9</td>" not in page
    assert 'role="img"' in page and "<title id=" in page
    refused = client.get(reverse("figures:index"), {"place": f"municipality-{other.pk}"})
    assert refused.status_code == 403


def test_the_district_coordinator_reads_the_district(client, towns):
    here, _other = towns
    client.force_login(coordinator_of(district=here.district))

    response = client.get(reverse("figures:index"), QUARTER)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>15</td>" in page
    # the onboarding of new volunteers is one of the figures now
    assert 'id="figures-onboarding"' in page
    assert "not part of these figures" not in page


def test_the_csv_is_one_tidy_table(client, towns):
    here, _other = towns
    client.force_login(coordinator_of(municipality=here))

    response = client.get(
        reverse("figures:csv"),
        {**QUARTER, "place": f"municipality-{here.pk}"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["month", "scope", "figure", "value"]
    assert ["2026-07", "Hierdorf", "needs_posted", "6"] in rows
    assert ["2026-08", "Hierdorf", "needs_posted", "0"] in rows
    assert {len(row) for row in rows} == {4}


def test_the_pdf_is_a_pdf(client, towns):
    here, _other = towns
    client.force_login(coordinator_of(municipality=here))

    response = client.get(reverse("figures:pdf"), QUARTER)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_months_in_the_wrong_order_are_refused_with_a_message(client, towns):
    here, _other = towns
    client.force_login(coordinator_of(municipality=here))

    response = client.get(reverse("figures:index"), {"start": "2026-09", "end": "2026-07"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["figures"] is None
    wrong = client.get(reverse("figures:csv"), {"start": "2026-09", "end": "2026-07"})
    assert wrong.status_code == 400


def test_the_period_is_at_most_twelve_months_and_defaults_to_the_last_quarter():
    places = [Place("municipality", 1, "Hierdorf", "Landkreis")]
    today = date(2026, 12, 5)

    default = FiguresForm({}, places, today=today)
    too_long = FiguresForm({"start": "2025-01", "end": "2026-06"}, places, today=today)

    assert default.is_valid()
    assert default.cleaned_data["period"].months == [
        date(2026, 7, 1),
        date(2026, 8, 1),
        date(2026, 9, 1),
    ]
    assert not too_long.is_valid()


def test_the_menu_links_the_figures_for_coordinators_only(client, towns):
    here, _other = towns
    link = f'href="{reverse("figures:index")}"'
    client.force_login(UserFactory())
    assert link not in client.get(reverse("core:home")).content.decode()
    client.force_login(coordinator_of(municipality=here))
    assert link in client.get(reverse("core:home")).content.decode()
