"""Each figure from factories, the suppression of small counts and the scoping of places."""

import subprocess
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.engagement.models import ConductCertificate, Intent, Onboarding
from hilfenetz.exchange.models import Conversation, ListingEvent, Pledge, Status
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.figures import report, services
from hilfenetz.figures.services import Period, Place, shown
from hilfenetz.media.models import DownloadCount
from hilfenetz.media.tests.factories import MediaItemFactory
from hilfenetz.network.models import Answer, Invitation, MeetingKind, MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory, platform
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

QUARTER = Period(date(2026, 7, 1), date(2026, 9, 1))


def at(month, day=10, hour=12):
    return timezone.make_aware(datetime(2026, month, day, hour))


@pytest.fixture
def towns():
    area = AreaFactory()
    here = MunicipalityFactory(area=area, name="Hierdorf")
    other = MunicipalityFactory(area=AreaFactory(district=area.district), name="Anderstadt")
    return here, other


def place(town):
    return Place("municipality", town.pk, town.name, town.district.name)


def district_of(town):
    return Place("district", town.district_id, town.district.name, town.district.name)


def listing(town, when, kind="need", **kwargs):
    return ListingFactory(municipality=town, kind=kind, published_at=when, **kwargs)


def closed(item, status, when):
    item.status = status
    item.save(update_fields=["status"])
    ListingEvent.objects.create(
        listing=item, from_status=Status.PUBLISHED, to_status=status, created_at=when
    )


def answered(item, helper, when):
    conversation = Conversation.objects.create(listing=item, helper=helper)
    Conversation.objects.filter(pk=conversation.pk).update(created_at=when)
    return conversation


def pledged(item, helper, when):
    pledge = Pledge.objects.create(listing=item, helper=helper)
    Pledge.objects.filter(pk=pledge.pk).update(created_at=when)


def test_listings_posted_answered_fulfilled_and_expired_by_month(towns):
    here, _other = towns
    helper = UserFactory()
    needs = [listing(here, at(7)) for _ in range(6)]
    offer = listing(here, at(8), kind="offer")
    listing(here, at(6))  # before the period
    closed(needs[0], Status.FULFILLED, at(8, 2))
    closed(needs[1], Status.EXPIRED, at(9, 2))
    closed(needs[2], Status.FULFILLED, at(10, 2))  # after the period
    answered(needs[0], helper, at(7, 11))
    pledged(needs[1], helper, at(8, 1))
    answered(offer, helper, at(8, 12))

    figures = services.compute(place(here), QUARTER)

    assert figures.count("2026-07", "needs_posted") == 6
    assert figures.count("2026-08", "offers_posted") == 1
    assert figures.total("needs_posted") == 6  # June's is outside
    assert figures.count("2026-08", "needs_fulfilled") == 1
    assert figures.count("2026-09", "needs_expired") == 1
    assert figures.total("needs_fulfilled") == 1
    assert figures.count("2026-07", "needs_answered") == 1
    assert figures.count("2026-08", "needs_answered") == 1
    assert figures.count("2026-08", "offers_answered") == 1


def test_the_first_answer_counts_once_and_the_median_needs_five(towns):
    here, _other = towns
    helper, other_helper = UserFactory(), UserFactory()
    for hours in (1, 2, 3, 10, 20):
        item = listing(here, at(7, 1))
        answered(item, helper, at(7, 1) + timedelta(hours=hours))
        pledged(item, other_helper, at(7, 1) + timedelta(hours=hours + 100))
    few = [listing(here, at(8, 1)) for _ in range(2)]
    for item in few:
        answered(item, helper, at(8, 1) + timedelta(hours=5))

    figures = services.compute(place(here), QUARTER)

    assert figures.count("2026-07", "needs_answered") == 5
    assert services.shown_median(figures, "2026-07").value == 3
    assert services.shown_median(figures, "2026-08").suppressed
    assert services.shown_median(figures, "2026-09").empty


