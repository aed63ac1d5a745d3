"""Networking-platform workflows, one function per step. Views, the API, the admin and the
periodic tasks call these; they decide, lock, write, record the step and queue the mail."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import MembershipRole, MembershipStatus, Organisation, User
from hilfenetz.accounts.models import OrganisationKind as Kind
from hilfenetz.core import lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed, require
from hilfenetz.core.signed_links import SignedLinks
from hilfenetz.directory.models import Office
from hilfenetz.network import timeline
from hilfenetz.network.models import (
    UPCOMING,
    AgendaItem,
    Answer,
    BoardReport,
    Expert,
    ExpertStatus,
    Follow,
    Invitation,
    InvitationReason,
    Meeting,
    MeetingStatus,
    Minutes,
    Platform,
    Reply,
    Thread,
)

MAX_PEOPLE = 10
RSVP_LINKS = SignedLinks(
    "network.rsvp",
    ("yes", "maybe", "no"),
    max_age=timedelta(days=120),
    undo_max_age=timedelta(days=2),
)
MINUTES_LINKS = SignedLinks("network.minutes", ("read",), max_age=timedelta(days=365))
EXPERT_LINKS = SignedLinks("network.expert", ("answer",), max_age=timedelta(days=120))
MEETING_FIELDS = (
    "title",
    "description",
    "language",
    "starts_at",
    "ends_at",
    "time_zone",
    "format",
    "address",
    "accessibility",
    "online_link",
    "capacity",
    "meeting_languages",
    "interpreting",
    "reminder_days",
)
PLATFORM_FIELDS = ("name", "description", "translations", "position", "is_active")


def _expect_status(meeting: Meeting, *statuses, message: str) -> None:
    if meeting.status not in statuses:
        raise ValidationError(message)


def rsvp_url(invitation: Invitation, answer: str) -> str:
    return reverse(
        "network:rsvp_link", args=[invitation.pk, RSVP_LINKS.token(invitation.pk, answer)]
    )


def minutes_url(invitation: Invitation) -> str:
    token = MINUTES_LINKS.token(invitation.pk, "read")
    return reverse("network:minutes_link", args=[invitation.pk, token])


def expert_url(expert: Expert) -> str:
    return reverse("network:expert_link", args=[expert.pk, EXPERT_LINKS.token(expert.pk, "answer")])


def _mail_invited(meeting: Meeting, template: str, key: str, **context) -> int:
    """Mail everyone invited to ``meeting`` (each in their language, each once per ``key``)."""
    invitations = list(meeting.invitations.select_related("user"))
    for invitation in invitations:
        queue_mail(
            f"network-{key}:{meeting.pk}:{invitation.pk}",
            invitation.email,
            template,
            {"meeting": meeting, "invitation": invitation, **context},
            language=invitation.language,
        )
    return len(invitations)


def _mail_organisers(meeting: Meeting, template: str, key: str, **context) -> None:
    for organiser in meeting.organisers.all():
        queue_mail(
            f"network-{key}:{meeting.pk}:{organiser.pk}",
            organiser,
            template,
            {"meeting": meeting, **context},
        )


# --- platforms and followers ----------------------------------------------------------------


@transaction.atomic
def update_platform(platform: Platform, actor, **fields) -> Platform:
    require("network.edit_platform", actor, platform)
    for name, value in fields.items():
        if name in PLATFORM_FIELDS:
            setattr(platform, name, value)
    platform.full_clean()
    platform.save()
    return platform


def follow(platform: Platform, actor, *, organisation: Organisation | None = None) -> Follow:
    """``actor`` follows ``platform`` (or makes an organisation they administer follow it).
    Following twice is following once."""
    require("network.follow", actor, platform)
    if organisation is not None:
        require("network.follow_for_organisation", actor, organisation)
        lookup = {"platform": platform, "organisation": organisation}
    else:
        lookup = {"platform": platform, "user": actor}
    try:
        with transaction.atomic():
            return Follow.objects.get_or_create(**lookup)[0]
    except IntegrityError:  # a concurrent click created it
        return Follow.objects.get(**lookup)


@transaction.atomic
def unfollow(platform: Platform, actor, *, organisation: Organisation | None = None) -> None:
    if organisation is not None:
        require("network.follow_for_organisation", actor, organisation)
        Follow.objects.filter(platform=platform, organisation=organisation).delete()
    else:
        Follow.objects.filter(platform=platform, user=actor).delete()


@transaction.atomic
def set_digest(platform: Platform, actor, wants: bool) -> Follow:
    """A follower chooses whether the platform's new threads come as a daily mail."""
    follow_obj = follow(platform, actor)
    follow_obj.wants_digest = wants
    follow_obj.digest_sent_at = timezone.now() if wants else None
    follow_obj.save(update_fields=["wants_digest", "digest_sent_at"])
    return follow_obj


