"""Periodic background jobs (expiry, reminders, digests, mail retries).

Apps register a django task with :func:`every`; ``manage.py periodic`` (run in a loop next to
the worker by ``scripts/serve``, or from cron) enqueues each job when it is due. The tasks are
idempotent, so running the scheduler on several servers at once does no harm.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hilfenetz.core.models import PeriodicRun

_JOBS: dict[str, tuple[object, timedelta]] = {}


def every(interval: timedelta, task) -> None:
    _JOBS[task.module_path] = (task, interval)


def registered_jobs() -> dict[str, tuple[object, timedelta]]:
    return dict(_JOBS)


def enqueue_due(now=None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for name, (job, interval) in sorted(_JOBS.items()):
        with transaction.atomic():
            run, created = PeriodicRun.objects.select_for_update().get_or_create(
                name=name, defaults={"last_enqueued_at": now}
            )
            if not created and run.last_enqueued_at > now - interval:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            transaction.on_commit(job.enqueue)
        enqueued.append(name)
    return enqueued
