"""Importing offices and contact persons from CSV or XLSX: plan (nothing written), then
apply exactly the previewed rows. Organisations: :mod:`.organisation_import`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hilfenetz.core import audit, lifecycle
from hilfenetz.core.i18n import isolate
from hilfenetz.core.predicates import require
from hilfenetz.directory.models import ContactPerson, Office
from hilfenetz.directory.services.editing import apply_changes
from hilfenetz.directory.services.history import created_changes, record_contact
from hilfenetz.directory.services.offices import (
    CONTACT_FIELDS,
    OFFICE_FIELDS,
    municipalities_in_scope,
    office_slug,
)
from hilfenetz.directory.services.organisation_import import (
    Duplicates,
    plan_organisation_import,
)
from hilfenetz.directory.services.tables import (
    ImportKind,
    ImportPlan,
    ImportRow,
    check_values,
    flag,
    require_import,
)
from hilfenetz.regions.models import District, Municipality


def plan_import(user, district: District, raw_rows: list[dict]) -> ImportPlan:
    """Check every office row against the rules and the user's scope; nothing is written."""
    editable = {
        o.pk: o
        for o in Office.objects.coordinated_by(user)
        .filter(district=district)
        .prefetch_related("municipalities")
    }
    municipalities = {}
    for m in Municipality.objects.filter(district=district):
        municipalities[m.name.lower()] = m
        municipalities[m.slug] = m
    in_scope = municipalities_in_scope(user, district)
    seen_ids = set()
    rows = []
    for index, raw in enumerate(raw_rows, start=2):
        row = ImportRow(line=index, raw=raw)
        rows.append(row)
        office_id = (raw.get("id") or "").strip()
        if office_id:
            if not office_id.isdigit() or int(office_id) not in editable:
                row.errors.append(
                    _("No office with id %(id)s that you may edit.") % {"id": office_id}
                )
                continue
            if office_id in seen_ids:
                row.errors.append(_("The office %(id)s appears twice.") % {"id": office_id})
            seen_ids.add(office_id)
            row.office = editable[int(office_id)]
        data = {k: raw[k].strip() for k in OFFICE_FIELDS if k in raw}
        if not data.get("name", "x" if row.office else ""):
            row.errors.append(_("The name is missing."))
        check_values(row, data, Office, OFFICE_FIELDS)
        if "municipalities" in raw and raw["municipalities"].strip():
            chosen = set()
            for part in raw["municipalities"].split(";"):
                key = part.strip()
                m = municipalities.get(key.lower()) or municipalities.get(slugify(key))
                if m is None:
                    row.errors.append(_("Unknown municipality “%(m)s”.") % {"m": isolate(key)})
                elif m not in in_scope and (row.office is None or m not in row.office_served):
                    row.errors.append(
                        _("You do not coordinate the municipality “%(m)s”.")
                        % {"m": isolate(m.name)}
                    )
                else:
                    chosen.add(m)
            # Municipalities outside the importer's scope stay as they are.
            kept = (row.office_served - in_scope) if row.office else set()
            data["municipalities"] = (chosen & in_scope) | kept
        elif row.office is None:
            row.errors.append(_("A new office needs at least one municipality."))
        row.data = data
        if row.errors:
            continue
        if row.office:
            for name in OFFICE_FIELDS:
                if name in data and getattr(row.office, name) != data[name]:
                    row.changes[name] = [getattr(row.office, name), data[name]]
            if "municipalities" in data:
                old = {m.name for m in row.office_served}
                new = {m.name for m in data["municipalities"]}
                if old != new:
                    row.changes["municipalities"] = [sorted(old), sorted(new)]
        else:
            row.changes = {
                k: ["", ", ".join(sorted(m.name for m in v)) if k == "municipalities" else v]
                for k, v in data.items()
                if v
            }
    return ImportPlan(rows=rows, kind=ImportKind.OFFICES)


