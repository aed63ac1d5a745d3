"""Offices and their contact persons: create, edit, and the municipalities they serve."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import audit, lifecycle
from hilfenetz.core.predicates import require
from hilfenetz.core.slugs import unique_slug
from hilfenetz.directory.models import ContactPerson, Office, OfficeKind
from hilfenetz.directory.services.editing import apply_changes, plain
from hilfenetz.directory.services.history import created_changes, forget_people, record_contact
from hilfenetz.regions.models import District, Municipality

OFFICE_FIELDS = [
    "name",
    "street",
    "postcode",
    "city",
    "opening_hours",
    "phone",
    "fax",
    "email",
    "website",
    "languages",
]

CONTACT_FIELDS = [
    "name",
    "function",
    "phone",
    "email",
    "is_official_function",
    "consent_given",
    "position",
]


def municipalities_in_scope(user, district) -> set:
    """The municipalities of ``district`` that ``user`` may add to or remove from an office."""
    return set(Municipality.objects.coordinated_by(user).filter(district=district))


def served_municipalities(user, office: Office, chosen) -> set:
    """The municipalities ``office`` serves after ``user`` chose ``chosen`` among theirs.

    Only municipalities in the user's scope can be added or removed; the ones the office
    serves outside it stay untouched (a coordinator cannot take a shared office away from
    their neighbour). Choosing a municipality outside the scope is refused.
    """
    in_scope = municipalities_in_scope(user, office.district)
    old = set(office.municipalities.all()) if office.pk else set()
    chosen = set(chosen)
    if chosen - in_scope - old:
        raise PermissionDenied
    return (chosen & in_scope) | (old - in_scope)


def _require_municipality(office, municipalities):
    if office.kind == OfficeKind.MUNICIPAL and not municipalities:
        raise ValidationError(
            {"municipalities": _("A coordination office serves at least one municipality.")}
        )


@transaction.atomic
def update_office(user, office: Office, data: dict) -> dict:
    """Save the changed fields of an office (and its municipalities); saving confirms it.

    ``data["municipalities"]``, when given, is the choice among the municipalities the user
    coordinates; see :func:`served_municipalities`.
    """
    office = lifecycle.locked(office)
    require("directory.office.edit", user, office)
    diff = apply_changes(office, data, OFFICE_FIELDS)
    if "municipalities" in data:
        old = set(office.municipalities.all())
        new = served_municipalities(user, office, data["municipalities"])
        if new != old:
            _require_municipality(office, new)
            diff["municipalities"] = [plain(old), plain(new)]
            office.municipalities.set(new)
    office.verified_at, office.verified_by = timezone.now(), user
    office.full_clean()
    office.save()
    audit.record(office, "update" if diff else "verify", actor=user, changes=diff)
    return diff


def office_districts(user):
    """Districts in which ``user`` may create offices."""
    return District.objects.coordinated_by(user).order_by("name")


@transaction.atomic
def create_office(user, district: District, data: dict) -> Office:
    """Create an office of ``district``: a municipal coordinator for their municipalities, a
    district coordinator (or administrator) also the district's own offices."""
    require("directory.office.create", user, district)
    kind = data.get("kind") or OfficeKind.MUNICIPAL
    if kind == OfficeKind.DISTRICT:
        require("directory.office.create_district", user, district)
    office = Office(district=district, kind=kind, slug=office_slug(data.get("name", "")))
    apply_changes(office, data, OFFICE_FIELDS)
    chosen = set(data.get("municipalities") or [])
    if chosen - municipalities_in_scope(user, district):
        raise PermissionDenied
    _require_municipality(office, chosen)
    office.verified_at, office.verified_by = timezone.now(), user
    office.full_clean()
    office.save()
    office.municipalities.set(chosen)
    changes = created_changes(office, OFFICE_FIELDS)
    changes["kind"] = ["", office.kind]
    if chosen:
        changes["municipalities"] = [[], plain(chosen)]
    audit.record(office, "create", actor=user, changes=changes)
    return office


@transaction.atomic
def save_contact(user, office: Office, data: dict, contact: ContactPerson | None = None):
    require("directory.office.edit", user, office)
    created = contact is None
    if created:
        contact = ContactPerson(office=office)
    elif contact.office_id != office.pk:
        raise PermissionDenied
    was_consenting = contact.consent_given and not created
    diff = apply_changes(contact, data, CONTACT_FIELDS)
    if contact.consent_given and (not was_consenting or contact.consent_date is None):
        contact.consent_date = data.get("consent_date") or timezone.localdate()
    if not contact.consent_given:
        contact.consent_date = None
    contact.full_clean()
    contact.save()
    record_contact(
        user,
        office,
        contact,
        "update",
        created_changes(contact, CONTACT_FIELDS) if created else diff,
    )
    return contact


@transaction.atomic
def delete_contact(user, contact: ContactPerson):
    office = contact.office
    require("directory.office.edit", user, office)
    forget_people(office, [contact])
    audit.record(office, "update", actor=user, changes={f"contact #{contact.pk}": "deleted"})
    contact.delete()


def office_slug(name: str) -> str:
    return unique_slug(Office.objects, name, fallback="office", max_length=180)