def test_categories_most_asked_for_and_least_met(towns):
    here, _other = towns
    for _ in range(6):
        closed(listing(here, at(7), category_slug="sachspenden"), Status.FULFILLED, at(7, 20))
    for index in range(5):
        item = listing(here, at(8), category_slug="begleitung-beratung")
        if index == 0:
            closed(item, Status.FULFILLED, at(8, 20))
    listing(here, at(8), category_slug="wohnen")
    listing(here, at(8), kind="offer", category_slug="wohnen")

    figures = services.compute(place(here), QUARTER)
    most, least = services.ranked_categories(figures)

    assert most == ["sachspenden", "begleitung-beratung", "wohnen"]
    assert least == ["begleitung-beratung", "sachspenden"]  # "wohnen": fewer than five needs
    assert figures.total("needs_posted:wohnen") == 1  # the offer is not a need


def test_active_and_new_volunteers(towns):
    here, _other = towns
    veteran, newcomer, seeker = UserFactory(), UserFactory(), UserFactory()
    answered(listing(here, at(3)), veteran, at(3, 12))  # helped before the period
    need = listing(here, at(7))
    answered(need, veteran, at(7, 11))
    pledged(need, newcomer, at(7, 12))
    listing(here, at(8), kind="offer", author=newcomer)
    # asking for an offer is not helping
    answered(listing(here, at(8), kind="offer", author=newcomer), seeker, at(8, 12))

    figures = services.compute(place(here), QUARTER)

    assert figures.count("2026-07", "active_volunteers") == 2
    assert figures.count("2026-07", "new_volunteers") == 1
    assert figures.count("2026-08", "active_volunteers") == 1
    assert figures.count("2026-08", "new_volunteers") == 0
    assert figures.total("new_volunteers") == 1


def test_meetings_held_by_platform_invitations_and_attendance(towns):
    here, _other = towns
    held = MeetingFactory(municipality=here, starts_at=at(7), status=MeetingStatus.MINUTES)
    second = MeetingFactory(
        municipality=here,
        starts_at=at(7, 20),
        status=MeetingStatus.HELD,
        platform=platform(here.district, "kinderbetreuung-bildung"),
    )
    MeetingFactory(municipality=here, starts_at=at(8), status=MeetingStatus.CANCELLED)
    for index, (answer, waiting) in enumerate(
        [(Answer.YES, False), (Answer.YES, True), (Answer.NO, False), (Answer.NONE, False)]
    ):
        Invitation.objects.create(
            meeting=held,
            email=f"p{index}@example.org",
            reason="follower",
            answer=answer,
            people=2,
            waiting_since=at(6) if waiting else None,
        )
    Invitation.objects.create(
        meeting=second, email="q@example.org", reason="follower", answer=Answer.YES
    )

    figures = services.compute(place(here), QUARTER)

    assert figures.count("2026-07", "meetings_held") == 2
    assert figures.count("2026-07", "meetings_held:engagement-ehrenamt") == 1
    assert figures.count("2026-07", "meetings_held:kinderbetreuung-bildung") == 1
    assert figures.count("2026-07", "invitations") == 5
    assert figures.count("2026-07", "attending") == 3
    assert figures.total("meetings_held") == 2  # the cancelled one was not held


def test_downloads_per_language_of_the_place(towns):
    here, other = towns
    mine = MediaItemFactory(district=here.district, municipality=here)
    theirs = MediaItemFactory(district=here.district, municipality=other)
    for item, language, day, count in [
        (mine, "ar", date(2026, 7, 3), 4),
        (mine, "ar", date(2026, 7, 9), 3),
        (mine, "de", date(2026, 8, 1), 9),
        (mine, "de", date(2026, 10, 1), 50),
        (theirs, "uk", date(2026, 7, 3), 30),
    ]:
        DownloadCount.objects.create(item=item, language=language, day=day, count=count)

    figures = services.compute(place(here), QUARTER)
    whole = services.compute(district_of(here), QUARTER)

    assert figures.count("2026-07", "downloads:ar") == 7
    assert figures.count("2026-08", "downloads:de") == 9
    assert figures.languages == ["ar", "de"]
    assert figures.total("downloads") == 16
    assert whole.total("downloads") == 46


def test_a_municipality_never_includes_another(towns):
    here, other = towns
    helper = UserFactory()
    for _ in range(5):
        answered(listing(other, at(7)), helper, at(7, 12))
    MeetingFactory(municipality=other, starts_at=at(7), status=MeetingStatus.HELD)
    listing(here, at(7))

    figures = services.compute(place(here), QUARTER)
    whole = services.compute(district_of(here), QUARTER)

    assert figures.total("needs_posted") == 1
    assert figures.total("needs_answered") == 0
    assert figures.count("2026-07", "active_volunteers") == 0
    assert figures.total("meetings_held") == 0
    assert whole.total("needs_posted") == 6
    assert whole.count("2026-07", "active_volunteers") == 1


