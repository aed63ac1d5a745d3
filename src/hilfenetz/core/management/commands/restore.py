from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hilfenetz.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` into this empty, migrated installation "
        "(same or newer version): checksums first, then the rows, then the files."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, archive, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        try:
            restore_backup(archive, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
