"""``make load``: fifty simulated users against the registry under gunicorn for sixty seconds.

    python -m bench.load                              # what make load runs
    python -m bench.load --duration 15 --users 10     # a quick look
    python -m bench.load --redis                      # the workers sharing a Redis (REDIS_URL)
    python -m bench.load --rate-limit 10/min          # the per-user limit with a shared Redis, then without

The database ``calcinosis_load`` (beside the development database, which stays
as it is) is prepared as ``make bench`` prepares its own: migrated, the
vocabularies and demo accounts, ``--cases`` synthetic cases. The run adds its
own accounts (``bench/load_users.py``), serves the database with gunicorn as
the Dockerfile does (sync workers, DEBUG off) on a free port of 127.0.0.1,
logs every user in once, and lets them list, filter, open, export and enter
cases until the time is up. Then every case entered is read back and compared
with the document sent, and the database is asked which cases the run stored.

It prints requests per second and p50/p95/p99 latency per kind of request and
overall, the errors (an answer other than the one the request was built to get,
or none) and the lost writes, and exits 1 if there was any of either.
"""

import argparse
import contextlib
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

from bench import sql
from bench.operations import fmt, percentile
from bench.run import DEFAULT_URL, conninfo, manage, prepare
from bench.server import ROOT, SERVER_ENV, Client, Server
from registry.tests.servers import RedisServer

REFERENCE_PREFIX = "load-"  # local references of the cases a run enters (removed afterwards)
DATABASE = "calcinosis_load"