def test_places_follow_the_coordinators_scope(towns):
    here, other = towns
    municipal = [p.key for p in services.places_for(coordinator_of(municipality=here))]
    district = [p.key for p in services.places_for(coordinator_of(district=here.district))]

    assert municipal == [f"municipality-{here.pk}"]
    assert district[0] == f"district-{here.district_id}"
    assert {f"area-{here.area_id}", f"area-{other.area_id}"} <= set(district)
    assert {f"municipality-{here.pk}", f"municipality-{other.pk}"} <= set(district)
    assert services.places_for(UserFactory()) == []


def test_small_counts_are_withheld_everywhere(towns):
    here, _other = towns
    for _ in range(3):
        listing(here, at(7))
    for _ in range(7):
        listing(here, at(8), kind="offer")

    figures = services.compute(place(here), QUARTER)
    with translation.override("en"):
        sections = {section.slug: section for section in report.sections(figures)}
        exchange = sections["exchange"]
        needs_posted = exchange.rows[0].texts
        csv_lines = report.csv_text(figures).splitlines()
        drawn = report.chart(exchange.bars)["bars"]

    assert shown(0).value == 0 and not shown(0).suppressed
    assert shown(4).suppressed and shown(4).value is None
    assert shown(5).value == 5
    assert needs_posted[:2] == ["fewer than 5", "0"]
    assert f"2026-07,{here.name},needs_posted,fewer than 5" in csv_lines
    assert f"2026-08,{here.name},offers_posted,7" in csv_lines
    assert drawn[0]["withheld"] and drawn[0]["text"] == "fewer than 5"
    # a withheld bar is as long as one of 5, not of 3
    assert drawn[0]["length"] == round(drawn[4]["length"] * 5 / 7)


def test_a_sum_beside_a_withheld_count_is_withheld_too(towns):
    """The whole period minus the months shown, or a month minus its categories shown, would
    give the withheld count away."""
    here, _other = towns
    for _ in range(3):
        listing(here, at(7))
    for _ in range(6):
        listing(here, at(8), category_slug="sachspenden")
    for _ in range(2):
        listing(here, at(8), category_slug="begleitung-beratung")

    with translation.override("de"):  # the categories are named in the language of the computing
        figures = services.compute(place(here), QUARTER)
    with translation.override("en"):
        sections = {section.slug: section for section in report.sections(figures)}
        needs_posted = sections["exchange"].rows[0].texts
        bars = report.chart(sections["exchange"].bars)["bars"]
        categories = {row.label: row.texts for row in sections["categories"].rows}
        csv_lines = report.csv_text(figures).splitlines()

    assert needs_posted == ["fewer than 5", "withheld", "0", "withheld"]
    assert bars[0]["text"] == "withheld" and bars[0]["withheld"]
    # the 6 needs for donations in kind: their 3 in July are withheld, so is their sum
    assert categories["Sachspenden"][0] == "withheld"
    assert f"2026-08,{here.name},needs_posted,withheld" in csv_lines
    assert f"2026-08,{here.name},needs_posted:sachspenden,6" in csv_lines
    assert not any(line.endswith((",11", ",8", ",9")) for line in csv_lines)


@pytest.mark.parametrize(
    ("language", "months", "fewer"),
    [
        ("en", ("July 2026", "September 2026"), "fewer than 5"),
        ("ar", ("يوليو", "سبتمبر"), "أقل من"),
    ],
)
def test_the_pdf_names_district_place_and_period(towns, tmp_path, language, months, fewer):
    here, _other = towns
    for _ in range(2):
        listing(here, at(7))
    figures = services.compute(place(here), QUARTER)

    path = tmp_path / "figures.pdf"
    with translation.override(language):
        path.write_bytes(report.pdf_bytes(figures))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert here.district.name in text
    assert here.name in text
    assert all(month in text for month in months)
    assert fewer in text


