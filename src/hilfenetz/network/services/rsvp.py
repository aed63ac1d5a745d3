"""Answers to an invitation, the places they take, and the waiting list that moves up."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.network.models import Answer, Invitation, Meeting, MeetingStatus
from hilfenetz.network.services.common import MAX_PEOPLE, expect_status


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
        expect_status(
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
