"""The background worker: django-tasks-db's, riding out database outages (core/reconnect.py)."""

from django_tasks_db.management.commands.db_worker import Worker

from hilfenetz.core import reconnect


class ResilientWorker(Worker):
    def run(self) -> None:
        while True:
            try:
                super().run()
                return  # a batch run or --max-tasks ended
            except reconnect.ERRORS as error:
                if not self.running:
                    return
                # A task cut off here stays "running"; core/task_retries.py reclaims it.
                reconnect.wait_for_database(f"worker {','.join(self.queue_names)}", error)
                self.startup_delay = False