class LoadServer(Server):
    """``bench.server.Server`` as deployed: ``registry.wsgi`` under several sync workers (the Dockerfile's line)."""

    def __init__(self, database_url: str, workers: int, timeout: int, extra_env: dict | None = None):
        super().__init__(database_url, timeout=timeout)
        self.workers = workers
        self.extra_env = extra_env or {}

    def env(self) -> dict:
        return {**super().env(), **self.extra_env}

    # Django logs the 404s and 400s the users are built to get; anything else the server says is shown.
    EXPECTED_LOG = ("Not Found: ", "Bad Request: ")

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "registry.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            str(self.timeout),
            "--log-level",
            "warning",
        ]
        self.server_log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env(), stderr=self.server_log)
        try:
            self._wait_for_answer()
        except BaseException:
            self.__exit__()  # no gunicorn left behind when it never came up
            raise
        return self

    def _wait_for_answer(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                requests.get(self.base + "/healthz", timeout=5)
                return
            except requests.RequestException:  # not listening yet, or a worker still importing Django
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer within 90 s")

    def said(self) -> list[str]:
        """What the server wrote to stderr, less the expected 404 and 400 lines."""
        self.server_log.seek(0)
        return [line.rstrip() for line in self.server_log if line.strip() and not line.startswith(self.EXPECTED_LOG)]


def database_url(name: str) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    return urlunsplit(base._replace(path="/" + name))


def sample_cases(connection, sites: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Registry ids to open: a few hundred per clinician site, a thousand over the whole registry."""
    of_site = (
        "SELECT registry_id FROM cases_case WHERE site_id = (SELECT id FROM cases_site WHERE code = %s) "
        "ORDER BY random() LIMIT 300"
    )
    per_site = {site: [row[0] for row in connection.execute(of_site, [site])] for site in sites}
    anywhere = "SELECT registry_id FROM cases_case ORDER BY random() LIMIT 1000"
    everywhere = [row[0] for row in connection.execute(anywhere)]
    return per_site, everywhere


def log_in(server, accounts, password, args, samples, run_id):
    from bench.load_users import SimulatedUser

    per_site, everywhere = samples

    def one(numbered):
        number, account = numbered
        client = Client(server)
        logged_in = (client.login_session if account.browser else client.login_token)(account.username, password)
        if not logged_in:
            raise RuntimeError(f"{account.username} could not log in")
        own = list(per_site[account.site]) if account.site else list(everywhere)
        foreign = [registry_id for site, ids in per_site.items() if site != account.site for registry_id in ids[:20]]
        return SimulatedUser(
            account=account,
            base=server.base,
            session=client.session,
            headers=dict(client.headers),
            rng=random.Random(args.seed * 1000 + number),
            own_cases=own,
            foreign_cases=foreign,
            export_sites=sorted(per_site) or ["demo-clinic"],
            reference_prefix=f"{REFERENCE_PREFIX}{run_id}-{number:02d}-",
            timeout=args.timeout,
            think=args.think,
        )

    # As many logins at a time as there are workers: each costs a password hash on the server.
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        return list(pool.map(one, enumerate(accounts, 1)))


def preflight(users) -> None:
    """Every filter and export of the mix answers 200 once before the clock starts (a typo is not a load error)."""
    from bench.load_users import EXPORT_FILTERS, FILTERS

    reader = next(user for user in users if user.account.role == "researcher" and not user.account.browser)
    for filters in FILTERS:
        response = reader.session.get(
            reader.base + "/api/v1/cases/",
            params={**filters, "page_size": 1},
            headers=reader.headers,
            timeout=reader.timeout,
        )
        if response.status_code != 200:
            raise RuntimeError(f"filter {filters} answers {response.status_code}: {response.text[:300]}")
    counts = []
    for filters in EXPORT_FILTERS:
        for site in reader.export_sites:
            response = reader.session.get(
                reader.base + "/api/v1/cases/",
                params={**filters, "site": site, "page_size": 1},
                headers=reader.headers,
                timeout=reader.timeout,
            )
            if response.status_code != 200:
                raise RuntimeError(f"export filter {filters} answers {response.status_code}: {response.text[:300]}")
            counts.append(response.json()["count"])
    print(f"Exports select {min(counts)}–{max(counts)} cases (median {sorted(counts)[len(counts) // 2]}).")


def drive(users, duration: float, ramp: float, max_requests: int) -> float:
    """Starts the users over ``ramp`` seconds; returns the seconds from the first start to the last answer."""
    counter = itertools.count()
    lock = threading.Lock()

    def budget() -> bool:
        with lock:
            return next(counter) < max_requests

    started = time.monotonic()
    deadline = started + duration
    threads = []
    for number, user in enumerate(users):
        delay = ramp * number / len(users)

        def start(user=user, delay=delay):
            time.sleep(delay)
            user.run(deadline, budget)

        thread = threading.Thread(target=start, name=user.account.username, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def same(sent, stored) -> bool:
    if isinstance(sent, list) and isinstance(stored, list):
        return sorted(sent) == sorted(stored)  # a list of codes is kept in one order, whatever order it came in
    if isinstance(sent, (int, float)) and not isinstance(sent, bool) and stored is not None:
        try:
            return float(sent) == float(stored)
        except (TypeError, ValueError):
            return False
    return sent == stored


def _targets(course: dict, sites: list[dict], by_id: dict) -> list:
    """A course's sites by what they are (region, side), since ids exist only once stored."""
    chosen = (
        [sites[i] for i in course.get("site_indexes", [])]
        if "site_indexes" in course
        else [by_id.get(site_id, {}) for site_id in course.get("site_ids", [])]
    )
    return sorted(_what(site) for site in chosen)


def _what(site: dict) -> tuple:
    return site.get("region"), site.get("laterality")


def _is_rows(value) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _same_row(sent: dict, stored: dict, sites: list[dict], by_id: dict) -> bool:
    """Every field sent is stored; sites named by position in the document sent are the sites stored."""
    for key, value in sent.items():
        if key == "site_indexes":
            if _targets(sent, sites, by_id) != _targets(stored, [], by_id):
                return False
        elif key == "site_index":
            if _what(sites[value]) != _what(by_id.get(stored.get("site_id"), {})):
                return False
        elif _is_rows(value):  # the scores and lesion findings of a visit
            if _missing(key, value, stored.get(key) or [], sites, by_id):
                return False
        elif not same(value, stored.get(key)):
            return False
    # A course sent without targets has none stored.
    return "site_indexes" in sent or not stored.get("site_ids")


def _missing(key: str, sent: list[dict], stored: list[dict], sites: list[dict], by_id: dict) -> list[str]:
    """The rows of a list sent that are not stored, and the rows stored that were not sent (in any order)."""
    found, remaining = [], list(stored)
    for child in sent:
        match = next((row for row in remaining if _same_row(child, row, sites, by_id)), None)
        if match is None:
            found.append(f"{key}: {json.dumps(child)} not stored")
        else:
            remaining.remove(match)
    if remaining:
        found.append(f"{key}: {len(remaining)} row(s) stored that were not sent")
    return found


def differences(sent: dict, stored: dict) -> list[str]:
    """What of the document sent is not in the document stored (children compared as sets, in any order)."""
    found = []
    by_id = {site.get("id"): site for site in stored.get("calcinosis_sites", [])}
    for key, value in sent.items():
        if isinstance(value, list) and (not value or isinstance(value[0], dict)):
            found += _missing(key, value, stored.get(key) or [], sent.get("calcinosis_sites", []), by_id)
        elif not same(value, stored.get(key)):
            found.append(f"{key}: sent {value!r}, stored {stored.get(key)!r}")
    return found


def check_writes(users, connection, run_id: str, workers: int) -> dict:
    """Every 201 read back whole; the database asked which cases of this run exist."""
    created = [record for user in users for record in user.created]
    refused = {reference for user in users for reference in user.refused_references}

    def read_back(record):
        user = record.user
        for _ in range(10):
            response = user.session.get(
                f"{user.base}/api/v1/cases/{record.registry_id}/", headers=user.headers, timeout=user.timeout
            )
            if response.status_code != 429:  # over the rate limit (make load RATE_LIMIT=…): wait it out
                break
            time.sleep(float(response.headers.get("Retry-After", 5)) + 0.5)
        if response.status_code != 200:
            return f"{record.registry_id}: HTTP {response.status_code}"
        problems = differences(record.document, response.json())
        return f"{record.registry_id}: {'; '.join(problems[:3])}" if problems else None

    with ThreadPoolExecutor(max_workers=workers) as pool:
        unfaithful = [problem for problem in pool.map(read_back, created) if problem]
    stored = dict(
        connection.execute(
            "SELECT registry_id, local_reference FROM cases_case WHERE local_reference LIKE %s",
            [f"{REFERENCE_PREFIX}{run_id}-%"],
        ).fetchall()
    )
    answered = {record.registry_id for record in created}
    return {
        "created": len(created),
        "lost": sorted(answered - set(stored)),
        "unfaithful": unfaithful,
        # Stored without the client seeing a 201 (a timed-out create) or despite a 400.
        "unanswered": sorted(registry_id for registry_id in stored if registry_id not in answered),
        "refused": len(refused),
        "refused_but_stored": sorted(ref for ref in stored.values() if ref in refused),
    }


KIND_ORDER = [
    "list",
    "list (browser)",
    "filter",
    "filter (browser)",
    "detail",
    "detail (browser)",
    "export cases.csv",
    "export tables.zip",
    "create",
]


def table(outcomes, elapsed: float) -> list[str]:
    kinds = sorted({o.kind for o in outcomes}, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else 99, k))
    lines = [
        "| request | requests | per second | p50 | p95 | p99 | max | errors | expected 4xx |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for kind, chosen in [(k, [o for o in outcomes if o.kind == k]) for k in kinds] + [("**all**", outcomes)]:
        seconds = [o.seconds for o in chosen if o.status is not None]
        lines.append(
            f"| {kind} | {len(chosen)} | {len(chosen) / elapsed:.1f} | {fmt(percentile(seconds, 50))} | "
            f"{fmt(percentile(seconds, 95))} | {fmt(percentile(seconds, 99))} | {fmt(max(seconds, default=None))} | "
            f"{sum(o.verdict == 'error' for o in chosen)} | {sum(o.verdict == 'expected' for o in chosen)} |"
        )
    return lines


@dataclass
class Run:
    label: str
    users: list
    elapsed: float
    client_cpu: float
    load_average: float
    writes: dict
    server_said: list[str]

    @property
    def outcomes(self):
        return [outcome for user in self.users for outcome in user.outcomes]


def run_once(args, url, accounts, password, samples, connection, label: str, extra_env: dict) -> Run:
    """One server, every user logged in, the load, the writes checked; the run's cases removed after."""
    run_id = time.strftime("%Y%m%d%H%M%S")
    cases = connection.execute("SELECT count(*) FROM cases_case").fetchone()[0]
    with LoadServer(url, args.workers, timeout=int(args.timeout * 2), extra_env=extra_env) as server:
        users = log_in(server, accounts, password, args, samples, run_id)
        if args.rate_limit:
            print("No preflight: its requests would spend the researcher's rate limit before the clock starts.")
        else:
            preflight(users)
        clinicians = sum(a.role == "clinician" for a in accounts)
        print(
            f"{label}: {len(users)} users logged in ({clinicians - args.browser_clinicians} clinicians by the API, "
            f"{args.browser_clinicians} in the browser, {args.researchers} researchers); "
            f"{args.duration:.0f} s of load on {cases} cases, {args.workers} gunicorn workers …",
            flush=True,
        )
        client_cpu = time.process_time()
        elapsed = drive(users, args.duration, args.ramp, args.max_requests)
        client_cpu = time.process_time() - client_cpu
        load_average = os.getloadavg()[0]
        writes = check_writes(users, connection, run_id, args.workers)
        for user in users:
            if not user.account.browser:
                user.session.post(user.base + "/api/v1/auth/logout/", headers=user.headers, timeout=user.timeout)
    if not args.keep_cases:
        sql.delete_cases(connection, REFERENCE_PREFIX)
    if args.rate_limit:  # a 429 over the limit is the limit doing its work, counted below
        for outcome in (o for user in users for o in user.outcomes if o.status == 429):
            outcome.verdict = "expected"
    said = server.said()
    if args.rate_limit:  # Django logs every 429 as a warning
        said = [line for line in said if not line.startswith("Too Many Requests: ")]
    return Run(label, users, elapsed, client_cpu, load_average, writes, said)


def report(run: Run, args) -> bool:
    """Prints the run's table, its errors and writes (and its rate-limit counts); True if it failed."""
    outcomes = run.outcomes
    errors = [outcome for outcome in outcomes if outcome.verdict == "error"]
    writes = run.writes
    print(f"\n{run.label}\n")
    print("\n".join(table(outcomes, run.elapsed)))
    print(
        f"\n{len(outcomes)} requests in {run.elapsed:.1f} s: {len(outcomes) / run.elapsed:.1f} per second, "
        f"{len(errors)} error(s). The driver used {run.client_cpu:.0f} s of CPU; load average "
        f"{run.load_average:.1f} on {os.cpu_count()} cores."
    )
    print(
        f"Writes: {writes['created']} cases entered (201), {len(writes['lost'])} lost, "
        f"{len(writes['unfaithful'])} stored unlike the document sent, {len(writes['unanswered'])} stored without "
        f"a 201; {writes['refused']} invalid documents sent, {len(writes['refused_but_stored'])} of them stored."
    )
    if args.rate_limit:
        print(rate_limit_line(run, args))
    for error in errors[:10]:
        print(f"  error: {error.kind}: {error.detail[:400]}")
    for label in ("lost", "unfaithful", "unanswered", "refused_but_stored"):
        for item in writes[label][:10]:
            print(f"  {label}: {item}")
    if run.server_said:
        print(f"The server wrote {len(run.server_said)} other line(s) to stderr:")
        print("\n".join(f"  | {line[:300]}" for line in run.server_said[:30]))
    return bool(errors) or any(writes[label] for label in ("lost", "unfaithful", "unanswered", "refused_but_stored"))


def rate_limit_line(run: Run, args) -> str:
    """How many API requests each token user was let through in the run (shorter than the limit's period)."""
    through = sorted(
        sum(o.status not in (None, 429) for o in user.outcomes) for user in run.users if not user.account.browser
    )
    refused = sum(o.status == 429 for o in run.outcomes)
    spread = f"exactly {through[0]}" if through[0] == through[-1] else f"{through[0]}–{through[-1]}"
    return (
        f"Rate limit {args.rate_limit} per user: each of the {len(through)} API users was let through "
        f"{spread} requests (median {through[len(through) // 2]}); {refused} answered 429."
    )


def period_seconds(rate: str) -> int:
    """DRF's reading of "10/min": the period is named by its first letter."""
    return {"s": 1, "m": 60, "h": 3600, "d": 86400}[rate.split("/")[1][0]]


def a_rate(value: str) -> str:
    try:
        int(value.split("/")[0])
        period_seconds(value)
    except (ValueError, KeyError, IndexError):
        raise argparse.ArgumentTypeError(f"not a rate like 10/min: {value!r}") from None
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000, help="Synthetic cases in the load database.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, help="Simulated users (50; 12 with --rate-limit).")
    parser.add_argument("--researchers", type=int, help="Of the users; the others are clinicians (10; 3).")
    parser.add_argument("--browser-clinicians", type=int, help="Clinicians using the browser pages (10; 3).")
    parser.add_argument("--duration", type=float, help="Seconds of load (60; 45 with --rate-limit).")
    parser.add_argument("--ramp", type=float, default=5.0, help="Seconds over which the users start.")
    parser.add_argument("--think", type=float, default=1.0, help="Longest pause of a user between requests (s).")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers.")
    parser.add_argument("--timeout", type=float, default=30.0, help="Seconds a request may take before it fails.")
    parser.add_argument("--max-requests", type=int, default=100_000, help="At most this many requests in all.")
    parser.add_argument("--skip-prepare", action="store_true", help="Use the load database as it is.")
    parser.add_argument("--keep-cases", action="store_true", help="Leave the cases the run entered.")
    parser.add_argument(
        "--redis", action="store_true", help="The workers share a Redis (REDIS_URL) started for the run."
    )
    parser.add_argument(
        "--rate-limit",
        metavar="RATE",
        type=a_rate,
        help="API_RATE_LIMIT for the run (e.g. 10/min), which is then run twice: the workers sharing a Redis, "
        "then each with its own memory, counting the requests each user was let through.",
    )
    args = parser.parse_args(argv)
    small = bool(args.rate_limit)  # a few users who each send far more than the limit
    for name, usual, checking in (("users", 50, 12), ("researchers", 10, 3), ("browser_clinicians", 10, 3)):
        if getattr(args, name) is None:
            setattr(args, name, checking if small else usual)
    if args.duration is None:
        args.duration = 45.0 if small else 60.0
    if not 0 < args.researchers < args.users or args.browser_clinicians >= args.users - args.researchers:
        parser.error("need at least one researcher, one API clinician and fewer browser clinicians than clinicians")
    if args.rate_limit:
        period = period_seconds(args.rate_limit)
        # The whole run inside one period: what a user was let through is then one period's count.
        if args.ramp + args.duration + 5 > period:
            parser.error(f"--ramp and --duration must fit in the limit's period ({period} s) with 5 s to spare")

    url = database_url(DATABASE)
    if not args.skip_prepare:
        prepare(url, DATABASE, args.cases, args.seed)
    manage(url, "collectstatic", "--noinput", "-v", "0", extra_env=SERVER_ENV)  # DEBUG off reads the manifest
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.setdefault("DEBUG", "1")  # this process only writes the accounts; the server runs with DEBUG off
    import django

    django.setup()
    from bench.load_users import ensure_accounts, plan

    accounts = plan(args.users, args.researchers, args.browser_clinicians)
    password = ensure_accounts(accounts)
    limit = {"API_RATE_LIMIT": args.rate_limit} if args.rate_limit else {}
    if args.rate_limit:
        plans = [(f"{args.workers} workers sharing a Redis", True), (f"{args.workers} workers, no Redis", False)]
    else:
        plans = [(f"{args.workers} workers" + (" sharing a Redis" if args.redis else ""), args.redis)]
    runs = []
    with psycopg.connect(conninfo(url)) as connection:
        sql.delete_cases(connection, REFERENCE_PREFIX)  # left by an interrupted run
        samples = sample_cases(connection, {a.site for a in accounts if a.site})
        for label, shared in plans:
            with RedisServer() if shared else contextlib.nullcontext() as redis:
                extra_env = {**limit, "REDIS_URL": redis.url if redis else ""}
                runs.append(run_once(args, url, accounts, password, samples, connection, label, extra_env))
    failed = [report(run, args) for run in runs]
    return 1 if any(failed) else 0


if __name__ == "__main__":
    sys.exit(main())
