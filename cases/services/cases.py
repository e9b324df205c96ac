"""Every write of a case goes through here: the browser form, the API, the admin and the loaders."""

import contextlib

import pghistory
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases import access, criteria
from cases.document.errors import NON_FIELD, AlreadyVerified, CaseValidationError, StaleVersion
from cases.document.reader import ReadCase, read_case
from cases.models import Case
from cases.models.case import REGISTRY_ID_SEQUENCE, format_registry_id
from cases.services.criteria import store_criteria

# Which field a database constraint speaks for, when a race gets past validation.
_CONSTRAINT_FIELDS = {
    "case_local_reference_unique_per_site": "local_reference",
    "cases_publication_doi_key": "publication",
    "clinicalfeature_one_per_case": "features",
    "diagnosis_one_primary_per_case": "diagnoses",
}


@contextlib.contextmanager
def _integrity_as_validation():
    try:
        yield
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) or ""
        field = _CONSTRAINT_FIELDS.get(constraint, NON_FIELD)
        raise CaseValidationError(
            {field: [f"The case conflicts with data stored meanwhile ({constraint or 'integrity'}); please retry."]}
        ) from exc


def _audit_context(user, operation: str):
    return pghistory.context(user=getattr(user, "pk", None), operation=operation)


def next_registry_id() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [REGISTRY_ID_SEQUENCE])
        return format_registry_id(cursor.fetchone()[0])


def case_create(*, user, data: dict) -> Case:
    """Store a whole case with its child lists, or nothing at all."""
    if not access.is_authenticated(user):
        raise PermissionDenied("Log in to enter cases.")
    with _integrity_as_validation(), transaction.atomic(), _audit_context(user, "case_create"):
        read = read_case(user=user, data=data)
        case = read.case
        case.registry_id = next_registry_id()
        case.created_by = user
        case.version = 1
        _save_publication(read)
        case.save()
        _write_children(case, read)
        store_criteria([case.pk])
    return case


def case_update(*, user, case: Case, data: dict, version, partial: bool = False) -> Case:
    """Replace the case (or, with ``partial``, the fields and lists sent) if ``version`` is current."""
    with _integrity_as_validation(), transaction.atomic(), _audit_context(user, "case_update"):
        locked = _lock_editable(user, case)
        _check_version(locked, version)
        read = read_case(user=user, data=data, case=locked, partial=partial)
        _save_publication(read)
        locked.version += 1
        locked.save()
        _write_children(locked, read)
        if not partial or any(key in read.children for key in criteria.READS):
            # In the same transaction: a filter on criteria_met never sees a case's old result.
            store_criteria([locked.pk])
    return locked


def case_verify(*, user, case: Case, version=None) -> Case:
    """A curator's stamp: who verified the case and when. A verified case is not verified again."""
    if not access.is_curator(user):
        raise PermissionDenied("Only curators verify cases.")
    with transaction.atomic(), _audit_context(user, "case_verify"):
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if version is not None:
            _check_version(locked, version)
        if locked.status == Case.Status.VERIFIED:
            # Verifying again would overwrite who verified it and when.
            raise AlreadyVerified(locked)
        locked.status = Case.Status.VERIFIED
        locked.verified_by = user
        locked.verified_at = timezone.now()
        locked.status_reason = ""
        locked.version += 1
        locked.save()
    return locked


def case_send_back(*, user, case: Case, reason: str) -> Case:
    """A curator returns a case to ``submitted``; the reason stays on the case and in its history."""
    if not access.is_curator(user):
        raise PermissionDenied("Only curators send cases back.")
    if not (reason or "").strip():
        raise CaseValidationError({"status_reason": ["Say why the case is sent back."]})
    with transaction.atomic(), _audit_context(user, "case_send_back"):
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.status = Case.Status.SUBMITTED
        locked.status_reason = reason.strip()
        locked.verified_by = None
        locked.verified_at = None
        locked.version += 1
        locked.save()
    return locked


def case_delete(*, user, case: Case) -> None:
    if not access.is_curator(user):
        raise PermissionDenied("Only curators delete cases.")
    with transaction.atomic(), _audit_context(user, "case_delete"):
        pk = case.pk
        case.delete()
    # Keep the key on the instance: the audit history of the deleted case is still read by it.
    case.pk = pk


