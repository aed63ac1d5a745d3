"""A meeting moved, cancelled or held."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import lifecycle, texts
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.network import timeline
from hilfenetz.network.models import UPCOMING, ExpertStatus, Meeting, MeetingStatus
from hilfenetz.network.services.common import expect_status, mail_invited


@transaction.atomic
def reschedule(meeting: Meeting, actor, *, starts_at, ends_at, note: str = "") -> Meeting:
    """Move a meeting; everyone invited is told and their calendars update (SEQUENCE)."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    expect_status(meeting, *UPCOMING, message=_("Only meetings still to come can be moved."))
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
    mail_invited(
        meeting, "network/mail/notice", f"moved-{meeting.sequence}", note=note.strip(), moved=True
    )
    return meeting


@transaction.atomic
def cancel(meeting: Meeting, actor, note: str) -> Meeting:
    """Cancel a meeting; everyone invited, the experts and the organisers are told."""
    require("network.manage_meeting", actor, meeting)
    note = texts.required(note, _("Please give a reason; everyone invited receives it."))
    meeting = lifecycle.locked(meeting, "platform")
    expect_status(meeting, *UPCOMING, message=_("Only meetings still to come can be cancelled."))
    was_announced = meeting.status == MeetingStatus.INVITED
    meeting.status = MeetingStatus.CANCELLED
    meeting.status_note = note
    meeting.sequence += 1
    meeting.save(update_fields=["status", "status_note", "sequence", "updated_at"])
    timeline.record(meeting, "cancelled", actor=actor, note=note)
    if was_announced:
        mail_invited(meeting, "network/mail/notice", "cancelled", note=note, moved=False)
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
    expect_status(meeting, MeetingStatus.INVITED, message=_("Only announced meetings can be held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("This meeting has not started yet."))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    timeline.record(meeting, "held", actor=actor)
    return meeting


@transaction.atomic
def record_attendance(meeting: Meeting, actor, attended_ids) -> int:
    """The organisers mark who attended a held meeting (everyone else is unmarked); the
    confirmations of volunteers list only marked meetings. Returns how many attended."""
    require("network.record_attendance", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    expect_status(
        meeting,
        MeetingStatus.HELD,
        MeetingStatus.MINUTES,
        message=_("Attendance is recorded once the meeting is marked as held."),
    )
    invitations = meeting.invitations.all()
    attended = set(invitations.filter(pk__in=attended_ids).values_list("pk", flat=True))
    invitations.filter(pk__in=attended).update(attended=True)
    invitations.exclude(pk__in=attended).update(attended=False)
    timeline.record(meeting, "attendance", actor=actor, note=str(len(attended)))
    return len(attended)
