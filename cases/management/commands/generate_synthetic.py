import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cases.synthetic.loader import audit_triggers, load, next_index


class Command(BaseCommand):
    help = (
        "Add a realistic synthetic registry of N cases (deterministic for a seed), for benchmarks and demos. "
        "The audit trail is paused for the rows this command writes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many cases to add.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same registry (default 1).")
        parser.add_argument(
            "--start",
            type=int,
            default=None,
            help="Number of the first case to generate (default: after the synthetic cases already stored).",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="Cases per COPY transaction.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (e.g. in logs).")

    def handle(self, *args, cases, seed, start, batch_size, no_progress, **options):
        if cases < 0 or batch_size < 1 or (start is not None and start < 0) or seed < 0:
            raise CommandError("--cases, --seed and --start must not be negative, --batch-size at least 1.")
        first = next_index() if start is None else start
        paused = sorted(audit_triggers())
        self.stdout.write(
            f"Generating {cases} synthetic cases of seed {seed} (case numbers {first + 1}–{first + cases}).\n"
            f"The audit trail is PAUSED for this load only: no history events are written for these rows "
            f"({', '.join(paused)}); the triggers are switched on again inside every batch's transaction."
        )
        started = time.perf_counter()
        with tqdm(total=cases, unit="case", disable=no_progress, file=self.stderr._out, smoothing=0.1) as bar:
            result = load(seed=seed, count=cases, start=first, batch_size=batch_size, progress=bar.update)
        elapsed = time.perf_counter() - started
        if result.cases:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Stored {result.cases} cases ({result.first_registry_id} … {result.last_registry_id}) "
                    f"and {result.rows} rows in {elapsed:.1f} s; audit trail on again."
                )
            )
        for table, rows in sorted(result.tables.items()):
            self.stdout.write(f"  {table}: {rows} rows")
