from django.contrib import admin

from hilfenetz.core.admin_base import RuleAdmin
from hilfenetz.core.admin_site import admin_site
from hilfenetz.exchange import services
from hilfenetz.exchange.models import Category, Listing, ListingEvent, Report


@admin.register(Category, site=admin_site)
class CategoryAdmin(RuleAdmin):
    rule_prefix = "exchange.category"
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    fields = ["name", "translations", "slug", "position", "is_active"]


class ListingEventInline(admin.TabularInline):
    model = ListingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Listing, site=admin_site)
class ListingAdmin(RuleAdmin):
    rule_prefix = "exchange.listing"
    list_display = ["title", "kind", "category", "municipality", "status", "created_at"]
    list_filter = ["status", "kind", "category"]
    list_select_related = ["category", "municipality"]
    search_fields = ["title"]
    readonly_fields = ["author", "organisation", "consent", "status", "remaining", "published_at"]
    fields = [
        "title",
        "description",
        "language",
        "kind",
        "category",
        "municipality",
        "quantity",
        "unit",
        "remaining",
        "transport_needed",
        "valid_until",
        "status",
        "blocked_reason",
        "author",
        "organisation",
        "consent",
        "published_at",
    ]
    inlines = [ListingEventInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.reindex(obj)


@admin.register(Report, site=admin_site)
class ReportAdmin(RuleAdmin):
    rule_prefix = "exchange.report"
    list_display = ["listing", "created_at", "resolved_at"]
    list_select_related = ["listing"]
    readonly_fields = ["listing", "message", "reporter", "reason", "created_at"]
