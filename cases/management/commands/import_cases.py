"""manage.py import_cases FILE --site CODE [--dry-run] [--partial]: the import of the API, from a shell."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cases.imports.engine import ImportRefused, import_cases


class Command(BaseCommand):
    help = (
        "Import the cases of a tables.zip (CSV or Parquet) or of the filled .xlsx template into a site, each "
        "through the same services as the browser and the API; all or nothing unless --partial."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="tables.zip or the filled template (.xlsx).")
        parser.add_argument("--site", required=True, help="The code of the site the cases are entered for.")
        parser.add_argument(
            "--user",
            help="Who enters the cases (the audit trail names them; a clinician only for their own sites). "
            "Default: the first active superuser.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every case, store nothing.")
        parser.add_argument("--partial", action="store_true", help="Store the valid cases even if others fail.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (e.g. in logs).")

    def handle(self, *args, file, site, user, dry_run, partial, no_progress, **options):
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        person = self._user(user)
        started = time.perf_counter()
        bar = tqdm(unit="case", disable=no_progress, file=self.stderr._out, smoothing=0.1)
        try:
            with file.open("rb") as upload, bar:
                report = import_cases(
                    user=person,
                    site=site,
                    upload=upload,
                    name=file.name,
                    dry_run=dry_run,
                    partial=partial,
                    progress=bar.update,
                    on_read=lambda total: setattr(bar, "total", total),
                )
        except ImportRefused as refused:
            raise CommandError("; ".join(m for messages in refused.errors.values() for m in messages)) from refused
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from refused
        for e in report.errors:
            where = ", ".join(
                f"{label} {e[key]}" for label, key in (("row", "row"), ("case", "case"), ("column", "column")) if e[key]
            )
            self.stderr.write(f"{e['file']}{f' ({where})' if where else ''}: {e['message']}")
        elapsed = time.perf_counter() - started
        if dry_run:
            summary = f"Dry run: {len(report.valid)} of {report.cases} cases would be created, nothing stored."
        else:
            summary = f"Created {len(report.created)} of {report.cases} cases in {elapsed:.1f} s."
        self.stdout.write(summary)
        if report.errors and not (partial or dry_run):
            raise CommandError(f"{len(report.errors)} errors: nothing stored (use --partial to store the valid cases).")

    def _user(self, username):
        users = get_user_model().objects.filter(is_active=True)
        person = users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        if person is None:
            raise CommandError(f"No active user {username!r}." if username else "No superuser: name one with --user.")
        return person
