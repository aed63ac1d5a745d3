from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "hilfenetz.figures"
    label = "figures"
    verbose_name = _("Figures")

    def ready(self):
        from hilfenetz.figures import rules  # noqa: F401
