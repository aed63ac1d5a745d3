from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.predicates import allowed


class HilfenetzAdminSite(admin.AdminSite):
    """The admin for coordinators and administrators; who may enter is a rule, not is_staff."""

    site_header = _("Hilfenetz administration")
    site_title = _("Hilfenetz administration")
    index_title = _("Data of the district")

    def has_permission(self, request):
        return request.user.is_active and allowed("admin.enter", request.user)


admin_site = HilfenetzAdminSite(name="admin")
