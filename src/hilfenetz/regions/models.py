from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DistrictQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        from hilfenetz.regions.scoping import coordinator_scope

        scope = coordinator_scope(user)
        if scope.everything:
            return self
        return self.filter(
            Q(id__in=scope.district_ids) | Q(municipalities__id__in=scope.municipality_ids)
        ).distinct()


class District(models.Model):
    """A Landkreis running Hilfenetz; one installation can hold several."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    listing_validity_days = models.PositiveSmallIntegerField(
        _("listing validity in days"),
        default=21,
        help_text=_("How long a need or offer stays published before it expires."),
    )
    moderate_new_accounts = models.BooleanField(
        _("moderate listings of new accounts"),
        default=True,
        help_text=_("Listings of people who registered recently wait for a coordinator."),
    )
    verification_interval_days = models.PositiveSmallIntegerField(
        _("directory verification interval in days"),
        default=182,
        help_text=_("After this time, coordinators are asked to confirm their directory entries."),
    )

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class AreaQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        """The areas of every district the user coordinates in (to reassign a municipality)."""
        from hilfenetz.regions.scoping import coordinator_scope

        scope = coordinator_scope(user)
        if scope.everything:
            return self
        return self.filter(
            Q(district_id__in=scope.district_ids)
            | Q(district__municipalities__id__in=scope.municipality_ids)
        ).distinct()


class Area(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="areas", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["district__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "slug"], name="area_unique_slug_per_district"
            )
        ]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def with_geography(self):
        return self.select_related("area", "district")

    def coordinated_by(self, user):
        from hilfenetz.regions.scoping import coordinator_scope

        scope = coordinator_scope(user)
        if scope.everything:
            return self
        return self.filter(Q(district_id__in=scope.district_ids) | Q(id__in=scope.municipality_ids))


class Municipality(models.Model):
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="municipalities",
        verbose_name=_("district"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "slug"], name="municipality_unique_slug_per_district"
            )
        ]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name

    def clean(self):
        if self.area_id and self.district_id and self.area.district_id != self.district_id:
            raise ValidationError({"area": _("The area must belong to the same district.")})
