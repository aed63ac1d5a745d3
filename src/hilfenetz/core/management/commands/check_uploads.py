from django.core.management.base import BaseCommand, CommandError

from hilfenetz.core.installation import UploadsNotShared, check_uploads, where


class Command(BaseCommand):
    help = (
        "Refuses (exit status 1) when this server's upload storage is not the one shared by "
        "every server of the installation. Run it before the web server and the worker start."
    )

    def handle(self, *args, **options):
        from django.core.files.storage import default_storage

        try:
            key = check_uploads(default_storage)
        except UploadsNotShared as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(f"Uploads: {where(default_storage)} of the installation {key}.")
