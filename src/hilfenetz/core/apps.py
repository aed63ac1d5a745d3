from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "hilfenetz.core"
    label = "core"

    def ready(self):
        from datetime import timedelta

        from hilfenetz.core import (
            checks,  # noqa: F401  (registers the deploy check of the upload storage)
            integers,
            locales,
            lookups,  # noqa: F401  (registers IntegerFieldIn)
            page_cache,
            rules,  # noqa: F401
            task_retries,
        )
        from hilfenetz.core.backup import daily_backup
        from hilfenetz.core.mail import reclaim_interrupted_mail, retry_pending_mail
        from hilfenetz.core.middleware import allow_long_upload_names
        from hilfenetz.core.periodic import every

        locales.register()
        page_cache.watch_writes()
        integers.register()  # <id:…> in every urls.py
        allow_long_upload_names()
        every(timedelta(minutes=15), retry_pending_mail)
        # Stale after 30 s, looked for every 15 s: re-queued within a minute of the worker's death.
        every(timedelta(seconds=15), reclaim_interrupted_mail)
        every(timedelta(minutes=1), task_retries.reclaim_interrupted_tasks)
        if settings.BACKUP_DAILY:  # off where a systemd timer or cron writes it instead
            every(timedelta(days=1), daily_backup)
