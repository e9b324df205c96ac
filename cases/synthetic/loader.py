"""Stores synthetic cases with PostgreSQL COPY, a batch per transaction.

A hundred thousand cases are some 2.5 million rows; row-by-row inserts through
the services would take hours, so the rows go in with ``COPY … FROM STDIN`` and
the primary keys are taken from the tables' own sequences beforehand (so child
rows can name their case). Every CHECK, UNIQUE and FOREIGN KEY constraint still
applies: the database refuses a bad row exactly as it would from the services.

The audit triggers (django-pghistory) are paused for the tables being loaded
inside each batch's own transaction and switched on again before it commits, so
no other session ever sees them off, and a load that fails leaves them on.
"""

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from queue import Full, Queue

import pgtrigger
from django.db import connection, transaction

from cases.document.schema import ALL_LISTS, CASE_FIELDS, CHILD_LISTS, CHILDREN, Kind
from cases.models import Case, CriteriaResult, LabTest, Publication, Site
from cases.models.case import REGISTRY_ID_SEQUENCE, format_registry_id
from cases.services.criteria import store_criteria
from cases.synthetic import profiles as P
from cases.synthetic.generator import LOCAL_REFERENCE_PREFIX, SyntheticCase, generate_case, publication

# The record's own columns, besides the document's fields.
RECORD_COLUMNS = ("id", "registry_id", "status_reason", "verified_at", "version", "created_at", "updated_at")
CASE_COLUMNS = (*RECORD_COLUMNS, *(f.column for f in CASE_FIELDS))
# A list's rows: the document's fields, a generated row leaving out what it does not set (the field's default).
CHILD_COLUMNS = {child.key: tuple((f.name, f.column, f.default) for f in child.fields) for child in ALL_LISTS}
LINK_MODELS = {
    child.key: child.model._meta.get_field(child.links.relation).remote_field.through
    for child in CHILD_LISTS
    if child.links
}
# The lists whose ids other rows name (the lesions, the courses' links, the visits' scores and findings): their
# ids are taken from the sequences beforehand; every other row gets its id from the column's default.
NAMED_LISTS = frozenset(
    {"calcinosis_sites"} | {child.key for child in ALL_LISTS if child.children or (child.links and child.links.many)}
)
# Publications and sites too: the synthetic registry's reference data is loaded without history like its cases.
LOADED_MODELS = (Case, Publication, Site, *(child.model for child in ALL_LISTS), *LINK_MODELS.values())

FIRST_BATCH = 500
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search


def _copy_value(value) -> str:
    """One value in COPY's text format (by exact type, most common first: it runs some forty million times)."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES) if _NEEDS_ESCAPE(value) else value
    if kind is bool:
        return "t" if value else "f"
    if kind is date or kind is datetime:
        return value.isoformat()
    if kind is list:  # an array of codes: {a,b}
        return "{" + ",".join(f'"{item}"' for item in value) + "}"
    if isinstance(value, str):  # a subclass of str, escaped as one
        return _copy_value(str(value))
    return str(value)


def _line(values) -> str:
    return "\t".join([_copy_value(v) for v in values]) + "\n"


@dataclass
class LoadResult:
    cases: int = 0
    rows: int = 0
    first_registry_id: str | None = None
    last_registry_id: str | None = None
    tables: dict = field(default_factory=dict)


def audit_triggers() -> dict[str, list[str]]:
    """Table → names of the pghistory triggers on the tables this loader writes."""
    tables = {model._meta.db_table for model in LOADED_MODELS}
    found: dict[str, list[str]] = {}
    for model, trigger in pgtrigger.registered():
        if model._meta.db_table in tables:
            found.setdefault(model._meta.db_table, []).append(trigger.get_pgid(model))
    return found


def ensure_sites(triggers: dict[str, list[str]]) -> dict[str, int]:
    """The synthetic centres and the literature site; existing ones are kept as they are."""
    ids = {}
    triggers = {table: names for table, names in triggers.items() if table == Site._meta.db_table}
    with transaction.atomic(), connection.cursor() as cursor:
        _set_triggers(cursor, triggers, enabled=False)
        for code, name, country, *_ in [*P.SITES, P.LITERATURE_SITE]:
            site, _ = Site.objects.get_or_create(code=code, defaults={"name": name, "country": country})
            ids[code] = site.pk
        _set_triggers(cursor, triggers, enabled=True)
    return ids


def next_index() -> int:
    """The case number after the highest synthetic case stored, so a second run continues the first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT max(substr(local_reference, %s)::int) FROM cases_case WHERE local_reference ~ %s",
            [len(LOCAL_REFERENCE_PREFIX) + 1, f"^{LOCAL_REFERENCE_PREFIX}[0-9]+$"],
        )
        found = cursor.fetchone()[0]
    return 0 if found is None else found


