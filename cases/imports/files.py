"""An uploaded file read as tables of text cells, whatever it came as.

The import reads three kinds of upload the same way: this registry's ``tables.zip`` with CSV files, the same
with Parquet files (same file and column names, ``.parquet``), and the ``.xlsx`` template (one sheet per file).
Each becomes ``{"treatments": Table, …}`` whose cells are text as the CSV export writes them ("" when empty),
so that everything after this module reads one shape.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings

# The first data row of a file is row 2: the header is row 1, as a spreadsheet numbers them.
FIRST_ROW = 2


@dataclass
class Table:
    file: str  # the name the user knows it by: "treatments.csv", or the sheet "treatments"
    columns: list[str]
    rows: list[dict[str, str]]
    key_column: str | None = None  # registry_id (an export) or case_key (the template), once checked

    def row_number(self, index: int) -> int:
        return FIRST_ROW + index


class FileRefused(Exception):
    """The upload cannot be read at all; ``errors`` in the import's own shape."""

    def __init__(self, message: str, file: str = ""):
        self.errors = [{"file": file, "row": None, "case": None, "column": None, "message": message}]
        super().__init__(message)


def read_tables(handle, name: str = "") -> tuple[dict[str, Table], str]:
    """``{table name: Table}`` and the upload's kind ("csv", "parquet" or "xlsx") from a binary file object."""
    if not zipfile.is_zipfile(handle):
        raise FileRefused(
            "Not a zip file: upload the tables.zip of an export (CSV or Parquet) or the filled .xlsx template.", name
        )
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRefused(f"The zip file cannot be read ({exc}).", name) from exc
    with archive:
        _check_size(archive, name)
        names = archive.namelist()
        try:
            if "xl/workbook.xml" in names:
                return _xlsx_tables(handle, name), "xlsx"
            parquet = [n for n in names if n.endswith(".parquet")]
            if parquet:
                return _zipped_tables(archive, parquet, _parquet_rows), "parquet"
            return _zipped_tables(archive, [n for n in names if n.endswith(".csv")], _csv_rows), "csv"
        except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
            raise FileRefused(f"The zip file is damaged ({exc}).", name) from exc


def _check_size(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip bomb before reading it: Python's zipfile never inflates an entry past its stated size,
    so the stated sizes bound what reading can cost."""
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    total = sum(info.file_size for info in archive.infolist())
    if total > limit:
        raise FileRefused(
            f"The zip file unpacks to {total:,} bytes, more than the import limit of {limit:,} bytes.", name
        )


def _zipped_tables(archive: zipfile.ZipFile, members: list[str], read_rows) -> dict[str, Table]:
    tables = {}
    for member in members:
        stem = PurePosixPath(member).stem
        file = PurePosixPath(member).name
        columns, rows = read_rows(archive.read(member), file)
        tables[stem] = Table(file=file, columns=columns, rows=rows)
    return tables


def _csv_rows(data: bytes, file: str) -> tuple[list[str], list[dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused("Not UTF-8 text: save the file as CSV UTF-8.", file) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        columns = next(reader, [])
        rows = [dict(zip(columns, _padded(row, len(columns)), strict=True)) for row in reader if any(row)]
    except csv.Error as exc:
        raise FileRefused(f"Not a readable CSV file ({exc}).", file) from exc
    return columns, rows


def _padded(row: list[str], length: int) -> list[str]:
    return (row + [""] * length)[:length]


def _parquet_rows(data: bytes, file: str) -> tuple[list[str], list[dict]]:
    import pyarrow.parquet as pq  # only an import of Parquet needs it loaded

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises its own errors (ArrowInvalid, OSError) for a bad file
        raise FileRefused(f"Not a readable Parquet file ({exc}).", file) from exc
    columns = table.column_names
    values = {name: [as_text(v) for v in table.column(name).to_pylist()] for name in columns}
    return columns, [{name: values[name][i] for name in columns} for i in range(table.num_rows)]


def _xlsx_tables(handle, name: str) -> dict[str, Table]:
    import openpyxl

    handle.seek(0)
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused(f"Not a readable .xlsx workbook ({exc}).", name) from exc
    tables = {}
    try:
        for sheet in workbook.worksheets:
            cells = sheet.iter_rows(values_only=True)
            header = next(cells, ()) or ()
            columns = [as_text(c) for c in header]
            while columns and not columns[-1]:
                columns.pop()
            rows = []
            for row in cells:
                texts = _padded([as_text(c) for c in row], len(columns))
                if any(texts):
                    rows.append(dict(zip(columns, texts, strict=True)))
            tables[sheet.title] = Table(file=sheet.title, columns=columns, rows=rows)
    finally:
        workbook.close()
    return tables


def as_text(value) -> str:
    """A typed cell (Parquet, a spreadsheet) as the CSV export writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value else str(value)
    if isinstance(value, (list, tuple)):
        return ";".join(as_text(v) for v in value)
    return str(value)
