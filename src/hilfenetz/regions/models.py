from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.roles import coordinates_in_district
from hilfenetz.core.scoping import ScopedQuerySet, coordinated_q


class DistrictQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        """The districts the user coordinates or coordinates a municipality of."""
        return self.filter(coordinates_in_district.q(user, self.model))


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

    # The scope contract (``core/scoping.py``) of a row that is its own scope: the paths from
    # it to its municipality and district ("" is the row itself), and the same as ids.
    scope_paths = (None, "")

    def scope_keys(self):
        return None, self.id


class AreaQuerySet(ScopedQuerySet):
    """An area belongs to a district: its district coordinators correct it."""

    municipality_path = None

    def coordinated_by(self, user):
        """The areas of every district the user coordinates in (to reassign a municipality;
        a municipal coordinator may look at them, see ``regions.area.view``)."""
        return self.filter(coordinates_in_district.q(user, self.model))


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
        return self.filter(coordinated_q(user, self.model))


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

    scope_paths = ("", "district")

    def scope_keys(self):
        return self.id, self.district_id

    @property
    def name_with_area(self) -> str:
        """The name with its area, "Wendlingen am Neckar (Nürtingen)", but "Nürtingen" only
        once where the area is named after the town."""
        if self.area.name == self.name:
            return self.name
        return f"{self.name} ({self.area.name})"

    def clean(self):
        if self.area_id and self.district_id and self.area.district_id != self.district_id:
            raise ValidationError({"area": _("The area must belong to the same district.")})


class CoordinatorRoleQuerySet(ScopedQuerySet):
    pass


class CoordinatorRole(models.Model):
    """A person coordinates either one municipality or a whole district (what that lets them
    see: :func:`hilfenetz.core.scoping.coordinator_scope`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_roles"
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoordinatorRoleQuerySet.as_manager()

    class Meta:
        db_table = "accounts_coordinatorrole"  # the table it had in accounts
        constraints = [
            models.CheckConstraint(
                condition=(Q(district__isnull=False) & Q(municipality__isnull=True))
                | (Q(district__isnull=True) & Q(municipality__isnull=False)),
                name="coordinator_role_one_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "district"], name="coordinator_role_unique_district"
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"], name="coordinator_role_unique_municipality"
            ),
        ]
        verbose_name = _("coordinator role")
        verbose_name_plural = _("coordinator roles")

    def __str__(self):
        return f"{self.user}: {self.district or self.municipality}"