def _take_ids(cursor, table: str, count: int) -> list[int]:
    if count == 0:
        return []
    # One array rather than a row per id: the client reads one row however many ids a batch takes.
    cursor.execute(
        "SELECT array_agg(nextval(pg_get_serial_sequence(%s, 'id'))) FROM generate_series(1, %s)", [table, count]
    )
    return cursor.fetchone()[0]


def _registry_ids(cursor, count: int) -> list[str]:
    # The same sequence as case_create: a registry id handed out is never handed out again.
    cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [REGISTRY_ID_SEQUENCE, count])
    return [format_registry_id(row[0]) for row in cursor.fetchall()]


def _publication_ids(cursor, seed: int, numbers: set[int]) -> dict[int, int]:
    if not numbers:
        return {}
    pubs = [publication(seed, n) for n in sorted(numbers)]
    columns = ("doi", "pmid", "title", "journal", "year", "authors", "citation")
    cursor.execute(
        f"INSERT INTO {Publication._meta.db_table} ({', '.join(columns)}) "
        "SELECT * FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[], %s::int[], %s::text[], %s::text[]) "
        "ON CONFLICT (doi) DO NOTHING",
        [[getattr(p, c) for p in pubs] for c in columns],
    )
    by_doi = {p.doi: p.number for p in pubs}
    cursor.execute(f"SELECT doi, id FROM {Publication._meta.db_table} WHERE doi = ANY(%s)", [list(by_doi)])
    return {by_doi[doi]: pk for doi, pk in cursor.fetchall()}


def _copy(cursor, table: str, columns: Iterable[str], text: str):
    if not text:
        return
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(text)


def _case_values(case: SyntheticCase, pk, registry_id, site_ids, publication_ids) -> tuple:
    record = (pk, registry_id, "", case.verified_at, 1, case.created_at, case.updated_at)
    fields = []
    for f in CASE_FIELDS:
        if f.kind is Kind.SITE:
            fields.append(site_ids[case.site])
        elif f.kind is Kind.PUBLICATION:
            fields.append(publication_ids[case.publication] if case.publication is not None else None)
        else:
            fields.append(getattr(case, f.name, f.default))
    return (*record, *fields)


@dataclass
class _Prepared:
    """A batch ready to be stored: its rows in COPY's text format, under ids taken from the sequences."""

    cases: list[SyntheticCase]
    case_ids: list[int]
    texts: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)  # table → columns, lines
    tables: dict[str, int] = field(default_factory=dict)  # table → rows


