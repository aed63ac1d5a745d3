from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "hilfenetz.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from hilfenetz.directory import rules, tasks  # noqa: F401

        # its cards' reads declared as the worker starts, not when a page first loads the tags
        from hilfenetz.directory.templatetags import directory  # noqa: F401
