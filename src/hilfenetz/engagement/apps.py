from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "hilfenetz.engagement"
    label = "engagement"
    verbose_name = _("Getting started")

    def ready(self):
        from hilfenetz.engagement import privacy, rules, tasks  # noqa: F401
