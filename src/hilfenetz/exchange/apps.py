from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "hilfenetz.exchange"
    label = "exchange"
    verbose_name = _("Help exchange")

    def ready(self):
        from hilfenetz.exchange import privacy, rules, tasks  # noqa: F401
