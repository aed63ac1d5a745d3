from django.contrib import admin

from hilfenetz.core import audit
from hilfenetz.core.admin_base import RuleAdmin
from hilfenetz.core.admin_site import admin_site
from hilfenetz.directory import services
from hilfenetz.directory.models import (
    CompetenceTeam,
    ContactPerson,
    Office,
    OrganisationProfile,
    TeamMember,
)
from hilfenetz.regions.models import District, Municipality


class LoggedAdmin(RuleAdmin):
    """Changes made in the admin go into the directory history like any other."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        diff = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        audit.record(obj, "update" if change else "create", actor=request.user, changes=diff)

    def save_formset(self, request, form, formset, change):
        # contacts and members deleted here leave no personal data in the history either
        services.forget_people(
            form.instance, [f.instance for f in formset.deleted_forms if f.instance.pk]
        )
        super().save_formset(request, form, formset, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is District:
            kwargs["queryset"] = District.objects.coordinated_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Municipality:
            kwargs["queryset"] = Municipality.objects.coordinated_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Office, site=admin_site)
class OfficeAdmin(LoggedAdmin):
    rule_prefix = "directory.office"
    list_display = ["name", "kind", "city", "verified_at", "is_active"]
    list_filter = ["kind", "is_active", "district"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified_at", "verified_by"]
    inlines = [ContactInline]


@admin.register(OrganisationProfile, site=admin_site)
class OrganisationProfileAdmin(LoggedAdmin):
    rule_prefix = "directory.organisationprofile"
    list_display = ["organisation", "verified_at"]
    list_select_related = ["organisation"]
    readonly_fields = ["verified_at", "verified_by"]
    autocomplete_fields = ["organisation"]


class MemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0


@admin.register(CompetenceTeam, site=admin_site)
class CompetenceTeamAdmin(LoggedAdmin):
    rule_prefix = "directory.competenceteam"
    list_display = ["area", "district", "verified_at"]
    readonly_fields = ["verified_at", "verified_by"]
    inlines = [MemberInline]
