"""Background tasks are tried again: after a failure, with a growing pause, and after an
interruption (the worker or the database went away while the task ran, so it stayed
"running"). A task that has used up its attempts stays failed and is listed for the
administrator (admin: "Failed tasks", with a retry action).

The attempts of a task are the claims of its row: django-tasks-db appends a worker id to
``worker_ids`` each time a worker takes it. Every change below is a conditional update of one
row, so running it twice, or in several processes at once, does no more than once.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.tasks import TaskResultStatus, task, task_backends
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

INTERRUPTED = f"{__name__}.Interrupted"


def attempts(result: DBTaskResult) -> int:
    return len(result.worker_ids)


def backoff(tries: int) -> timedelta:
    """The pause before the next try: 1, 2, 4, … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(tries - 1, 0), 60))


def retry_later(result: DBTaskResult, *, now=None) -> bool:
    """Put a failed or interrupted task back on its queue after its back-off pause, unless it
    has used up its attempts. Returns whether it was re-queued."""
    if attempts(result) >= settings.TASK_MAX_ATTEMPTS:
        return False
    now = now or timezone.now()
    return bool(
        DBTaskResult.objects.filter(
            pk=result.pk, status=result.status, started_at=result.started_at
        ).update(
            status=TaskResultStatus.READY,
            run_after=now + backoff(attempts(result)),
            finished_at=None,
        )
    )


@receiver(task_finished)
def retry_failed_task(sender, task_result, **kwargs):
    # The sender is the backend or its class, depending on the outcome: ask the result instead.
    if task_result.status != TaskResultStatus.FAILED:
        return
    if not isinstance(task_backends[task_result.backend], DatabaseBackend):
        return
    result = DBTaskResult.objects.filter(pk=task_result.id).first()
    if result is not None and result.status == TaskResultStatus.FAILED:
        retry_later(result)


def stale_after(queue_name: str) -> timedelta:
    timeouts = settings.TASK_RUNNING_TIMEOUTS
    return timedelta(seconds=timeouts.get(queue_name, timeouts["default"]))


def interrupted(now=None):
    """Tasks still "running" longer than their queue's timeout: their worker is gone."""
    now = now or timezone.now()
    stale = Q()
    queues = set(settings.TASK_QUEUES) | set(settings.TASK_RUNNING_TIMEOUTS)
    for queue in queues:
        stale |= Q(queue_name=queue, started_at__lt=now - stale_after(queue))
    others = Q(started_at__lt=now - stale_after("default")) & ~Q(queue_name__in=queues)
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).filter(stale | others)


# On the mail queue: light, and it must not wait behind the bulk work it rescues.
@task(queue_name="mail")
def reclaim_interrupted_tasks() -> int:
    """Re-queue interrupted tasks (with back-off); those out of attempts become failed."""
    now = timezone.now()
    reclaimed = 0
    for result in interrupted(now)[:500]:
        if retry_later(result, now=now):
            reclaimed += 1
            continue
        DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=INTERRUPTED,
            traceback=f"Interrupted: still running after {stale_after(result.queue_name)}, "
            "its worker or the database went away.",
        )
    return reclaimed


def retry_now(results) -> int:
    """The administrator's retry: one more try of each failed task, at once."""
    return results.filter(status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
    )