# --- meetings: propose, review ---------------------------------------------------------------


def _set_agenda(meeting: Meeting, agenda) -> None:
    """Replace the agenda by ``agenda`` (titles in order); items keep their expert by title."""
    experts = dict(meeting.agenda.values_list("title", "expert_id"))
    meeting.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, title=title[:200], expert_id=experts.get(title))
        for i, title in enumerate(t.strip() for t in agenda)
        if title
    )


def _check_places(meeting: Meeting, municipalities) -> None:
    municipalities = list(municipalities)
    if not municipalities:
        raise ValidationError({"municipalities": _("Please choose at least one municipality.")})
    if any(m.district_id != meeting.platform.district_id for m in municipalities):
        raise ValidationError(
            {"municipalities": _("The municipalities must belong to the platform's district.")}
        )


@transaction.atomic
def propose(actor, platform: Platform, *, municipality, municipalities, agenda=(), **fields):
    """A municipal coordinator proposes a meeting; the district coordinators are asked to
    agree. The proposer organises it."""
    require("network.propose_meeting", actor, platform)
    meeting = Meeting(platform=platform, municipality=municipality, created_by=actor)
    for name, value in fields.items():
        if name in MEETING_FIELDS:
            setattr(meeting, name, value)
    if not allowed("network.manage_meeting", actor, meeting):
        raise PermissionDenied(
            _("You can only propose meetings for a municipality you coordinate.")
        )
    meeting.full_clean()
    _check_places(meeting, municipalities)
    meeting.save()
    meeting.municipalities.set(municipalities)
    meeting.organisers.add(actor)
    _set_agenda(meeting, agenda)
    timeline.record(meeting, "proposed", actor=actor)
    _ask_for_review(meeting)
    return meeting


def _ask_for_review(meeting: Meeting) -> None:
    """Tell the district's coordinators that a proposal waits for them."""
    stamp = f"{timezone.now():%Y%m%d%H%M%S%f}"
    for reviewer in User.objects.filter(
        coordinator_roles__district_id=meeting.platform.district_id, is_active=True
    ).distinct():
        queue_mail(
            f"network-review:{meeting.pk}:{reviewer.pk}:{stamp}",
            reviewer,
            "network/mail/review",
            {"meeting": meeting},
        )


