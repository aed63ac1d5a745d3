from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hilfenetz.core"
    label = "core"

    def ready(self):
        from datetime import timedelta

        from hilfenetz.core import (
            lookups,  # noqa: F401  (registers IntegerFieldIn)
            rules,  # noqa: F401
        )
        from hilfenetz.core.mail import reclaim_interrupted_mail, retry_pending_mail
        from hilfenetz.core.periodic import every

        every(timedelta(minutes=15), retry_pending_mail)
        every(timedelta(minutes=1), reclaim_interrupted_mail)
