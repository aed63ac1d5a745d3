"""Directory workflows: search, edit, confirm, history, import and the reminder.

Every change goes through here so that it is checked against the rules and written to the
history (:class:`~hilfenetz.directory.models.Change`).
"""

import contextlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import CoordinatorRole, Organisation
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed
from hilfenetz.directory.models import (
    Change,
    CompetenceTeam,
    ContactPerson,
    Office,
    OrganisationProfile,
    Topic,
)
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


# --- history ----------------------------------------------------------------------------------


def _plain(value):
    if hasattr(value, "all"):
        return sorted(str(v) for v in value.all())
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def record(user, obj, action: str, changes: dict | None = None) -> Change:
    from django.contrib.contenttypes.models import ContentType

    return Change.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        changes=changes or {},
    )


def _apply(obj, data: dict, fields: list[str]) -> dict:
    """Set ``fields`` from ``data`` on ``obj``; return ``{field: [old, new]}`` of what changed."""
    diff = {}
    for name in fields:
        if name not in data:
            continue
        old, new = getattr(obj, name), data[name]
        if isinstance(new, str):
            new = new.strip()
        if old != new:
            diff[name] = [_plain(old), _plain(new)]
            setattr(obj, name, new)
    return diff


def history(obj):
    return Change.objects.for_object(obj).select_related("user")


# --- search -----------------------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    municipality: Municipality | None = None
    area: object = None
    topic: Topic | None = None
    kind: str = ""


def search_offices(filters: Filters):
    qs = Office.objects.active().with_details()
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(city__icontains=filters.q)
            | Q(municipalities__name__icontains=filters.q)
            | Q(languages__icontains=filters.q)
        )
    if filters.municipality:
        qs = qs.filter(municipalities=filters.municipality)
    if filters.area:
        qs = qs.filter(municipalities__area=filters.area)
    if filters.q or filters.area:
        qs = qs.distinct()
    return qs.order_by("kind", "name")


def search_organisations(filters: Filters):
    qs = (
        Organisation.objects.active()
        .select_related("municipality", "directory_profile")
        .prefetch_related("directory_profile__topics")
    )
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(directory_profile__topics__name__icontains=filters.q)
        ).distinct()
    if filters.municipality:
        qs = qs.filter(municipality=filters.municipality)
    if filters.area:
        qs = qs.filter(municipality__area=filters.area)
    if filters.topic:
        qs = qs.filter(directory_profile__topics=filters.topic)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("name")


def offices_for_municipality(municipality):
    """ "Who is my contact for municipality X?": its offices, then the district's own."""
    local = list(search_offices(Filters(municipality=municipality)))
    district = list(
        Office.objects.active()
        .with_details()
        .filter(district_id=municipality.district_id, kind="district")
    )
    return local, district


# --- offices and contacts ---------------------------------------------------------------------


def _check(rule_name, user, obj):
    if not allowed(rule_name, user, obj):
        raise PermissionDenied


@transaction.atomic
def update_office(user, office: Office, data: dict) -> dict:
    """Save the changed fields of an office (and its municipalities); saving confirms it."""
    office = Office.objects.select_for_update().get(pk=office.pk)
    _check("directory.office.edit", user, office)
    diff = _apply(office, data, OFFICE_FIELDS)
    if "municipalities" in data:
        new = set(data["municipalities"])
        old = set(office.municipalities.all())
        if new != old:
            _check_municipalities(user, office.district, new)
            diff["municipalities"] = [_plain(old), _plain(new)]
            office.municipalities.set(new)
    office.verified_at, office.verified_by = timezone.now(), user
    office.full_clean()
    office.save()
    record(user, office, Change.Action.UPDATE if diff else Change.Action.VERIFY, diff)
    return diff


def _check_municipalities(user, district, municipalities):
    allowed_ids = set(Municipality.objects.coordinated_by(user).values_list("pk", flat=True))
    for municipality in municipalities:
        if municipality.pk not in allowed_ids or municipality.district_id != district.pk:
            raise PermissionDenied