@transaction.atomic
def update_meeting(meeting: Meeting, actor, *, municipalities=None, agenda=None, **fields):
    """Change a meeting that has not happened yet. Time changes after the invitations go
    through :func:`reschedule`; a meeting sent back goes to the district again."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(meeting, *UPCOMING, message=_("This meeting can no longer be changed."))
    before = {name: str(getattr(meeting, name)) for name in MEETING_FIELDS}
    for name, value in fields.items():
        if name in MEETING_FIELDS:
            setattr(meeting, name, value)
    if meeting.status == MeetingStatus.INVITED and (
        str(meeting.starts_at) != before["starts_at"] or str(meeting.ends_at) != before["ends_at"]
    ):
        raise ValidationError(_("Please use “Reschedule” so that everyone invited is told."))
    meeting.full_clean()
    changes = {
        n: [before[n], str(getattr(meeting, n))]
        for n in before
        if before[n] != str(getattr(meeting, n))
    }
    if municipalities is not None:
        _check_places(meeting, municipalities)
        meeting.municipalities.set(municipalities)
    if agenda is not None:
        _set_agenda(meeting, agenda)
    if meeting.status == MeetingStatus.SENT_BACK:
        meeting.status = MeetingStatus.PROPOSED
        timeline.record(meeting, "resubmitted", actor=actor, changes=changes)
        _ask_for_review(meeting)
    elif meeting.status == MeetingStatus.INVITED and changes:
        meeting.sequence += 1
        timeline.record(meeting, "updated", actor=actor, changes=changes)
    else:
        timeline.record(meeting, "updated", actor=actor, changes=changes)
    meeting.save()
    return meeting


@transaction.atomic
def agree(meeting: Meeting, actor, comment: str = "") -> Meeting:
    """The district coordinator agrees to a proposed meeting; the organisers are told."""
    require("network.review_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(
        meeting, MeetingStatus.PROPOSED, message=_("Only proposed meetings can be agreed.")
    )
    meeting.status = MeetingStatus.AGREED
    meeting.status_note = comment.strip()
    meeting.save(update_fields=["status", "status_note", "updated_at"])
    timeline.record(meeting, "agreed", actor=actor, note=meeting.status_note)
    _mail_organisers(meeting, "network/mail/reviewed", "agreed", comment=meeting.status_note)
    return meeting


@transaction.atomic
def send_back(meeting: Meeting, actor, comment: str) -> Meeting:
    """The district coordinator sends a proposal back with a comment."""
    require("network.review_meeting", actor, meeting)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Please say what should change."))
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(
        meeting, MeetingStatus.PROPOSED, message=_("Only proposed meetings can be sent back.")
    )
    meeting.status = MeetingStatus.SENT_BACK
    meeting.status_note = comment
    meeting.save(update_fields=["status", "status_note", "updated_at"])
    timeline.record(meeting, "sent_back", actor=actor, note=comment)
    stamp = f"{timezone.now():%Y%m%d%H%M%S%f}"
    _mail_organisers(meeting, "network/mail/reviewed", f"sent-back-{stamp}", comment=comment)
    return meeting


# --- invitations ------------------------------------------------------------------------------


def groups_without_speaker(meeting: Meeting):
    """Working groups in the meeting's municipalities that have no speaker, or no
    coordination office serving their municipality."""
    municipality_ids = list(meeting.municipalities.values_list("pk", flat=True))
    served = Office.objects.filter(municipalities__in=municipality_ids).values("municipalities")
    return (
        Organisation.objects.active()
        .filter(kind=Kind.WORKING_GROUP, municipality_id__in=municipality_ids)
        .filter(Q(has_speaker=False) | ~Q(municipality_id__in=served))
        .prefetch_related("memberships__user")
    )


def _organisation_contacts(organisation: Organisation) -> list[tuple[str, str, User | None]]:
    """The addresses an organisation is reached at: its public address from the directory,
    else its admins."""
    if organisation.public_email:
        return [(organisation.public_email, "de", None)]
    return [
        (m.user.email, m.user.preferred_language, m.user)
        for m in organisation.memberships.all()
        if m.user_id and m.status == MembershipStatus.ACTIVE and m.role == MembershipRole.ADMIN
    ]


def recipients(meeting: Meeting) -> list[dict]:
    """Who is invited: the people following the platform who live in the meeting's
    municipalities (or told no place), the organisations following it there, and always the
    working groups without speaker or coordination office there. One entry per address."""
    municipality_ids = set(meeting.municipalities.values_list("pk", flat=True))
    found: dict[str, dict] = {}

    def add(email, language, user, organisation, reason):
        if email and email.lower() not in found:
            found[email.lower()] = {
                "email": email,
                "language": language,
                "user": user,
                "organisation": organisation,
                "reason": reason,
            }

    follows = Follow.objects.filter(platform=meeting.platform).select_related("user")
    for f in follows.filter(user__isnull=False, user__is_active=True).filter(
        Q(user__home_municipality__in=municipality_ids) | Q(user__home_municipality__isnull=True)
    ):
        add(f.user.email, f.user.preferred_language, f.user, None, InvitationReason.FOLLOWER)
    organisations = Organisation.objects.active().filter(
        Q(municipality__in=municipality_ids)
        | Q(municipality__isnull=True, district=meeting.platform.district_id)
    )
    for organisation in organisations.filter(
        platform_follows__platform=meeting.platform
    ).prefetch_related("memberships__user"):
        for email, language, user in _organisation_contacts(organisation):
            add(email, language, user, organisation, InvitationReason.ORGANISATION)
    for group in groups_without_speaker(meeting):
        for email, language, user in _organisation_contacts(group):
            add(email, language, user, group, InvitationReason.GROUP)
    return list(found.values())


def _create_invitations(meeting: Meeting) -> list[Invitation]:
    existing = set(meeting.invitations.values_list("email", flat=True))
    new = [
        Invitation(meeting=meeting, **r) for r in recipients(meeting) if r["email"] not in existing
    ]
    return Invitation.objects.bulk_create(new)


def _mail_invitation(meeting: Meeting, invitation: Invitation) -> None:
    queue_mail(
        f"network-invitation:{meeting.pk}:{invitation.pk}",
        invitation.email,
        "network/mail/invitation",
        {
            "meeting": meeting,
            "invitation": invitation,
            "yes_url": rsvp_url(invitation, "yes"),
            "maybe_url": rsvp_url(invitation, "maybe"),
            "no_url": rsvp_url(invitation, "no"),
        },
        language=invitation.language,
    )


@transaction.atomic
def send_invitations(meeting: Meeting, actor) -> int:
    """Invite everyone :func:`recipients` names, each by mail in their language with one-click
    answer links. Sending again invites only those not invited yet (e.g. new followers)."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(
        meeting,
        MeetingStatus.AGREED,
        MeetingStatus.INVITED,
        message=_("Invitations can be sent once the district agreed."),
    )
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has started already."))
    created = _create_invitations(meeting)
    for invitation in created:
        _mail_invitation(meeting, invitation)
    if meeting.status == MeetingStatus.AGREED:
        meeting.status = MeetingStatus.INVITED
        meeting.save(update_fields=["status", "updated_at"])
    timeline.record(meeting, "invited", actor=actor, note=str(len(created)))
    return len(created)


