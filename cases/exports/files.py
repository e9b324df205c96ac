"""Flat files for R, pandas and spreadsheets: cases.csv, and tables.zip with one CSV (or Parquet) file per table.

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
from cases.exports import parquet
from cases.exports.codebook import KEYS as CODEBOOK_KEYS
from cases.exports.codebook import codebook_csv, codebook_rows, file_columns
from cases.exports.sql import (
    BOM,
    CopyCsv,
    case_columns,
    cases_select,
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


def _selects(cases, deidentify: bool, spreadsheet: bool) -> list[tuple[str, str, list]]:
    """(file name, SELECT, parameters) of every table of tables.zip, in the zip's order."""
    selects = [("cases", *cases_select(cases, deidentify, spreadsheet))]
    selects += [(child.key, *child_select(child.key, cases, deidentify, spreadsheet)) for child in ALL_LISTS]
    selects.append(("criteria", *criteria_select(cases)))
    selects += [(f"vocabulary_{name}", *vocabulary_select(name, spreadsheet)) for name in VOCABULARIES]
    return selects


def _csv_tables(cases, deidentify: bool):
    columns = file_columns(deidentify)
    for name, select, params in _selects(cases, deidentify, spreadsheet=True):
        yield name, [column.name for column in columns[name]], CopyCsv(select, params)


def stream_tables_zip(user, cases, parameters: dict, file_format: str = "csv") -> Iterator[bytes]:
    """cases, one file per child table and criteria, keyed by registry_id, the vocabularies (one file each,
    with parents and paths), codebook.csv, then manifest.json; streamed. ``file_format``: csv or parquet.

    The manifest comes last and counts the rows PostgreSQL actually sent for each file.
    """
    started = timezone.now()
    deidentify = deidentifies(user)
    pipe = _Pipe()
    written = []
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        if file_format == "parquet":
            # Parquet compresses its own columns (zstd): the zip only stores the files.
            selects = _selects(cases, deidentify, spreadsheet=False)
            for name, table in parquet.tables(selects, deidentify):
                entry = zipfile.ZipInfo(f"{name}.parquet", date_time=started.timetuple()[:6])
                with zipped.open(entry, "w", force_zip64=True) as sink:
                    for _ in table.write_to(sink):
                        yield pipe.take()
                yield pipe.take()
                written.append({"name": entry.filename, "rows": table.rows, "columns": table.schema.names})
        else:
            for name, columns, rows in _csv_tables(cases, deidentify):
                with zipped.open(f"{name}.csv", "w", force_zip64=True) as entry:
                    entry.write(_header(columns))
                    for block in rows:
                        entry.write(block)
                        yield pipe.take()
                yield pipe.take()
                written.append({"name": f"{name}.csv", "rows": rows.rows, "columns": columns})
        extension = "parquet" if file_format == "parquet" else "csv"
        zipped.writestr("codebook.csv", codebook_csv(deidentify, extension))
        written.append(
            {"name": "codebook.csv", "rows": len(codebook_rows(deidentify, extension)), "columns": list(CODEBOOK_KEYS)}
        )
        described = manifest(user, parameters, started, written)
        zipped.writestr("manifest.json", json.dumps({**described, "format": file_format}, indent=2))
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