def _prepare(cursor, batch: list[SyntheticCase]) -> _Prepared:
    """Every row of the batch but the cases' own, formatted (the cases need their registry and publication ids)."""
    prepared = _Prepared(batch, _take_ids(cursor, Case._meta.db_table, len(batch)))
    pks: dict[str, list[list[int]]] = {}  # list → per case, the ids of its rows
    for child in CHILD_LISTS:
        owned = [
            (case_pk, case_pk, getattr(case, child.key)) for case, case_pk in zip(batch, prepared.case_ids, strict=True)
        ]
        pks[child.key] = _format_rows(cursor, child, owned, pks, prepared)
        for inner in child.children:
            owned = [
                (row_pk, case_pk, row.get(inner.key, []))
                for case, case_pk, row_pks in zip(batch, prepared.case_ids, pks[child.key], strict=True)
                for row, row_pk in zip(getattr(case, child.key), row_pks, strict=True)
            ]
            _format_rows(cursor, inner, owned, pks, prepared)
    for key, through in LINK_MODELS.items():
        _format_links(key, through, pks, prepared)
    return prepared


def _store_batch(cursor, prepared: _Prepared, seed: int, site_ids: dict[str, int], result: LoadResult):
    """The cases' rows, then COPY table by table."""
    batch = prepared.cases
    registry_ids = _registry_ids(cursor, len(batch))
    publication_ids = _publication_ids(cursor, seed, {c.publication for c in batch if c.publication is not None})
    lines = [
        _line(_case_values(case, pk, registry_id, site_ids, publication_ids))
        for case, pk, registry_id in zip(batch, prepared.case_ids, registry_ids, strict=True)
    ]
    _copy(cursor, Case._meta.db_table, CASE_COLUMNS, "".join(lines))
    for table, (columns, text) in prepared.texts.items():
        _copy(cursor, table, columns, text)
    result.cases += len(batch)
    result.rows += len(batch) + sum(prepared.tables.values())
    for table, rows in prepared.tables.items():
        result.tables[table] = result.tables.get(table, 0) + rows
    result.first_registry_id = result.first_registry_id or registry_ids[0]
    result.last_registry_id = registry_ids[-1]


def _format_rows(cursor, child, owned: list, pks: dict, prepared: _Prepared) -> list:
    """One list's rows under their owners [(owner pk, case pk, rows)]; returns the new ids, per owner."""
    columns = CHILD_COLUMNS[child.key]
    fields = [(name, default) for name, _, default in columns]
    table = child.model._meta.db_table
    named = child.key in NAMED_LISTS
    ids = iter(_take_ids(cursor, table, sum(len(rows) for _, _, rows in owned)) if named else ())
    sites_of_case = dict(zip(prepared.case_ids, pks.get("calcinosis_sites", []), strict=False))
    single = child.links if child.links and not child.links.many else None
    lines, new_pks = [], []
    for owner_pk, case_pk, rows in owned:
        row_pks = []
        for row in rows:
            values = [owner_pk, *[row.get(name, default) for name, default in fields]]
            if child.key == "labs":
                values = _with_canonical_value(row, columns, values)
            if single:
                values.append(sites_of_case[case_pk][row[single.by_position]])
            if named:
                pk = next(ids)
                row_pks.append(pk)
                values.insert(0, pk)
            lines.append(_line(values))
        new_pks.append(row_pks)
    extra = (f"{single.relation}_id",) if single else ()
    own = ("id",) if named else ()
    prepared.texts[table] = (
        (*own, f"{child.parent}_id", *(column for _, column, _ in columns), *extra),
        "".join(lines),
    )
    prepared.tables[table] = len(lines)
    return new_pks


# The lab tests of the registry being loaded, read once per load() (their units convert the values).
_LAB_TESTS: dict = {}


def _with_canonical_value(row: dict, columns, values: list) -> list:
    """A lab value also in its test's canonical unit, as the services write it (LabResult.clean)."""
    value, unit = row.get("value"), row.get("unit", "")
    test = _LAB_TESTS.get(row["test"])
    canonical = test.canonical(Decimal(str(value)), unit) if (test and value is not None) else None
    names = [name for name, _, _ in columns]
    if canonical is not None:
        # values[0] is the owner.
        values[1 + names.index("value_canonical")] = canonical
        values[1 + names.index("unit_canonical")] = test.canonical_unit
    return values


