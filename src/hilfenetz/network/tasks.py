"""Periodic work of the networking platform: meeting reminders and the board's daily digest."""

from datetime import timedelta

from django.tasks import task

from hilfenetz.core.periodic import every
from hilfenetz.network import services


@task()
def send_meeting_reminders() -> int:
    return services.send_reminders()


@task()
def send_board_digests() -> int:
    return services.send_board_digests()


every(timedelta(hours=1), send_meeting_reminders)
every(timedelta(hours=1), send_board_digests)
