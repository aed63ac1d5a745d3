"""The recorded steps of a meeting (who did what, when), shown to coordinators as a timeline.

One place so that the services never talk to the audit log directly."""

from django.utils.translation import gettext_lazy as _

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
    "minutes_saved": _("minutes saved"),
    "minutes_published": _("minutes published and sent"),
}


def record(meeting, action: str, *, actor=None, note: str = "", changes=None) -> None:
    from hilfenetz.core import audit

    audit.record(meeting, action, actor=actor, changes=changes, note=note)


def steps(meeting) -> list:
    from hilfenetz.core.models import AuditEntry

    entries = list(AuditEntry.objects.for_object(meeting).select_related("actor"))
    for entry in entries:
        entry.label = LABELS.get(entry.action, entry.action)
    return entries