def _format_links(key: str, through, pks: dict, prepared: _Prepared):
    """The link rows (treatment → calcinosis site) of a batch, from the rows' ``site_indexes``."""
    links = CHILDREN[key].links
    relation = CHILDREN[key].model._meta.get_field(links.relation)
    pairs = [
        (row_pk, sites[index])
        for case, sites, row_pks in zip(prepared.cases, pks["calcinosis_sites"], pks[key], strict=True)
        for row, row_pk in zip(getattr(case, key), row_pks, strict=True)
        for index in row.get(links.by_position, ())
    ]
    columns = (f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id")
    prepared.texts[through._meta.db_table] = (columns, "".join(_line(pair) for pair in pairs))
    prepared.tables[through._meta.db_table] = len(pairs)


def _set_triggers(cursor, triggers: dict[str, list[str]], enabled: bool):
    verb = "ENABLE" if enabled else "DISABLE"
    for table, names in triggers.items():
        for name in names:
            cursor.execute(f'ALTER TABLE "{table}" {verb} TRIGGER "{name}"')


def _bounds(start: int, count: int, batch_size: int):
    """Each batch's first case number and the one after its last. The first batches are small and double up
    to ``batch_size``, so the database starts at once and the next batch is ready before it is done."""
    first, end = start, start + count
    size = min(batch_size, FIRST_BATCH)
    while first < end:
        yield first, min(first + size, end)
        first, size = first + size, min(2 * size, batch_size)


def _batches(seed: int, start: int, count: int, batch_size: int):
    """Generate and format batches in a second thread while the database ingests the previous one.

    The thread has a connection of its own, for the ids it takes from the sequences (which no transaction
    holds back); everything else it does is Python, run while the loading connection waits on the database.
    """
    queue: Queue = Queue(maxsize=2)
    failure: list[BaseException] = []
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.2)
                return True
            except Full:
                continue
        return False

    def produce():
        try:
            with connection.cursor() as cursor:
                for first, last in _bounds(start, count, batch_size):
                    if not put(_prepare(cursor.cursor, [generate_case(seed, i) for i in range(first, last)])):
                        return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            failure.append(exc)
        finally:
            connection.close()  # this thread's own
            put(None)

    worker = threading.Thread(target=produce, name="synthetic-generator", daemon=True)
    worker.start()
    try:
        while (prepared := queue.get()) is not None:
            yield prepared
    finally:
        # Also when the load stops half-way: the thread ends and closes its connection.
        stop.set()
        worker.join()
    if failure:
        raise failure[0]


def load(
    *,
    seed: int,
    count: int,
    start: int | None = None,
    batch_size: int = 5000,
    progress: Callable[[int], None] = lambda n: None,
) -> LoadResult:
    """Generate and store cases ``start`` … ``start + count - 1`` of ``seed``."""
    triggers = audit_triggers()
    site_ids = ensure_sites(triggers)
    _LAB_TESTS.clear()
    _LAB_TESTS.update({test.code: test for test in LabTest.objects.all()})
    start = next_index() if start is None else start
    result = LoadResult()
    for prepared in _batches(seed, start, count, batch_size):
        with transaction.atomic(), connection.cursor() as cursor:
            # Foreign keys are checked at the end of each COPY rather than at commit: ALTER TABLE
            # refuses a table with checks still pending, and the pending list would grow with the batch.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _set_triggers(cursor, triggers, enabled=False)
            _store_batch(cursor.cursor, prepared, seed, site_ids, result)
            _set_triggers(cursor, triggers, enabled=True)
            # The classification criteria, as the services store them with every case write.
            store_criteria(prepared.case_ids)
            result.tables[CriteriaResult._meta.db_table] = result.tables.get(
                CriteriaResult._meta.db_table, 0
            ) + 4 * len(prepared.case_ids)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        progress(len(prepared.cases))
    with connection.cursor() as cursor:
        # The planner must know the new sizes before anyone queries the registry.
        for model in LOADED_MODELS + (Publication, CriteriaResult):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return result
