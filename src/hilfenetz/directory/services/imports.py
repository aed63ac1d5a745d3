"""Importing offices and contact persons from CSV or XLSX: plan (nothing written), then
apply exactly the previewed rows."""

import contextlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hilfenetz.core import audit, lifecycle
from hilfenetz.core.i18n import isolate, isolate_ltr
from hilfenetz.core.middleware import unstorable
from hilfenetz.core.predicates import allowed, require
from hilfenetz.core.roles import is_administrator
from hilfenetz.directory.models import ContactPerson, Office
from hilfenetz.directory.services.editing import apply_changes
from hilfenetz.directory.services.history import created_changes, record_contact
from hilfenetz.directory.services.offices import (
    CONTACT_FIELDS,
    OFFICE_FIELDS,
    municipalities_in_scope,
    office_slug,
)
from hilfenetz.regions.models import District, Municipality

IMPORT_COLUMNS = ["id", "name", "municipalities", *OFFICE_FIELDS[1:]]

CONTACT_IMPORT_COLUMNS = [
    "id",
    "office",
    "name",
    "function",
    "phone",
    "email",
    "official",
    "consent",
]


MAX_IMPORT_ROWS = 1000


class ImportKind:
    OFFICES = "offices"
    CONTACTS = "contacts"
    COLUMNS = {OFFICES: IMPORT_COLUMNS, CONTACTS: CONTACT_IMPORT_COLUMNS}


@dataclass
class ImportRow:
    line: int
    raw: dict
    kind: str = ImportKind.OFFICES
    office: Office | None = None
    contact: ContactPerson | None = None
    data: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def is_new(self):
        return (self.contact if self.kind == ImportKind.CONTACTS else self.office) is None

    @property
    def office_served(self) -> set:
        return set(self.office.municipalities.all()) if self.office else set()


@dataclass
class ImportPlan:
    rows: list[ImportRow]
    kind: str = ImportKind.OFFICES
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors and all(not r.errors for r in self.rows)

    @property
    def changed_rows(self):
        return [r for r in self.rows if r.is_new or r.changes]


def read_table(uploaded, kind: str = ImportKind.OFFICES) -> list[dict]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX upload as dicts of strings."""
    columns = ImportKind.COLUMNS[kind]
    name = (getattr(uploaded, "name", "") or "").lower()
    content = uploaded.read()
    if name.endswith(".xlsx"):
        import io

        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # noqa: BLE001 - any broken file is the user's error
            raise ValidationError(_("The file is not a readable XLSX file.")) from exc
        values = [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        import csv
        import io

        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The CSV file must be encoded as UTF-8.")) from exc
        dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;")
        values = [[v.strip() for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    values = [row for row in values if any(row)]
    if not values:
        raise ValidationError(_("The file is empty."))
    for number, row in enumerate(values, start=1):
        if unstorable(row):
            raise ValidationError(
                _(
                    "Row %(n)d contains characters that cannot be stored (a NUL byte). Please "
                    "remove them and upload the file again."
                )
                % {"n": number}
            )
    header = [h.strip().lower() for h in values[0]]
    if "name" not in header:
        raise ValidationError(_("The first row must name the columns, at least “name”."))
    if kind == ImportKind.CONTACTS and "office" not in header and "id" not in header:
        raise ValidationError(_("The first row must name the columns “office” or “id”."))
    if len(values) - 1 > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("At most %(n)d rows can be imported at once.") % {"n": MAX_IMPORT_ROWS}
        )
    rows = [
        {col: (row[i] if i < len(row) else "") for i, col in enumerate(header) if col in columns}
        for row in values[1:]
    ]
    return rows


def _check_text(row, data, model, names):
    email_ok, url_ok = EmailValidator(), URLValidator()
    if data.get("email"):
        try:
            email_ok(data["email"])
        except ValidationError:
            row.errors.append(
                _("“%(v)s” is not an e-mail address.") % {"v": isolate_ltr(data["email"])}
            )
    if data.get("website"):
        try:
            url_ok(data["website"])
        except ValidationError:
            row.errors.append(
                _("“%(v)s” is not a web address.") % {"v": isolate_ltr(data["website"])}
            )
    for name in names:
        limit = model._meta.get_field(name).max_length
        value = data.get(name, "")
        if limit and isinstance(value, str) and len(value) > limit:
            row.errors.append(_("“%(f)s” is too long.") % {"f": isolate(name)})


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
        _check_text(row, data, Office, OFFICE_FIELDS)
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


TRUE_WORDS = {"1", "x", "yes", "y", "true", "ja", "j", "wahr"}
FALSE_WORDS = {"", "0", "no", "n", "false", "nein", "falsch", "-"}


def _flag(row, raw, column, default):
    if column not in raw:
        return default
    value = raw[column].strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    row.errors.append(
        _("“%(v)s” in column “%(c)s” is neither yes nor no.")
        % {"v": isolate(raw[column]), "c": isolate(column)}
    )
    return default


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
        data["is_official_function"] = _flag(row, raw, "official", current.is_official_function)
        data["consent_given"] = _flag(row, raw, "consent", current.consent_given)
        _check_text(row, data, ContactPerson, ["name", "function", "phone", "email"])
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


def plan_for(user, district: District, raw_rows: list[dict], kind: str) -> ImportPlan:
    planner = plan_contact_import if kind == ImportKind.CONTACTS else plan_import
    return planner(user, district, raw_rows)


@transaction.atomic
def apply_import(
    user, district: District, raw_rows: list[dict], kind: str = ImportKind.OFFICES
) -> ImportPlan:
    """Apply exactly the previewed rows in one transaction; refuse if any row is invalid."""
    if not allowed("directory.import", user) or district not in import_districts(user):
        raise PermissionDenied
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


def import_districts(user):
    """The districts ``user`` may import into: administrators choose among all of them,
    coordinators are fixed to the one they coordinate."""
    districts = District.objects.coordinated_by(user).order_by("pk")
    if is_administrator(user):
        return list(districts.order_by("name"))
    first = districts.first()
    return [first] if first else []


def import_district(user) -> District | None:
    """The district an import of ``user`` goes to when they do not choose one."""
    districts = import_districts(user)
    return districts[0] if districts else None
