from django.contrib import admin

from hilfenetz.core.admin_base import RuleAdmin
from hilfenetz.core.admin_site import admin_site
from hilfenetz.directory import services
from hilfenetz.directory.models import (
    Change,
    CompetenceTeam,
    ContactPerson,
    Office,
    OrganisationProfile,
    TeamMember,
    Topic,
)
from hilfenetz.regions.models import District, Municipality


class LoggedAdmin(RuleAdmin):
    """Changes made in the admin go into the directory history like any other."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        diff = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        services.record(request.user, obj, "update" if change else "create", diff)

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


@admin.register(Topic, site=admin_site)
class TopicAdmin(RuleAdmin):
    rule_prefix = "directory.topic"
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


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


@admin.register(Change, site=admin_site)
class ChangeAdmin(RuleAdmin):
    rule_prefix = "directory.change"
    list_display = ["created_at", "user", "object_repr", "action"]
    list_filter = ["action"]
    list_select_related = ["user"]
    readonly_fields = [
        "created_at",
        "user",
        "content_type",
        "object_id",
        "object_repr",
        "action",
        "changes",
    ]
