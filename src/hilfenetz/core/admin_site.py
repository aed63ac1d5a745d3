from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.predicates import allowed, require


class HilfenetzAdminSite(admin.AdminSite):
    """The admin for coordinators and administrators; who may enter is a rule, not is_staff."""

    site_header = _("Hilfenetz administration")
    site_title = _("Hilfenetz administration")
    index_title = _("Data of the district")
    index_template = "admin/hilfenetz_index.html"

    def has_permission(self, request):
        return request.user.is_active and allowed("admin.enter", request.user)

    def each_context(self, request):
        context = super().each_context(request)
        context["may_see_status"] = allowed("core.status.view", request.user)
        return context

    def get_urls(self):
        return [path("status/", self.admin_view(self.status), name="status"), *super().get_urls()]

    def status(self, request):
        """The figures of /metrics for the administrator, and the last backup."""
        from hilfenetz.core import metrics

        require("core.status.view", request.user)
        views, page_cache = metrics.request_figures()
        context = {
            **self.each_context(request),
            "title": _("Status"),
            "figures": metrics.figures(),
            "views": sorted(views.values(), key=lambda v: (-v.requests, v.view)),
            "requests": sum(v.requests for v in views.values()),
            "page_cache": page_cache,
        }
        return TemplateResponse(request, "admin/status.html", context)


admin_site = HilfenetzAdminSite(name="admin")
