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
from concurrent.futures import ThreadPoolExecutor

from django.utils import timezone

from cases import access
from cases.document.schema import ALL_LISTS
from cases.document.writer import reads_deidentified
from cases.exports.codebook import KEYS as CODEBOOK_KEYS
from cases.exports.codebook import codebook_csv, codebook_rows, file_columns
from cases.exports.parquet import ParquetWriter
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


def _csv_files(zipped, pipe, cases, deidentify: bool, written: list) -> Iterator[bytes]:
    """One CSV file per table into ``zipped``, each listed in ``written`` once PostgreSQL has sent it all.

    The zip's compressor runs in a thread of its own while this one reads the next block from PostgreSQL
    (zlib and the wait for PostgreSQL both let go of the GIL): one after the other, they made tables.zip
    twice as slow as COPY (issue 16). The blocks are compressed one at a time and in order, so the zip is
    the same, byte for byte, and memory holds two blocks.
    """
    columns = file_columns(deidentify)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="zip") as compressor:
        for name, select, params in _selects(cases, deidentify, spreadsheet=True):
            header, rows = [column.name for column in columns[name]], CopyCsv(select, params)
            with zipped.open(f"{name}.csv", "w", force_zip64=True) as entry:
                entry.write(_header(header))
                # The file's header at once: the download starts before PostgreSQL has the first row.
                yield pipe.take()
                compressing = None
                try:
                    for block in rows:
                        if compressing is not None:
                            compressing.result()
                            yield pipe.take()  # only while the compressor is idle: it appends to the pipe
                        compressing = compressor.submit(entry.write, block)
                finally:
                    # Also when the download stops half-way: the entry is closed by this thread only once idle.
                    if compressing is not None:
                        compressing.result()
            yield pipe.take()
            written.append({"name": f"{name}.csv", "rows": rows.rows, "columns": header})


def _parquet_files(zipped, pipe, cases, deidentify: bool, written: list, started) -> Iterator[bytes]:
    """One Parquet file per table, typed by the codebook, with the values unaltered by spreadsheet safety."""
    columns = file_columns(deidentify)
    # The first file's header goes out before the writing process has started (and loaded pyarrow).
    with ParquetWriter() as writer:
        for name, select, params in _selects(cases, deidentify, spreadsheet=False):
            # Parquet compresses its own columns (zstd): the zip only stores the files.
            entry = zipfile.ZipInfo(f"{name}.parquet", date_time=started.timetuple()[:6])
            with zipped.open(entry, "w", force_zip64=True) as sink:
                yield pipe.take()  # the file's header at once
                for _ in writer.table(columns[name], select, params, sink):
                    yield pipe.take()
            yield pipe.take()
            written.append(
                {"name": entry.filename, "rows": writer.rows, "columns": [column.name for column in columns[name]]}
            )


def stream_tables_zip(user, cases, parameters: dict, file_format: str = "csv") -> Iterator[bytes]:
    """cases, one file per child table and criteria, keyed by registry_id, the vocabularies (one file each,
    with parents and paths), codebook.csv, then manifest.json; streamed. ``file_format``: csv or parquet.

    The manifest comes last and counts the rows PostgreSQL actually sent for each file.
    """
    started = timezone.now()
    deidentify = deidentifies(user)
    pipe = _Pipe()
    written = []
    # Level 4 rather than zlib's 6: half the compressor's time for files 13% larger (the 8 MB of CSV of a
    # 3,001-case registry: 0.16 s -> 0.08 s, 1.11 MB -> 1.25 MB); the compressor runs in the serving worker.
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=4) as zipped:
        if file_format == "parquet":
            yield from _parquet_files(zipped, pipe, cases, deidentify, written, started)
        else:
            yield from _csv_files(zipped, pipe, cases, deidentify, written)
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
