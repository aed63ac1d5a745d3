"""Turning a district's crisis mode on and off, and the history of its switches."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hilfenetz.core import audit, lifecycle
from hilfenetz.core.models import AuditEntry
from hilfenetz.core.predicates import require
from hilfenetz.core.texts import required
from hilfenetz.crisis.models import CrisisMode
from hilfenetz.exchange.models import Category

audit.define_actions(
    crisis_on=gettext_lazy("crisis mode turned on"),
    crisis_off=gettext_lazy("crisis mode turned off"),
)


def mode_of(district) -> CrisisMode:
    """The district's crisis switch (off until it was first turned on)."""
    mode, _created = CrisisMode.objects.get_or_create(district=district)
    return mode


def state_of(district) -> CrisisMode:
    """The district's crisis switch as pages show it, without writing: an unsaved one (off)
    before it was first turned on."""
    return CrisisMode.objects.filter(district=district).first() or CrisisMode(district=district)


def _apply_template(mode: CrisisMode, template) -> list[str]:
    """Create or activate the template's categories the exchange lacks; remember them, so that
    switching off takes back only what this switch added."""
    existing = {c.slug: c for c in Category.objects.filter(district=mode.district_id)}
    last = max((c.position for c in existing.values()), default=0)
    added = []
    for entry in template.categories.all():
        category = existing.get(entry.slug)
        if category is None:
            last += 10
            category = Category.objects.create(
                district_id=mode.district_id,
                slug=entry.slug,
                name=entry.name,
                translations=entry.translations,
                position=last,
            )
        elif not category.is_active:
            category.is_active = True
            category.save(update_fields=["is_active"])
        else:
            continue
        added.append(category)
    mode.added_categories.set(added)
    return [category.slug for category in added]


@transaction.atomic
def switch_on(district, actor, *, banner: str, translations: dict, ends_on, template=None):
    """Turn crisis mode on: the banner on every page until ``ends_on``, the template's
    categories in the exchange, the accommodation intake open, and a mail to everyone who
    asked for one. Turning on what is on already changes nothing."""
    from hilfenetz.crisis.services.alerts import alert_volunteers

    require("crisis.switch", actor, district)
    mode = lifecycle.locked(mode_of(district), "district")
    if mode.is_on:
        raise ValidationError(_("Crisis mode is on already."))
    banner = required(banner, _("Please write the banner text."))
    if ends_on < timezone.localdate():
        raise ValidationError(_("The end date has passed already."))
    if template is not None and template.district_id != district.pk:
        raise ValidationError(_("This template belongs to another district."))
    mode.is_on = True
    mode.banner = banner
    mode.translations = translations
    mode.ends_on = ends_on
    mode.template = template
    mode.started_at = timezone.now()
    mode.full_clean()
    mode.save()
    added = _apply_template(mode, template) if template is not None else []
    audit.record(
        mode,
        "crisis_on",
        actor=actor,
        changes={
            "template": template.name if template else "",
            "ends_on": ends_on.isoformat(),
            "categories": added,
        },
        note=banner,
    )
    started = mode.started_at.isoformat()
    transaction.on_commit(lambda: alert_volunteers.enqueue(mode.pk, started))
    return mode


@transaction.atomic
def switch_off(district, actor, *, note: str = "") -> CrisisMode:
    """Turn crisis mode off: the banner goes, the intake closes (its list stays for the
    coordinators), and the categories the switch added are deactivated again; those that
    existed before stay as they were. ``actor`` None: the end date passed."""
    if actor is not None:
        require("crisis.switch", actor, district)
    mode = lifecycle.locked(mode_of(district), "district")
    if not mode.is_on:
        raise ValidationError(_("Crisis mode is off already."))
    added = list(mode.added_categories.all())
    Category.objects.filter(pk__in=[c.pk for c in added]).update(is_active=False)
    mode.added_categories.clear()
    mode.is_on = False
    mode.save(update_fields=["is_on"])
    audit.record(
        mode,
        "crisis_off",
        actor=actor,
        changes={"categories": [c.slug for c in added]},
        note=note,
    )
    return mode


def end_expired(today=None) -> int:
    """Turn off every crisis mode whose end date has passed (the periodic job)."""
    today = today or timezone.localdate()
    ended = 0
    for mode in CrisisMode.objects.filter(is_on=True, ends_on__lt=today).select_related("district"):
        try:
            switch_off(mode.district, None, note="end date passed")
        except ValidationError:  # turned off by hand meanwhile
            continue
        ended += 1
    return ended


def history(mode: CrisisMode):
    """The switches of ``mode``, newest first."""
    if mode.pk is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.for_object(mode)
