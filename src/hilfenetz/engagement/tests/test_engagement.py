from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.services import delete_account, export_personal_data
from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import page_cache
from hilfenetz.directory.models import Office
from hilfenetz.engagement import services
from hilfenetz.engagement.models import Intent, Onboarding, StandardsAcknowledgement
from hilfenetz.engagement.tests.factories import standards
from hilfenetz.media.tests.factories import MediaFileFactory
from hilfenetz.network.models import Follow
from hilfenetz.network.tests.factories import platform
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def here():
    area = AreaFactory(name="Nordkreis")
    return MunicipalityFactory(name="Birkenfeld", area=area, district=area.district)


def volunteer(municipality, **kwargs):
    user = UserFactory(home_municipality=municipality, **kwargs)
    Onboarding.objects.create(user=user, intent=Intent.HELP, finished_at=timezone.now())
    return user


# --- the welcome -----------------------------------------------------------------------------


def test_the_welcome_resumes_at_the_first_step_not_answered(here):
    user = UserFactory()
    assert services.needs_welcome(user)
    assert services.next_step(services.onboarding_of(user)) == "intent"
    services.answer_intent(user, Intent.HELP)
    assert services.next_step(services.onboarding_of(user)) == "place"
    services.choose_place(user, here)
    user.refresh_from_db()
    assert user.home_municipality == here
    assert services.next_step(services.onboarding_of(user)) == "platforms"
    assert services.needs_welcome(user)


def test_coordinators_and_administrators_are_not_welcomed_at_login(client, here):
    for person in (coordinator_of(municipality=here), UserFactory(is_superuser=True)):
        assert not services.needs_welcome(person)
        client.force_login(person)
        assert client.get(reverse("engagement:start")).url == reverse("accounts:profile")
        # they may still open it themselves
        assert client.get(reverse("engagement:welcome")).status_code == 200


def test_the_welcome_cannot_be_finished_by_jumping_over_its_questions(client, here):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("engagement:welcome"), {"step": "platforms"})
    assert page.context["step"] == "intent"
    client.post(reverse("engagement:welcome"), {"step": "platforms"})
    assert services.needs_welcome(user)
    assert services.next_step(services.onboarding_of(user)) == "intent"
    services.answer_intent(user, Intent.HELP)
    services.choose_place(user, here)
    # going back to an answered step stays possible
    assert client.get(reverse("engagement:welcome"), {"step": "intent"}).context["step"] == "intent"


def test_choosing_platforms_follows_them_and_ends_the_welcome(here):
    user = UserFactory(home_municipality=here)
    chosen = platform(here.district, "soziale-betreuung")
    left = platform(here.district, "ausbildung-arbeit")
    Follow.objects.create(platform=left, user=user)
    elsewhere = platform(AreaFactory().district, "engagement-ehrenamt")
    services.answer_intent(user, Intent.HELP)
    services.choose_place(user, here)
    services.choose_platforms(user, [chosen, elsewhere])
    assert set(Follow.objects.filter(user=user).values_list("platform", flat=True)) == {chosen.pk}
    assert not services.needs_welcome(user)
    assert services.next_step(services.onboarding_of(user)) is None


def test_skipping_ends_the_automatic_welcome_but_keeps_the_answers(client):
    user = UserFactory()
    services.answer_intent(user, Intent.SEEK)
    client.force_login(user)
    assert client.get(reverse("engagement:start")).url == reverse("engagement:welcome")
    response = client.post(reverse("engagement:welcome"), {"step": "place", "skip": "1"})
    assert response.url == reverse("accounts:profile")
    assert client.get(reverse("engagement:start")).url == reverse("accounts:profile")
    assert Onboarding.objects.get(user=user).intent == Intent.SEEK
    # resumable: the welcome opens at the step not answered
    assert client.get(reverse("engagement:welcome")).context["step"] == "place"


def test_a_bad_answer_changes_nothing_and_says_why(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("engagement:welcome"), {"step": "intent", "intent": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["intent"]
    assert not Onboarding.objects.filter(user=user).exists()


def test_the_welcome_shows_the_coordination_office_of_the_municipality(client, here):
    office = Office.objects.create(
        district=here.district, name="Koordination Birkenfeld", slug="k-b", phone="0711 1"
    )
    office.municipalities.add(here)
    Office.objects.create(district=here.district, name="Koordination Anderswo", slug="k-a")
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("engagement:welcome"), {"step": "intent", "intent": "help"})
    client.post(reverse("engagement:welcome"), {"step": "place", "municipality": here.pk})
    response = client.get(reverse("engagement:welcome"))
    assert response.context["step"] == "platforms"
    assert "Koordination Birkenfeld" in response.text
    assert "Koordination Anderswo" not in response.text


def test_the_welcome_is_only_for_the_logged_in():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.answer_intent(AnonymousUser(), Intent.HELP)


def test_the_welcome_page_makes_the_same_number_of_queries_for_more_offices(client, here):
    """The query guard: the step listing offices and platforms, with 1 and with 4 offices."""
    user = UserFactory(home_municipality=here)
    services.answer_intent(user, Intent.HELP)
    services.choose_place(user, here)
    client.force_login(user)
    client.get(reverse("engagement:welcome"))  # what every page keeps, kept
    counts = []
    for n in (1, 3):
        for i in range(n):
            office = Office.objects.create(district=here.district, name=f"O{n}{i}", slug=f"o{n}{i}")
            office.municipalities.add(here)
            office.contacts.create(name=f"C{n}{i}", consent_given=True)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("engagement:welcome"))
        assert response.text.count("<h3>") == {1: 1, 3: 4}[n]
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the standards ---------------------------------------------------------------------------


