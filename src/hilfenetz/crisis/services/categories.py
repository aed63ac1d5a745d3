"""Categories: one added to the exchange by hand, and the crisis templates' sets of them."""

from django.db import transaction
from django.utils.translation import gettext as _

from hilfenetz.core import audit
from hilfenetz.core.predicates import require
from hilfenetz.core.slugs import unique_slug
from hilfenetz.core.texts import required
from hilfenetz.crisis.models import CrisisTemplate, TemplateCategory
from hilfenetz.exchange.models import Category

SLUG_LENGTH = 60


def _named(instance, name: str, translations: dict):
    instance.name = required(name, _("Please give the German name."))
    instance.translations = translations
    instance.full_clean(exclude=["slug"])
    return instance


@transaction.atomic
def add_category(district, actor, *, name: str, translations: dict) -> Category:
    """A new active category of the district's help exchange, named in every language."""
    require("crisis.add_category", actor, district)
    rows = Category.objects.filter(district=district)
    category = _named(Category(district=district), name, translations)
    category.slug = unique_slug(rows, category.name, fallback="kategorie", max_length=SLUG_LENGTH)
    category.position = max(rows.values_list("position", flat=True), default=0) + 10
    category.save()
    audit.record(category, "create", actor=actor, changes={"name": category.name})
    return category


@transaction.atomic
def add_template(district, actor, *, name: str, translations: dict) -> CrisisTemplate:
    require("crisis.add_category", actor, district)
    template = _named(CrisisTemplate(district=district), name, translations)
    template.save()
    audit.record(template, "create", actor=actor, changes={"name": template.name})
    return template


@transaction.atomic
def add_template_category(template, actor, *, name: str, translations: dict) -> TemplateCategory:
    """A category the template adds; its address follows the German name, so that an existing
    exchange category of that name is activated rather than doubled."""
    require("crisis.edit_template", actor, template)
    entry = _named(TemplateCategory(template=template), name, translations)
    entry.slug = unique_slug(
        template.categories.all(), entry.name, fallback="kategorie", max_length=SLUG_LENGTH
    )
    entry.save()
    audit.record(template, "update", actor=actor, changes={"added": entry.name})
    return entry


@transaction.atomic
def remove_template_category(entry: TemplateCategory, actor) -> None:
    template = entry.template
    require("crisis.edit_template", actor, template)
    entry.delete()
    audit.record(template, "update", actor=actor, changes={"removed": entry.name})
