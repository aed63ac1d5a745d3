"""Importing organisations and working groups from a district's own lists: plan every row
(nothing written), apply the previewed rows in the background batch by batch, and undo exactly
what an import did."""

import contextlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hilfenetz.accounts.models import Organisation, OrganisationKind
from hilfenetz.core import audit
from hilfenetz.core.audit import define_actions
from hilfenetz.core.i18n import isolate
from hilfenetz.core.predicates import require
from hilfenetz.core.slugs import unique_slug
from hilfenetz.directory.models import ImportRun, ImportStatus, OrganisationProfile
from hilfenetz.directory.services.editing import apply_changes
from hilfenetz.directory.services.offices import municipalities_in_scope
from hilfenetz.directory.services.tables import (
    ImportKind,
    ImportPlan,
    ImportRow,
    check_values,
    flag,
    require_import,
)
from hilfenetz.directory.tasks import run_organisation_import
from hilfenetz.regions.models import District, Municipality

define_actions(undo_import=_lazy("import undone"))

ORGANISATION_FIELDS = ["name", "kind", "description", "has_speaker", "public_email", "website"]
PROFILE_FIELDS = ["phone", "how_to_reach"]
#: rows applied (and committed, with what undoes them) at a time
BATCH_SIZE = 50


class Duplicates:
    """What an import does with a row naming an organisation already listed (the same name in
    the same municipality)."""

    UPDATE = "update"
    SKIP = "skip"
    CHOICES = [(UPDATE, _lazy("Update it from the file")), (SKIP, _lazy("Leave it as it is"))]


def _kinds() -> dict:
    """Each kind by its code and by its name in German and in the reader's language."""
    kinds = {}
    for language in ("de", translation.get_language() or "de"):
        with translation.override(language):
            kinds |= {str(kind.label).lower(): kind.value for kind in OrganisationKind}
    return kinds | {kind.value: kind.value for kind in OrganisationKind}


def plan_organisation_import(
    user, district: District, raw_rows: list[dict], duplicates: str = Duplicates.UPDATE
) -> ImportPlan:
    """Check every organisation row against the rules and the user's scope (a row for a
    municipality they do not coordinate is an error) and find the organisations already listed
    under the same name in the same municipality; nothing is written."""
    municipalities = {}
    for m in Municipality.objects.filter(district=district):
        municipalities[m.name.lower()] = m
        municipalities[m.slug] = m
    in_scope = municipalities_in_scope(user, district)
    listed = {
        (o.name.lower(), o.municipality_id): o
        for o in Organisation.objects.filter(district=district, municipality__in=in_scope)
        .select_related("directory_profile")
        .order_by("pk")
    }
    kinds = _kinds()
    seen = set()
    rows = []
    for index, raw in enumerate(raw_rows, start=2):
        row = ImportRow(line=index, raw=raw, kind=ImportKind.ORGANISATIONS)
        rows.append(row)
        data = {k: raw[k].strip() for k in ORGANISATION_FIELDS + PROFILE_FIELDS if k in raw}
        if not data.get("name"):
            row.errors.append(_("The name is missing."))
        place = (raw.get("municipality") or "").strip()
        municipality = municipalities.get(place.lower()) or municipalities.get(slugify(place))
        if not place:
            row.errors.append(_("The municipality is missing."))
        elif municipality is None:
            row.errors.append(_("Unknown municipality “%(m)s”.") % {"m": isolate(place)})
        elif municipality not in in_scope:
            row.errors.append(
                _("You do not coordinate the municipality “%(m)s”.")
                % {"m": isolate(municipality.name)}
            )
        key = (data.get("name", "").lower(), municipality.pk if municipality else None)
        if data.get("name") and key in seen:
            row.errors.append(
                _("“%(name)s” in “%(m)s” appears twice.")
                % {"name": isolate(data["name"]), "m": isolate(place)}
            )
        seen.add(key)
        row.organisation = listed.get(key)
        if data.get("kind"):
            data["kind"] = kinds.get(data["kind"].lower(), data["kind"])
            if data["kind"] not in OrganisationKind.values:
                row.errors.append(_("Unknown kind “%(k)s”.") % {"k": isolate(raw["kind"])})
        elif row.organisation is None:
            data["kind"] = OrganisationKind.WORKING_GROUP
        else:
            data.pop("kind", None)  # an empty cell keeps the kind of one already listed
        current = row.organisation or Organisation()
        data["has_speaker"] = flag(row, raw, "has_speaker", current.has_speaker)
        check_values(row, data, Organisation, ORGANISATION_FIELDS)
        check_values(row, data, OrganisationProfile, PROFILE_FIELDS)
        data["municipality"] = municipality
        row.data = data
        if row.errors:
            continue
        if row.organisation is not None and duplicates == Duplicates.SKIP:
            row.skip = True
            continue
        row.changes = _changes(row.organisation, data)
    return ImportPlan(rows=rows, kind=ImportKind.ORGANISATIONS)


