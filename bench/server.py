"""The registry under gunicorn on a free local port, and a client that times requests to it.

One sync worker: requests are measured one at a time, and the peak memory the
worker reports is the memory one request needed. DEBUG is off (as in
production: no query log kept in memory, templates cached); the TLS-only
cookie and redirect settings are switched off because the server is plain HTTP
on 127.0.0.1.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent

SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-of-a-throwaway-local-server-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    # The harness logs in a few times a run; never lock it out.
    "AXES_FAILURE_LIMIT": "1000",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, database_url: str, timeout: int = 7200):
        self.database_url = database_url
        self.timeout = timeout
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="bench-requests-", suffix=".jsonl")[1])
        self.process: subprocess.Popen | None = None

    def env(self) -> dict:
        return {**os.environ, **SERVER_ENV, "DATABASE_URL": self.database_url, "BENCH_REQUEST_LOG": str(self.log)}

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--timeout",
            str(self.timeout),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                requests.get(self.base + "/healthz", timeout=2)
                return self
            # A worker still loading on a busy machine accepts the connection and answers late.
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)
        self.__exit__()  # no gunicorn left behind
        raise RuntimeError("gunicorn did not answer within a minute")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.unlink(missing_ok=True)


@dataclass
class Timed:
    status: int
    seconds: float
    first_byte: float | None  # seconds to the first byte of the body (streamed requests)
    body_bytes: int
    queries: int | None
    peak_memory_mb: float | None
    body: bytes | None = None  # kept for small responses only
    path: Path | None = None  # large downloads go to a temporary file
    aborted: bool = False  # the download was stopped at the time limit


class Client:
    """A logged-in user's HTTP session; every request comes back with its time and statement count."""

    def __init__(self, server: Server):
        self.server = server
        self.session = requests.Session()
        self.headers: dict[str, str] = {}
        self._log_offset = 0

    def login_token(self, username: str, password: str) -> bool:
        response = self.session.post(
            self.server.base + "/api/v1/auth/token/", json={"username": username, "password": password}, timeout=60
        )
        if response.status_code == 200 and "token" in response.json():
            self.headers["Authorization"] = f"Token {response.json()['token']}"
            return True
        return False

    def login_session(self, username: str, password: str) -> bool:
        """The browser's login form (sessions serve the admin, the browser pages and, with CSRF, the API)."""
        url = self.server.base + "/accounts/login/"
        page = self.session.get(url, timeout=60)
        if page.status_code != 200:
            return False
        token = self.session.cookies.get("csrftoken", "")
        response = self.session.post(
            url,
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=60,
        )
        if response.status_code not in (302, 303):
            return False
        self.headers["X-CSRFToken"] = self.session.cookies.get("csrftoken", token)
        return True

    def request(
        self,
        method: str,
        path: str,
        *,
        params=None,
        json_body=None,
        files=None,
        data=None,
        stream_to_file=False,
        keep_body=True,
        time_limit: float | None = None,
    ) -> Timed:
        request_id = uuid.uuid4().hex
        headers = {**self.headers, "X-Bench-Id": request_id, "Referer": self.server.base + "/"}
        started = time.perf_counter()
        response = self.session.request(
            method,
            self.server.base + path,
            params=params,
            json=json_body,
            files=files,  # a multipart upload (the import) with its form fields in data
            data=data,
            headers=headers,
            stream=True,
            allow_redirects=False,
            timeout=self.server.timeout,
        )
        first_byte = None
        size = 0
        chunks = []
        target = tempfile.NamedTemporaryFile(prefix="bench-", delete=False) if stream_to_file else None
        for chunk in response.iter_content(chunk_size=256 * 1024):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            if target:
                target.write(chunk)
            elif keep_body:
                chunks.append(chunk)
            if time_limit and time.perf_counter() - started > time_limit:
                aborted = True
                response.close()  # the server sees the client go and closes its response
                break
        else:
            aborted = False
        seconds = time.perf_counter() - started
        if target:
            target.close()
        record = self._record(request_id)
        return Timed(
            status=response.status_code,
            seconds=seconds,
            first_byte=first_byte,
            body_bytes=size,
            queries=record.get("queries"),
            peak_memory_mb=record.get("peak_memory_mb"),
            body=b"".join(chunks) if keep_body and not target else None,
            path=Path(target.name) if target else None,
            aborted=aborted,
        )

    def _record(self, request_id: str, wait: float = 5.0) -> dict:
        """The server's log line of this request (written when the worker closed the response)."""
        deadline = time.monotonic() + wait
        while True:
            with open(self.server.log) as handle:
                handle.seek(self._log_offset)
                while (line := handle.readline()).endswith("\n"):
                    self._log_offset = handle.tell()
                    entry = json.loads(line)
                    if entry["id"] == request_id:
                        return entry
            if time.monotonic() > deadline:
                return {}
            time.sleep(0.01)
