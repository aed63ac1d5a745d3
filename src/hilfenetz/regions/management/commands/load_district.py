from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hilfenetz.regions.services import DistrictFileError, default_district_file, load_district_file


class Command(BaseCommand):
    help = "Create or update a district, its areas and municipalities from a JSON data file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(default_district_file()))
        parser.add_argument(
            "--reset-areas",
            action="store_true",
            help="Move existing municipalities back to the area the file names.",
        )

    def handle(self, path, reset_areas, **options):
        count = 0

        def progress(name):
            nonlocal count
            count += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"  {count:3d} {name}")

        try:
            report = load_district_file(Path(path), keep_areas=not reset_areas, progress=progress)
        except DistrictFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.district}: {len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged"
            )
        )
