from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.predicates import allowed, permitted


@admin.display(description=_("still to translate"))
def still_to_translate(obj) -> str:
    """A column of the lists of translated things (``Translated.missing_languages``)."""
    return ", ".join(obj.missing_languages()) or "–"


class RuleAdmin(admin.ModelAdmin):
    """A ModelAdmin whose permissions are the named rules ``<rule_prefix>.view|add|change|delete``
    and whose rows are the rows of its view rule: the list holds what the change page opens."""

    rule_prefix = ""

    def get_queryset(self, request):
        return permitted(f"{self.rule_prefix}.view", request.user, super().get_queryset(request))

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