def register(meeting: Meeting, person) -> Invitation:
    """The invitation of a logged-in person to an announced meeting: theirs, or a new one if
    they found the meeting on the page."""
    require("network.rsvp", person, meeting)
    invitation = meeting.invitations.filter(user=person).first()
    if invitation is not None:
        return invitation
    try:
        with transaction.atomic():
            return Invitation.objects.create(
                meeting=meeting,
                user=person,
                email=person.email,
                language=person.preferred_language,
                reason=InvitationReason.REGISTERED,
            )
    except IntegrityError:  # invited under this address already, or a double click
        return meeting.invitations.get(email=person.email)


def attending_people(meeting: Meeting, exclude=None) -> int:
    qs = meeting.invitations.attending()
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(n=Sum("people"))["n"] or 0


def attending_people_column() -> Subquery:
    """``attending_people`` as a column of a meeting query (None for none)."""
    return Subquery(
        Invitation.objects.attending()
        .filter(meeting=OuterRef("pk"))
        .values("meeting")
        .annotate(n=Sum("people"))
        .values("n")
    )


def attendance_totals(meeting: Meeting) -> dict[str, int]:
    """Invited, people coming and waiting, in one query."""
    said_yes = Q(invitations__answer=Answer.YES)
    totals = Meeting.objects.filter(pk=meeting.pk).aggregate(
        invited=Count("invitations"),
        attending=Sum(
            "invitations__people", filter=said_yes & Q(invitations__waiting_since__isnull=True)
        ),
        waiting=Count("invitations", filter=said_yes & Q(invitations__waiting_since__isnull=False)),
    )
    return {name: value or 0 for name, value in totals.items()}


@transaction.atomic
def free_places(meeting: Meeting) -> list[Invitation]:
    """Let the waiting list move up after places were freed outside an answer (erasure)."""
    return move_up(lifecycle.locked(meeting, "platform"))


def move_up(meeting: Meeting) -> list[Invitation]:
    """Give free places to the waiting list, first come first served; tell those moved up.
    The caller holds the meeting's row lock."""
    if meeting.capacity is None:
        waiting = list(meeting.invitations.waiting())
    else:
        free = meeting.capacity - attending_people(meeting)
        waiting = []
        for candidate in meeting.invitations.waiting():
            if candidate.people > free:
                break  # first come, first served: nobody jumps the queue
            free -= candidate.people
            waiting.append(candidate)
    for invitation in waiting:
        invitation.waiting_since = None
        invitation.save(update_fields=["waiting_since"])
        queue_mail(
            f"network-moved-up:{meeting.pk}:{invitation.pk}:{invitation.answered_at:%s}",
            invitation.email,
            "network/mail/moved_up",
            {"meeting": meeting, "invitation": invitation},
            language=invitation.language,
        )
    return waiting


