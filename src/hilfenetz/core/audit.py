"""The history of every app: who did what to which object, and when.

Services call :func:`record` for each workflow step; pages show
``AuditEntry.objects.for_object(obj)`` as a timeline; the admin and coordinators' pages see
``AuditEntry.objects.coordinated_by(user)``. Each entry keeps the municipality and district of
its object (from the object's scope contract, :func:`hilfenetz.core.scoping.object_scope`),
so the history stays scoped even after the object is gone.

Apps name their own actions and register a label for each with :func:`define_actions`.
Personal data of people who did not consent to publication never goes into ``changes``; when
such a person is deleted, :func:`redact` removes what was recorded about them.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.models import AuditEntry
from hilfenetz.core.scoping import object_scope

_ACTIONS: dict[str, str] = {}


def define_actions(**labels) -> None:
    """Register the display label of each action an app records (``verify=_("confirmed")``)."""
    for action, label in labels.items():
        if _ACTIONS.get(action, label) != label:
            raise ValueError(f"audit action {action!r} is defined twice")
        _ACTIONS[action] = label


def action_label(action: str) -> str:
    return str(_ACTIONS.get(action, action))


define_actions(create=_("created"), update=_("changed"), delete=_("deleted"))


def record(obj, action: str, *, actor=None, changes: dict | None = None, note: str = ""):
    """Write one step of ``obj``'s history; the scope comes from ``obj`` itself."""
    municipality_id, district_id = object_scope(obj)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        changes=changes or {},
        note=note,
        municipality_id=municipality_id,
        district_id=district_id,
    )


REDACTED = "—"


def redact(obj, key: str, fields) -> int:
    """Blank ``fields`` of the sub-record ``changes[key]`` in every entry of ``obj``'s history
    (e.g. the phone number of a contact person who was deleted). Returns the entries changed."""
    changed = 0
    for entry in AuditEntry.objects.for_object(obj).filter(changes__has_key=key):
        part = entry.changes[key]
        if not isinstance(part, dict):
            continue
        for name in set(fields) & set(part):
            part[name] = REDACTED
        entry.save(update_fields=["changes"])
        changed += 1
    return changed