def _lock_editable(user, case: Case) -> Case:
    locked = Case.objects.editable_by(user).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise PermissionDenied("You cannot change this case.")
    return locked


def _check_version(case: Case, version) -> None:
    """``version`` is an int (the API) or the text of a form's hidden field (the browser)."""
    if version is None or version == "":
        raise CaseValidationError({"version": ["Send the version your change is based on."]})
    largest = 2**31 - 1  # the column is a PostgreSQL integer
    refused = CaseValidationError({"version": [f"A version is a whole number from 1 to {largest}."]})
    if isinstance(version, str):
        # Digits only: int() would also read "+3", " 3_0" or a thousand digits it refuses to convert.
        text = version.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= len(str(largest))):
            raise refused
        version = int(text)
    # Not a bool (an int to Python) nor a float, which int() would round: 1.9 is no version 1.
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= largest:
        raise refused
    sent = version
    if sent != case.version:
        raise StaleVersion(sent=sent, current=case.version)


def _save_publication(read: ReadCase) -> None:
    publication = read.publication
    if publication is not None and publication.pk is None:
        primary = publication.summarises
        if primary is not None and primary.pk is None:
            primary.save()  # the primary publication of a summary, known by its DOI alone so far
            publication.summarises = primary
        publication.save()
        read.case.publication = publication


def _write_children(case: Case, read: ReadCase) -> None:
    """Delete, insert and update rows in bulk: a fixed number of statements per list, inner lists included."""
    sites = read.children.get("calcinosis_sites")
    site_rows = sites.rows if sites is not None else []
    for rows in read.children.values():
        _write_rows(rows.child, [(case, rows)], site_rows)
        for inner in rows.child.children:
            sent = [(row, nested[inner.key]) for row, nested in zip(rows.rows, rows.nested, strict=True)]
            _write_rows(inner, [(row, inner_rows) for row, inner_rows in sent if inner_rows is not None], site_rows)
        if rows.child.links and rows.child.links.many:
            _write_links(case, rows, site_rows)


def _write_rows(child, owned: list, site_rows: list) -> None:
    """The rows of one list under each of their owners (the case, or each row of the list they are inside)."""
    removed = [pk for _, rows in owned for pk in rows.removed_ids]
    if removed:
        child.model.objects.filter(pk__in=removed).delete()
    new, changed = [], []
    for owner, rows in owned:
        for row, refs in zip(rows.rows, rows.refs, strict=True):
            if child.links and not child.links.many:
                setattr(row, f"{child.links.relation}_id", _site_pk(refs[0], site_rows) if refs else None)
            if row.pk is None:
                setattr(row, child.parent, owner)
                new.append(row)
            elif _changed(row):
                changed.append(row)
    child.model.objects.bulk_create(new)
    if changed:
        single = [child.links.relation] if child.links and not child.links.many else []
        child.model.objects.bulk_update(changed, [*child.written, *single])


def _site_pk(ref, site_rows) -> int:
    kind, value = ref
    return value if kind == "id" else site_rows[value].pk


def _changed(row) -> bool:
    # Rows left as they were are not written, so the audit trail shows only real changes.
    return any(row.stored_values[f.attname] != getattr(row, f.attname) for f in row._meta.concrete_fields)


def _write_links(case: Case, rows, site_rows) -> None:
    """The rows of the link table (treatment → calcinosis site), as the document's site_ids say."""
    relation = rows.child.model._meta.get_field(rows.child.links.relation)
    through = relation.remote_field.through
    own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    wanted = {
        (row.pk, _site_pk(ref, site_rows)) for row, refs in zip(rows.rows, rows.refs, strict=True) for ref in refs
    }
    stored_rows = through.objects.filter(**{f"{own}__case": case}).values_list("pk", f"{own}_id", f"{other}_id")
    stored = {(t, s): pk for pk, t, s in stored_rows}
    gone = [pk for pair, pk in stored.items() if pair not in wanted]
    if gone:
        through.objects.filter(pk__in=gone).delete()
    through.objects.bulk_create(
        [through(**{f"{own}_id": t, f"{other}_id": s}) for t, s in sorted(wanted - stored.keys())]
    )
