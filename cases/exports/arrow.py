"""The Parquet writer of tables.zip, run as a process of its own: ``python cases/exports/arrow.py``.

pyarrow takes some 60 MB once loaded, and a worker cannot hand it back: every request the worker served
after a Parquet export carried it (the FHIR export peaked at 217 MB on 100,000 cases, issue 16). So the
worker never loads it: it sends this process the CSV rows PostgreSQL wrote, a batch at a time, and this
process sends back the Parquet file's bytes as they are written, then exits with the export.

Only the standard library and pyarrow are imported here (no Django). Both ways the stream is frames
(``cases.exports.frames``). The worker sends "F" (a file begins: its columns
as JSON), "B" (a batch of whole CSV rows, one row group), "E" (the file ends); this process answers "D"
(bytes of the file) and "E" (the file is complete).
"""

import io
import json
import sys

if not __package__:
    # The writing process: pyarrow loads NumPy when it is installed (some 9 MB here), and nothing written here
    # needs it. (Imported as a module, e.g. by a test, it leaves the interpreter's NumPy alone.)
    sys.modules.setdefault("numpy", None)

import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.csv as pcsv  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

if __package__:  # imported as cases.exports.arrow (the tests, a check of every module)
    from cases.exports.frames import read_frame, write_frame
else:  # run as a script: its own directory, cases/exports, is first on the path, and Django is not loaded
    from frames import read_frame, write_frame  # noqa: E402

# zstd: smaller than snappy by a third here, at the same speed and memory (measured on 3,001 cases).
COMPRESSION = "zstd"

_PLAIN = {
    "text": pa.string(),
    "code": pa.string(),
    "integer": pa.int64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    # Read as text, then split on the separator (the CSV's list).
    "code_list": pa.string(),
}

# The C library's allocator rather than Arrow's mimalloc, which keeps arenas of its own: some 8 MB less at
# the peak on 3,001 cases, at the same speed.
pa.set_memory_pool(pa.system_memory_pool())


def arrow_type(column: dict) -> pa.DataType:
    """The Parquet type of a codebook column: codes as strings, code lists as lists of strings."""
    if column["type"] == "decimal":
        return pa.decimal128(*column["digits"])
    if column["type"] == "code_list":
        return pa.list_(pa.string())
    return _PLAIN[column["type"]]


class _Frames(io.RawIOBase):
    """What the Parquet writer writes, sent on as "D" frames."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream

    def writable(self):
        return True

    def write(self, data):
        write_frame(self.stream, b"D", bytes(data))
        return len(data)


class ParquetFile:
    """One file: batches of COPY CSV rows typed by the codebook's columns, each written as one row group."""

    def __init__(self, columns: list[dict], separator: str, out):
        self.columns, self.separator = columns, separator
        self.schema = pa.schema([pa.field(column["name"], arrow_type(column)) for column in columns])
        names = [column["name"] for column in columns]
        # One thread: a batch is small, and every thread of Arrow's pool holds an allocator arena of its own.
        self.read = pcsv.ReadOptions(column_names=names, autogenerate_column_names=False, use_threads=False)
        # A free text may hold line breaks: the parser must not cut a batch into blocks at one.
        self.parse = pcsv.ParseOptions(newlines_in_values=True)
        # An empty cell is null, as in the CSV file (the exporter writes no empty texts).
        self.convert = pcsv.ConvertOptions(
            column_types={column["name"]: _PLAIN.get(column["type"], arrow_type(column)) for column in columns},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            true_values=["true"],
            false_values=["false"],
        )
        # Statistics (min / max per row group, kept in the footer until the file ends) for the key, codes,
        # numbers and dates, which readers filter on; a free text's would be up to 4 KB a row group, for nothing.
        statistics = [
            column["name"] for column in columns if column["type"] != "text" or column["name"] == "registry_id"
        ]
        self.writer = pq.ParquetWriter(
            pa.PythonFile(_Frames(out), mode="w"), self.schema, compression=COMPRESSION, write_statistics=statistics
        )

    def _typed(self, csv_rows: bytes) -> pa.Table:
        table = pcsv.read_csv(
            pa.py_buffer(csv_rows), read_options=self.read, parse_options=self.parse, convert_options=self.convert
        )
        for index, column in enumerate(self.columns):
            if column["type"] == "code_list":
                name = column["name"]
                table = table.set_column(index, name, pc.split_pattern(table.column(index), self.separator))
        return table.cast(self.schema)

    def write(self, csv_rows: bytes) -> None:
        self.writer.write_table(self._typed(csv_rows))
        # What a row group used goes back to the system rather than waiting for the next.
        pa.default_memory_pool().release_unused()

    def close(self) -> None:
        self.writer.close()


def main() -> None:
    given, out = sys.stdin.buffer, sys.stdout.buffer
    current = None
    while (frame := read_frame(given)) is not None:
        kind, data = frame
        if kind == b"F":
            described = json.loads(data)
            current = ParquetFile(described["columns"], described["separator"], out)
        elif kind == b"B":
            current.write(data)
        elif kind == b"E":
            current.close()
            current = None
            write_frame(out, b"E")
        out.flush()


if __name__ == "__main__":
    main()