def _queries(place_, period):
    with CaptureQueriesContext(connection) as queries:
        services.compute(place_, period)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(towns):
    here, other = towns
    answered(listing(here, at(7)), UserFactory(), at(7, 12))
    small = _queries(district_of(here), QUARTER)
    helpers = [UserFactory() for _ in range(4)]
    for index in range(12):
        item = listing(here if index % 2 else other, at(7 + index % 3), kind="need")
        answered(item, helpers[index % 4], at(7 + index % 3, 20))
        pledged(item, helpers[(index + 1) % 4], at(7 + index % 3, 21))
        closed(item, Status.FULFILLED, at(7 + index % 3, 25))
        MeetingFactory(municipality=here, starts_at=at(7 + index % 3), status=MeetingStatus.HELD)
        DownloadCount.objects.create(
            item=MediaItemFactory(district=here.district, municipality=here),
            language="fa",
            day=date(2026, 7 + index % 3, 5),
            count=index + 1,
        )
    # 7 for the exchange, the meetings and the media; 5 for the onboarding of new volunteers
    # (engagement.services.onboarding_counts: the place's municipalities, their districts'
    # standards and the counts; where a district published standards, reading their files adds
    # one)
    assert _queries(district_of(here), QUARTER) == small == 12


def test_trainings_held_and_attended(towns):
    here, _other = towns
    training = MeetingFactory(
        municipality=here, starts_at=at(8), status=MeetingStatus.HELD, kind=MeetingKind.TRAINING
    )
    MeetingFactory(municipality=here, starts_at=at(8), status=MeetingStatus.HELD)
    for index in range(3):
        Invitation.objects.create(
            meeting=training,
            email=f"t{index}@example.org",
            reason="registered",
            answer=Answer.YES,
            attended=index < 2,
        )

    figures = services.compute(place(here), QUARTER)

    assert figures.count("2026-08", "meetings_held") == 2
    assert figures.count("2026-08", "trainings_held") == 1
    assert figures.count("2026-08", "training_attendance") == 2


def test_those_who_acknowledged_are_withheld_where_few_did_not(towns):
    here, _other = towns
    figures = services.Figures(place(here), QUARTER)
    figures.onboarding = {"new_volunteers": 9, "acknowledged_standards": 7, "certificates_due": 0}
    with translation.override("en"):
        rows = [row.texts for row in report.sections(figures)[4].rows]
        csv_lines = report.csv_text(figures).splitlines()

    # 9 minus 7 would tell that 2 did not acknowledge them
    assert rows == [["9"], ["withheld"], ["0"]]
    assert any(line.endswith("onboarding:acknowledged_standards,withheld") for line in csv_lines)

    figures.onboarding["acknowledged_standards"] = 9
    with translation.override("en"):
        assert report.onboarding_cells(figures)["acknowledged_standards"].value == 9


def test_the_onboarding_of_new_volunteers_is_shown_withheld_where_small(towns, tmp_path):
    here, other = towns
    for index in range(6):
        person = UserFactory(home_municipality=here, date_joined=at(7 + index % 2))
        Onboarding.objects.create(user=person, intent=Intent.HELP)
    seeker = UserFactory(home_municipality=here, date_joined=at(7))
    Onboarding.objects.create(user=seeker, intent=Intent.SEEK)
    elsewhere = UserFactory(home_municipality=other, date_joined=at(7))
    Onboarding.objects.create(user=elsewhere, intent=Intent.HELP)
    for person in UserFactory.create_batch(2, home_municipality=here):
        ConductCertificate.objects.create(
            user=person,
            municipality=here,
            seen_on=date(2021, 8, 1),
            seen_by=coordinator_of(municipality=here),
            due_on=date(2026, 8, 1),
        )

    figures = services.compute(place(here), QUARTER)
    with translation.override("en"):
        section = {s.slug: s for s in report.sections(figures)}["onboarding"]
        rows = [row.texts for row in section.rows]
        csv_lines = report.csv_text(figures).splitlines()
        path = tmp_path / "figures.pdf"
        path.write_bytes(report.pdf_bytes(figures))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert figures.onboarding == {
        "new_volunteers": 6,
        "acknowledged_standards": 0,
        "certificates_due": 2,
    }
    assert rows == [["6"], ["0"], ["fewer than 5"]]
    assert f"{QUARTER.key},{here.name},onboarding:new_volunteers,6" in csv_lines
    assert f"{QUARTER.key},{here.name},onboarding:certificates_due,fewer than 5" in csv_lines
    assert "Introduction of new volunteers" in text
    assert "Certificates of conduct due" in text
