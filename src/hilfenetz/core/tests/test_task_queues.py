"""Mail has a queue and a worker of its own: bulk work on the default queue never delays it."""

import time

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hilfenetz.core.tests.test_mail import smtp  # noqa: F401 - the aiosmtpd fixture
from hilfenetz.core.worker import ResilientWorker
from hilfenetz.exchange.similarity import embed_listing

BULK = 1000


@pytest.fixture
def database_tasks(settings):
    """The real database backend of production, with its queues."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def run_worker(*queues: str) -> None:
    """One worker process's loop, in this process: takes its queues' tasks until none is left."""
    ResilientWorker(
        queue_names=list(queues),
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test-{'-'.join(queues)}",
    ).run()


def test_a_sign_up_confirmation_arrives_within_seconds_while_bulk_jobs_wait(
    transactional_db,
    database_tasks,
    smtp,  # noqa: F811
    client,
):
    smtp.controller.start()
    with transaction.atomic():
        for listing_id in range(BULK):
            embed_listing.enqueue(listing_id)
    started = time.monotonic()
    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "Neu",
            "email": "neu@example.org",
            "password1": "ein-langes-passwort-42",
            "password2": "ein-langes-passwort-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    run_worker("mail")
    elapsed = time.monotonic() - started
    print(f"confirmation delivered {elapsed:.2f} s after sign-up, {BULK} bulk jobs waiting")
    assert [envelope.rcpt_tos for envelope in smtp.messages] == [["neu@example.org"]]
    assert elapsed < 15
    bulk = DBTaskResult.objects.filter(queue_name="default")
    assert bulk.filter(status=TaskResultStatus.READY).count() == BULK


def test_every_mail_task_is_on_the_mail_queue_and_nothing_else_is():
    from django.tasks import Task

    from hilfenetz.core import mail

    mail_tasks = {value.name for value in vars(mail).values() if isinstance(value, Task)}
    assert mail_tasks == {"deliver_mail", "retry_pending_mail", "reclaim_interrupted_mail"}
    for name in mail_tasks:
        assert getattr(mail, name).queue_name == "mail"
    assert embed_listing.queue_name == "default"
