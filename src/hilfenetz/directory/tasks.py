"""The daily reminder to confirm directory entries, and imports of organisations."""

from datetime import timedelta

from django.tasks import task

from hilfenetz.core.periodic import every


@task()
def remind_to_verify() -> int:
    from hilfenetz.directory.services import remind_coordinators

    return remind_coordinators()


every(timedelta(days=1), remind_to_verify)


@task()
def run_organisation_import(run_id: int) -> int:
    from hilfenetz.directory.services import continue_import

    return continue_import(run_id).done
