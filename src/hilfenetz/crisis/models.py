"""Crisis mode: a district opens the help exchange for a sudden need within a day."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.models import Translated
from hilfenetz.core.scoping import ScopedQuerySet


class DistrictScoped(ScopedQuerySet):
    municipality_path = None


class CrisisTemplate(Translated):
    """A prepared set of exchange categories for one kind of crisis ("flood")."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.CASCADE,
        related_name="crisis_templates",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name (German)"), max_length=80)

    objects = DistrictScoped.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="crisis_template_unique_name_per_district"
            )
        ]
        verbose_name = _("crisis template")
        verbose_name_plural = _("crisis templates")

    def __str__(self):
        return self.label()


class TemplateCategoryQuerySet(ScopedQuerySet):
    scope_parent = "template"


class TemplateCategory(Translated):
    """A category a crisis template adds to the exchange (by its slug, once per district)."""

    template = models.ForeignKey(
        CrisisTemplate,
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("crisis template"),
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name (German)"), max_length=80)

    objects = TemplateCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "slug"], name="crisis_template_category_unique_slug"
            )
        ]
        verbose_name = _("template category")
        verbose_name_plural = _("template categories")

    def __str__(self):
        return self.label()


class CrisisMode(Translated):
    """A district's crisis switch: one row per district, on or off. While on, every page shows
    its banner and the accommodation intake is open."""

    translated_fields = ("banner",)
    translation_labels = {"banner": _("Banner text (%(language)s)")}

    district = models.OneToOneField(
        "regions.District",
        on_delete=models.CASCADE,
        related_name="crisis_mode",
        verbose_name=_("district"),
    )
    is_on = models.BooleanField(_("on"), default=False)
    banner = models.TextField(_("banner text (German)"), max_length=500, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    template = models.ForeignKey(
        CrisisTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("crisis template"),
    )
    started_at = models.DateTimeField(_("turned on at"), null=True, blank=True)
    # what switching off takes back: categories this switch created or activated
    added_categories = models.ManyToManyField(
        "exchange.Category", blank=True, related_name="+", verbose_name=_("added categories")
    )

    objects = DistrictScoped.as_manager()

    class Meta:
        verbose_name = _("crisis mode")
        verbose_name_plural = _("crisis modes")

    def __str__(self):
        return str(_("Crisis mode of %(district)s") % {"district": self.district})


class AlertRequest(models.Model):
    """A person who wants a mail when a district turns crisis mode on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="crisis_alert",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("crisis alert")
        verbose_name_plural = _("crisis alerts")

    def __str__(self):
        return str(self.user_id)


class OfferStatus(models.TextChoices):
    NEW = "new", _("new")
    PLACED = "placed", _("placed")
    NOT_SUITABLE = "not_suitable", _("not suitable")


class AccommodationOfferQuerySet(ScopedQuerySet):
    municipality_path = "municipality"
    district_path = "municipality__district"


MAX_PEOPLE = 50


class AccommodationOffer(models.Model):
    """An offer of accommodation taken in while crisis mode is on; only the coordinators of its
    municipality and district see it."""

    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accommodation_offers",
        verbose_name=_("offered by"),
    )
    people = models.PositiveSmallIntegerField(
        _("how many people"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE)]
    )
    available_from = models.DateField(_("from"))
    available_until = models.DateField(_("until"), null=True, blank=True)
    accessible = models.BooleanField(_("accessible"), default=False)
    note = models.CharField(_("short note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.NEW
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccommodationOfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("accommodation offer")
        verbose_name_plural = _("accommodation offers")

    def __str__(self):
        return f"{self.municipality_id}: {self.people}"
