"""tables.zip as Parquet: the CSV export's tables with typed columns, for pandas, R and Spark.

The rows come from the same SELECTs as the CSV files (``cases.exports.sql``, without
the spreadsheet's leading "'"), still as PostgreSQL's COPY CSV, so the values cannot
drift from the CSV's: pyarrow's CSV parser types a batch of rows at a time by the
codebook (``cases.exports.codebook``) and each batch becomes one row group, written
into the zip as it comes. Memory holds one batch, whatever the size of the export.
"""

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from cases.exports.codebook import Column
from cases.exports.sql import SEPARATOR, CopyCsv

# One row group per this much CSV from PostgreSQL (some 2,000 cases, 10,000 list rows): large enough for
# columnar compression and fast reads, small enough that a batch and its Arrow table stay a few MB (issue 16's
# budget is 200 MB for the worker, of which importing and first running pyarrow takes some 80 MB).
BATCH_BYTES = 1024 * 1024
# zstd: smaller than snappy by a third here, at the same speed and memory (measured on 3,001 cases).
COMPRESSION = "zstd"

_PLAIN = {
    "text": pa.string(),
    "code": pa.string(),
    "integer": pa.int64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    # Read as text, then split on ";" (the CSV's list).
    "code_list": pa.string(),
}


# The C library's allocator rather than Arrow's mimalloc, which keeps arenas of its own: some 8 MB less at the
# worker's peak on 3,001 cases, at the same speed. pyarrow serves these exports only, so the setting is theirs.
pa.set_memory_pool(pa.system_memory_pool())


def arrow_type(column: Column) -> pa.DataType:
    """The Parquet type of a codebook column: codes as strings, code lists as lists of strings."""
    if column.type == "decimal":
        return pa.decimal128(*column.digits)
    if column.type == "code_list":
        return pa.list_(pa.string())
    return _PLAIN[column.type]


def schema_of(columns: list[Column]) -> pa.Schema:
    return pa.schema([pa.field(column.name, arrow_type(column)) for column in columns])


class ParquetTable:
    """One file of the zip: the COPY CSV rows of ``select`` typed by ``columns``, written in row groups."""

    def __init__(self, columns: list[Column], select: str, params: list):
        self.columns, self.rows = columns, 0
        self.source = CopyCsv(select, params)
        self.schema = schema_of(columns)
        names = [column.name for column in columns]
        # One thread: a batch is small, and every thread of Arrow's pool holds an allocator arena of its own.
        self.read = pcsv.ReadOptions(column_names=names, autogenerate_column_names=False, use_threads=False)
        # A free text may hold line breaks: the parser must not cut a batch into blocks at one.
        self.parse = pcsv.ParseOptions(newlines_in_values=True)
        # An empty cell is null, as in the CSV file (the exporter writes no empty texts).
        self.convert = pcsv.ConvertOptions(
            column_types={column.name: _PLAIN.get(column.type, arrow_type(column)) for column in columns},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            true_values=["true"],
            false_values=["false"],
        )

    def _typed(self, csv_rows: bytes) -> pa.Table:
        table = pcsv.read_csv(
            pa.py_buffer(csv_rows), read_options=self.read, parse_options=self.parse, convert_options=self.convert
        )
        for index, column in enumerate(self.columns):
            if column.type == "code_list":
                table = table.set_column(index, column.name, pc.split_pattern(table.column(index), SEPARATOR))
        return table.cast(self.schema)

    def write_to(self, sink) -> Iterator[None]:
        """Writes the file to ``sink``, yielding after each row group so the caller can send what is written."""
        # Statistics (min / max per row group, kept in the footer until the file ends) for the key, codes,
        # numbers and dates, which readers filter on; a free text's would be up to 4 KB a row group, for nothing.
        statistics = [column.name for column in self.columns if column.type != "text" or column.name == "registry_id"]
        sink = pa.PythonFile(sink, mode="w")
        with pq.ParquetWriter(sink, self.schema, compression=COMPRESSION, write_statistics=statistics) as writer:
            yield  # the file has begun: the download with it
            batch, size = [], 0
            # Each block from COPY is whole rows, so a batch never splits a row (even one with a line break).
            for block in self.source:
                batch.append(block)
                size += len(block)
                if size >= BATCH_BYTES:
                    writer.write_table(self._typed(b"".join(batch)))
                    batch, size = [], 0
                    # What a row group used goes back to the system rather than waiting for the next.
                    pa.default_memory_pool().release_unused()
                    yield
            if batch:
                writer.write_table(self._typed(b"".join(batch)))
        self.rows = self.source.rows
        yield
