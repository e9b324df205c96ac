"""Flat files for R, pandas and spreadsheets: cases.csv, and tables.zip with one CSV per table.

The rows are written by PostgreSQL (``cases.exports.sql``: COPY of a SELECT that
gives the API document's values, de-identified for researchers) and streamed
as they come, so an export of any size starts at once, holds one block in
memory and costs a fixed number of queries. A text cell that a spreadsheet
would run as a formula is written with a leading "'" (``cases.exports.sql._text``).
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator

from django.utils import timezone

from cases import access
from cases.document.schema import ALL_LISTS
from cases.document.writer import reads_deidentified
from cases.exports.codebook import KEYS as CODEBOOK_KEYS
from cases.exports.codebook import codebook_csv, codebook_rows
from cases.exports.sql import (
    BOM,
    CRITERIA_COLUMNS,
    VOCABULARY_COLUMNS,
    CopyCsv,
    case_columns,
    cases_select,
    child_columns,
    child_select,
    criteria_select,
    vocabulary_select,
)
from cases.models import VOCABULARIES


def deidentifies(user) -> bool:
    return reads_deidentified(user)


def _header(columns: list[str]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(columns)
    return (BOM + text.getvalue()).encode("utf-8")


def stream_cases_csv(user, cases) -> Iterator[bytes]:
    deidentify = deidentifies(user)
    yield _header(case_columns(deidentify))
    yield from CopyCsv(*cases_select(cases, deidentify))


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
    """cases.csv, one CSV per child table and criteria.csv, keyed by registry_id, the vocabularies (one CSV
    each, with parents and paths), codebook.csv, then manifest.json; streamed.

    The manifest comes last and counts the rows PostgreSQL actually sent for each file.
    """
    started = timezone.now()
    deidentify = deidentifies(user)
    files = [("cases", case_columns(deidentify), CopyCsv(*cases_select(cases, deidentify)))]
    files += [
        (child.key, child_columns(child.key, deidentify), CopyCsv(*child_select(child.key, cases, deidentify)))
        for child in ALL_LISTS
    ]
    files.append(("criteria", list(CRITERIA_COLUMNS), CopyCsv(*criteria_select(cases))))
    files += [(f"vocabulary_{name}", VOCABULARY_COLUMNS, CopyCsv(*vocabulary_select(name))) for name in VOCABULARIES]
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, columns, rows in files:
            with zipped.open(f"{name}.csv", "w", force_zip64=True) as entry:
                entry.write(_header(columns))
                for block in rows:
                    entry.write(block)
                    yield pipe.take()
            yield pipe.take()
        codebook = codebook_csv(deidentify)
        zipped.writestr("codebook.csv", codebook)
        written = [{"name": f"{name}.csv", "rows": rows.rows, "columns": columns} for name, columns, rows in files]
        written.append({"name": "codebook.csv", "rows": len(codebook_rows(deidentify)), "columns": list(CODEBOOK_KEYS)})
        zipped.writestr("manifest.json", json.dumps(manifest(user, parameters, started, written), indent=2))
    yield pipe.take()  # the zip's central directory, written when it closes


def manifest(user, parameters, started, files: list[dict]) -> dict:
    """What was exported, when, by which filter and for whom, with each file's columns and row count."""
    return {
        "registry_api": "v1",
        "generated_at": started.isoformat(),
        "filter": parameters,
        "role": access.role_label(user),
        "deidentified": deidentifies(user),
        "key": "registry_id",
        "files": files,
    }