def rsvp(invitation: Invitation, answer: str, people: int = 1) -> Invitation:
    """Answer an invitation. A yes takes places while there are enough and nobody waits;
    otherwise it waits. Whoever frees places lets the waiting list move up. The meeting's row
    lock serialises concurrent answers, so the places are never over-booked."""
    if answer not in (Answer.YES, Answer.MAYBE, Answer.NO):
        raise ValidationError(_("Please answer yes, maybe or no."))
    if not 1 <= people <= MAX_PEOPLE:
        raise ValidationError(_("Please give between 1 and %(n)s people.") % {"n": MAX_PEOPLE})
    with transaction.atomic():
        meeting = lifecycle.locked(invitation.meeting, "platform")
        _expect_status(
            meeting, MeetingStatus.INVITED, message=_("This meeting no longer takes answers.")
        )
        if meeting.starts_at <= timezone.now():
            raise ValidationError(_("This meeting has started already."))
        invitation = lifecycle.locked(invitation)
        was_attending = invitation.is_attending
        invitation.answer, invitation.people = answer, people
        invitation.answered_at = timezone.now()
        if answer != Answer.YES:
            invitation.waiting_since = None
        elif meeting.capacity is not None:
            others_wait = meeting.invitations.waiting().exclude(pk=invitation.pk).exists()
            fits = attending_people(meeting, exclude=invitation) + people <= meeting.capacity
            if fits and (was_attending or not others_wait):
                invitation.waiting_since = None
            elif invitation.waiting_since is None:
                invitation.waiting_since = invitation.answered_at
        invitation.save(update_fields=["answer", "people", "answered_at", "waiting_since"])
        move_up(meeting)
    invitation.refresh_from_db()
    return invitation


def rsvp_by_link(invitation: Invitation, answer: str) -> dict | None:
    """A one-click answer from the invitation mail. Returns what the undo needs, or None if
    this was the answer already (a second click changes nothing, not even the date)."""
    with transaction.atomic():
        lifecycle.locked(invitation.meeting, "platform")
        invitation = lifecycle.locked(invitation)
        if invitation.answer == answer:
            return None
        state = {"answer": invitation.answer, "people": invitation.people}
        rsvp(invitation, answer, invitation.people)
    return state


def undo_rsvp_by_link(invitation: Invitation, state: dict) -> Invitation:
    if not state.get("answer"):
        with transaction.atomic():
            lifecycle.locked(invitation.meeting, "platform")
            Invitation.objects.filter(pk=invitation.pk).update(
                answer="", answered_at=None, waiting_since=None
            )
            move_up(invitation.meeting)
        invitation.refresh_from_db()
        return invitation
    return rsvp(invitation, state["answer"], int(state.get("people") or 1))


# --- experts ---------------------------------------------------------------------------------


@transaction.atomic
def invite_expert(meeting: Meeting, actor, *, name, field, email, language="de", agenda_item=None):
    """Invite an expert (an account is not needed); they confirm through their own link."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(meeting, *UPCOMING, message=_("This meeting can no longer be changed."))
    if meeting.experts.filter(email__iexact=email).exists():
        raise ValidationError(_("This expert is invited already."))
    expert = Expert(
        meeting=meeting,
        name=name,
        field=field,
        email=email,
        language=language,
        user=User.objects.filter(email__iexact=email).first(),
    )
    expert.full_clean()
    expert.save()
    if agenda_item is not None:
        if agenda_item.meeting_id != meeting.pk:
            raise ValidationError(_("This agenda item belongs to another meeting."))
        AgendaItem.objects.filter(pk=agenda_item.pk).update(expert=expert)
    timeline.record(meeting, "expert_invited", actor=actor, note=name)
    queue_mail(
        f"network-expert:{expert.pk}",
        email,
        "network/mail/expert",
        {"meeting": meeting, "expert": expert, "url": expert_url(expert)},
        language=language,
    )
    return expert


@transaction.atomic
def expert_answer(expert: Expert, *, confirm: bool, publish_name: bool) -> Expert:
    """The expert confirms (and says whether they may be named on the page) or declines."""
    expert = lifecycle.locked(expert, "meeting")
    if expert.meeting.status not in UPCOMING:
        raise ValidationError(_("This meeting can no longer be changed."))
    expert.status = ExpertStatus.CONFIRMED if confirm else ExpertStatus.DECLINED
    expert.consents_to_publication = confirm and publish_name
    expert.save(update_fields=["status", "consents_to_publication"])
    timeline.record(expert.meeting, f"expert_{expert.status}", note=expert.name)
    return expert


# --- reschedule, cancel, held, minutes --------------------------------------------------------


@transaction.atomic
def reschedule(meeting: Meeting, actor, *, starts_at, ends_at, note: str = "") -> Meeting:
    """Move a meeting; everyone invited is told and their calendars update (SEQUENCE)."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(meeting, *UPCOMING, message=_("Only meetings still to come can be moved."))
    if starts_at <= timezone.now():
        raise ValidationError(_("Please choose a time in the future."))
    old = meeting.starts_at
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.full_clean()
    meeting.sequence += 1
    meeting.reminder_sent_at = None
    meeting.save()
    timeline.record(
        meeting,
        "rescheduled",
        actor=actor,
        note=note.strip(),
        changes={"starts_at": [old.isoformat(), starts_at.isoformat()]},
    )
    _mail_invited(
        meeting, "network/mail/notice", f"moved-{meeting.sequence}", note=note.strip(), moved=True
    )
    return meeting


