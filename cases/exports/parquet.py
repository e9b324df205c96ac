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

from cases.exports.codebook import Column, file_columns
from cases.exports.sql import SEPARATOR, CopyCsv

# One row group per this much CSV from PostgreSQL: large enough for columnar compression and fast reads,
# small enough that a batch and its Arrow table stay well under the export's memory budget (issue 16).
BATCH_BYTES = 8 * 1024 * 1024

_PLAIN = {
    "text": pa.string(),
    "code": pa.string(),
    "integer": pa.int64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    # Read as text, then split on ";" (the CSV's list).
    "code_list": pa.string(),
}


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
        self.read = pcsv.ReadOptions(column_names=names, autogenerate_column_names=False)
        # An empty cell is null, as in the CSV file (the exporter writes no empty texts).
        self.convert = pcsv.ConvertOptions(
            column_types={column.name: _PLAIN.get(column.type, arrow_type(column)) for column in columns},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            true_values=["true"],
            false_values=["false"],
        )

    def _typed(self, csv_rows: bytes) -> pa.Table:
        table = pcsv.read_csv(pa.py_buffer(csv_rows), read_options=self.read, convert_options=self.convert)
        for index, column in enumerate(self.columns):
            if column.type == "code_list":
                table = table.set_column(index, column.name, pc.split_pattern(table.column(index), SEPARATOR))
        return table.cast(self.schema)

    def write_to(self, sink) -> Iterator[None]:
        """Writes the file to ``sink``, yielding after each row group so the caller can send what is written."""
        with pq.ParquetWriter(pa.PythonFile(sink, mode="w"), self.schema, compression="zstd") as writer:
            batch, size = [], 0
            # Each block from COPY is one row, so a batch never splits a row (even one with a line break).
            for block in self.source:
                batch.append(block)
                size += len(block)
                if size >= BATCH_BYTES:
                    writer.write_table(self._typed(b"".join(batch)))
                    batch, size = [], 0
                    yield
            if batch:
                writer.write_table(self._typed(b"".join(batch)))
        self.rows = self.source.rows
        yield


def tables(selects: list[tuple[str, str, list]], deidentify: bool) -> list[tuple[str, ParquetTable]]:
    """(file name, writer) for each (name, select, params) of the CSV export."""
    columns = file_columns(deidentify)
    return [(name, ParquetTable(columns[name], select, params)) for name, select, params in selects]
