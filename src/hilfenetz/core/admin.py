from django.contrib import admin, messages
from django.tasks import TaskResultStatus
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hilfenetz.core import task_retries
from hilfenetz.core.admin_base import RuleAdmin, still_to_translate
from hilfenetz.core.admin_site import admin_site
from hilfenetz.core.forms import translation_field_names, translation_form
from hilfenetz.core.models import AuditEntry, FailedTask, Topic


@admin.register(Topic, site=admin_site)
class TopicAdmin(RuleAdmin):
    rule_prefix = "core.topic"
    form = translation_form(Topic)
    fields = ["name", *translation_field_names(Topic), "slug"]
    list_display = ["name", "slug", still_to_translate]
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


@admin.register(FailedTask, site=admin_site)
class FailedTaskAdmin(RuleAdmin):
    """Background tasks that failed after every attempt, for the administrator to look into
    and try again once the cause is removed."""

    rule_prefix = "core.failedtask"
    list_display = ["task", "queue_name", "error", "attempts", "finished_at"]
    list_filter = ["queue_name"]
    ordering = ["-finished_at"]
    actions = ["retry"]
    fields = readonly_fields = [
        "task",
        "queue_name",
        "args_kwargs",
        "attempts",
        "enqueued_at",
        "finished_at",
        "error",
        "traceback",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=TaskResultStatus.FAILED)

    @admin.display(description=_("task"), ordering="task_path")
    def task(self, obj):
        return obj.task_path

    @admin.display(description=_("error"))
    def error(self, obj):
        lines = obj.traceback.strip().splitlines()
        return lines[-1] if lines else obj.exception_class_path

    @admin.display(description=_("attempts"))
    def attempts(self, obj):
        return task_retries.attempts(obj)

    def has_retry_permission(self, request):
        return self._allowed("retry", request)

    @admin.action(description=_("Try the selected tasks again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = task_retries.retry_now(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d task will be tried again.",
                "%(count)d tasks will be tried again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
