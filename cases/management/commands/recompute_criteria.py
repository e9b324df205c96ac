import os
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cases.models import Case
from cases.services.criteria import recompute


class Command(BaseCommand):
    help = (
        "Recompute the stored classification criteria results of every case (after a change of the rules in "
        "cases/criteria/). Case writes keep them current otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="Case ids per transaction (default 2000).")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="Processes, one per core (default: cores)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (e.g. in logs).")

    def handle(self, *args, batch_size, workers, no_progress, **options):
        if batch_size < 1 or workers < 1:
            raise CommandError("--batch-size and --workers must be at least 1.")
        total = Case.objects.count()
        started = time.perf_counter()
        done = 0
        with tqdm(total=total, unit="case", disable=no_progress, file=self.stderr._out, smoothing=0.1) as bar:
            for cases in recompute(batch=batch_size, workers=workers):
                done += cases
                bar.update(cases)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Recomputed the criteria of {done} cases (4 sets each) in {elapsed:.1f} s.")
        )
