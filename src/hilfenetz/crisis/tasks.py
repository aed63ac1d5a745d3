"""Periodic work of crisis mode: a switch whose end date has passed turns off."""

from datetime import timedelta

from django.tasks import task

from hilfenetz.core.periodic import every
from hilfenetz.crisis import services


@task()
def end_expired_crisis_modes() -> int:
    return services.end_expired()


every(timedelta(hours=1), end_expired_crisis_modes)
