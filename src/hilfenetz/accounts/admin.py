from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hilfenetz.accounts.models import Membership, Organisation, User
from hilfenetz.accounts.second_factor import has_totp
from hilfenetz.core.admin_base import RuleAdmin
from hilfenetz.core.admin_site import admin_site
from hilfenetz.regions.models import CoordinatorRole, District, Municipality


class CoordinatorRoleInline(admin.TabularInline):
    model = CoordinatorRole
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(User, site=admin_site)
class UserAdmin(RuleAdmin, DjangoUserAdmin):
    rule_prefix = "accounts.user"
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_superuser", "date_joined"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["email", "display_name"]
    inlines = [CoordinatorRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "preferred_language", "home_municipality"]}),
        (_("Rights"), {"fields": ["is_active", "is_superuser", "second_factor"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "deleted_at"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "display_name", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined", "deleted_at", "second_factor"]

    @admin.display(description=_("Second factor"))
    def second_factor(self, obj):
        if obj.pk is None:
            return "—"
        state = _("set up") if has_totp(obj) else _("not set up")
        return format_html(
            '{} · <a href="{}">{}</a>',
            state,
            reverse("accounts:second_factor_reset", args=[obj.pk]),
            _("Reset second factor"),
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    fields = ["user", "invited_email", "role", "status"]
    autocomplete_fields = ["user"]


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(RuleAdmin):
    rule_prefix = "accounts.organisation"
    list_display = ["name", "kind", "municipality", "has_speaker", "is_active"]
    list_filter = ["kind", "has_speaker", "is_active", "district"]
    list_select_related = ["municipality"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            kwargs["queryset"] = Municipality.objects.coordinated_by(request.user)
        if db_field.name == "district":
            kwargs["queryset"] = District.objects.coordinated_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
