"""Directory workflows: search, edit, confirm, history, import and the reminder.

Every change goes through here so that it is checked against the rules and written to the
history (:mod:`hilfenetz.core.audit`).
"""

import contextlib
import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hilfenetz.accounts.models import CoordinatorRole, Organisation
from hilfenetz.core import audit
from hilfenetz.core.audit import define_actions
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.models import AuditEntry, Topic
from hilfenetz.core.predicates import allowed
from hilfenetz.directory.models import (
    CompetenceTeam,
    ContactPerson,
    Office,
    OfficeKind,
    OrganisationProfile,
    TeamMember,
)
from hilfenetz.regions.models import District, Municipality
from hilfenetz.regions.scoping import coordinator_scope

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


def _created(obj, fields) -> dict:
    return {name: ["", _plain(getattr(obj, name))] for name in fields if getattr(obj, name)}


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


def _record_contact(user, office, contact, action, change: dict) -> None:
    _record_person(
        user, office, action, "contact", contact, change, CONTACT_PERSONAL, contact.is_public
    )


def _record_member(user, team, member, change: dict) -> None:
    _record_person(
        user, team, "update", "member", member, change, MEMBER_PERSONAL, member.consent_given
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
    return AuditEntry.objects.for_object(obj)


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


def _municipalities_in_scope(user, district) -> set:
    """The municipalities of ``district`` that ``user`` may add to or remove from an office."""
    return set(Municipality.objects.coordinated_by(user).filter(district=district))


def served_municipalities(user, office: Office, chosen) -> set:
    """The municipalities ``office`` serves after ``user`` chose ``chosen`` among theirs.

    Only municipalities in the user's scope can be added or removed; the ones the office
    serves outside it stay untouched (a coordinator cannot take a shared office away from
    their neighbour). Choosing a municipality outside the scope is refused.
    """
    in_scope = _municipalities_in_scope(user, office.district)
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
    office = Office.objects.select_for_update().get(pk=office.pk)
    _check("directory.office.edit", user, office)
    diff = _apply(office, data, OFFICE_FIELDS)
    if "municipalities" in data:
        old = set(office.municipalities.all())
        new = served_municipalities(user, office, data["municipalities"])
        if new != old:
            _require_municipality(office, new)
            diff["municipalities"] = [_plain(old), _plain(new)]
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
    _check("directory.office.create", user, district)
    kind = data.get("kind") or OfficeKind.MUNICIPAL
    if kind == OfficeKind.DISTRICT:
        _check("directory.office.create_district", user, district)
    office = Office(district=district, kind=kind, slug=_unique_slug(data.get("name", "")))
    _apply(office, data, OFFICE_FIELDS)
    chosen = set(data.get("municipalities") or [])
    if chosen - _municipalities_in_scope(user, district):
        raise PermissionDenied
    _require_municipality(office, chosen)
    office.verified_at, office.verified_by = timezone.now(), user
    office.full_clean()
    office.save()
    office.municipalities.set(chosen)
    changes = {name: ["", getattr(office, name)] for name in OFFICE_FIELDS if getattr(office, name)}
    changes["kind"] = ["", office.kind]
    if chosen:
        changes["municipalities"] = [[], _plain(chosen)]
    audit.record(office, "create", actor=user, changes=changes)
    return office


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
    audit.record(obj, "verify", actor=user)
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
    _record_contact(
        user, office, contact, "update", _created(contact, CONTACT_FIELDS) if created else diff
    )
    return contact


@transaction.atomic
def delete_contact(user, contact: ContactPerson):
    office = contact.office
    _check("directory.office.edit", user, office)
    forget_people(office, [contact])
    audit.record(office, "update", actor=user, changes={f"contact #{contact.pk}": "deleted"})
    contact.delete()


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
    audit.record(profile, "create" if created else "update", actor=user, changes=diff)
    return profile


TEAM_FIELDS = ["description", "email"]
MEMBER_FIELDS = ["name", "affiliation", "consent_given"]


@transaction.atomic
def update_team(user, team: CompetenceTeam, data: dict) -> dict:
    """Save a competence team's description and e-mail address; saving confirms it."""
    team = CompetenceTeam.objects.select_for_update().get(pk=team.pk)
    _check("directory.team.edit", user, team)
    diff = _apply(team, data, TEAM_FIELDS)
    team.verified_at, team.verified_by = timezone.now(), user
    team.full_clean()
    team.save()
    audit.record(team, "update" if diff else "verify", actor=user, changes=diff)
    return diff


@transaction.atomic
def save_member(user, team: CompetenceTeam, data: dict, member: TeamMember | None = None):
    """Add a member to a team or change one; the member is listed publicly only with consent."""
    _check("directory.team.edit", user, team)
    created = member is None
    if created:
        member = TeamMember(team=team)
    elif member.team_id != team.pk:
        raise PermissionDenied
    diff = _apply(member, data, MEMBER_FIELDS)
    member.full_clean()
    member.save()
    _record_member(user, team, member, _created(member, MEMBER_FIELDS) if created else diff)
    return member


@transaction.atomic
def delete_member(user, member: TeamMember):
    team = member.team
    _check("directory.team.edit", user, team)
    forget_people(team, [member])
    audit.record(team, "update", actor=user, changes={f"member #{member.pk}": "deleted"})
    member.delete()


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
        context = {
            "user": user,
            "offices": list(entries["offices"]),
            "organisations": [p.organisation for p in entries["profiles"]]
            + list(entries["unprofiled"]),
            "teams": list(entries["teams"]),
        }
        if not (context["offices"] or context["organisations"] or context["teams"]):
            continue
        queue_mail(
            f"directory.reminder:{user.pk}:{window}", user, "directory/mail/reminder", context
        )
        sent += 1
    return sent


# --- import -----------------------------------------------------------------------------------

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
            row.errors.append(_("“%(v)s” is not an e-mail address.") % {"v": data["email"]})
    if data.get("website"):
        try:
            url_ok(data["website"])
        except ValidationError:
            row.errors.append(_("“%(v)s” is not a web address.") % {"v": data["website"]})
    for name in names:
        limit = model._meta.get_field(name).max_length
        value = data.get(name, "")
        if limit and isinstance(value, str) and len(value) > limit:
            row.errors.append(_("“%(f)s” is too long.") % {"f": name})


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
    in_scope = _municipalities_in_scope(user, district)
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
                    row.errors.append(_("Unknown municipality “%(m)s”.") % {"m": key})
                elif m not in in_scope and (row.office is None or m not in row.office_served):
                    row.errors.append(
                        _("You do not coordinate the municipality “%(m)s”.") % {"m": m.name}
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
        _("“%(v)s” in column “%(c)s” is neither yes nor no.") % {"v": raw[column], "c": column}
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


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "office"
    slug, n = base, 2
    while Office.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


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
            office = Office(district=district, slug=_unique_slug(row.data["name"]))
            _apply(office, row.data, OFFICE_FIELDS)
            office.verified_at, office.verified_by = now, user
            office.full_clean()
            office.save()
            office.municipalities.set(row.data["municipalities"])
            audit.record(office, "import", actor=user, changes=row.changes)
            continue
        office = Office.objects.select_for_update().get(pk=row.office.pk)
        _check("directory.office.edit", user, office)
        _apply(office, row.data, OFFICE_FIELDS)
        if "municipalities" in row.changes:
            office.municipalities.set(row.data["municipalities"])
        office.verified_at, office.verified_by = now, user
        office.full_clean()
        office.save()
        audit.record(office, "import", actor=user, changes=row.changes)


def _apply_contacts(user, plan):
    today = timezone.localdate()
    for row in plan.rows:
        office = Office.objects.select_for_update().get(pk=row.office.pk)
        _check("directory.office.edit", user, office)
        if row.contact is None:
            contact = ContactPerson(office=office)
        else:
            contact = ContactPerson.objects.select_for_update().get(pk=row.contact.pk)
            if not row.changes:
                continue
        was_consenting = contact.pk is not None and contact.consent_given
        _apply(contact, row.data, CONTACT_FIELDS)
        if contact.consent_given and (not was_consenting or contact.consent_date is None):
            contact.consent_date = today
        if not contact.consent_given:
            contact.consent_date = None
        contact.full_clean()
        contact.save()
        change = _created(contact, CONTACT_FIELDS) if row.contact is None else row.changes
        _record_contact(user, office, contact, "import", change)


def import_districts(user):
    """The districts ``user`` may import into: administrators choose among all of them,
    coordinators are fixed to the one they coordinate."""
    districts = District.objects.coordinated_by(user).order_by("pk")
    if coordinator_scope(user).everything:
        return list(districts.order_by("name"))
    first = districts.first()
    return [first] if first else []


def import_district(user) -> District | None:
    """The district an import of ``user`` goes to when they do not choose one."""
    districts = import_districts(user)
    return districts[0] if districts else None


def export_signature() -> str:
    """Changes whenever anything in the published list may have changed (edits and contact
    changes all leave a history entry), so generated exports can be cached until then."""
    offices = Office.objects.aggregate(n=models.Count("pk"), latest=models.Max("updated_at"))
    contacts = ContactPerson.objects.aggregate(n=models.Count("pk"), top=models.Max("pk"))
    last_change = AuditEntry.objects.aggregate(top=models.Max("pk"))["top"]
    raw = f"{offices['n']}:{offices['latest']}:{contacts['n']}:{contacts['top']}:{last_change}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def data_date():
    """When the published list last changed or was last confirmed."""
    latest = Office.objects.active().order_by("-updated_at").values_list("updated_at", flat=True)
    value = latest.first()
    return timezone.localdate(value) if value else timezone.localdate()
