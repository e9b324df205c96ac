"""The registry's WSGI application, counting the SQL statements and the peak memory of each request.

The harness sends ``X-Bench-Id``; when the response has been sent (streamed
bodies included) one JSON line goes to ``$BENCH_REQUEST_LOG``: the id, the
number of statements Django executed and the worker's peak resident memory
during the request. Only the benchmark server loads this file.
"""

import json
import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

registry = get_wsgi_application()
from cases.exports import parquet  # noqa: E402 (after Django is set up)

LOG = os.environ["BENCH_REQUEST_LOG"]


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _reset_peak_memory() -> None:
    # Writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _peak_memory_mb() -> float | None:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class _Counted:
    """Passes the body through; on close, removes the counter and writes the log line."""

    def __init__(self, body, finish):
        self.body = body
        self.finish = finish

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.finish()


def application(environ, start_response):
    request_id = environ.get("HTTP_X_BENCH_ID")
    if not request_id:
        return registry(environ, start_response)
    connection = connections["default"]
    counter = StatementCounter()
    connection.execute_wrappers.append(counter)
    _reset_peak_memory()
    parquet.last_peak_memory_mb = None

    def finish():
        if counter in connection.execute_wrappers:
            connection.execute_wrappers.remove(counter)
        line = {"id": request_id, "queries": counter.count, "peak_memory_mb": _peak_memory_mb()}
        # The Parquet export's writing process (cases.exports.parquet) runs beside the worker: both count.
        if parquet.last_peak_memory_mb is not None and line["peak_memory_mb"] is not None:
            line["worker_peak_memory_mb"] = line["peak_memory_mb"]
            line["writer_peak_memory_mb"] = parquet.last_peak_memory_mb
            line["peak_memory_mb"] += parquet.last_peak_memory_mb
        with open(LOG, "a") as handle:
            handle.write(json.dumps(line) + "\n")

    try:
        body = registry(environ, start_response)
    except BaseException:
        finish()
        raise
    # Keep the server's own body object (a file wrapper is sent with sendfile), hooking only its close().
    original_close = getattr(body, "close", None)

    def close():
        try:
            if original_close is not None:
                original_close()
        finally:
            finish()

    try:
        body.close = close
        return body
    except AttributeError:
        return _Counted(body, finish)
