"""``make bench SIZE=N``: a registry of N cases in a database of its own, served, measured, written up.

    python -m bench.run --size 100000            # what make bench runs
    python -m bench.run --size 1000 --repeat 3   # a quick look

The database ``calcinosis_bench_<N>`` is created next to the development
database (which stays as it is), migrated, given the demo accounts and filled
with ``generate_synthetic`` up to N cases; a later run with the same N reuses
it, unless its schema is older than the code's or another generator (or seed)
filled it: then it is made afresh. Then gunicorn serves it on a free port and
``bench.operations`` measures.
"""

import argparse
import datetime
import hashlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql as pg_sql

from bench import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/calcinosis_registry"
SYNTHETIC = r"^SYN-[0-9]+$"


RECOMPUTE = "manage.py recompute_criteria"


def database_url(size: int) -> tuple[str, str]:
    base = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    name = f"calcinosis_bench_{size}"
    return urlunsplit(base._replace(path="/" + name)), name


def conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def manage(url: str, *args: str, extra_env: dict | None = None) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": os.environ.get("DEBUG", "1"), **(extra_env or {})}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def time_recompute(url: str):
    """``manage.py recompute_criteria`` over the whole registry, once (issue 12: under 10 minutes at 1M)."""
    from bench.operations import Measured, Operation

    operation = Operation(
        f"{RECOMPUTE} (every case, 4 sets)",
        "COMMAND",
        "recompute_criteria",
        kind="command",
        repeat=1,
        target="< 10 min",
        max_seconds=600,
    )
    print(operation.name)
    started = time.perf_counter()
    manage(url, "recompute_criteria", "--no-progress")
    return Measured(operation, seconds=[time.perf_counter() - started])


def synthetic_cases(url: str) -> int:
    with psycopg.connect(conninfo(url)) as connection:
        return connection.execute("SELECT count(*) FROM cases_case WHERE local_reference ~ %s", [SYNTHETIC]).fetchone()[
            0
        ]


def drop_database(url: str, name: str) -> None:
    admin = urlsplit(url)._replace(path="/postgres")
    with psycopg.connect(conninfo(urlunsplit(admin)), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generator_mark(seed: int) -> str:
    """What filled a bench database: the seed and the synthetic generator's source (any change makes another)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "cases" / "synthetic").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"synthetic registry of seed {seed}, generator {digest.hexdigest()[:12]}"


def recorded_mark(url: str, name: str) -> str | None:
    """The mark the database carries (its COMMENT), None if it has none."""
    with psycopg.connect(conninfo(url)) as connection:
        return connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()[0]


def record_mark(url: str, name: str, mark: str) -> None:
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        connection.execute(
            pg_sql.SQL("COMMENT ON DATABASE {} IS {}").format(pg_sql.Identifier(name), pg_sql.Literal(mark))
        )


def has_tables(url: str) -> bool:
    with psycopg.connect(conninfo(url)) as connection:
        return connection.execute("SELECT to_regclass('cases_case') IS NOT NULL").fetchone()[0]


def migrated(url: str) -> bool:
    """No migration of the code is missing from the database (``migrate --check``)."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": os.environ.get("DEBUG", "1")}
    check = [sys.executable, "manage.py", "migrate", "--check", "-v", "0"]
    return subprocess.run(check, cwd=ROOT, env=env, capture_output=True).returncode == 0


def stale(url: str, name: str, mark: str) -> str | None:
    """Why the database cannot be reused as it is, or None.

    A registry of an older schema is made afresh rather than migrated: its cases are the older generator's
    (migrating them keeps the older content), and at a million cases generating is faster than migrating.
    """
    if not has_tables(url):
        return None  # new and empty: migrated below
    if not migrated(url):
        return "its schema is older than the code's"
    if recorded_mark(url, name) != mark:
        return "another generator (or seed) filled it"
    return None


def prepare(url: str, name: str, size: int, seed: int) -> None:
    """The bench database with exactly ``size`` synthetic cases of this generator (generated only when missing)."""
    manage(url, "ensure_database")
    mark = generator_mark(seed)
    reason = stale(url, name, mark)
    if reason:
        print(f"{name}: {reason}; starting it afresh.")
        drop_database(url, name)
        manage(url, "ensure_database")
    manage(url, "migrate", "--noinput", "-v", "0")
    have = synthetic_cases(url)
    if have > size:
        print(f"{name} holds {have} synthetic cases, more than {size}: starting it afresh.")
        drop_database(url, name)
        manage(url, "ensure_database")
        manage(url, "migrate", "--noinput", "-v", "0")
        have = 0
    # Marked before the cases are generated: a load that stops half-way is continued by the next run.
    record_mark(url, name, mark)
    manage(url, "load_vocabularies")
    manage(url, "load_demo")
    if have < size:
        manage(url, "generate_synthetic", "--cases", str(size - have), "--seed", str(seed))
        vacuum(url)
    else:
        print(f"{name} already holds {size} synthetic cases.")


