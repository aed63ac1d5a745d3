from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "hilfenetz.crisis"
    label = "crisis"
    verbose_name = _("Crisis mode")

    def ready(self):
        from hilfenetz.crisis import privacy, rules, tasks  # noqa: F401

        # the banner's reads declared as the worker starts: fetched with every page's versions
        from hilfenetz.crisis.templatetags import crisis  # noqa: F401
