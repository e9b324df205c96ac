"""Flat files for R, pandas and spreadsheets, built from the same case documents as the API.

Because every row comes from ``case_document`` (de-identified for a researcher),
an export shows exactly what the API shows. Cases are read ``CHUNK`` at a time
with ``for_detail()``, so an export of any size costs a fixed number of queries
per chunk and holds only one chunk of cases in memory; both files are streamed.
"""

import contextlib
import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator

from django.utils import timezone

from api.views.common import document_for
from cases import access
from cases.models import Case
from cases.services.schema import CHILDREN

CHUNK = 200
# Excel opens a UTF-8 file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"
LIST_SEPARATOR = ";"

CASE_COLUMNS = [
    "registry_id", "version", "site", "source",
    "publication_doi", "publication_pmid", "publication_year", "publication_title", "publication_citation",
    "local_reference", "sex", "age_at_presentation", "country", "consent",
    "calcinosis_etiology", "calcinosis_extent", "status",
    "primary_condition", "primary_duration_years", "conditions",
    "features_present", "features_absent", "positive_antibodies", "negative_antibodies",
    "calcinosis_regions", "agents", "agent_responses",
    "summary", "verified_at", "created_at", "updated_at",
]
IDENTIFYING_COLUMNS = {"local_reference"}


def case_columns(user) -> list[str]:
    # A researcher's export has no identifying columns at all, not empty ones.
    if access.is_curator(user) or access.clinician_site_ids(user):
        return CASE_COLUMNS
    return [c for c in CASE_COLUMNS if c not in IDENTIFYING_COLUMNS]


def child_columns(key: str) -> list[str]:
    spec = CHILDREN[key]
    extra = ["site_ids"] if key == "treatments" else []
    return ["registry_id", "id", *spec.fields, *extra]


def documents(user, cases) -> Iterator[dict]:
    """The documents of the cases of ``cases`` in its order, CHUNK cases per round of queries."""
    ids = list(cases.values_list("pk", flat=True))  # the rows this export promises
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        loaded = {case.pk: case for case in Case.objects.filter(pk__in=chunk).for_detail()}
        for pk in chunk:
            if pk in loaded:  # deleted since the export began
                yield document_for(user, loaded[pk])


def _unique(values) -> str:
    return LIST_SEPARATOR.join(dict.fromkeys(v for v in values if v))


def case_row(doc: dict) -> dict:
    """One line per case: the case fields and the summary columns of its child lists."""
    publication = doc.get("publication") or {}
    primary = next((d for d in doc["diagnoses"] if d["is_primary"]), {})
    row = {name: doc.get(name) for name in CASE_COLUMNS if name in doc}
    row.update({
        "publication_doi": publication.get("doi"),
        "publication_pmid": publication.get("pmid"),
        "publication_year": publication.get("year"),
        "publication_title": publication.get("title"),
        "publication_citation": publication.get("citation"),
        "primary_condition": primary.get("condition"),
        "primary_duration_years": primary.get("duration_years"),
        "conditions": _unique(d["condition"] for d in doc["diagnoses"]),
        "features_present": _unique(f["feature"] for f in doc["features"] if f["status"] == "present"),
        "features_absent": _unique(f["feature"] for f in doc["features"] if f["status"] == "absent"),
        "positive_antibodies": _unique(s["test"] for s in doc["serology"] if s["result"] == "positive"),
        "negative_antibodies": _unique(s["test"] for s in doc["serology"] if s["result"] == "negative"),
        "calcinosis_regions": _unique(s["region"] for s in doc["calcinosis_sites"]),
        "agents": _unique(t["agent"] for t in doc["treatments"]),
        "agent_responses": LIST_SEPARATOR.join(f"{t['agent']}:{t['response']}" for t in doc["treatments"]),
    })
    return row


def child_rows(key: str, doc: dict) -> Iterator[dict]:
    for row in doc[key]:
        yield {"registry_id": doc["registry_id"], **row}


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


class _Table:
    """One CSV file being written: its columns, where its text goes, and how many rows it holds."""

    def __init__(self, columns, text=None):
        self.columns = columns
        self.text = text if text is not None else io.StringIO()
        self.text.write(BOM)
        self.writer = csv.writer(self.text, lineterminator="\r\n")
        self.writer.writerow(columns)
        self.rows = 0

    def add(self, row: dict):
        self.writer.writerow([cell(row.get(c)) for c in self.columns])
        self.rows += 1

    def take(self) -> str:
        """The text written since the last take (for streaming)."""
        text = self.text.getvalue()
        self.text.seek(0)
        self.text.truncate()
        return text


def stream_cases_csv(user, cases) -> Iterator[str]:
    table = _Table(case_columns(user))
    yield table.take()
    for count, doc in enumerate(documents(user, cases), start=1):
        table.add(case_row(doc))
        if count % CHUNK == 0:
            yield table.take()
    yield table.take()


class _Pipe(io.RawIOBase):
    """A write-only, unseekable stream whose bytes a generator hands on as they come."""

    def __init__(self):
        super().__init__()
        self.chunks: list[bytes] = []

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def stream_tables_zip(user, cases, parameters: dict) -> Iterator[bytes]:
    """cases.csv and one CSV per child table, keyed by registry_id, then manifest.json; streamed.

    cases.csv goes into the zip as the cases are read; the child tables are
    written to temporary files in the same pass and copied in after it, so
    memory holds one chunk of cases whatever the size of the registry. The
    manifest comes last and counts the rows actually written.
    """
    started = timezone.now()
    pipe = _Pipe()
    with contextlib.ExitStack() as stack:
        zipped = stack.enter_context(zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED))
        children = {
            key: _Table(child_columns(key), stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline="")))
            for key in CHILDREN
        }
        cases_table = _Table(case_columns(user))
        with zipped.open("cases.csv", "w", force_zip64=True) as entry:
            for count, doc in enumerate(documents(user, cases), start=1):
                cases_table.add(case_row(doc))
                for key, table in children.items():
                    for row in child_rows(key, doc):
                        table.add(row)
                if count % CHUNK == 0:
                    entry.write(cases_table.take().encode("utf-8"))
                    yield pipe.take()
            entry.write(cases_table.take().encode("utf-8"))
        yield pipe.take()
        for key, table in children.items():
            table.text.seek(0)
            with zipped.open(f"{key}.csv", "w", force_zip64=True) as entry:
                while block := table.text.read(1024 * 1024):
                    entry.write(block.encode("utf-8"))
                    yield pipe.take()
        tables = {"cases": cases_table, **children}
        zipped.writestr("manifest.json", json.dumps(manifest(user, parameters, started, tables), indent=2))
    yield pipe.take()  # the zip's central directory, written when it closes


def manifest(user, parameters, started, tables) -> dict:
    return {
        "registry_api": "v1",
        "generated_at": started.isoformat(),
        "filter": parameters,
        "role": access.role_label(user),
        "deidentified": access.is_researcher(user),
        "key": "registry_id",
        "files": [
            {"name": f"{name}.csv", "rows": table.rows, "columns": table.columns} for name, table in tables.items()
        ],
    }
