"""The minutes of a meeting, written and sent to everyone invited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.network import timeline
from hilfenetz.network.models import Meeting, MeetingStatus, Minutes
from hilfenetz.network.services.common import expect_status, minutes_url
from hilfenetz.network.services.invitations import create_invitations


@transaction.atomic
def save_minutes(meeting: Meeting, actor, **fields) -> Minutes:
    """Write (or correct) the minutes of a held meeting: text, decisions, tasks, a PDF."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    expect_status(
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
    expect_status(meeting, MeetingStatus.HELD, message=_("These minutes are published already."))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not (minutes.body.strip() or minutes.pdf):
        raise ValidationError(_("Please write the minutes or upload them as a PDF first."))
    minutes.published_at, minutes.published_by = timezone.now(), actor
    minutes.save(update_fields=["published_at", "published_by"])
    meeting.status = MeetingStatus.MINUTES
    meeting.save(update_fields=["status", "updated_at"])
    create_invitations(meeting)  # groups and followers that came since receive them too
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