def test_a_volunteer_acknowledges_the_current_version_with_its_date(here):
    item = standards(here.district)
    user = volunteer(here)
    assert services.standards_pending(user)
    current = services.standards_for(user)
    acknowledgement = services.acknowledge_standards(user, current.version)
    assert acknowledgement.item == item
    assert acknowledgement.version_date == timezone.localdate()
    assert not services.standards_pending(user)


def test_a_new_version_asks_again_and_an_old_one_is_refused(here):
    item = standards(here.district)
    user = volunteer(here)
    old = services.standards_for(user)
    services.acknowledge_standards(user, old.version)
    item.files.all().delete()
    MediaFileFactory(item=item)  # the district replaced the file
    assert services.standards_for(user).version != old.version
    assert services.standards_pending(user)
    with pytest.raises(ValidationError):
        services.acknowledge_standards(user, old.version)
    assert StandardsAcknowledgement.objects.filter(user=user).count() == 1


def test_help_seekers_are_not_asked(here):
    standards(here.district)
    seeker = UserFactory(home_municipality=here)
    Onboarding.objects.create(user=seeker, intent=Intent.SEEK)
    assert not services.standards_pending(seeker)


def test_the_notice_shows_on_a_volunteers_pages_until_they_acknowledge(client, here):
    standards(here.district)
    user = volunteer(here)
    client.force_login(user)
    notice = reverse("engagement:standards")
    notice_box = 'class="message message--warning">'
    assert notice_box in client.get(reverse("accounts:profile")).text
    page = client.get(notice)
    client.post(notice, {"version": page.context["standards"].version})
    assert notice_box not in client.get(reverse("accounts:profile")).text


def test_a_volunteers_first_page_in_a_worker_reads_only_their_own_part_of_the_notice(
    client, here, settings
):
    settings.PAGE_CACHE_SECONDS = 300  # as on the platform
    standards(here.district)
    page_cache.versions(connection.introspection.table_names())
    first, second = volunteer(here), volunteer(here)
    client.force_login(first)
    client.get(reverse("accounts:profile"))
    client.get(reverse("accounts:profile"))  # the district's standards, kept for everyone
    client.force_login(second)
    with CaptureQueriesContext(connection) as queries:
        assert 'class="message message--warning">' in client.get(reverse("accounts:profile")).text
    assert not [q for q in queries if 'FROM "media_' in q["sql"]]


def test_a_new_version_of_the_standards_shows_the_notice_again_at_once(
    client, here, settings, committed
):
    settings.PAGE_CACHE_SECONDS = 300
    item = standards(here.district)
    user = volunteer(here)
    client.force_login(user)
    notice, notice_box = reverse("engagement:standards"), 'class="message message--warning">'
    version = client.get(notice).context["standards"].version
    committed(lambda: client.post(notice, {"version": version}))
    assert notice_box not in client.get(reverse("accounts:profile")).text
    committed(lambda: MediaFileFactory(item=item, language="en"))  # a newer file: a new version
    assert notice_box in client.get(reverse("accounts:profile")).text


# --- figures and personal data ---------------------------------------------------------------


def test_onboarding_counts_name_nobody_and_count_the_current_version(here):
    other = MunicipalityFactory(area=here.area, district=here.district)
    standards(here.district)
    now = timezone.now()
    first, second = volunteer(here), volunteer(here)
    volunteer(other)
    old = volunteer(here)
    old.date_joined = now - timedelta(days=400)
    old.save()
    seeker = UserFactory(home_municipality=here)
    Onboarding.objects.create(user=seeker, intent=Intent.SEEK)
    services.acknowledge_standards(first, services.standards_for(first).version)
    StandardsAcknowledgement.objects.create(
        user=second, district=here.district, version="old", version_date=now.date()
    )
    counts = services.onboarding_counts([here], now - timedelta(days=30), now + timedelta(hours=1))
    assert counts == {"new_volunteers": 2, "acknowledged_standards": 1, "certificates_due": 0}


def test_export_and_erase_include_the_welcome_and_acknowledgements(here):
    standards(here.district)
    user = volunteer(here)
    services.acknowledge_standards(user, services.standards_for(user).version)
    data = export_personal_data(user)["engagement"]
    assert data["welcome"]["intent"] == "help"
    assert len(data["standards_acknowledged"]) == 1
    delete_account(user)
    assert not Onboarding.objects.filter(user=user).exists()
    assert not StandardsAcknowledgement.objects.filter(user=user).exists()


def test_the_pages_of_people_who_are_not_volunteers_ask_nothing_for_the_notice(client, here):
    standards(here.district)
    client.force_login(UserFactory(home_municipality=here))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:profile"))
    assert not [q for q in queries if "engagement_" in q["sql"]]


def test_the_kept_page_around_the_list_shows_the_notice_to_each_volunteer_who_owes_it(
    client, here, settings
):
    settings.PAGE_CACHE_SECONDS = 300  # the list's layout kept, as on the platform
    page_cache.forget()
    standards(here.district)
    owing, done = volunteer(here), volunteer(here)
    services.acknowledge_standards(done, services.standards_for(done).version)
    notice_box = 'class="message message--warning">'
    for _ in range(3):  # learned, kept, served kept
        for person, shown in ((done, False), (owing, True)):
            client.force_login(person)
            assert (notice_box in client.get(reverse("exchange:list")).text) is shown
