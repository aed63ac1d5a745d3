from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hilfenetz.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from hilfenetz.accounts import rules, signals  # noqa: F401
