from django.contrib import admin

from hilfenetz.core.admin_base import RuleAdmin
from hilfenetz.core.admin_site import admin_site
from hilfenetz.regions.models import Area, CoordinatorRole, District, Municipality


@admin.register(District, site=admin_site)
class DistrictAdmin(RuleAdmin):
    rule_prefix = "regions.district"
    list_display = [
        "name",
        "listing_validity_days",
        "moderate_new_accounts",
        "verification_interval_days",
    ]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Area, site=admin_site)
class AreaAdmin(RuleAdmin):
    rule_prefix = "regions.area"
    list_display = ["name", "district"]
    list_filter = ["district"]
    prepopulated_fields = {"slug": ["name"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            kwargs["queryset"] = District.objects.coordinated_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Municipality, site=admin_site)
class MunicipalityAdmin(RuleAdmin):
    """Coordinators correct the area a municipality belongs to here."""

    rule_prefix = "regions.municipality"
    list_display = ["name", "area", "district"]
    list_filter = ["district", "area"]
    list_select_related = ["area", "district"]
    search_fields = ["name"]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if request.user.is_superuser else {}

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["name", "slug", "district"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = Area.objects.coordinated_by(request.user).select_related(
                "district"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CoordinatorRole, site=admin_site)
class CoordinatorRoleAdmin(RuleAdmin):
    rule_prefix = "regions.coordinatorrole"
    list_display = ["user", "district", "municipality"]
    list_select_related = ["user", "district", "municipality"]
    autocomplete_fields = ["user", "municipality"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district" and not request.user.is_superuser:
            kwargs["queryset"] = District.objects.none()
        if db_field.name == "municipality":
            kwargs["queryset"] = Municipality.objects.coordinated_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
