from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "hilfenetz.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from hilfenetz.directory import rules, tasks  # noqa: F401