@transaction.atomic
def cancel(meeting: Meeting, actor, note: str) -> Meeting:
    """Cancel a meeting; everyone invited, the experts and the organisers are told."""
    require("network.manage_meeting", actor, meeting)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Please give a reason; everyone invited receives it."))
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(meeting, *UPCOMING, message=_("Only meetings still to come can be cancelled."))
    was_announced = meeting.status == MeetingStatus.INVITED
    meeting.status = MeetingStatus.CANCELLED
    meeting.status_note = note
    meeting.sequence += 1
    meeting.save(update_fields=["status", "status_note", "sequence", "updated_at"])
    timeline.record(meeting, "cancelled", actor=actor, note=note)
    if was_announced:
        _mail_invited(meeting, "network/mail/notice", "cancelled", note=note, moved=False)
    for expert in meeting.experts.exclude(status=ExpertStatus.DECLINED):
        queue_mail(
            f"network-cancelled-expert:{expert.pk}",
            expert.email,
            "network/mail/notice",
            {"meeting": meeting, "note": note, "moved": False},
            language=expert.language,
        )
    return meeting


@transaction.atomic
def mark_held(meeting: Meeting, actor) -> Meeting:
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(
        meeting, MeetingStatus.INVITED, message=_("Only announced meetings can be held.")
    )
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("This meeting has not started yet."))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    timeline.record(meeting, "held", actor=actor)
    return meeting


@transaction.atomic
def save_minutes(meeting: Meeting, actor, **fields) -> Minutes:
    """Write (or correct) the minutes of a held meeting: text, decisions, tasks, a PDF."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(
        meeting,
        MeetingStatus.HELD,
        MeetingStatus.MINUTES,
        message=_("Minutes can be written once the meeting was held."),
    )
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    for name in ("language", "body", "decisions", "tasks"):
        if name in fields:
            setattr(minutes, name, fields[name])
    if fields.get("pdf"):
        minutes.pdf = fields["pdf"]
    minutes.full_clean()
    minutes.save()
    timeline.record(meeting, "minutes_saved", actor=actor)
    return minutes


@transaction.atomic
def publish_minutes(meeting: Meeting, actor) -> int:
    """Publish the minutes and mail them to everyone invited — whether they answered or came
    or not — and to the working groups without speaker (also those not invited earlier).
    Returns the number of mails."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    _expect_status(meeting, MeetingStatus.HELD, message=_("These minutes are published already."))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not (minutes.body.strip() or minutes.pdf):
        raise ValidationError(_("Please write the minutes or upload them as a PDF first."))
    minutes.published_at, minutes.published_by = timezone.now(), actor
    minutes.save(update_fields=["published_at", "published_by"])
    meeting.status = MeetingStatus.MINUTES
    meeting.save(update_fields=["status", "updated_at"])
    _create_invitations(meeting)  # groups and followers that came since receive them too
    sent = 0
    for invitation in meeting.invitations.all():
        queue_mail(
            f"network-minutes:{meeting.pk}:{invitation.pk}",
            invitation.email,
            "network/mail/minutes",
            {"meeting": meeting, "minutes": minutes, "url": minutes_url(invitation)},
            language=invitation.language,
        )
        sent += 1
    timeline.record(meeting, "minutes_published", actor=actor, note=str(sent))
    return sent


