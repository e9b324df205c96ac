"""The import's benchmark file: the first 10,000 clinic cases of the bench registry as a tables.zip.

Built once in this process (the curator's export, from the bench database), then given to each run with
fresh local references (``bench-create-import-<run>-<n>``), so that no run's cases are duplicates of an
earlier run's and the harness removes them all afterwards (``sql.delete_cases``). Clinic cases only: a
published case imported again is a likely duplicate of its original and would be refused.
"""

import csv
import io
import zipfile
from itertools import count

IMPORT_CASES = 10_000
IMPORT_FLOOR = 500  # cases per second through the services (issue 14.3)


def import_sample():
    from cases.models import Case

    return Case.objects.filter(source="clinic").order_by("pk")[:IMPORT_CASES]


def import_size() -> int:
    return import_sample().count()


class ImportFile:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.runs = count(1)
        self.base: bytes | None = None

    def _export(self) -> bytes:
        from django.contrib.auth import get_user_model

        from cases.exports.files import stream_tables_zip
        from cases.models import Case

        curator = get_user_model().objects.get(username="curator")
        chosen = Case.objects.filter(pk__in=list(import_sample().values_list("pk", flat=True))).order_by("pk")
        return b"".join(stream_tables_zip(curator, chosen, {}))

    def __call__(self) -> dict:
        if self.base is None:
            self.base = self._export()
        run = next(self.runs)
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(self.base)) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped,
        ):
            for name in source.namelist():
                data = source.read(name)
                if name == "cases.csv":
                    data = self._renamed(data.decode("utf-8-sig"), run).encode("utf-8")
                zipped.writestr(name, data)
        return {"file": ("tables.zip", out.getvalue(), "application/zip")}

    def _renamed(self, text: str, run: int) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        column = rows[0].index("local_reference")
        for number, row in enumerate(rows[1:], start=1):
            row[column] = f"{self.prefix}import-{run}-{number}"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()
