"""The servers a deployment runs beside the registry, started for a test and gone after it.

``StreamingReplica``: a hot standby of the test cluster (``pg_basebackup -R`` and a
second postmaster in a temporary directory). ``RedisServer``: a cache-only Redis
on a free port. ``Registry``: the registry itself under gunicorn, one worker,
as a process of its own with its own environment.
"""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(ready, process: subprocess.Popen, what: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


class StreamingReplica:
    """A hot standby of the cluster that holds ``primary`` (a Django ``settings_dict``), on a free port.

    It replicates the whole cluster, so it holds the test database of this run as well.
    """

    def __init__(self, primary: dict):
        self.primary = primary
        self.port = free_port()
        self.directory: Path | None = None
        self.process: subprocess.Popen | None = None
        self._control: psycopg.Connection | None = None

    def conninfo(self, port: int | None = None) -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.primary["HOST"] or "127.0.0.1",
            port=port or self.primary["PORT"] or 5432,
            user=self.primary["USER"],
            password=self.primary["PASSWORD"] or None,
            dbname=self.primary["NAME"],
        )

    def _ask_primary(self, sql: str):
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            return connection.execute(sql).fetchone()[0]

    def _program(self, name: str, major: int) -> str | None:
        versioned = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
        return str(versioned) if versioned.exists() else shutil.which(name)

    def _owner(self) -> str | None:
        """Whom the standby runs as: PostgreSQL refuses root, so root runs it as the owner of the cluster's files."""
        if os.geteuid() != 0:
            return None
        data = Path(self._ask_primary("SHOW data_directory"))
        uid = data.stat().st_uid if data.exists() else 0
        return pwd.getpwuid(uid).pw_name if uid else "postgres"

    def start(self) -> None:
        major = int(self._ask_primary("SHOW server_version_num")) // 10000
        basebackup = self._program("pg_basebackup", major)
        if basebackup is None:
            pytest.fail("pg_basebackup is not installed (make replication installs Debian's postgresql-client)")
        postgres = self._program("postgres", major)
        assert postgres, f"the PostgreSQL {major} server program is not installed: the replica cannot run"
        owner = self._owner()
        self.directory = Path(tempfile.mkdtemp(prefix="registry-replica-"))
        if owner:
            shutil.chown(self.directory, owner, owner)
        data = self.directory / "data"
        env = {**os.environ, "PGPASSWORD": self.primary["PASSWORD"] or ""}
        copied = subprocess.run(
            [basebackup, "-D", str(data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"]
            + ["-h", self.primary["HOST"] or "127.0.0.1", "-p", str(self.primary["PORT"] or 5432)]
            + ["-U", self.primary["USER"]],
            env=env,
            user=owner,
            capture_output=True,
            text=True,
        )
        if "no pg_hba.conf entry for replication" in copied.stderr:
            pytest.fail(
                "PostgreSQL refuses a replication connection from 127.0.0.1, which the replica needs; "
                "`make replication` (run by `make test`) allows it in pg_hba.conf.\n" + copied.stderr
            )
        assert copied.returncode == 0, f"pg_basebackup failed:\n{copied.stderr}"
        method = self._ask_primary(
            "SELECT coalesce((SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host' "
            "AND address = '127.0.0.1' ORDER BY line_number LIMIT 1), 'scram-sha-256')"
        )
        # A Debian cluster keeps its configuration in /etc, outside the copied directory.
        for name, text in (
            ("postgresql.conf", ""),
            ("pg_hba.conf", f"host all all 127.0.0.1/32 {method}\n"),
            ("pg_ident.conf", ""),
        ):
            if not (data / name).exists():
                (data / name).write_text(text)
                if owner:
                    shutil.chown(data / name, owner, owner)
        log = self.directory / "postgres.log"
        settings = {
            "port": self.port,
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.directory),
            "hot_standby": "on",
            "fsync": "off",  # a throwaway copy
            "shared_buffers": "32MB",
            "logging_collector": "off",
            "cluster_name": "registry-test-replica",
        }
        options = [item for key, value in settings.items() for item in ("-c", f"{key}={value}")]
        with open(log, "w") as output:
            self.process = subprocess.Popen(
                [postgres, "-D", str(data), *options], user=owner, stdout=output, stderr=subprocess.STDOUT
            )
        _wait(self._accepts_connections, self.process, "the replica's postmaster", log)
        self._control = psycopg.connect(self.conninfo(self.port), autocommit=True)
        assert self._control.execute("SELECT pg_is_in_recovery()").fetchone()[0]

    def _accepts_connections(self) -> bool:
        with psycopg.connect(self.conninfo(self.port), connect_timeout=2):
            return True

    def stop(self) -> None:
        if self._control is not None:
            self._control.close()
        if self.process is not None:
            _stop(self.process, signal.SIGINT)  # PostgreSQL's fast shutdown
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)

    def caught_up(self, seconds: float = 30) -> None:
        """Waits until the replica has replayed everything the primary has written so far."""
        target = self._ask_primary("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + seconds
        while not self._control.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]:
            assert time.monotonic() < deadline, f"the replica did not replay up to {target} within {seconds} s"
            time.sleep(0.05)

    @contextlib.contextmanager
    def paused(self):
        """The replica stops replaying: whatever the primary writes meanwhile is not on it until the end."""
        self._control.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 10
        while self._control.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != "paused":
            assert time.monotonic() < deadline, "the replica did not pause its replay"
            time.sleep(0.05)
        try:
            yield
        finally:
            self._control.execute("SELECT pg_wal_replay_resume()")


class RedisServer:
    """A Redis used as a cache only (no snapshots, no append-only file), in a temporary directory."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = Path(tempfile.mkdtemp(prefix="registry-redis-"))
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        program = shutil.which("redis-server")
        assert program, "redis-server is missing: `make redis` (run by `make test`) installs it"
        log = self.directory / "redis.log"
        command = [program, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        command += ["--save", "", "--appendonly", "no", "--logfile", str(log)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(self._answers, self.process, "redis-server", log, seconds=20)
        return self

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def __exit__(self, *exc):
        if self.process is not None:
            _stop(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)


class Registry:
    """The registry under gunicorn (one sync worker) on a free port, with ``env`` on top of the test database's."""

    def __init__(self, database: dict, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": (
                f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
                f"/{database['NAME']}"
            ),
            "DATABASE_REPLICA_URLS": "",
            "REDIS_URL": "",
            "LOG_LEVEL": "ERROR",
            **env,
        }
        self.log = Path(tempfile.mkstemp(prefix="registry-gunicorn-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    def start(self) -> "Registry":
        command = [sys.executable, "-m", "gunicorn", "registry.wsgi:application", "--workers", "1"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        with open(self.log, "w") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT)
        return self

    def wait(self) -> "Registry":
        _wait(lambda: requests.get(self.base + "/healthz", timeout=2).ok, self.process, "gunicorn", self.log)
        return self

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
        self.log.unlink(missing_ok=True)
