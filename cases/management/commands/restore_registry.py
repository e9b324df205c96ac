from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cases.backups import restore


class Command(BaseCommand):
    help = "Restore a pg_dump archive into an empty database (default: the one DATABASE_URL names)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database", help="Name of the empty database to restore into.")

    def handle(self, *args, archive, database=None, **options):
        name = database or settings.DATABASES["default"]["NAME"]
        restore(Path(archive), name)
        self.stdout.write(self.style.SUCCESS(f"Restored {archive} into {name}."))
