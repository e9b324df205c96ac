"""Many new cases at once (an import): each read and validated as ``case_create`` does, stored together.

``case_create`` costs some twenty-five queries a case: its lookups, then a few statements per list. For a
file of thousands of cases ``cases_create`` reads every document with the lookups shared
(``cases.document.lookups``), so each one passes the very same ``read_case``, and then writes the accepted
ones with one statement per table for the batch (the criteria too), in one transaction under one audit
context. A database conflict the reading could not foresee (a case stored meanwhile) rolls the batch back
to its savepoint, and its cases are stored one by one through ``case_create``, which names the conflict.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from cases import access
from cases.document.errors import CaseValidationError
from cases.document.lookups import Lookups
from cases.document.reader import ReadCase, read_case
from cases.document.schema import CHILD_LISTS
from cases.models.case import REGISTRY_ID_SEQUENCE, format_registry_id
from cases.services.cases import _audit_context, _save_publication, _site_pk, case_create
from cases.services.criteria import store_criteria


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
        _save_publication(read)
    cases = type(reads[0].case).objects.bulk_create([read.case for read in reads])
    for child in CHILD_LISTS:
        _write_list(child, reads)
    store_criteria([case.pk for case in cases])


def _registry_ids(count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [REGISTRY_ID_SEQUENCE, count])
        return [format_registry_id(number) for (number,) in cursor.fetchall()]


def _write_list(child, reads: list[ReadCase]) -> None:
    """One list's rows of every case in one INSERT, then the lists inside them and the links to sites."""
    owned = [(read, read.children[child.key]) for read in reads if child.key in read.children]
    new = []
    for read, rows in owned:
        for row in rows.rows:
            setattr(row, child.parent, read.case)
            new.append(row)
    child.model.objects.bulk_create(new)
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
        inner.model.objects.bulk_create(inner_rows)
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
        through.objects.bulk_create([through(**{f"{own}_id": t, f"{other}_id": s}) for t, s in sorted(links)])


def _sites(read: ReadCase) -> list:
    sites = read.children.get("calcinosis_sites")
    return sites.rows if sites is not None else []