@transaction.atomic
def verify(user, obj):
    """Confirm that an office, organisation profile or competence team is current."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    rule_name = {
        Office: "directory.office.edit",
        OrganisationProfile: "directory.organisation.edit",
        CompetenceTeam: "directory.team.edit",
    }[type(obj)]
    _check(rule_name, user, obj)
    obj.verified_at, obj.verified_by = timezone.now(), user
    obj.save(update_fields=["verified_at", "verified_by", "updated_at"])
    record(user, obj, Change.Action.VERIFY)
    return obj


@transaction.atomic
def save_contact(user, office: Office, data: dict, contact: ContactPerson | None = None):
    _check("directory.office.edit", user, office)
    created = contact is None
    if created:
        contact = ContactPerson(office=office)
    elif contact.office_id != office.pk:
        raise PermissionDenied
    was_consenting = contact.consent_given and not created
    diff = _apply(contact, data, CONTACT_FIELDS)
    if contact.consent_given and (not was_consenting or contact.consent_date is None):
        contact.consent_date = data.get("consent_date") or timezone.localdate()
    if not contact.consent_given:
        contact.consent_date = None
    contact.full_clean()
    contact.save()
    record(
        user,
        office,
        Change.Action.UPDATE,
        {f"contact {contact.name}": "created" if created else diff},
    )
    return contact


@transaction.atomic
def delete_contact(user, contact: ContactPerson):
    office = contact.office
    _check("directory.office.edit", user, office)
    name = contact.name
    contact.delete()
    record(user, office, Change.Action.UPDATE, {f"contact {name}": "deleted"})


# --- organisations and teams ------------------------------------------------------------------


def profile_for(organisation: Organisation) -> OrganisationProfile:
    try:
        return organisation.directory_profile
    except OrganisationProfile.DoesNotExist:
        return OrganisationProfile(organisation=organisation)


@transaction.atomic
def update_profile(user, organisation: Organisation, *, phone: str, how_to_reach: str, topics):
    profile = profile_for(organisation)
    _check("directory.organisation.edit", user, profile)
    created = profile.pk is None
    diff = _apply(
        profile, {"phone": phone, "how_to_reach": how_to_reach}, ["phone", "how_to_reach"]
    )
    profile.verified_at, profile.verified_by = timezone.now(), user
    profile.save()
    old = set() if created else set(profile.topics.all())
    if set(topics) != old:
        diff["topics"] = [_plain(old), _plain(topics)]
        profile.topics.set(topics)
    record(user, profile, Change.Action.CREATE if created else Change.Action.UPDATE, diff)
    return profile


# --- freshness --------------------------------------------------------------------------------


def overdue_entries(user, now=None) -> dict:
    """Entries in the user's scope that were not confirmed within their district's interval."""
    offices = (
        Office.objects.active()
        .coordinated_by(user)
        .overdue(now)
        .select_related("district", "verified_by")
        .prefetch_related("municipalities")
        .order_by("verified_at", "name")
    )
    profiles = (
        OrganisationProfile.objects.coordinated_by(user)
        .overdue(now)
        .select_related("organisation", "organisation__municipality", "verified_by")
        .order_by("verified_at")
    )
    never = Organisation.objects.active().coordinated_by(user).filter(directory_profile=None)
    teams = (
        CompetenceTeam.objects.coordinated_by(user)
        .overdue(now)
        .select_related("verified_by")
        .order_by("verified_at")
    )
    return {
        "offices": offices,
        "profiles": profiles,
        "unprofiled": never.select_related("municipality").order_by("name"),
        "teams": teams,
    }


REMINDER_REPEAT_DAYS = 14


def remind_coordinators(today: date | None = None) -> int:
    """Mail every coordinator with overdue entries at most once per reminder window."""
    today = today or timezone.localdate()
    window = today.toordinal() // REMINDER_REPEAT_DAYS
    sent = 0
    coordinators = {
        role.user
        for role in CoordinatorRole.objects.select_related("user").filter(user__is_active=True)
    }
    for user in sorted(coordinators, key=lambda u: u.pk):
        entries = overdue_entries(user)
        offices = list(entries["offices"])
        teams = list(entries["teams"])
        if not offices and not teams:
            continue
        queue_mail(
            f"directory.reminder:{user.pk}:{window}",
            user,
            "directory/mail/reminder",
            {"user": user, "offices": offices, "teams": teams},
        )
        sent += 1
    return sent


# --- import -----------------------------------------------------------------------------------

IMPORT_COLUMNS = ["id", "name", "municipalities", *OFFICE_FIELDS[1:]]
MAX_IMPORT_ROWS = 1000


@dataclass
class ImportRow:
    line: int
    raw: dict
    office: Office | None = None
    data: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def is_new(self):
        return self.office is None


@dataclass
class ImportPlan:
    rows: list[ImportRow]
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors and all(not r.errors for r in self.rows)

    @property
    def changed_rows(self):
        return [r for r in self.rows if r.is_new or r.changes]


def read_table(uploaded) -> list[dict]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX upload as dicts of strings."""
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
    header = [h.strip().lower() for h in values[0]]
    if "name" not in header:
        raise ValidationError(_("The first row must name the columns, at least “name”."))
    if len(values) - 1 > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("At most %(n)d rows can be imported at once.") % {"n": MAX_IMPORT_ROWS}
        )
    return [
        {
            col: (row[i] if i < len(row) else "")
            for i, col in enumerate(header)
            if col in IMPORT_COLUMNS
        }
        for row in values[1:]
    ]


