from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hilfenetz.core"
    label = "core"

    def ready(self):
        from datetime import timedelta

        from hilfenetz.core import rules  # noqa: F401
        from hilfenetz.core.mail import retry_pending_mail
        from hilfenetz.core.periodic import every

        every(timedelta(minutes=15), retry_pending_mail)
