"""Which database a request reads from: a streaming replica for work that only reads, the primary for the rest.

``registry.middleware.ReadReplicaMiddleware`` chooses per request (``read_from``);
``registry.router.ReplicaRouter`` sends the ORM's reads there, and
``reading_connection`` hands the same database to the raw SQL of the exports and
the statistics. Outside a request (management commands, the shell, tests that
make no request) nothing is chosen and everything reads from the primary.
"""

from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar, copy_context

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections, router

# The alias of the replica the current request reads from; None: the primary.
_replica: ContextVar[str | None] = ContextVar("registry_read_replica", default=None)


def read_from(alias: str | None) -> None:
    """Reads of this thread go to ``alias`` (a replica) until ``None`` is set or the response is closed."""
    _replica.set(alias)


def _back_to_the_primary(**kwargs) -> None:
    _replica.set(None)


# Held until the response is closed, not until the middleware returns: a streamed export
# (cases.csv, tables.zip) runs its COPY while the WSGI server reads the body, after the view.
request_finished.connect(_back_to_the_primary, dispatch_uid="registry.db.back_to_the_primary")


def replica_for_reads() -> str | None:
    """The replica to read from now, or None while the request writes or inside ``transaction.atomic()``.

    A read inside a transaction on the primary belongs to it: it must see the rows the
    transaction wrote and lock what it reads, which no replica can do.
    """
    alias = _replica.get()
    if alias is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    return alias


def reading_connection():
    """The connection the router chooses for reads, for SQL the ORM cannot express."""
    return connections[router.db_for_read(None)]


def side_by_side(*calls) -> list:
    """The results of ``calls`` (functions that only read), in order, run at once on connections of their own.

    A page of several independent statistics over one selection waits for the slowest instead of for
    their sum: PostgreSQL runs each in a backend of its own, on cores of its own. Each call sees the
    request's choice of replica (``read_from``). Inside a transaction the calls run one after another on
    its connection instead, since another connection would not see what the transaction wrote.
    """
    workers = min(settings.PARALLEL_READS, len(calls))
    if workers < 2 or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="side-by-side") as pool:
        futures = [pool.submit(_on_a_connection_of_its_own, copy_context(), call) for call in calls]
        return [future.result() for future in futures]


def _on_a_connection_of_its_own(context, call):
    try:
        return context.run(call)
    finally:
        # The thread's connections end with its call: a pool thread never keeps one open past the request.
        connections.close_all()
