"""The daily reminder to confirm directory entries."""

from datetime import timedelta

from django.tasks import task

from hilfenetz.core.periodic import every


@task()
def remind_to_verify() -> int:
    from hilfenetz.directory.services import remind_coordinators

    return remind_coordinators()


every(timedelta(days=1), remind_to_verify)
