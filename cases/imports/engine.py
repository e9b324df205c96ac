"""The import: a file's cases through ``case_create``, all or nothing unless partial, every error listed.

The API (``POST /api/v1/import/``), the browser page (``/cases/import/``) and ``manage.py import_cases`` all
call ``import_cases``. Each case is stored by the same service as a case typed into the form, so it passes the
same validation, gets the same audit trail and criteria; a refused case is rolled back to its own savepoint,
and the whole file is rolled back when any case was refused (unless partial) or when it is a dry run.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cases import access
from cases.document.errors import NON_FIELD, CaseValidationError
from cases.document.schema import CHILDREN
from cases.imports.documents import Builder, FileCase, error
from cases.imports.files import FileRefused, read_tables
from cases.models import Case, Site
from cases.models.case import normalise_doi
from cases.quality import CHECKS_BY_CODE, _compared_with
from cases.services.batch import cases_create

# Document keys whose file column is named otherwise (the export writes sites by their ids).
_COLUMNS = {"site_indexes": "site_ids", "site_index": "site_id", NON_FIELD: None}
DUPLICATE_FIELDS = CHECKS_BY_CODE["likely_duplicate"].same_as_another
# Cases read and stored together (``cases_create``): the lookups and the INSERTs are per batch.
BATCH = 1000


class ImportRefused(Exception):
    """The request itself is wrong (no such site for this user): ``errors`` by parameter, as a form's."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(str(errors))


@dataclass
class ImportReport:
    cases: int = 0  # cases in the file
    created: list[str] = field(default_factory=list)  # registry ids of the stored cases
    # Case keys that passed every check: stored, or that would be by a run without dry_run.
    valid: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False
    kind: str = ""  # csv, parquet or xlsx

    def as_json(self) -> dict:
        return {
            "cases": self.cases,
            "created": self.created,
            "errors": self.errors,
            "dry_run": self.dry_run,
            "valid": self.valid,
        }


def target_site(user, code: str) -> Site:
    if not access.can_enter_cases(user):
        raise PermissionDenied("Only clinicians and curators import cases.")
    site = Site.objects.filter(code=code).first() if isinstance(code, str) and code else None
    if site is None or not access.can_edit_at_site(user, site.pk):
        # One answer for a code nobody uses and another clinic's code, as the case form gives.
        raise ImportRefused({"site": [f"No site '{code}' that you may enter cases for."]})
    return site


def import_cases(
    *,
    user,
    site: str,
    upload,
    name: str = "",
    dry_run: bool = False,
    partial: bool = False,
    progress: Callable[[int], None] | None = None,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the cases of ``upload`` (a binary file object) into the site coded ``site``."""
    target = target_site(user, site)
    report = ImportReport(dry_run=dry_run)
    try:
        tables, report.kind = read_tables(upload, name)
    except FileRefused as refused:
        report.errors = refused.errors
        return report
    builder = Builder(tables, report.kind)
    file_cases = builder.build()
    report.cases = len(file_cases)
    report.errors = list(builder.errors)
    if on_read:
        on_read(len(file_cases))
    duplicates = _duplicates(user, target, file_cases)
    with transaction.atomic():
        for case in file_cases:
            report.errors += case.errors or duplicates.get(case.key) or []
        ready = [case for case in file_cases if not case.errors and case.key not in duplicates]
        for start in range(0, len(ready), BATCH):
            batch = ready[start : start + BATCH]
            _store(user, target, batch, report)
            if progress:
                progress(len(batch))
        if dry_run or (report.errors and not partial):
            transaction.set_rollback(True)
            report.created = []
    report.errors.sort(key=_error_order(builder))
    return report


def _store(user, site: Site, batch: list[FileCase], report: ImportReport) -> None:
    results = cases_create(user=user, documents=[{**case.document, "site": site.code} for case in batch])
    for case, result in zip(batch, results, strict=True):
        if isinstance(result, CaseValidationError):
            report.errors += errors_of(case, result.nested)
        else:
            report.created.append(result.registry_id)
            report.valid.append(case.key)


def _duplicates(user, site: Site, file_cases: list[FileCase]) -> dict[str, list[dict]]:
    """The file's cases already in the registry: by local reference at the site, or likely duplicates of a case
    the user can see (the quality check's fields: publication, sex, age). One query each for the whole file."""
    references = {c.document.get("local_reference"): c for c in file_cases if c.document.get("local_reference")}
    taken = set(
        # Not empty, as the unique index is, so that it answers.
        Case.objects.filter(site=site, local_reference__in=list(references))
        .exclude(local_reference="")
        .values_list("local_reference", flat=True)
    )
    found: dict[str, list[dict]] = {}
    for reference in taken:
        case = references[reference]
        message = f"Duplicate: the site {site.code} already has a case with the local reference '{reference}'."
        found[case.key] = [_case_error(case, "local_reference", message)]
    published = {}
    for case in file_cases:
        doi = (case.document.get("publication") or {}).get("doi")
        if isinstance(doi, str) and doi.strip() and case.key not in found:
            published[case.key] = (
                normalise_doi(doi),
                case.document.get("sex"),
                case.document.get("age_at_presentation"),
            )
    if published:
        visible = _compared_with(Case, user).filter(publication__doi__in={doi for doi, _, _ in published.values()})
        stored = {
            (doi, sex, str(age)) for doi, sex, age in visible.values_list("publication__doi", *DUPLICATE_FIELDS[1:])
        }
        for case in file_cases:
            if case.key in published and published[case.key] in stored:
                message = "Likely duplicate: a case you can see has the same publication, sex and age."
                found[case.key] = [_case_error(case, "publication_doi", message)]
    return found


def _case_error(case: FileCase, column: str | None, message: str) -> dict:
    return error(case.place.table, case.place.row, case.key, column, message)


def errors_of(case: FileCase, nested: dict) -> list[dict]:
    """A refusal of the services (``{"serology": [{}, {"test": […]}]}``) at the files, rows and columns it is about."""
    out = []
    for key, value in nested.items():
        if key in CHILDREN:
            out += _list_errors(
                case, key, value, case.rows.get(key, []), lambda i, key=key: case.inner.get((key, i), {})
            )
        elif key == "publication" and isinstance(value, dict):
            for name, messages in value.items():
                out += [_case_error(case, f"publication_{name}", m) for m in _messages(messages)]
        else:
            out += [_case_error(case, _COLUMNS.get(key, key), m) for m in _messages(value)]
    return out


def _list_errors(case: FileCase, key: str, value, places: list, inner_places) -> list[dict]:
    if not isinstance(value, list) or all(isinstance(v, str) for v in value):
        # About the list as a whole ("exactly one diagnosis is primary"): the case's row of the cases file.
        return [_case_error(case, key, m) for m in _messages(value)]
    out = []
    for index, problems in enumerate(value):
        if not problems:
            continue
        place = places[index] if index < len(places) else case.place
        for name, messages in problems.items():
            inner = inner_places(index)
            if isinstance(messages, list) and messages and isinstance(messages[0], dict):
                out += _list_errors(case, name, messages, inner.get(name, []), lambda _i: {})
                continue
            column = _COLUMNS.get(name, name)
            out += [error(place.table, place.row, case.key, column, m) for m in _messages(messages)]
    return out


def _messages(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [m for v in value for m in _messages(v)]
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    return [str(value)]


def _error_order(builder: Builder):
    files = [builder.file_name(key) for key in builder.tables]

    def order(e):
        file = e["file"]
        return (files.index(file) if file in files else -1, e["row"] or 0)

    return order
