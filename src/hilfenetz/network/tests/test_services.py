from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hilfenetz.accounts.models import MembershipRole, OrganisationKind
from hilfenetz.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
)
from hilfenetz.core.models import OutboundMail
from hilfenetz.core.tests.concurrency import run_in_threads
from hilfenetz.directory.models import ContactPerson
from hilfenetz.directory.tests.factories import OfficeFactory
from hilfenetz.network import services, timeline
from hilfenetz.network.models import (
    Answer,
    BoardReport,
    Follow,
    Invitation,
    InvitationReason,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Platform,
    Thread,
)
from hilfenetz.network.platforms import START_PLATFORMS
from hilfenetz.network.tests.factories import MeetingFactory, platform
from hilfenetz.regions.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def mails_to(address):
    return OutboundMail.objects.filter(to=address)


def in_days(days, hour=18):
    return (timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def proposal(coordinator, municipality, **fields):
    fields.setdefault("title", "Wohnungssuche gemeinsam angehen")
    fields.setdefault("starts_at", in_days(30))
    fields.setdefault("ends_at", in_days(30, hour=20))
    fields.setdefault("address", "Rathaus, Marktplatz 1")
    return services.propose(
        coordinator,
        platform(municipality.district, "wohnen-anschlussunterbringung"),
        municipality=municipality,
        municipalities=[municipality],
        agenda=["Begrüßung", "Erfahrungen aus den Kommunen"],
        **fields,
    )


def test_a_new_district_starts_with_the_six_platforms_in_every_language():
    district = DistrictFactory()
    platforms = list(Platform.objects.filter(district=district))
    assert [p.slug for p in platforms] == [slug for slug, *_ in START_PLATFORMS]
    housing = platforms[1]
    assert housing.label("de") == "Wohnen und Anschlussunterbringung"
    assert housing.label("ar") == "السكن والإيواء اللاحق"
    assert housing.purpose("uk").startswith("Пошук житла")


def test_district_coordinator_edits_only_their_district_platforms():
    district = DistrictFactory()
    own = platform(district)
    coordinator = coordinator_of(district=district)
    services.update_platform(own, coordinator, translations={"en": {"name": "Volunteering"}})
    assert Platform.objects.get(pk=own.pk).label("en") == "Volunteering"
    with pytest.raises(PermissionDenied):
        services.update_platform(platform(DistrictFactory()), coordinator, name="X")
    with pytest.raises(PermissionDenied):
        services.update_platform(
            own,
            coordinator_of(
                municipality=MunicipalityFactory(district=district, area__district=district)
            ),
            name="X",
        )
    with pytest.raises(ValidationError):
        services.update_platform(own, coordinator, translations={"xx": {"name": "?"}})


def test_follow_is_one_click_and_undo_and_for_organisations_by_their_admins():
    person = UserFactory()
    target = platform(DistrictFactory())
    assert services.follow(target, person) == services.follow(target, person)
    assert Follow.objects.filter(platform=target).count() == 1
    services.unfollow(target, person)
    assert not Follow.objects.exists()
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    services.follow(target, admin.user, organisation=admin.organisation)
    assert Follow.objects.get().organisation == admin.organisation
    member = MembershipFactory(organisation=admin.organisation)
    with pytest.raises(PermissionDenied):
        services.follow(target, member.user, organisation=admin.organisation)


def test_propose_agree_invite_is_recorded_step_by_step():
    municipality = MunicipalityFactory()
    district = municipality.district
    organiser = coordinator_of(municipality=municipality)
    reviewer = coordinator_of(district=district, preferred_language="en")
    meeting = proposal(organiser, municipality)
    assert meeting.status == MeetingStatus.PROPOSED
    assert list(meeting.organisers.all()) == [organiser]
    assert list(meeting.agenda.values_list("title", flat=True)) == [
        "Begrüßung",
        "Erfahrungen aus den Kommunen",
    ]
    review_mail = mails_to(reviewer.email).get()
    assert review_mail.language == "en"
    with pytest.raises(PermissionDenied):
        services.agree(meeting, organiser)  # a municipal coordinator does not agree
    services.agree(meeting, reviewer, "Gern!")
    assert mails_to(organiser.email).count() == 1
    follower = UserFactory(home_municipality=municipality)
    services.follow(meeting.platform, follower)
    assert services.send_invitations(meeting, organiser) == 1
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED
    steps = timeline.steps(meeting)
    assert [s.step for s in steps] == ["proposed", "agreed", "invited"]
    assert [s.actor for s in steps] == [organiser, reviewer, organiser]
    assert all(s.created_at for s in steps)


def test_only_coordinators_of_the_hosting_municipality_propose_there():
    municipality = MunicipalityFactory()
    other = MunicipalityFactory(area=municipality.area)
    with pytest.raises(PermissionDenied):
        proposal(coordinator_of(municipality=other), municipality)
    with pytest.raises(PermissionDenied):
        proposal(UserFactory(), municipality)
    with pytest.raises(PermissionDenied):
        proposal(coordinator_of(municipality=MunicipalityFactory()), municipality)


def test_bad_proposals_change_nothing():
    municipality = MunicipalityFactory()
    organiser = coordinator_of(municipality=municipality)
    with pytest.raises(ValidationError):
        proposal(organiser, municipality, ends_at=in_days(29))
    with pytest.raises(ValidationError):
        proposal(organiser, municipality, format="online")  # no link
    with pytest.raises(ValidationError):
        services.propose(
            organiser,
            platform(municipality.district),
            municipality=municipality,
            municipalities=[MunicipalityFactory()],  # another district
            title="X",
            starts_at=in_days(5),
            ends_at=in_days(5, 20),
            address="Hier",
        )
    assert not Meeting.objects.exists()


def test_send_back_needs_a_comment_and_a_changed_proposal_goes_back_to_the_district():
    municipality = MunicipalityFactory()
    organiser = coordinator_of(municipality=municipality)
    reviewer = coordinator_of(district=municipality.district)
    meeting = proposal(organiser, municipality)
    with pytest.raises(ValidationError):
        services.send_back(meeting, reviewer, "  ")
    services.send_back(meeting, reviewer, "Bitte einen Termin nach den Ferien.")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SENT_BACK
    assert "Ferien" in mails_to(organiser.email).get().body
    with pytest.raises(ValidationError):
        services.send_invitations(meeting, organiser)
    services.update_meeting(meeting, organiser, starts_at=in_days(50), ends_at=in_days(50, 20))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PROPOSED
    assert mails_to(reviewer.email).count() == 2
    assert [s.step for s in timeline.steps(meeting)] == ["proposed", "sent_back", "resubmitted"]


def test_invitations_reach_followers_there_organisations_every_group_and_office():
    municipality = MunicipalityFactory()
    elsewhere = MunicipalityFactory(
        district=municipality.district, area__district=municipality.district
    )
    meeting = MeetingFactory(municipality=municipality, status=MeetingStatus.AGREED)
    organiser = meeting.organisers.get()
    target = meeting.platform
    here = UserFactory(home_municipality=municipality, preferred_language="ar")
    nowhere = UserFactory()
    away = UserFactory(home_municipality=elsewhere)
    for person in (here, nowhere, away):
        services.follow(target, person)
    # a group without speaker, reached through its public address in the directory
    OrganisationFactory(municipality=municipality, has_speaker=False, public_email="hk@example.org")
    # a group with speaker, which follows nothing: its admin, in their language
    quiet = OrganisationFactory(municipality=municipality, has_speaker=True)
    admin = MembershipFactory(organisation=quiet, role=MembershipRole.ADMIN).user
    admin.preferred_language = "uk"
    admin.save()
    # the coordination office serving the municipality: its address; one serving only another
    # municipality, and a group there, are not invited
    OfficeFactory(
        district=municipality.district, email="ks@example.org", municipalities=[municipality]
    )
    # an office without an address of its own: its contact persons
    shared = OfficeFactory(
        district=municipality.district, email="", municipalities=[municipality, elsewhere]
    )
    ContactPerson.objects.create(office=shared, name="A. Muster", email="verbund@example.org")
    OfficeFactory(
        district=municipality.district, email="dort@example.org", municipalities=[elsewhere]
    )
    served = OrganisationFactory(municipality=elsewhere, has_speaker=True)
    MembershipFactory(organisation=served, role=MembershipRole.ADMIN)
    # an association following the platform, at the office's address (in other letters)
    association = OrganisationFactory(
        municipality=municipality, kind=OrganisationKind.ASSOCIATION, public_email="KS@example.org"
    )
    Follow.objects.create(platform=target, organisation=association)

    preview = services.new_recipients(meeting)
    assert services.send_invitations(meeting, organiser) == len(preview) == 6
    invited = dict(Invitation.objects.values_list("email", "reason"))
    assert invited == {
        here.email: InvitationReason.FOLLOWER,
        nowhere.email: InvitationReason.FOLLOWER,
        "hk@example.org": InvitationReason.GROUP,
        admin.email: InvitationReason.GROUP,
        # the office's address, reached first as the association's: invited once
        "KS@example.org": InvitationReason.ORGANISATION,
        "verbund@example.org": InvitationReason.OFFICE,
    }
    assert Invitation.objects.get(email="verbund@example.org").office == shared
    arabic = mails_to(here.email).get()
    assert arabic.language == "ar" and "دعوة" in arabic.subject
    assert mails_to(admin.email).get().language == "uk"
    group_mail = mails_to("hk@example.org").get()
    assert group_mail.language == "de" and "jeden Helferkreis" in group_mail.body
    assert "Koordinationsstellen" in mails_to("verbund@example.org").get().body
    assert f"/vernetzung/antwort/{Invitation.objects.get(email=here.email).pk}/" in arabic.body
    # sending again invites only those not invited yet
    assert services.new_recipients(meeting) == []
    assert services.send_invitations(meeting, organiser) == 0
    assert not mails_to(away.email).exists() and not mails_to("dort@example.org").exists()


def test_rsvp_respects_places_with_a_waiting_list_that_moves_up_and_tells():
    meeting = MeetingFactory(capacity=3)
    first, second, third = (
        Invitation.objects.create(meeting=meeting, email=f"p{i}@example.org", reason="follower")
        for i in range(3)
    )
    assert services.rsvp(first, "yes", 2).is_attending
    assert services.rsvp(second, "yes", 2).is_waiting  # 2 + 2 > 3
    assert services.rsvp(third, "yes", 1).is_waiting  # fits, but second waits first
    assert services.attending_people(meeting) == 2
    services.rsvp(first, "no")
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.is_attending and third.is_attending
    assert services.attending_people(meeting) == 3
    assert mails_to("p1@example.org").filter(subject__contains="Platz").exists()
    assert mails_to("p2@example.org").exists()
    with pytest.raises(ValidationError):
        services.rsvp(first, "yes", 0)
    with pytest.raises(ValidationError):
        services.rsvp(first, "perhaps")
    # changing one's own number of people keeps one's place when it still fits
    assert services.rsvp(second, "yes", 1).is_attending


def test_rsvp_only_while_the_meeting_takes_answers():
    meeting = MeetingFactory(status=MeetingStatus.AGREED)
    invitation = Invitation.objects.create(
        meeting=meeting, email="a@example.org", reason="follower"
    )
    with pytest.raises(ValidationError):
        services.rsvp(invitation, "yes")
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.INVITED, starts_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.rsvp(invitation, "yes")
    assert Invitation.objects.get(pk=invitation.pk).answer == ""


@pytest.mark.django_db(transaction=True)
def test_concurrent_rsvps_never_overbook():
    meeting = MeetingFactory(capacity=5)
    invitations = [
        Invitation.objects.create(meeting=meeting, email=f"c{i}@example.org", reason="follower")
        for i in range(8)
    ]
    results, errors = run_in_threads(services.rsvp, [(i, "yes", 2) for i in invitations])
    assert not errors
    assert len(results) == 8
    assert services.attending_people(meeting) == 4
    assert Invitation.objects.attending().count() == 2
    assert Invitation.objects.waiting().count() == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_move_the_waiting_list_up_exactly_once():
    meeting = MeetingFactory(capacity=2)
    invitations = [
        Invitation.objects.create(meeting=meeting, email=f"w{i}@example.org", reason="follower")
        for i in range(5)
    ]
    for invitation in invitations:
        services.rsvp(invitation, "yes", 1)
    results, errors = run_in_threads(services.rsvp, [(i, "no", 1) for i in invitations[:2]])
    assert not errors
    assert services.attending_people(meeting) == 2
    assert set(Invitation.objects.attending().values_list("email", flat=True)) == {
        "w2@example.org",
        "w3@example.org",
    }
    assert OutboundMail.objects.filter(key__startswith="network-moved-up").count() == 2


def test_one_click_links_are_per_invitation_and_can_be_undone():
    meeting = MeetingFactory(capacity=1)
    mine = Invitation.objects.create(meeting=meeting, email="a@example.org", reason="follower")
    other = Invitation.objects.create(meeting=meeting, email="b@example.org", reason="follower")
    token = services.RSVP_LINKS.token(mine.pk, "yes")
    assert services.RSVP_LINKS.action(mine.pk, token) == "yes"
    assert services.RSVP_LINKS.action(other.pk, token) is None
    assert services.RSVP_LINKS.action(mine.pk, token[:-2] + "xx") is None
    state = services.rsvp_by_link(mine, "yes")
    services.rsvp(other, "yes")
    other.refresh_from_db()
    assert other.is_waiting
    services.undo_rsvp_by_link(mine, state)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.answer == "" and other.is_attending


def test_reschedule_and_cancel_tell_everyone_invited_and_raise_the_sequence():
    meeting = MeetingFactory()
    organiser = meeting.organisers.get()
    invitation = Invitation.objects.create(
        meeting=meeting, email="x@example.org", reason="follower", language="tr"
    )
    with pytest.raises(PermissionDenied):
        services.reschedule(meeting, UserFactory(), starts_at=in_days(20), ends_at=in_days(20, 20))
    with pytest.raises(ValidationError):
        services.reschedule(meeting, organiser, starts_at=in_days(-2), ends_at=in_days(-2, 20))
    services.reschedule(
        meeting, organiser, starts_at=in_days(20), ends_at=in_days(20, 20), note="Raum belegt"
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.starts_at == in_days(20)
    moved = mails_to(invitation.email).get()
    assert moved.language == "tr" and "Raum belegt" in moved.body
    with pytest.raises(ValidationError):
        services.cancel(meeting, organiser, "")
    services.cancel(meeting, organiser, "Die Referentin ist krank.")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 2
    assert mails_to(invitation.email).count() == 2
    with pytest.raises(ValidationError):
        services.cancel(meeting, organiser, "noch einmal")
    assert [s.step for s in timeline.steps(meeting)] == ["rescheduled", "cancelled"]


def test_minutes_go_to_everyone_invited_and_to_groups_without_speaker():
    meeting = MeetingFactory(starts_at=in_days(-1), ends_at=in_days(-1, 20))
    organiser = meeting.organisers.get()
    came = Invitation.objects.create(
        meeting=meeting, email="came@example.org", reason="follower", answer=Answer.YES
    )
    silent = Invitation.objects.create(
        meeting=meeting, email="silent@example.org", reason="follower"
    )
    declined = Invitation.objects.create(
        meeting=meeting, email="no@example.org", reason="follower", answer=Answer.NO
    )
    late_group = OrganisationFactory(
        municipality=meeting.municipality, has_speaker=False, public_email="spaet@example.org"
    )
    with pytest.raises(ValidationError):
        services.save_minutes(meeting, organiser, body="zu früh")  # not held yet
    services.mark_held(meeting, organiser)
    with pytest.raises(ValidationError):
        services.publish_minutes(meeting, organiser)  # nothing written
    services.save_minutes(
        meeting,
        organiser,
        body="# Begrüßung\nAlle stellen sich vor.\n- Punkt eins",
        decisions="Nächstes Treffen im Herbst",
        tasks="Liste der Ansprechpersonen verschicken",
    )
    with pytest.raises(PermissionDenied):
        services.publish_minutes(meeting, UserFactory())
    assert services.publish_minutes(meeting, organiser) == 4
    for address in (came.email, silent.email, declined.email, late_group.public_email):
        body = mails_to(address).get().body
        assert "Liste der Ansprechpersonen" in body
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES
    with pytest.raises(ValidationError):
        services.publish_minutes(meeting, organiser)


def test_experts_confirm_and_are_named_only_with_consent():
    meeting = MeetingFactory()
    organiser = meeting.organisers.get()
    item = meeting.agenda.create(title="Traumasensible Begleitung", position=1)
    expert = services.invite_expert(
        meeting,
        organiser,
        name="Dr. Erika Beispiel",
        field="Psychotherapie",
        email="erika@example.org",
        language="en",
        agenda_item=item,
    )
    mail = mails_to("erika@example.org").get()
    assert mail.language == "en" and f"/vernetzung/fachperson/{expert.pk}/" in mail.body
    assert not expert.is_public
    with pytest.raises(ValidationError):
        services.invite_expert(meeting, organiser, name="X", field="Y", email="ERIKA@example.org")
    expert = services.expert_answer(expert, confirm=True, publish_name=False)
    assert expert.status == "confirmed" and not expert.is_public
    expert = services.expert_answer(expert, confirm=True, publish_name=True)
    assert expert.is_public
    item.refresh_from_db()
    assert item.expert == expert


def test_reminders_go_once_to_those_who_said_yes_or_maybe():
    meeting = MeetingFactory(starts_at=in_days(2), ends_at=in_days(2, 20), reminder_days=3)
    yes = Invitation.objects.create(
        meeting=meeting, email="y@example.org", reason="follower", answer="yes"
    )
    Invitation.objects.create(
        meeting=meeting, email="n@example.org", reason="follower", answer="no"
    )
    MeetingFactory(starts_at=in_days(10), ends_at=in_days(10, 20), reminder_days=3)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert mails_to(yes.email).count() == 1
    assert not mails_to("n@example.org").exists()


def test_board_needs_following_and_helpful_is_for_the_starter_or_a_coordinator():
    district = DistrictFactory()
    target = platform(district)
    starter, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        services.start_thread(target, starter, kind="question", title="Frage", body="Wer weiß?")
    services.follow(target, starter)
    services.follow(target, other)
    thread = services.start_thread(
        target, starter, kind="question", title="Frage", body="Wer weiß?"
    )
    answer = services.reply(thread, other, "Ich!")
    assert mails_to(starter.email).count() == 1
    with pytest.raises(PermissionDenied):
        services.mark_helpful(answer, other)
    services.mark_helpful(answer, starter)
    coordinator = coordinator_of(district=district)
    services.mark_helpful(answer, coordinator, helpful=False)
    answer.refresh_from_db()
    assert not answer.is_helpful
    with pytest.raises(ValidationError):
        services.reply(thread, other, "   ")


def test_board_reports_are_moderated_in_scope():
    district = DistrictFactory()
    target = platform(district)
    author = UserFactory()
    services.follow(target, author)
    thread = services.start_thread(target, author, kind="tip", title="Tipp", body="Werbung!")
    report = services.report_post(UserFactory(), thread, "Werbung")
    assert list(BoardReport.objects.coordinated_by(coordinator_of(district=district))) == [report]
    assert not BoardReport.objects.coordinated_by(
        coordinator_of(district=DistrictFactory())
    ).exists()
    with pytest.raises(PermissionDenied):
        services.resolve_report(report, coordinator_of(district=DistrictFactory()), hide=True)
    services.resolve_report(report, coordinator_of(district=district), hide=True)
    assert not Thread.objects.shown().exists()
    assert not BoardReport.objects.open().exists()


def test_daily_digest_lists_new_threads_once_a_day():
    target = platform(DistrictFactory())
    reader, writer = UserFactory(), UserFactory()
    services.follow(target, writer)
    services.set_digest(target, reader, True)
    Follow.objects.filter(user=reader).update(digest_sent_at=timezone.now() - timedelta(days=2))
    services.start_thread(target, writer, kind="experience", title="Gute Erfahrung", body="…")
    assert services.send_board_digests() == 1
    assert "Gute Erfahrung" in mails_to(reader.email).get().body
    assert services.send_board_digests() == 0  # not again the same day
    later = timezone.now() + timedelta(days=1, minutes=1)
    assert services.send_board_digests(now=later) == 0  # nothing new: no mail


def _held_training(organiser):
    training = MeetingFactory(
        kind=MeetingKind.TRAINING,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - timedelta(days=1),
        organisers=[organiser],
    )
    person = UserFactory()
    invitation = Invitation.objects.create(
        meeting=training, user=person, email=person.email, reason="registered", answer="yes"
    )
    return training, invitation


def test_organisers_and_coordinators_in_scope_record_attendance():
    organiser = UserFactory()
    training, invitation = _held_training(organiser)
    assert services.record_attendance(training, organiser, [invitation.pk]) == 1
    invitation.refresh_from_db()
    assert invitation.attended
    assert "attendance" in [entry.step for entry in timeline.steps(training)]
    coordinator = coordinator_of(municipality=training.municipality)
    assert services.record_attendance(training, coordinator, []) == 0
    invitation.refresh_from_db()
    assert not invitation.attended


def test_nobody_else_records_attendance():
    training, invitation = _held_training(UserFactory())
    elsewhere = MunicipalityFactory(district=training.municipality.district)
    for outsider in (
        invitation.user,  # the volunteer themself
        coordinator_of(municipality=elsewhere),
        UserFactory(),
    ):
        with pytest.raises(PermissionDenied):
            services.record_attendance(training, outsider, [invitation.pk])
    invitation.refresh_from_db()
    assert not invitation.attended


def test_attendance_waits_until_the_meeting_was_held():
    organiser = UserFactory()
    coming = MeetingFactory(kind=MeetingKind.TRAINING, organisers=[organiser])
    with pytest.raises(PermissionDenied):
        services.record_attendance(coming, organiser, [])
