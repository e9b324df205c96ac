from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from cases.backups import dump


class Command(BaseCommand):
    help = "Write a pg_dump archive (custom format) of the registry database."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Archive path (default: backups/registry-<UTC time>.dump).")

    def handle(self, *args, output=None, **options):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = dump(Path(output or f"backups/registry-{stamp}.dump"))
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
