"""The directory's history: what is recorded about entries and the people listed in them
(see :mod:`hilfenetz.core.audit`)."""

from django.utils.translation import gettext_lazy as _lazy

from hilfenetz.core import audit
from hilfenetz.core.audit import define_actions
from hilfenetz.core.models import AuditEntry
from hilfenetz.directory.models import ContactPerson
from hilfenetz.directory.services.editing import plain

define_actions(verify=_lazy("confirmed as current"), **{"import": _lazy("imported")})

CONTACT_PERSONAL = ("name", "phone", "email")
MEMBER_PERSONAL = ("name",)


def _record_person(user, entry, action, label: str, person, change: dict, personal, public):
    """Record a change of a person listed in ``entry`` (a contact of an office, a member of a
    team). The history keeps their personal data only while they consent to publication
    (everyone coordinating the entry reads it); without consent, what was kept is removed."""
    key = f"{label} #{person.pk}"
    if not public:
        change = {name: value for name, value in change.items() if name not in personal}
        audit.redact(entry, key, personal)
    audit.record(entry, action, actor=user, changes={key: change})


def created_changes(obj, fields) -> dict:
    return {name: ["", plain(getattr(obj, name))] for name in fields if getattr(obj, name)}


def forget_people(entry, people) -> None:
    """Remove what the history of ``entry`` kept about ``people`` (its contacts or members,
    about to be deleted)."""
    for person in people:
        label, personal = (
            ("contact", CONTACT_PERSONAL)
            if isinstance(person, ContactPerson)
            else ("member", MEMBER_PERSONAL)
        )
        audit.redact(entry, f"{label} #{person.pk}", personal)


def record_contact(user, office, contact, action, change: dict) -> None:
    _record_person(
        user, office, action, "contact", contact, change, CONTACT_PERSONAL, contact.is_public
    )


def record_member(user, team, member, change: dict) -> None:
    _record_person(
        user, team, "update", "member", member, change, MEMBER_PERSONAL, member.consent_given
    )


def history(obj):
    return AuditEntry.objects.for_object(obj)
