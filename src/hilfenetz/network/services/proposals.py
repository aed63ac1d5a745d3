"""A meeting proposed by a municipal coordinator, changed, and agreed to or sent back by the district."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import User
from hilfenetz.core import lifecycle, texts
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed, require
from hilfenetz.network import timeline
from hilfenetz.network.models import UPCOMING, AgendaItem, Meeting, MeetingStatus, Platform
from hilfenetz.network.services.common import MEETING_FIELDS, expect_status, mail_organisers


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
    expect_status(meeting, *UPCOMING, message=_("This meeting can no longer be changed."))
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
    expect_status(
        meeting, MeetingStatus.PROPOSED, message=_("Only proposed meetings can be agreed.")
    )
    meeting.status = MeetingStatus.AGREED
    meeting.status_note = comment.strip()
    meeting.save(update_fields=["status", "status_note", "updated_at"])
    timeline.record(meeting, "agreed", actor=actor, note=meeting.status_note)
    mail_organisers(meeting, "network/mail/reviewed", "agreed", comment=meeting.status_note)
    return meeting


@transaction.atomic
def send_back(meeting: Meeting, actor, comment: str) -> Meeting:
    """The district coordinator sends a proposal back with a comment."""
    require("network.review_meeting", actor, meeting)
    comment = texts.required(comment, _("Please say what should change."))
    meeting = lifecycle.locked(meeting, "platform")
    expect_status(
        meeting, MeetingStatus.PROPOSED, message=_("Only proposed meetings can be sent back.")
    )
    meeting.status = MeetingStatus.SENT_BACK
    meeting.status_note = comment
    meeting.save(update_fields=["status", "status_note", "updated_at"])
    timeline.record(meeting, "sent_back", actor=actor, note=comment)
    stamp = f"{timezone.now():%Y%m%d%H%M%S%f}"
    mail_organisers(meeting, "network/mail/reviewed", f"sent-back-{stamp}", comment=comment)
    return meeting
