from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hilfenetz.core.backup import BackupError, backup_to_folder, write_backup


class Command(BaseCommand):
    help = (
        "Write the database and every uploaded file into one .tar.gz archive with a manifest "
        "and checksums: into BACKUP_DIR, keeping the BACKUP_KEEP newest there, unless --output "
        "names the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the archive to write")

    def handle(self, output, **options):
        try:
            if output:
                write_backup(output, progress=self.stdout.write)
                target = output
            else:
                target = backup_to_folder(progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(str(target)))