def plan_contact_import(user, district: District, raw_rows: list[dict]) -> ImportPlan:
    """Check every contact person row (office id, name, function, phone, e-mail, official
    function, consent) against the rules and the user's scope; nothing is written."""
    editable = {o.pk: o for o in Office.objects.coordinated_by(user).filter(district=district)}
    contacts = {
        c.pk: c
        for c in ContactPerson.objects.filter(office_id__in=editable).select_related("office")
    }
    seen_ids = set()
    rows = []
    for index, raw in enumerate(raw_rows, start=2):
        row = ImportRow(line=index, raw=raw, kind=ImportKind.CONTACTS)
        rows.append(row)
        contact_id = (raw.get("id") or "").strip()
        office_id = (raw.get("office") or "").strip()
        if contact_id:
            if not contact_id.isdigit() or int(contact_id) not in contacts:
                row.errors.append(
                    _("No contact person with id %(id)s that you may edit.") % {"id": contact_id}
                )
                continue
            if contact_id in seen_ids:
                row.errors.append(
                    _("The contact person %(id)s appears twice.") % {"id": contact_id}
                )
            seen_ids.add(contact_id)
            row.contact = contacts[int(contact_id)]
            row.office = row.contact.office
        if office_id:
            if not office_id.isdigit() or int(office_id) not in editable:
                row.errors.append(
                    _("No office with id %(id)s that you may edit.") % {"id": office_id}
                )
                continue
            if row.contact and row.contact.office_id != int(office_id):
                row.errors.append(
                    _("The contact person %(id)s belongs to another office.") % {"id": contact_id}
                )
            row.office = editable[int(office_id)]
        elif row.contact is None:
            row.errors.append(_("The office id is missing."))
        data = {k: raw[k].strip() for k in ("name", "function", "phone", "email") if k in raw}
        if not data.get("name", "x" if row.contact else ""):
            row.errors.append(_("The name is missing."))
        current = row.contact or ContactPerson()
        data["is_official_function"] = flag(row, raw, "official", current.is_official_function)
        data["consent_given"] = flag(row, raw, "consent", current.consent_given)
        check_values(row, data, ContactPerson, ["name", "function", "phone", "email"])
        row.data = data
        if row.errors:
            continue
        fields = ["name", "function", "phone", "email", "is_official_function", "consent_given"]
        for name in fields:
            old = getattr(row.contact, name) if row.contact else ""
            if name in data and (row.contact is None or old != data[name]):
                if row.contact is None and data[name] in ("", False):
                    continue
                row.changes[name] = [old, data[name]]
    return ImportPlan(rows=rows, kind=ImportKind.CONTACTS)


def plan_for(
    user, district: District, raw_rows: list[dict], kind: str, duplicates=Duplicates.UPDATE
) -> ImportPlan:
    if kind == ImportKind.ORGANISATIONS:
        return plan_organisation_import(user, district, raw_rows, duplicates)
    planner = plan_contact_import if kind == ImportKind.CONTACTS else plan_import
    return planner(user, district, raw_rows)


@transaction.atomic
def apply_import(
    user, district: District, raw_rows: list[dict], kind: str = ImportKind.OFFICES
) -> ImportPlan:
    """Apply exactly the previewed rows in one transaction; refuse if any row is invalid."""
    require_import(user, district)
    plan = plan_for(user, district, raw_rows, kind)
    if not plan.is_valid:
        raise ValidationError(_("The file has errors; nothing was changed."))
    if kind == ImportKind.CONTACTS:
        _apply_contacts(user, plan)
    else:
        _apply_offices(user, district, plan)
    return plan


def _apply_offices(user, district, plan):
    now = timezone.now()
    for row in plan.rows:
        if row.office is None:
            office = Office(district=district, slug=office_slug(row.data["name"]))
            apply_changes(office, row.data, OFFICE_FIELDS)
            office.verified_at, office.verified_by = now, user
            office.full_clean()
            office.save()
            office.municipalities.set(row.data["municipalities"])
            audit.record(office, "import", actor=user, changes=row.changes)
            continue
        office = lifecycle.locked(row.office)
        require("directory.office.edit", user, office)
        apply_changes(office, row.data, OFFICE_FIELDS)
        if "municipalities" in row.changes:
            office.municipalities.set(row.data["municipalities"])
        office.verified_at, office.verified_by = now, user
        office.full_clean()
        office.save()
        audit.record(office, "import", actor=user, changes=row.changes)


def _apply_contacts(user, plan):
    today = timezone.localdate()
    for row in plan.rows:
        office = lifecycle.locked(row.office)
        require("directory.office.edit", user, office)
        if row.contact is None:
            contact = ContactPerson(office=office)
        else:
            contact = lifecycle.locked(row.contact)
            if not row.changes:
                continue
        was_consenting = contact.pk is not None and contact.consent_given
        apply_changes(contact, row.data, CONTACT_FIELDS)
        if contact.consent_given and (not was_consenting or contact.consent_date is None):
            contact.consent_date = today
        if not contact.consent_given:
            contact.consent_date = None
        contact.full_clean()
        contact.save()
        change = created_changes(contact, CONTACT_FIELDS) if row.contact is None else row.changes
        record_contact(user, office, contact, "import", change)