def plan_import(user, district: District, raw_rows: list[dict]) -> ImportPlan:
    """Check every row against the rules and the user's scope; nothing is written."""
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
    in_scope = set(Municipality.objects.coordinated_by(user).values_list("pk", flat=True))
    seen_ids = set()
    rows = []
    email_ok, url_ok = EmailValidator(), URLValidator()
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
        if data.get("email"):
            try:
                email_ok(data["email"])
            except ValidationError:
                row.errors.append(_("“%(v)s” is not an e-mail address.") % {"v": data["email"]})
        if data.get("website"):
            try:
                url_ok(data["website"])
            except ValidationError:
                row.errors.append(_("“%(v)s” is not a web address.") % {"v": data["website"]})
        for name in OFFICE_FIELDS:
            limit = Office._meta.get_field(name).max_length
            if limit and len(data.get(name, "")) > limit:
                row.errors.append(_("“%(f)s” is too long.") % {"f": name})
        if "municipalities" in raw and raw["municipalities"].strip():
            chosen = []
            for part in raw["municipalities"].split(";"):
                key = part.strip()
                m = municipalities.get(key.lower()) or municipalities.get(slugify(key))
                if m is None:
                    row.errors.append(_("Unknown municipality “%(m)s”.") % {"m": key})
                elif m.pk not in in_scope:
                    row.errors.append(
                        _("You do not coordinate the municipality “%(m)s”.") % {"m": m.name}
                    )
                else:
                    chosen.append(m)
            data["municipalities"] = chosen
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
                old = {m.name for m in row.office.municipalities.all()}
                new = {m.name for m in data["municipalities"]}
                if old != new:
                    row.changes["municipalities"] = [sorted(old), sorted(new)]
        else:
            row.changes = {
                k: ["", ", ".join(m.name for m in v) if k == "municipalities" else v]
                for k, v in data.items()
                if v
            }
    return ImportPlan(rows=rows)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "office"
    slug, n = base, 2
    while Office.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def apply_import(user, district: District, raw_rows: list[dict]) -> ImportPlan:
    """Apply exactly the previewed rows in one transaction; refuse if any row is invalid."""
    if not allowed("directory.import", user):
        raise PermissionDenied
    plan = plan_import(user, district, raw_rows)
    if not plan.is_valid:
        raise ValidationError(_("The file has errors; nothing was changed."))
    now = timezone.now()
    for row in plan.rows:
        if row.office is None:
            office = Office(district=district, slug=_unique_slug(row.data["name"]))
            _apply(office, row.data, OFFICE_FIELDS)
            office.verified_at, office.verified_by = now, user
            office.full_clean()
            office.save()
            office.municipalities.set(row.data["municipalities"])
            record(user, office, Change.Action.IMPORT, row.changes)
            continue
        office = Office.objects.select_for_update().get(pk=row.office.pk)
        _apply(office, row.data, OFFICE_FIELDS)
        if "municipalities" in row.changes:
            office.municipalities.set(row.data["municipalities"])
        office.verified_at, office.verified_by = now, user
        office.full_clean()
        office.save()
        record(user, office, Change.Action.IMPORT, row.changes)
    return plan


def import_district(user) -> District | None:
    """The district an import of ``user`` goes to (the one they coordinate)."""
    return District.objects.coordinated_by(user).order_by("pk").first()


def data_date():
    """When the published list last changed or was last confirmed."""
    latest = Office.objects.active().order_by("-updated_at").values_list("updated_at", flat=True)
    value = latest.first()
    return timezone.localdate(value) if value else timezone.localdate()
