import time

from django.core.management.base import BaseCommand

from hilfenetz.core import reconnect
from hilfenetz.core.periodic import enqueue_due


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due; with --loop, keep doing so every 15 seconds."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=int, default=15)

    def handle(self, loop, interval, **options):
        while True:
            try:
                for name in enqueue_due():
                    self.stdout.write(f"enqueued {name}")
            except reconnect.ERRORS as error:
                if not loop:
                    raise
                reconnect.wait_for_database("scheduler", error)
                continue
            if not loop:
                return
            time.sleep(interval)
