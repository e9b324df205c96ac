"""tables.zip as Parquet: the CSV export's tables with typed columns, for pandas, R and Spark.

The rows come from the same SELECTs as the CSV files (``cases.exports.sql``, without
the spreadsheet's leading "'"), still as PostgreSQL's COPY CSV, so the values cannot
drift from the CSV's: pyarrow's CSV parser types a batch of rows at a time by the
codebook (``cases.exports.codebook``) and each batch becomes one row group, written
into the zip as it comes. Memory holds one batch, whatever the size of the export.

pyarrow runs in a process of its own for the export (``cases.exports.arrow``), so that
the worker never holds it (issue 16); this side reads PostgreSQL, cuts the batches and
writes what comes back into the zip.
"""

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from cases.exports import frames
from cases.exports.codebook import Column
from cases.exports.sql import SEPARATOR, CopyCsv

# One row group per this much CSV from PostgreSQL (some 2,000 cases, 10,000 list rows): large enough for
# columnar compression and fast reads, small enough that a batch and its Arrow table stay a few MB.
BATCH_BYTES = 1024 * 1024
_WRITER = Path(__file__).with_name("arrow.py")
# The writing process's peak resident memory in MB, read as the last export ended: the benchmark adds it to
# the worker's own (bench/wsgi.py), since the export needed both.
last_peak_memory_mb: float | None = None


def _peak_memory_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class ParquetWriter:
    """The Parquet writing process of one export, for all its files one after the other."""

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, str(_WRITER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
        )
        # What the process writes is read as it comes, so that it never waits on a full pipe while this
        # side waits to hand it the next batch.
        self.answers: queue.Queue = queue.Queue()
        self.reader = threading.Thread(target=self._read, name="parquet-answers", daemon=True)
        self.reader.start()
        return self

    def _read(self) -> None:
        try:
            while (frame := frames.read_frame(self.process.stdout)) is not None:
                self.answers.put(frame)
        finally:
            self.answers.put(None)

    def __exit__(self, *exc):
        global last_peak_memory_mb
        last_peak_memory_mb = _peak_memory_mb(self.process.pid)
        try:
            self.process.stdin.close()
        except OSError:
            pass
        if exc[0] is not None:
            self.process.kill()
        self.process.wait()
        self.reader.join()

    def _send(self, kind: bytes, data: bytes = b"") -> None:
        frames.write_frame(self.process.stdin, kind, data)
        self.process.stdin.flush()

    def _written(self, sink, until_complete: bool) -> None:
        """Writes into ``sink`` what the process has sent; with ``until_complete``, up to the file's end."""
        while True:
            try:
                frame = self.answers.get(block=until_complete)
            except queue.Empty:
                return
            if frame is None:
                raise RuntimeError(f"the Parquet writer stopped (exit status {self.process.wait()})")
            kind, data = frame
            if kind == b"E":
                return
            sink.write(data)

    def table(self, columns: list[Column], select: str, params: list, sink) -> Iterator[None]:
        """Writes one file to ``sink``, yielding after each row group so the caller can send what is written;
        ``self.rows``: the rows PostgreSQL sent."""
        described = [{"name": column.name, "type": column.type, "digits": column.digits} for column in columns]
        self._send(b"F", json.dumps({"columns": described, "separator": SEPARATOR}).encode())
        source = CopyCsv(select, params)
        batch, size = [], 0
        # Each block from COPY is whole rows, so a batch never splits a row (even one with a line break).
        for block in source:
            batch.append(block)
            size += len(block)
            if size >= BATCH_BYTES:
                self._send(b"B", b"".join(batch))
                batch, size = [], 0
                self._written(sink, until_complete=False)
                yield
        if batch:
            self._send(b"B", b"".join(batch))
        self._send(b"E")
        self._written(sink, until_complete=True)
        self.rows = source.rows
        yield
