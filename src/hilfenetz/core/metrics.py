"""Figures to watch: counters kept by the web workers, and figures read from the database on each
scrape (queues, waiting mail, failures, the last backup).

The counters live in each process; with several granian workers ``scripts/serve`` sets
``PROMETHEUS_MULTIPROC_DIR`` and prometheus-client keeps them in files there, which a scrape adds
up over all workers. The same figures feed ``/metrics`` (Prometheus text format) and the
administrator's status page (``/admin/status/``).
"""

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "hilfenetz_requests",
    "Requests answered, per view, method and status",
    ["view", "method", "status"],
    registry=None,
)
LATENCY = Histogram(
    "hilfenetz_request_duration_seconds",
    "Time to answer a request, per view",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=None,
)
DB_TIME = Counter(
    "hilfenetz_request_db_seconds",
    "Time spent in database queries while answering requests, per view",
    ["view"],
    registry=None,
)
PAGE_CACHE = Counter(
    "hilfenetz_page_cache",
    "Pages for visitors without a session: served from memory (hit) or rendered (miss)",
    ["result"],
    registry=None,
)
PROCESS_METRICS = (REQUESTS, LATENCY, DB_TIME, PAGE_CACHE)
CONTENT_TYPE = CONTENT_TYPE_LATEST


@dataclass
class Backup:
    name: str
    finished_at: datetime
    size: int


def last_backup() -> Backup | None:
    """The newest ``*.tar*`` file in ``BACKUP_DIR`` (written by the backup command)."""
    folder = Path(settings.BACKUP_DIR)
    try:
        found = [(entry, entry.stat()) for entry in folder.glob("*.tar*") if entry.is_file()]
    except OSError:
        return None
    if not found:
        return None
    entry, stat = max(found, key=lambda pair: pair[1].st_mtime)
    return Backup(
        entry.name,
        datetime.fromtimestamp(stat.st_mtime, tz=timezone.get_current_timezone()),
        stat.st_size,
    )


@dataclass
class Figures:
    waiting: dict[str, int]  # tasks ready to run, per queue
    oldest_mail_age: float  # seconds the oldest mail not yet sent has waited; 0 if none
    failed_tasks: int  # out of attempts (core/task_retries.py)
    failed_mails: int
    backup: Backup | None


def figures() -> Figures:
    """What the database and the backup folder say now."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from hilfenetz.core.models import OutboundMail

    waiting = dict.fromkeys(settings.TASK_QUEUES, 0)
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    for row in ready.values("queue_name").annotate(n=Count("pk")).order_by():
        waiting[row["queue_name"]] = row["n"]
    unsent = OutboundMail.objects.filter(
        status__in=[OutboundMail.Status.PENDING, OutboundMail.Status.SENDING]
    )
    oldest = unsent.aggregate(oldest=Min("created_at"))["oldest"]
    return Figures(
        waiting=waiting,
        oldest_mail_age=(timezone.now() - oldest).total_seconds() if oldest else 0.0,
        failed_tasks=DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count(),
        failed_mails=OutboundMail.objects.filter(status=OutboundMail.Status.FAILED).count(),
        backup=last_backup(),
    )


class FiguresCollector:
    """Reads :func:`figures` on each scrape, in the worker that answers it."""

    def collect(self):
        now = figures()
        queue = GaugeMetricFamily(
            "hilfenetz_task_queue_length", "Tasks waiting to run, per queue", labels=["queue"]
        )
        for name, count in sorted(now.waiting.items()):
            queue.add_metric([name], count)
        yield queue
        yield GaugeMetricFamily(
            "hilfenetz_oldest_waiting_mail_age_seconds",
            "How long the oldest mail not yet sent has waited",
            value=now.oldest_mail_age,
        )
        yield GaugeMetricFamily(
            "hilfenetz_failed_tasks", "Background tasks out of attempts", value=now.failed_tasks
        )
        yield GaugeMetricFamily(
            "hilfenetz_failed_mails", "Mails given up after every attempt", value=now.failed_mails
        )
        if now.backup:
            yield GaugeMetricFamily(
                "hilfenetz_last_backup_timestamp_seconds",
                "When the newest backup was written",
                value=now.backup.finished_at.timestamp(),
            )
            yield GaugeMetricFamily(
                "hilfenetz_last_backup_size_bytes",
                "Size of the newest backup",
                value=now.backup.size,
            )


def counters() -> CollectorRegistry:
    """The counters of every worker process (of this one alone without a multiprocess folder)."""
    scrape = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(scrape)
    else:
        for metric in PROCESS_METRICS:
            scrape.register(metric)
    return scrape


def exposition() -> bytes:
    """Everything a scrape shows: the counters and the figures."""
    scrape = counters()
    scrape.register(FiguresCollector())
    return generate_latest(scrape)


@dataclass
class ViewFigures:
    view: str
    requests: int = 0
    seconds: float = 0.0
    db_seconds: float = 0.0

    @property
    def mean_ms(self) -> float:
        return 1000 * self.seconds / self.requests if self.requests else 0.0

    @property
    def mean_db_ms(self) -> float:
        return 1000 * self.db_seconds / self.requests if self.requests else 0.0


def request_figures() -> tuple[dict[str, ViewFigures], dict[str, float]]:
    """The counters added up over every worker: per view, and the page cache's hits/misses."""
    views: dict[str, ViewFigures] = {}
    page_cache = {"hit": 0.0, "miss": 0.0}
    for family in counters().collect():
        for sample in family.samples:
            view = sample.labels.get("view")
            if sample.name == "hilfenetz_requests_total":
                views.setdefault(view, ViewFigures(view)).requests += int(sample.value)
            elif sample.name == "hilfenetz_request_duration_seconds_sum":
                views.setdefault(view, ViewFigures(view)).seconds += sample.value
            elif sample.name == "hilfenetz_request_db_seconds_total":
                views.setdefault(view, ViewFigures(view)).db_seconds += sample.value
            elif sample.name == "hilfenetz_page_cache_total":
                page_cache[sample.labels["result"]] += sample.value
    return views, page_cache
