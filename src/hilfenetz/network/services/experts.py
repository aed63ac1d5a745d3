"""Experts invited to a meeting and their answers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import User
from hilfenetz.core import lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.network import timeline
from hilfenetz.network.models import UPCOMING, AgendaItem, Expert, ExpertStatus, Meeting
from hilfenetz.network.services.common import expect_status, expert_url


@transaction.atomic
def invite_expert(meeting: Meeting, actor, *, name, field, email, language="de", agenda_item=None):
    """Invite an expert (an account is not needed); they confirm through their own link."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    expect_status(meeting, *UPCOMING, message=_("This meeting can no longer be changed."))
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
