"""Interrupted tasks are reclaimed, failed ones tried again with back-off, and those out of
attempts listed for the administrator."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import task_retries
from hilfenetz.core.mail import retry_pending_mail
from hilfenetz.core.tests.test_task_queues import database_tasks, run_worker  # noqa: F401
from hilfenetz.exchange.similarity import embed_listing
from hilfenetz.media.tasks import make_preview
from hilfenetz.media.tests.factories import MediaFileFactory
from hilfenetz.regions.tests.factories import DistrictFactory

pytestmark = pytest.mark.usefixtures("transactional_db", "database_tasks")


def running(task, minutes_ago: float, claims: int = 1) -> DBTaskResult:
    """A task a worker took ``minutes_ago`` and never finished (the worker or database died)."""
    result = task.enqueue(1) if task is embed_listing else task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=[f"gone-{n}" for n in range(claims)],
    )
    return DBTaskResult.objects.get(pk=result.id)


def fresh(result: DBTaskResult) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.pk)


def test_an_interrupted_task_of_any_queue_is_requeued_once_stale_and_only_once():
    bulk_stale = running(embed_listing, minutes_ago=31)
    bulk_busy = running(embed_listing, minutes_ago=5)  # a long task still at work
    mail_stale = running(retry_pending_mail, minutes_ago=3)
    assert task_retries.reclaim_interrupted_tasks.call() == 2
    assert task_retries.reclaim_interrupted_tasks.call() == 0  # idempotent
    for result in (bulk_stale, mail_stale):
        result = fresh(result)
        assert result.status == TaskResultStatus.READY
        # the first retry waits a minute
        waits = result.run_after - timezone.now()
        assert timedelta(seconds=50) < waits <= timedelta(minutes=1)
    assert fresh(bulk_busy).status == TaskResultStatus.RUNNING


def test_a_reclaimed_task_runs_again_and_succeeds():
    result = running(retry_pending_mail, minutes_ago=3)
    task_retries.reclaim_interrupted_tasks.call()
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())
    run_worker("mail")
    result = fresh(result)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert task_retries.attempts(result) == 2


def test_a_task_interrupted_on_every_attempt_ends_up_failed(settings):
    result = running(embed_listing, minutes_ago=40, claims=settings.TASK_MAX_ATTEMPTS)
    assert task_retries.reclaim_interrupted_tasks.call() == 0
    result = fresh(result)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == task_retries.INTERRUPTED


def test_a_preview_that_cannot_be_made_is_retried_with_growing_pauses_then_failed(settings):
    settings.TASK_MAX_ATTEMPTS = 4
    media_file = MediaFileFactory()  # "%PDF-1.4 test": no page to render
    result = DBTaskResult.objects.get(pk=make_preview.enqueue(media_file.pk).id)
    pauses = []
    for _attempt in range(settings.TASK_MAX_ATTEMPTS):
        run_worker("default")
        row = fresh(result)
        if row.status == TaskResultStatus.FAILED:
            break
        assert row.status == TaskResultStatus.READY
        pauses.append(round((row.run_after - timezone.now()).total_seconds() / 60))
        # time passes: the pause is over
        DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    assert pauses == [1, 2, 4]
    row = fresh(result)
    assert row.status == TaskResultStatus.FAILED
    assert task_retries.attempts(row) == 4
    assert row.exception_class_path == "hilfenetz.media.tasks.PreviewFailed"


def failed_preview() -> DBTaskResult:
    result = running(embed_listing, minutes_ago=40, claims=5)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="hilfenetz.media.tasks.PreviewFailed",
        traceback="Traceback …\nPreviewFailed: no preview could be made of media file 7\n",
    )
    return result


LIST = "/admin/core/failedtask/"


def test_the_administrator_sees_failed_tasks_with_error_and_attempts_and_retries_them(client):
    result = failed_preview()
    running(embed_listing, minutes_ago=1)  # not failed: not listed
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(LIST).content.decode()
    assert "hilfenetz.exchange.similarity.embed_listing" in page
    assert "PreviewFailed: no preview could be made of media file 7" in page
    assert page.count("embed_listing") == 1
    response = client.post(
        LIST, {"action": "retry", "_selected_action": [str(result.pk)]}, follow=True
    )
    assert response.status_code == 200
    assert fresh(result).status == TaskResultStatus.READY
    assert fresh(result).run_after <= timezone.now()


@pytest.mark.parametrize("who", ["district_coordinator", "volunteer"])
def test_no_one_but_the_administrator_sees_or_retries_failed_tasks(client, who):
    result = failed_preview()
    user = coordinator_of(district=DistrictFactory()) if who == "district_coordinator" else None
    client.force_login(user or UserFactory())
    assert client.get(LIST).status_code in {302, 403}
    assert client.get(f"{LIST}{result.pk}/change/").status_code in {302, 403}
    response = client.post(LIST, {"action": "retry", "_selected_action": [str(result.pk)]})
    assert response.status_code in {302, 403}
    assert fresh(result).status == TaskResultStatus.FAILED
