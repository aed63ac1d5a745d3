from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from hilfenetz.accounts.models import User
from hilfenetz.crisis import services
from hilfenetz.crisis.models import AlertRequest, CrisisMode, CrisisTemplate
from hilfenetz.exchange.models import Category


@pytest.mark.django_db
def test_the_demo_prepares_a_crisis_that_the_district_can_switch_on():
    call_command("demo", verbosity=0)
    assert not CrisisMode.objects.filter(is_on=True).exists()
    assert AlertRequest.objects.count() >= 3
    arrival = CrisisTemplate.objects.get(name="Ankunft vieler Menschen")
    assert arrival.label("uk") == "Прибуття багатьох людей"
    boss = User.objects.get(email="kreis@hilfenetz.example")
    district = arrival.district
    before = set(Category.objects.filter(district=district, is_active=True))
    mode = services.switch_on(
        district,
        boss,
        banner="Viele Menschen kommen an.",
        translations={},
        ends_on=timezone.localdate() + timedelta(days=7),
        template=arrival,
    )
    # "Wohnen" is a start category: it stays; the other three are new
    assert {c.slug for c in mode.added_categories.all()} == {
        "notunterkunft",
        "dolmetschen",
        "erstausstattung",
    }
    services.switch_off(district, boss)
    assert set(Category.objects.filter(district=district, is_active=True)) == before
