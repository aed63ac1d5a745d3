"""Crisis mode's rules as services: switching restores what was there, the alert mails each
person once, the intake takes offers only while it is open, and nobody else may do any of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import privacy
from hilfenetz.core.models import AuditEntry, OutboundMail
from hilfenetz.crisis import services
from hilfenetz.crisis.models import AccommodationOffer, AlertRequest, CrisisMode, OfferStatus
from hilfenetz.crisis.services.alerts import alert_volunteers
from hilfenetz.crisis.tests.factories import offer, template
from hilfenetz.exchange.models import Category
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    here = MunicipalityFactory(name="Hierdorf")
    return here, here.district, coordinator_of(district=here.district)


def turn_on(district, actor, tmpl=None, days=7):
    return services.switch_on(
        district,
        actor,
        banner="Ankunft vieler Menschen",
        translations={"en": {"banner": "Many people arriving"}},
        ends_on=timezone.localdate() + timedelta(days=days),
        template=tmpl,
    )


def test_switching_off_restores_the_categories_as_they_were(place):
    _, district, boss = place
    Category.objects.filter(district=district, slug="wohnen").update(is_active=False)
    tmpl = template(
        district,
        categories=[
            ("notunterkunft", "Notunterkunft"),  # new
            ("wohnen", "Wohnen"),  # there, inactive
            ("sprache", "Sprache"),  # there, active
        ],
    )
    before = Category.objects.filter(district=district).count()
    mode = turn_on(district, boss, tmpl)
    active = set(
        Category.objects.filter(district=district, is_active=True).values_list("slug", flat=True)
    )
    assert {"notunterkunft", "wohnen", "sprache"} <= active
    assert {c.slug for c in mode.added_categories.all()} == {"notunterkunft", "wohnen"}
    new = Category.objects.get(district=district, slug="notunterkunft")
    assert new.label("ar") == "Notunterkunft ar"

    services.switch_off(district, boss)

    states = dict(Category.objects.filter(district=district).values_list("slug", "is_active"))
    assert states["notunterkunft"] is False
    assert states["wohnen"] is False
    assert states["sprache"] is True
    assert Category.objects.filter(district=district).count() == before + 1
    actions = list(services.history(mode).values_list("action", flat=True))
    assert actions == ["crisis_off", "crisis_on"]


def test_turning_on_twice_is_refused_and_mails_each_person_once(
    place, django_capture_on_commit_callbacks
):
    here, district, boss = place
    uk = UserFactory(preferred_language="uk", home_municipality=here)
    de = UserFactory(preferred_language="de", home_municipality=None)
    elsewhere = UserFactory(home_municipality=MunicipalityFactory())  # another district
    UserFactory(home_municipality=here)  # did not ask
    for person in (uk, de, elsewhere):
        services.ask_for_alert(person)
    services.ask_for_alert(uk)  # a double click
    with django_capture_on_commit_callbacks(execute=True):
        mode = turn_on(district, boss)
        with pytest.raises(ValidationError):
            turn_on(district, boss)
    started = mode.started_at.isoformat()
    alert_volunteers.call(mode.pk, started)  # the task run again
    mails = OutboundMail.objects.filter(key__startswith=f"crisis-alert:{mode.pk}:")
    assert sorted(mails.values_list("to", flat=True)) == sorted([uk.email, de.email])
    assert mails.get(to=uk.email).language == "uk"
    assert mails.get(to=uk.email).subject != mails.get(to=de.email).subject
    assert "Many people" not in mails.get(to=de.email).body
    assert "Ankunft vieler Menschen" in mails.get(to=de.email).body


def test_a_new_switch_on_after_switching_off_alerts_again(
    place, django_capture_on_commit_callbacks
):
    _, district, boss = place
    services.ask_for_alert(UserFactory(home_municipality=None))
    for _turn in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            turn_on(district, boss)
        services.switch_off(district, boss)
    assert OutboundMail.objects.filter(key__startswith="crisis-alert:").count() == 2


def test_the_end_date_passing_turns_it_off(place):
    _, district, boss = place
    tmpl = template(district)
    turn_on(district, boss, tmpl, days=1)
    assert services.end_expired(today=timezone.localdate() + timedelta(days=1)) == 0
    assert services.end_expired(today=timezone.localdate() + timedelta(days=2)) == 1
    mode = services.mode_of(district)
    assert not mode.is_on
    assert not Category.objects.get(district=district, slug="notunterkunft").is_active
    entry = services.history(mode).first()
    assert entry.action == "crisis_off" and entry.actor is None


def test_only_the_districts_coordinators_switch(place):
    here, district, _ = place
    other_district_boss = coordinator_of(district=MunicipalityFactory().district)
    for denied in (coordinator_of(municipality=here), UserFactory(), other_district_boss):
        with pytest.raises(PermissionDenied):
            turn_on(district, denied)
    turn_on(district, UserFactory(is_superuser=True))
    with pytest.raises(PermissionDenied):
        services.switch_off(district, coordinator_of(municipality=here))


def test_a_template_of_another_district_is_refused(place):
    _, district, boss = place
    with pytest.raises(ValidationError):
        turn_on(district, boss, template(MunicipalityFactory().district))
    assert not services.mode_of(district).is_on


def test_the_banner_needs_a_text_and_a_future_end(place):
    _, district, boss = place
    with pytest.raises(ValidationError):
        services.switch_on(
            district, boss, banner="  ", translations={}, ends_on=timezone.localdate()
        )
    with pytest.raises(ValidationError):
        turn_on(district, boss, days=-1)
    assert not services.mode_of(district).is_on


def test_the_intake_is_open_only_in_crisis_mode(place):
    here, district, boss = place
    person = UserFactory()
    details = {"people": 3, "available_from": timezone.localdate(), "accessible": True}
    with pytest.raises(ValidationError):
        services.offer_accommodation(person, municipality=here, **details)
    turn_on(district, boss)
    made = services.offer_accommodation(person, municipality=here, **details)
    with pytest.raises(ValidationError):
        services.offer_accommodation(
            person,
            municipality=here,
            **details | {"available_until": timezone.localdate() - timedelta(days=1)},
        )
    services.switch_off(district, boss)
    # closed, but the list stays for the coordinators
    assert list(services.offers_for(boss)) == [made]


def test_offers_are_handled_in_scope_only(place):
    here, district, boss = place
    other = MunicipalityFactory(district=district, area=here.area)
    mine = offer(here, UserFactory())
    theirs = offer(other, UserFactory())
    local = coordinator_of(municipality=here)
    assert list(services.offers_for(local)) == [mine]
    assert set(services.offers_for(boss)) == {mine, theirs}
    assert not services.offers_for(UserFactory()).exists()
    with pytest.raises(PermissionDenied):
        services.mark_offer(theirs, local, OfferStatus.PLACED)
    services.mark_offer(mine, local, OfferStatus.NOT_SUITABLE)
    assert AccommodationOffer.objects.get(pk=mine.pk).status == OfferStatus.NOT_SUITABLE
    entry = AuditEntry.objects.for_object(mine).get()
    assert entry.municipality_id == here.pk and "offered_by" not in entry.changes
    with pytest.raises(PermissionDenied):
        services.delete_offer(theirs, local)
    services.delete_offer(mine, local)
    assert list(services.offers_for(boss)) == [theirs]


def test_offers_and_the_alert_are_exported_and_erased(place):
    here, _, _ = place
    person = UserFactory()
    offer(here, person, note="Gästezimmer")
    services.ask_for_alert(person)
    exported = privacy.export_sections(person)["crisis"]
    assert exported["crisis_alert"] is True
    assert exported["accommodation_offers"][0]["note"] == "Gästezimmer"
    privacy.erase_everywhere(person)
    assert not AccommodationOffer.objects.filter(offered_by=person).exists()
    assert not AlertRequest.objects.filter(user=person).exists()


def test_templates_and_categories_are_named_in_every_language(place):
    here, district, boss = place
    tmpl = services.add_template(district, boss, name="Hochwasser", translations={})
    entry = services.add_template_category(
        tmpl, boss, name="Trockenräume", translations={"fa": {"name": "اتاق‌های خشک"}}
    )
    assert entry.slug == "trockenraeume"
    with pytest.raises(PermissionDenied):
        services.add_template_category(
            tmpl, coordinator_of(municipality=here), name="X", translations={}
        )
    with pytest.raises(PermissionDenied):
        services.remove_template_category(entry, coordinator_of(municipality=here))
    services.remove_template_category(entry, boss)
    assert not tmpl.categories.exists()
    category = services.add_category(
        district, boss, name="Dolmetschen", translations={"tr": {"name": "Tercümanlık"}}
    )
    assert category.is_active and category.label("tr") == "Tercümanlık"
    with pytest.raises(PermissionDenied):
        services.add_category(
            district, coordinator_of(municipality=here), name="Y", translations={}
        )


def test_the_end_date_is_checked_every_hour():
    from hilfenetz.core.periodic import registered_jobs

    job, interval = registered_jobs()["hilfenetz.crisis.tasks.end_expired_crisis_modes"]
    assert interval.total_seconds() == 3600


def test_looking_at_the_switch_writes_nothing(client, place):
    _, district, boss = place
    client.force_login(boss)
    assert client.get(reverse("crisis:manage", args=[district.pk])).status_code == 200
    assert client.get(reverse("crisis:switch_off", args=[district.pk])).status_code == 200
    assert not CrisisMode.objects.exists()
