"""Many new cases at once (an import): each read and validated as ``case_create`` does, stored together.

``case_create`` costs some twenty-five queries a case: its lookups, then a few statements per list. For a
file of thousands of cases ``cases_create`` reads every document with the lookups shared
(``cases.document.lookups``), so each one passes the very same ``read_case``, and then writes the accepted
ones with one COPY per table for the batch (the criteria too), in one transaction under one audit context,
the audit trail written per table rather than per row by the triggers (``cases.services.audit``). A database
conflict the reading could not foresee (a case stored meanwhile) rolls the batch back to its savepoint, and
its cases are stored one by one through ``case_create``, which names the conflict.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from cases import access
from cases.document.errors import CaseValidationError
from cases.document.lookups import Lookups
from cases.document.reader import ReadCase, read_case
from cases.document.schema import ALL_LISTS, CHILD_LISTS
from cases.models import Case
from cases.models.case import REGISTRY_ID_SEQUENCE, format_registry_id
from cases.services import audit
from cases.services.cases import _audit_context, _save_publication, _site_pk, case_create
from cases.services.criteria import _evidence as criteria_evidence
from cases.services.criteria import _results as criteria_results

# Every table a batch inserts into: the case, its lists and the lists inside them, the links to sites.
AUDITED = [
    Case,
    *(child.model for child in ALL_LISTS),
    *(
        child.model._meta.get_field(child.links.relation).remote_field.through
        for child in CHILD_LISTS
        if child.links and child.links.many
    ),
]


def cases_create(*, user, documents: list[dict]) -> list:
    """Store new cases; for each document, in order, its ``Case`` or the ``CaseValidationError`` refusing it."""
    if not access.is_authenticated(user):
        raise PermissionDenied("Log in to enter cases.")
    lookups = Lookups(documents)
    results: list = []
    accepted: list[tuple[int, ReadCase]] = []
    for index, data in enumerate(documents):
        try:
            read = read_case(user=user, data=data, lookups=lookups)
        except CaseValidationError as refused:
            results.append(refused)
            continue
        lookups.remember(read.case, read.publication)
        results.append(None)
        accepted.append((index, read))
    try:
        with transaction.atomic(), _audit_context(user, "case_import"):
            _write(user, [read for _, read in accepted])
    except IntegrityError:
        # Something stored meanwhile: case by case, each refused with the constraint it breaks.
        for index, _ in accepted:
            try:
                results[index] = case_create(user=user, data=documents[index])
            except CaseValidationError as refused:
                results[index] = refused
        return results
    for index, read in accepted:
        results[index] = read.case
    return results


def _write(user, reads: list[ReadCase]) -> None:
    if not reads:
        return
    registry_ids = _registry_ids(len(reads))
    for read, registry_id in zip(reads, registry_ids, strict=True):
        read.case.registry_id = registry_id
        read.case.created_by = user
        read.case.version = 1
        _save_publication(read)  # a few, through their own triggers: before the pause below
        if read.publication is not None:
            # A publication new in the file is saved with its first case; the later ones were read while it had
            # no id yet (bulk_create would take it from the instance, COPY takes the column).
            read.case.publication = read.publication
    inserted: dict = {}
    with audit.insert_triggers_paused(AUDITED):
        cases = [read.case for read in reads]
        inserted[type(cases[0])] = _insert(cases)
        for child in CHILD_LISTS:
            _write_list(child, reads, inserted)
        for model, ids in inserted.items():
            audit.write_events(model, ids)
    # New cases have no stored results yet: inserted as the rows are, not upserted.
    case_ids = inserted[type(cases[0])]
    _insert(criteria_results(case_ids, criteria_evidence(case_id__in=case_ids)))


def _registry_ids(count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [REGISTRY_ID_SEQUENCE, count])
        return [format_registry_id(number) for (number,) in cursor.fetchall()]


def _insert(rows: list) -> list[int]:
    """``rows`` (new instances of one model) with COPY, their ids taken from the table's sequence beforehand so
    that the rows inside them can name them; what ``bulk_create`` writes, without its one giant statement."""
    if not rows:
        return []
    model = type(rows[0])
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    # The instances passed full_clean, which leaves each value as its field's to_python made it: only the
    # timestamps are set here, by pre_save as bulk_create sets them.
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    plain = [f.attname for f in fields if f not in stamped]
    with connection.cursor() as cursor:
        # One array rather than a row per id, as the synthetic loader takes them.
        cursor.execute(
            "SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, len(rows)],
        )
        ids = sorted(cursor.fetchone()[0])
        for row, pk in zip(rows, ids, strict=True):
            row.pk = pk
        columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in plain)
        columns += "".join(f', "{f.column}"' for f in stamped)
        # Past Django's cursor: its errors raised as Django's (an IntegrityError), as every query's are.
        with connection.wrap_database_errors, cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([*(getattr(row, name) for name in plain), *(f.pre_save(row, True) for f in stamped)])
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias
    return ids


def _write_list(child, reads: list[ReadCase], inserted: dict) -> None:
    """One list's rows of every case in one COPY, then the lists inside them and the links to sites."""
    owned = [(read, read.children[child.key]) for read in reads if child.key in read.children]
    new = []
    for read, rows in owned:
        for row in rows.rows:
            setattr(row, child.parent, read.case)
            new.append(row)
    inserted[child.model] = _insert(new)
    for inner in child.children:
        inner_rows = []
        for read, rows in owned:
            sites = _sites(read)
            for row, nested in zip(rows.rows, rows.nested, strict=True):
                read_inner = nested.get(inner.key)
                if read_inner is None:
                    continue
                for inner_row, refs in zip(read_inner.rows, read_inner.refs, strict=True):
                    setattr(inner_row, inner.parent, row)
                    if inner.links and not inner.links.many:
                        setattr(inner_row, f"{inner.links.relation}_id", _site_pk(refs[0], sites) if refs else None)
                    inner_rows.append(inner_row)
        inserted[inner.model] = _insert(inner_rows)
    if child.links and child.links.many:
        relation = child.model._meta.get_field(child.links.relation)
        through = relation.remote_field.through
        own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        links = {
            (row.pk, _site_pk(ref, _sites(read)))
            for read, rows in owned
            for row, refs in zip(rows.rows, rows.refs, strict=True)
            for ref in refs
        }
        inserted[through] = _insert([through(**{f"{own}_id": t, f"{other}_id": s}) for t, s in sorted(links)])


def _sites(read: ReadCase) -> list:
    sites = read.children.get("calcinosis_sites")
    return sites.rows if sites is not None else []
