from django.contrib import admin

from hilfenetz.core.admin_base import RuleAdmin, still_to_translate
from hilfenetz.core.admin_site import admin_site
from hilfenetz.core.forms import translation_field_names, translation_form
from hilfenetz.network import services
from hilfenetz.network.models import AgendaItem, Meeting, Platform


@admin.register(Platform, site=admin_site)
class PlatformAdmin(RuleAdmin):
    """District coordinators edit the names and purposes of their district's platforms."""

    rule_prefix = "network.platform"
    list_display = ["name", "district", "position", "is_active", still_to_translate]
    list_editable = ["position", "is_active"]
    list_filter = ["district"]
    list_select_related = ["district"]
    form = translation_form(Platform)
    fields = [
        "district",
        "name",
        "description",
        *translation_field_names(Platform),
        "slug",
        "position",
        "is_active",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["district", "slug"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            fields = {
                name: form.cleaned_data[name]
                for name in services.PLATFORM_FIELDS
                if name in form.cleaned_data
            }
            fields["translations"] = form.instance.translations
            services.update_platform(obj, request.user, **fields)
        else:
            super().save_model(request, obj, form, change)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "expert"]


@admin.register(Meeting, site=admin_site)
class MeetingAdmin(RuleAdmin):
    """Meetings change through their pages (the workflow); the admin shows them."""

    rule_prefix = "network.meeting"
    list_display = ["title", "platform", "municipality", "starts_at", "kind", "status"]
    list_filter = ["kind", "status", "platform__district", "platform"]
    list_select_related = ["platform", "municipality"]
    search_fields = ["title"]
    inlines = [AgendaInline]

    def get_queryset(self, request):
        # the meeting's page shows its platform and hosting municipality
        return super().get_queryset(request).select_related("platform", "municipality")