def vacuum(url: str) -> None:
    """The registry as autovacuum leaves it in service: visibility maps set, so index-only scans read no rows.

    Right after a bulk load most pages are not yet marked all-visible, and an index-only scan (the criteria
    statistics' status from the case index) would still visit every row it counts.
    """
    print("VACUUM (ANALYZE) of the freshly generated registry.")
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def context(url: str, name: str, args) -> dict:
    with psycopg.connect(conninfo(url)) as connection:
        cases = connection.execute("SELECT count(*) FROM cases_case").fetchone()[0]
        children = sum(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (*sql.CHILD_TABLES, *sql.ASSESSMENT_TABLES, "cases_treatmenttarget")
        )
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    # The numbers belong to the tree as it was, not to the commit alone.
    commit = f"`{commit.strip()}`" + (f" with {len(changed)} uncommitted change(s) in the tree" if changed else "")
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "size": args.size,
        "seed": args.seed,
        "repeat": args.repeat,
        "export_repeat": args.export_repeat,
        "cases": cases,
        "synthetic": synthetic_cases(url),
        "child_rows": children,
        "database": name,
        "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit.strip(),
        "machine": f"{os.cpu_count()} CPU cores, {memory_gb:.0f} GB RAM, {platform.system()} {platform.release()}",
        "postgres": f"PostgreSQL {postgres}",
    }


def wanted(name: str, args) -> bool:
    name = name.lower()
    return args.only.lower() in name and not any(text.lower() in name for text in args.skip)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15, help="Runs per operation (fewer for slow ones).")
    parser.add_argument("--export-repeat", type=int, default=3)
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="Default: bench/results.md at 100,000 cases, bench/results-<SIZE>.md otherwise.",
    )
    parser.add_argument("--skip-prepare", action="store_true", help="Use the bench database as it is.")
    parser.add_argument(
        "--export-time-limit",
        type=float,
        default=None,
        help="Stop an export download after this many seconds and report the rate so far.",
    )
    parser.add_argument(
        "--only",
        default="",
        help="Measure only the operations whose name contains this text (case-insensitive); "
        "the recompute is 'manage.py recompute_criteria'). For working on one endpoint; a committed run measures all.",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        help="Leave out the operations whose name contains this text (repeatable), e.g. 'recompute_criteria'.",
    )
    args = parser.parse_args(argv)
    if args.output is None:
        name = "results.md" if args.size == 100_000 else f"results-{args.size}.md"
        args.output = ROOT / "bench" / name

    url, name = database_url(args.size)
    if not args.skip_prepare:
        prepare(url, name, args.size, args.seed)

    from bench.server import SERVER_ENV, Client, Server

    # DEBUG off serves static files from the collected manifest, as in production.
    manage(url, "collectstatic", "--noinput", "-v", "0", extra_env=SERVER_ENV)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.setdefault("DEBUG", "1")  # this process only reads the demo settings; the server runs with DEBUG off
    import django

    django.setup()
    from bench.operations import BENCH_REFERENCE, measure, operations
    from bench.report import write
    from cases.demo import demo_password

    password = demo_password()
    with psycopg.connect(conninfo(url)) as connection:
        sql.delete_cases(connection, BENCH_REFERENCE)  # left by an interrupted run
        registry_id = connection.execute(
            "SELECT registry_id FROM cases_case WHERE local_reference ~ %s ORDER BY id OFFSET %s LIMIT 1",
            [SYNTHETIC, args.size // 2],
        ).fetchone()[0]
        site = "syn-basel"
        site_id = connection.execute("SELECT id FROM cases_site WHERE code = %s", [site]).fetchone()[0]
        run_context = context(url, name, args)
        results = []
        with Server(url) as server:
            clients = {
                "researcher": Client(server),
                "curator": Client(server),
                "curator-session": Client(server),
                "researcher-session": Client(server),  # the cohort page, as a researcher reads it
            }
            for role, client in clients.items():
                username = role.removesuffix("-session")
                logged_in = (
                    client.login_session(username, password)
                    if role.endswith("-session")
                    else client.login_token(username, password) or client.login_session(username, password)
                )
                print(f"{role}: {'logged in' if logged_in else 'could NOT log in'}")
            for operation in operations(
                registry_id=registry_id,
                repeat=args.repeat,
                export_repeat=args.export_repeat,
                create_site=site,
                create_site_id=site_id,
            ):
                if not wanted(operation.name, args):
                    continue
                print(operation.name)
                results.append(
                    measure(operation, clients[operation.user], connection, export_time_limit=args.export_time_limit)
                )
                write(args.output, results, run_context)  # an interrupted run still leaves its table
        if wanted(RECOMPUTE, args):
            results.append(time_recompute(url))
            write(args.output, results, run_context)
        removed = sql.delete_cases(connection, BENCH_REFERENCE)
        print(f"Removed the {removed} cases the benchmark created.")
    write(args.output, results, run_context)
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
