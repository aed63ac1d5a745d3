"""The recorded steps of a meeting (who did what, when) in the shared audit log, shown to
coordinators as a timeline. One place so that the services never talk to the log directly;
actions are stored as ``meeting_<step>`` so that they cannot clash with other apps'."""

from django.utils.translation import gettext_lazy as _

from hilfenetz.core import audit
from hilfenetz.core.models import AuditEntry

PREFIX = "meeting_"
LABELS = {
    "proposed": _("proposed"),
    "resubmitted": _("proposed again"),
    "updated": _("changed"),
    "agreed": _("agreed by the district"),
    "sent_back": _("sent back by the district"),
    "invited": _("invitations sent"),
    "expert_invited": _("expert invited"),
    "expert_confirmed": _("expert confirmed"),
    "expert_declined": _("expert declined"),
    "rescheduled": _("moved"),
    "cancelled": _("cancelled"),
    "held": _("held"),
    "attendance": _("attendance recorded"),
    "minutes_saved": _("minutes saved"),
    "minutes_published": _("minutes published and sent"),
}
audit.define_actions(**{PREFIX + step: label for step, label in LABELS.items()})


def record(meeting, step: str, *, actor=None, note: str = "", changes=None) -> None:
    if step not in LABELS:
        raise ValueError(step)
    audit.record(meeting, PREFIX + step, actor=actor, changes=changes, note=note)


def steps(meeting) -> list:
    """The meeting's history, oldest first, each entry with its ``step`` and ``label``."""
    entries = list(AuditEntry.objects.for_object(meeting).order_by("created_at", "pk"))
    for entry in entries:
        entry.step = entry.action.removeprefix(PREFIX)
        entry.label = audit.action_label(entry.action)
    return entries
