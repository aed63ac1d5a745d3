import random
import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from hilfenetz.core.demo import DemoContext, steps


class Command(BaseCommand):
    help = "Fill an empty database with fictional demo data for every part of Hilfenetz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (and succeed) if there are users."
        )
        parser.add_argument("--seed", type=int, default=20261124)

    def handle(self, if_empty, seed, **options):
        if settings.PRODUCTION:
            # Demo accounts share a published password: in production they would be a way in.
            raise CommandError(
                "Refusing to load demo data in production (HILFENETZ_ENV=production): its "
                "accounts share the password published in the README. Create the first "
                "administrator with `manage.py create_administrator --email ...` instead."
            )
        if get_user_model().objects.exists():
            if if_empty:
                self.stdout.write("Demo data: the database has data already, nothing to do.")
                return
            raise CommandError("The database is not empty; demo data goes into an empty one only.")
        for config in apps.get_app_configs():
            if config.name.startswith("hilfenetz.") and module_has_submodule(config.module, "demo"):
                __import__(f"{config.name}.demo")
        ctx = DemoContext(rng=random.Random(seed), progress=self._progress)
        all_steps = steps()
        started = time.monotonic()
        with transaction.atomic():
            for number, (_order, name, fn) in enumerate(all_steps, 1):
                self.stdout.write(f"[{number}/{len(all_steps)}] {name} ...")
                step_started = time.monotonic()
                fn(ctx)
                self.stdout.write(f"      done in {time.monotonic() - step_started:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(f"      {message}")