def organisation_sample(user, district: District) -> list[dict]:
    """Two example rows for the sample file, in a municipality the user may import for."""
    places = sorted(m.name for m in municipalities_in_scope(user, district))
    place = places[0] if places else ""
    return [
        {
            "name": "Helferkreis Asyl (Beispiel)",
            "municipality": place,
            "kind": OrganisationKind.WORKING_GROUP.value,
            "description": "Begleitung zu Ämtern, Sprachcafé, Fahrradwerkstatt",
            "has_speaker": "ja",
            "public_email": "helferkreis@example.org",
            "phone": "0711 555-0",
            "how_to_reach": "Jeden ersten Montag im Monat, 19 Uhr, im Gemeindehaus",
        },
        {
            "name": "Initiative Willkommen (Beispiel)",
            "municipality": place,
            "kind": OrganisationKind.INITIATIVE.value,
            "has_speaker": "nein",
            "website": "https://example.org",
        },
    ]


def _profile(organisation) -> OrganisationProfile | None:
    try:
        return organisation.directory_profile
    except OrganisationProfile.DoesNotExist:
        return None


def _changes(organisation, data) -> dict:
    """``{field: [old, new]}`` of what a row changes (everything it gives, for a new one)."""
    profile = _profile(organisation) if organisation else None
    changes = {}
    for names, entry in ((ORGANISATION_FIELDS, organisation), (PROFILE_FIELDS, profile)):
        for name in names:
            if name not in data:
                continue
            old = getattr(entry, name) if entry is not None else ""
            if organisation is None and data[name] in ("", False):
                continue
            if old != data[name]:
                changes[name] = [old, data[name]]
    return changes


@transaction.atomic
def start_organisation_import(
    user, district: District, raw_rows: list[dict], duplicates: str
) -> ImportRun:
    """Queue the import of the previewed rows; refuse if any row is invalid."""
    require_import(user, district)
    plan = plan_organisation_import(user, district, raw_rows, duplicates)
    if not plan.is_valid:
        raise ValidationError(_("The file has errors; nothing was changed."))
    run = ImportRun.objects.create(
        district=district,
        user=user,
        duplicates=duplicates,
        rows=raw_rows,
        total=len(raw_rows),
        status=ImportStatus.QUEUED,
    )
    transaction.on_commit(lambda: run_organisation_import.enqueue(run.pk))
    return run


