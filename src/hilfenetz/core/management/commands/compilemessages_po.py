from pathlib import Path

import polib
from django.core.management.base import BaseCommand

SRC = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    requires_system_checks = []
    help = "Compile every .po file of the project to .mo, without needing GNU gettext."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    def handle(self, quiet, **options):
        compiled = 0
        for po_path in SRC.glob("*/locale/*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        if not quiet or compiled:
            self.stdout.write(f"compiled {compiled} message catalogue(s)")
