from django.contrib import admin

from hilfenetz.core.admin_base import RuleAdmin
from hilfenetz.core.admin_site import admin_site
from hilfenetz.core.models import AuditEntry, Topic


@admin.register(Topic, site=admin_site)
class TopicAdmin(RuleAdmin):
    rule_prefix = "core.topic"
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(RuleAdmin):
    """Read only, and scoped like every other list (``AuditEntry.objects.coordinated_by``)."""

    rule_prefix = "core.auditentry"
    list_display = ["created_at", "actor", "object_repr", "action", "municipality", "district"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "municipality", "district"]
    readonly_fields = [
        "created_at",
        "actor",
        "content_type",
        "object_id",
        "object_repr",
        "action",
        "changes",
        "note",
        "municipality",
        "district",
    ]