def continue_import(run_id: int) -> ImportRun:
    """Apply the rows of a queued run from where it stopped, one committed batch at a time
    (each with what undoes it), checked again against the importer's scope of now: a second
    attempt after an interruption goes on, it does not repeat."""
    run = ImportRun.objects.select_related("district", "user").get(pk=run_id)
    if not run.is_running:
        return run
    user = run.user
    plan = None
    if user is not None:
        with contextlib.suppress(PermissionDenied):
            require_import(user, run.district)
            plan = plan_organisation_import(user, run.district, run.rows, run.duplicates)
    if plan is None or not plan.is_valid:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED,
            rows=[],
            error=_("The file no longer fits the entries or your scope; it was stopped."),
            finished_at=timezone.now(),
        )
        return run
    for start in range(run.done, run.total, BATCH_SIZE):
        try:
            with transaction.atomic():
                run = ImportRun.objects.select_for_update().get(pk=run.pk)
                if run.done != start or not run.is_running:
                    return run  # another worker goes on with it
                for row in plan.rows[start : start + BATCH_SIZE]:
                    _apply_row(run, user, row)
                run.done = min(start + BATCH_SIZE, run.total)
                run.status = ImportStatus.RUNNING
                run.save()
        except ValidationError as exc:  # an entry changed since the preview
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportStatus.FAILED,
                rows=[],
                error=" ".join(exc.messages),
                finished_at=timezone.now(),
            )
            return ImportRun.objects.get(pk=run.pk)
    ImportRun.objects.filter(pk=run.pk, status=ImportStatus.RUNNING).update(
        status=ImportStatus.DONE, rows=[], finished_at=timezone.now()
    )
    return ImportRun.objects.get(pk=run.pk)


def _apply_row(run, user, row):
    if row.skip:
        run.skipped += 1
        return
    now = timezone.now()
    if row.organisation is None:
        organisation = Organisation(
            district=run.district,
            municipality=row.data["municipality"],
            slug=unique_slug(
                Organisation.objects, row.data["name"], fallback="organisation", max_length=170
            ),
        )
        apply_changes(organisation, row.data, ORGANISATION_FIELDS)
        organisation.full_clean()
        organisation.save()
        profile = OrganisationProfile(organisation=organisation)
        run.created_ids.append(organisation.pk)
        old_profile = None
    else:
        organisation = Organisation.objects.select_for_update().get(pk=row.organisation.pk)
        profile = _profile(organisation)
        old_profile = None if profile is None else _values(profile, PROFILE_FIELDS)
        profile = profile or OrganisationProfile(organisation=organisation)
        before = _values(organisation, ORGANISATION_FIELDS)
        if apply_changes(organisation, row.data, ORGANISATION_FIELDS):
            organisation.full_clean()
            organisation.save()
        # the first import that changes it keeps what it was before
        run.previous.setdefault(
            str(organisation.pk), {"organisation": before, "profile": old_profile}
        )
    apply_changes(profile, row.data, PROFILE_FIELDS)
    profile.verified_at, profile.verified_by = now, user
    profile.save()
    audit.record(profile, "import", actor=user, changes=_plain(row.changes))


def _values(entry, names) -> dict:
    return {name: getattr(entry, name) for name in names}


def _plain(changes: dict) -> dict:
    return {name: [str(old), str(new)] for name, (old, new) in changes.items()}


@transaction.atomic
def undo_import(user, run: ImportRun) -> ImportRun:
    """Remove the organisations the import created and put back what it changed; refused (and
    nothing undone) when one of them is in use elsewhere by now."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    require("directory.import.run", user, run)
    if not run.can_be_undone:
        raise ValidationError(_("This import cannot be undone."))
    try:
        Organisation.objects.filter(pk__in=run.created_ids).delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("An organisation of this import is in use by now; nothing was undone.")
        ) from exc
    restored = Organisation.objects.select_for_update().in_bulk(map(int, run.previous))
    for pk, before in run.previous.items():
        organisation = restored.get(int(pk))
        if organisation is None:
            continue
        apply_changes(organisation, before["organisation"], ORGANISATION_FIELDS)
        organisation.save()
        profile = _profile(organisation)
        if before["profile"] is None:
            if profile is not None:
                profile.delete()
            continue
        apply_changes(profile, before["profile"], PROFILE_FIELDS)
        profile.save()
        audit.record(profile, "undo_import", actor=user)
    run.status = ImportStatus.UNDONE
    run.finished_at = timezone.now()
    run.save()
    return run