def send_reminders(now=None) -> int:
    """Remind those who said yes or maybe, ``reminder_days`` before the meeting (once)."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=MeetingStatus.INVITED,
        reminder_sent_at__isnull=True,
        reminder_days__gt=0,
        starts_at__gt=now,
    ).select_related("platform")
    sent = 0
    for meeting in due:
        if meeting.starts_at > now + timedelta(days=meeting.reminder_days):
            continue
        with transaction.atomic():
            if not Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            for invitation in meeting.invitations.filter(answer__in=[Answer.YES, Answer.MAYBE]):
                queue_mail(
                    f"network-reminder:{meeting.pk}:{meeting.sequence}:{invitation.pk}",
                    invitation.email,
                    "network/mail/reminder",
                    {"meeting": meeting, "invitation": invitation},
                    language=invitation.language,
                )
                sent += 1
    return sent


# --- the board ----------------------------------------------------------------------------------


def _clean_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


@transaction.atomic
def start_thread(platform: Platform, author, *, kind, title, body) -> Thread:
    require("network.post", author, platform)
    thread = Thread(
        platform=platform,
        author=author,
        kind=kind,
        title=_clean_text(title, _("Please give a title.")),
        body=_clean_text(body, _("Please write a text.")),
        language=author.preferred_language,
    )
    thread.full_clean()
    thread.save()
    return thread


@transaction.atomic
def reply(thread: Thread, author, body: str) -> Reply:
    require("network.post", author, thread.platform)
    if thread.hidden_at is not None:
        raise ValidationError(_("This thread is hidden."))
    answer = Reply.objects.create(
        thread=thread,
        author=author,
        body=_clean_text(body, _("Please write a text.")),
        language=author.preferred_language,
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=answer.created_at)
    if thread.author_id != author.pk:
        queue_mail(
            f"network-reply:{answer.pk}",
            thread.author,
            "network/mail/reply",
            {"thread": thread, "author": author.display_name},
        )
    return answer


@transaction.atomic
def mark_helpful(answer: Reply, actor, helpful: bool = True) -> Reply:
    require("network.mark_helpful", actor, answer.thread)
    answer.is_helpful = helpful
    answer.save(update_fields=["is_helpful"])
    return answer


@transaction.atomic
def report_post(reporter, thread: Thread, reason: str, reply_obj: Reply | None = None):
    if reply_obj is not None and reply_obj.thread_id != thread.pk:
        raise ValidationError(_("This reply belongs to another thread."))
    require("network.report", reporter, reply_obj or thread)
    return BoardReport.objects.create(
        thread=thread,
        reply=reply_obj,
        reporter=reporter,
        reason=_clean_text(reason, _("Please tell us what is wrong.")),
    )


@transaction.atomic
def resolve_report(report: BoardReport, actor, *, hide: bool) -> BoardReport:
    """Close a report; ``hide`` takes the reported post off the board."""
    require("network.moderate", actor, report.thread)
    now = timezone.now()
    if hide:
        post = report.post
        type(post).objects.filter(pk=post.pk).update(hidden_at=now)
    BoardReport.objects.filter(pk=report.pk).update(resolved_at=now, resolved_by=actor)
    report.refresh_from_db()
    return report


def send_board_digests(now=None) -> int:
    """One mail per follower who wants it and per platform with new threads since the last
    one, at most once a day."""
    now = now or timezone.now()
    due = Follow.objects.filter(
        wants_digest=True,
        user__isnull=False,
        user__is_active=True,
        digest_sent_at__lte=now - timedelta(days=1),
    ).select_related("user", "platform")
    sent = 0
    for follow_obj in due:
        threads = list(
            Thread.objects.shown()
            .filter(
                platform=follow_obj.platform,
                created_at__gt=follow_obj.digest_sent_at,
                created_at__lte=now,
            )
            .exclude(author=follow_obj.user)[:30]
        )
        with transaction.atomic():
            if not Follow.objects.filter(
                pk=follow_obj.pk, digest_sent_at=follow_obj.digest_sent_at
            ).update(digest_sent_at=now):
                continue  # another scheduler run took it
            if threads:
                queue_mail(
                    f"network-digest:{follow_obj.pk}:{now:%Y%m%d}",
                    follow_obj.user,
                    "network/mail/digest",
                    {"platform": follow_obj.platform, "threads": threads},
                )
                sent += 1
    return sent
