"""The background worker and the scheduler wait out a database outage instead of exiting."""

import logging

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hilfenetz.core import reconnect
from hilfenetz.core.mail import retry_pending_mail
from hilfenetz.core.management.commands import periodic
from hilfenetz.core.models import PeriodicRun
from hilfenetz.core.tests.test_task_queues import database_tasks, run_worker  # noqa: F401

pytestmark = pytest.mark.usefixtures("transactional_db", "database_tasks")


class Outage:
    """The database refuses every connection until ``seconds`` of waiting have passed; the
    waiting is counted, not slept."""

    def __init__(self, monkeypatch, seconds: float):
        self.left = seconds
        self.pauses: list[float] = []
        self.refused = 0
        ensure_connection = connection.ensure_connection

        def refuse_while_down():
            if self.left > 0:
                self.refused += 1
                raise OperationalError("connection refused: is the server running?")
            return ensure_connection()

        monkeypatch.setattr(connection, "ensure_connection", refuse_while_down)
        monkeypatch.setattr(reconnect, "sleep", self.pause)

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.left -= seconds


def outage_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "hilfenetz.outage"]


def test_the_worker_waits_out_an_outage_logs_one_line_each_way_and_then_works(monkeypatch, caplog):
    result = retry_pending_mail.enqueue()
    down = Outage(monkeypatch, seconds=40)
    with caplog.at_level(logging.INFO):
        run_worker("mail")  # returns only once the queue is empty
    assert down.refused > 5
    # The pause grows, but never beyond ten seconds.
    assert down.pauses[:6] == [0.5, 1, 2, 4, 8, 10]
    assert max(down.pauses) == reconnect.MAX_DELAY
    assert [line.getMessage() for line in outage_lines(caplog)] == [
        "worker mail: database unavailable (OperationalError: connection refused: is the server"
        " running?); waiting",
        "worker mail: database available again after 0 s",
    ]
    assert all(line.exc_info is None for line in caplog.records), "a traceback was logged"
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


class Stop(Exception):
    pass


def test_the_scheduler_waits_out_an_outage_and_then_enqueues_the_due_jobs(monkeypatch, caplog):
    down = Outage(monkeypatch, seconds=15)

    def sleep_between_rounds(seconds):
        raise Stop

    monkeypatch.setattr(periodic.time, "sleep", sleep_between_rounds)
    with caplog.at_level(logging.INFO), pytest.raises(Stop):
        call_command("periodic", "--loop")
    assert down.refused >= 1
    assert len(outage_lines(caplog)) == 2
    assert all(line.exc_info is None for line in caplog.records)
    assert PeriodicRun.objects.filter(name="hilfenetz.core.mail.retry_pending_mail").exists()
