from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "hilfenetz.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self):
        from hilfenetz.regions import rules  # noqa: F401
