"""Periodic work of getting started: reminders of certificates of conduct due again."""

from datetime import timedelta

from django.tasks import task

from hilfenetz.core.periodic import every
from hilfenetz.engagement import services


@task()
def send_certificate_reminders() -> int:
    return services.send_certificate_reminders()


every(timedelta(days=1), send_certificate_reminders)
