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

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from queue import Queue

import pgtrigger
from django.db import connection, transaction

from cases.models import (
    CalcinosisSite,
    Case,
    ClinicalFeature,
    Diagnosis,
    LabResult,
    Publication,
    SerologyResult,
    Site,
    TreatmentCourse,
    TreatmentTarget,
)
from cases.models.case import REGISTRY_ID_SEQUENCE, format_registry_id
from cases.synthetic import profiles as P
from cases.synthetic.generator import LOCAL_REFERENCE_PREFIX, SyntheticCase, generate_case, publication

CASE_COLUMNS = (
    "id",
    "registry_id",
    "site_id",
    "source",
    "publication_id",
    "local_reference",
    "sex",
    "age_at_presentation",
    "country",
    "consent",
    "calcinosis_etiology",
    "calcinosis_extent",
    "summary",
    "status",
    "status_reason",
    "verified_at",
    "version",
    "created_at",
    "updated_at",
)
# Child table → (model, columns after id and case_id, in the generator's tuple order).
CHILD_COLUMNS = {
    "diagnoses": (Diagnosis, ("condition_id", "is_primary", "age_at_diagnosis", "duration_years", "criteria", "notes")),
    "features": (ClinicalFeature, ("feature_id", "status", "notes")),
    "serology": (SerologyResult, ("test_id", "result", "titer", "pattern_id", "value", "unit", "tested_on", "notes")),
    "labs": (LabResult, ("test_id", "value", "unit", "interpretation", "measured_on", "notes")),
    "calcinosis_sites": (
        CalcinosisSite,
        (
            "region_id",
            "laterality",
            "digit_segment",
            "detected_by",
            "morphology",
            "palpable",
            "ulcerated",
            "infected",
            "painful",
            "size_mm",
            "observed_on",
            "notes",
        ),
    ),
    "treatments": (
        TreatmentCourse,
        (
            "agent_id",
            "route",
            "dose",
            "indication",
            "started_on",
            "stopped_on",
            "duration_months",
            "response",
            "response_assessed_on",
            "notes",
        ),
    ),
}
LOADED_MODELS = (Case, *(model for model, _ in CHILD_COLUMNS.values()), TreatmentTarget)

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (
            value.translate(_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) else value
        )
    if isinstance(value, (date, datetime)):
        return value.isoformat()
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


def ensure_sites() -> dict[str, int]:
    """The synthetic centres and the literature site; existing ones are kept as they are."""
    ids = {}
    for code, name, country, *_ in [*P.SITES, P.LITERATURE_SITE]:
        site, _ = Site.objects.get_or_create(code=code, defaults={"name": name, "country": country})
        ids[code] = site.pk
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
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
    return [row[0] for row in cursor.fetchall()]


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


def _store_batch(cursor, batch: list[SyntheticCase], seed: int, site_ids: dict[str, int], result: LoadResult):
    """Format the batch's rows with ids from the sequences, then COPY table by table."""
    case_ids = _take_ids(cursor, Case._meta.db_table, len(batch))
    registry_ids = _registry_ids(cursor, len(batch))
    publication_ids = _publication_ids(cursor, seed, {c.publication for c in batch if c.publication is not None})
    lines = []
    for case, pk, registry_id in zip(batch, case_ids, registry_ids, strict=True):
        lines.append(
            _line(
                (
                    pk,
                    registry_id,
                    site_ids[case.site],
                    case.source,
                    publication_ids[case.publication] if case.publication is not None else None,
                    case.local_reference,
                    case.sex,
                    case.age,
                    case.country,
                    case.consent,
                    case.etiology,
                    case.extent,
                    case.summary,
                    case.status,
                    "",
                    case.verified_at,
                    1,
                    case.created_at,
                    case.updated_at,
                )
            )
        )
    texts = {Case._meta.db_table: (CASE_COLUMNS, "".join(lines))}
    site_pks: list[list[int]] = []
    treatment_pks: list[list[int]] = []
    for key, (model, columns) in CHILD_COLUMNS.items():
        table = model._meta.db_table
        ids = iter(_take_ids(cursor, table, sum(len(getattr(c, key)) for c in batch)))
        lines = []
        for case, case_pk in zip(batch, case_ids, strict=True):
            pks = []
            for row in getattr(case, key):
                pk = next(ids)
                pks.append(pk)
                lines.append(_line((pk, case_pk, *row[: len(columns)])))
            if key == "calcinosis_sites":
                site_pks.append(pks)
            elif key == "treatments":
                treatment_pks.append(pks)
        texts[table] = (("id", "case_id", *columns), "".join(lines))
        result.tables[table] = result.tables.get(table, 0) + len(lines)
    pairs = [
        (treatment_pk, sites[index])
        for case, sites, treatments in zip(batch, site_pks, treatment_pks, strict=True)
        for row, treatment_pk in zip(case.treatments, treatments, strict=True)
        for index in row[-1]
    ]
    target_ids = _take_ids(cursor, TreatmentTarget._meta.db_table, len(pairs))
    texts[TreatmentTarget._meta.db_table] = (
        ("id", "treatment_id", "site_id"),
        "".join(_line((pk, t, s)) for pk, (t, s) in zip(target_ids, pairs, strict=True)),
    )
    result.tables[TreatmentTarget._meta.db_table] = result.tables.get(TreatmentTarget._meta.db_table, 0) + len(pairs)
    for table, (columns, text) in texts.items():
        _copy(cursor, table, columns, text)
    result.cases += len(batch)
    result.rows += sum(text.count("\n") for _, text in texts.values())
    result.first_registry_id = result.first_registry_id or registry_ids[0]
    result.last_registry_id = registry_ids[-1]


def _set_triggers(cursor, triggers: dict[str, list[str]], enabled: bool):
    verb = "ENABLE" if enabled else "DISABLE"
    for table, names in triggers.items():
        for name in names:
            cursor.execute(f'ALTER TABLE "{table}" {verb} TRIGGER "{name}"')


def _batches(seed: int, start: int, count: int, batch_size: int):
    """Generate batches in a second thread while the database ingests the previous one."""
    queue: Queue = Queue(maxsize=2)
    failure: list[BaseException] = []

    def produce():
        try:
            for first in range(start, start + count, batch_size):
                last = min(first + batch_size, start + count)
                queue.put([generate_case(seed, i) for i in range(first, last)])
        except BaseException as exc:  # handed to the consumer, which re-raises it
            failure.append(exc)
        finally:
            queue.put(None)

    worker = threading.Thread(target=produce, name="synthetic-generator", daemon=True)
    worker.start()
    while (batch := queue.get()) is not None:
        yield batch
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
    site_ids = ensure_sites()
    start = next_index() if start is None else start
    triggers = audit_triggers()
    result = LoadResult()
    for batch in _batches(seed, start, count, batch_size):
        with transaction.atomic(), connection.cursor() as cursor:
            # Foreign keys are checked at the end of each COPY rather than at commit: ALTER TABLE
            # refuses a table with checks still pending, and the pending list would grow with the batch.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _set_triggers(cursor, triggers, enabled=False)
            _store_batch(cursor.cursor, batch, seed, site_ids, result)
            _set_triggers(cursor, triggers, enabled=True)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        progress(len(batch))
    with connection.cursor() as cursor:
        # The planner must know the new sizes before anyone queries the registry.
        for model in LOADED_MODELS + (Publication,):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return result
