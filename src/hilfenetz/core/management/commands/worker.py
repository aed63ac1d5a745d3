from django_tasks_db.management.commands import db_worker

from hilfenetz.core.worker import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Run a background worker for the given queues (mail, default) that waits out database "
        "outages instead of exiting. Never reloads on code changes."
    )

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, **options):
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            **{
                name: options[name]
                for name in ("interval", "batch", "backend_name", "startup_delay", "max_tasks")
            },
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
