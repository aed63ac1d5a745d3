"""The demo shows figures worth reading to the district coordinator and to a municipal one."""

import pytest
from django.core.management import call_command

from hilfenetz.accounts.models import User
from hilfenetz.figures import services


@pytest.mark.django_db
def test_the_demo_has_figures_above_five_for_the_district_and_esslingen():
    call_command("demo", verbosity=0)
    period = services.last_full_quarter()
    district_coordinator = User.objects.get(email="kreis@hilfenetz.example")
    esslingen = User.objects.get(email="koordination.esslingen@hilfenetz.example")
    district = services.places_for(district_coordinator)[0]
    town = services.places_for(esslingen)[0]

    whole = services.compute(district, period)
    mine = services.compute(town, period)

    assert district.level == "district" and town.name == "Esslingen am Neckar"
    for figures in (whole, mine):
        assert figures.total("needs_posted") >= services.SMALL
        assert figures.total("offers_posted") >= services.SMALL
        assert figures.total("needs_fulfilled") >= services.SMALL
        assert max(figures.count(m, "active_volunteers") for m in figures.months) >= 5
    assert whole.total("needs_expired") >= services.SMALL
    assert whole.total("meetings_held") >= services.SMALL
    assert whole.total("downloads") >= services.SMALL
    assert any(services.shown_median(whole, m).value for m in whole.months)
