from django.contrib import admin

from hilfenetz.core.predicates import allowed


class RuleAdmin(admin.ModelAdmin):
    """A ModelAdmin whose permissions are the named rules ``<rule_prefix>.view|add|change|delete``
    and whose rows are scoped by the model queryset's ``coordinated_by``."""

    rule_prefix = ""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.coordinated_by(request.user) if hasattr(qs, "coordinated_by") else qs

    def _allowed(self, action, request, obj=None):
        return allowed(f"{self.rule_prefix}.{action}", request.user, obj)

    def has_module_permission(self, request):
        return self._allowed("view", request)

    def has_view_permission(self, request, obj=None):
        return self._allowed("view", request, obj)

    def has_add_permission(self, request, *args):
        return self._allowed("add", request)

    def has_change_permission(self, request, obj=None):
        return self._allowed("change", request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed("delete", request, obj)
