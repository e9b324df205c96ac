"""Backups with PostgreSQL's own tools: a pg_dump archive in, pg_restore into an empty database out."""

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.management.base import CommandError
from psycopg import sql


def database_url(name: str | None = None) -> str:
    """A libpq URI for the configured server, optionally for another database on it."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{quote(name or db['NAME'])}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (Debian: postgresql-client).")
    return path


def dump(output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={output}", database_url()],
        check=True,
    )
    return output


def _admin_connection():
    return psycopg.connect(database_url("postgres"), autocommit=True)


def create_empty_database(name: str) -> None:
    with _admin_connection() as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    with _admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def table_count(name: str) -> int:
    with psycopg.connect(database_url(name)) as conn:
        return conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").fetchone()[
            0
        ]


def restore(archive: Path, name: str) -> None:
    """Restore into ``name``, which must be empty: a restore never overwrites a live registry."""
    if not archive.is_file():
        raise CommandError(f"No backup archive at {archive}.")
    create_empty_database(name)
    if table_count(name):
        raise CommandError(f"Database {name} is not empty; restore into an empty database.")
    subprocess.run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database_url(name)}",
            str(archive),
        ],
        check=True,
        env={**os.environ},
    )
