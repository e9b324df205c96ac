"""Reads a case document into unsaved model instances, collecting every error.

Nothing here writes. ``read_case`` either returns a ``ReadCase`` whose
instances have all passed ``full_clean`` and the cross-row rules, or raises
one ``CaseValidationError`` listing every problem at its nested path.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from cases import access
from cases.document.checks import check_across_rows
from cases.document.errors import NON_FIELD, CaseValidationError, messages_of
from cases.document.rows import NoStoredRows, ReadRows, StoredRows, Vocabularies, read_rows
from cases.document.schema import CASE_FIELDS, CHILD_LISTS, CHILDREN, PUBLICATION_FIELDS, READ_ONLY_FIELDS
from cases.document.values import REQUIRED, assign, scalar_problem
from cases.models import Case, Publication, Site
from cases.models.case import normalise_doi

CASE_NAMES = [f.name for f in CASE_FIELDS]
PUBLICATION_NAMES = [f.name for f in PUBLICATION_FIELDS]
# A publication's own columns (its primary publication is read as a reference of its own).
PUBLICATION_COLUMNS = [name for name in PUBLICATION_NAMES if name != "summarises"]


@dataclass
class ReadCase:
    case: Case
    publication: Publication | None
    children: dict[str, ReadRows]


def read_case(*, user, data, case: Case | None = None, partial: bool = False, lookups=None) -> ReadCase:
    """``lookups`` (``cases.document.lookups.Lookups``): what a new case looks up, read once for many."""
    if not isinstance(data, dict):
        raise CaseValidationError({NON_FIELD: ["Expected a case document (a JSON object)."]})
    errors: dict = {}
    for key in data:
        if key not in CASE_NAMES and key not in CHILDREN and key not in READ_ONLY_FIELDS:
            errors[key] = ["Unknown field."]

    # ``case`` is the caller's fresh (locked) copy; remember what it was before the document.
    instance = Case() if case is None else case
    previous_status = None if case is None else case.status
    _read_site(user, data, instance, case, partial, errors, lookups)
    publication = _read_publication(data, instance, partial, errors, lookups)
    for name in CASE_NAMES:
        if name in ("site", "publication"):
            continue
        if name in data:
            assign(instance, name, data[name], errors)
        elif not partial and not (case is not None and name == "status"):
            setattr(instance, name, Case._meta.get_field(name).get_default())
    _read_status(user, instance, previous_status, errors)

    try:
        instance.full_clean(
            exclude=["registry_id", "site", "publication", "created_by", "verified_by", *errors],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for key, messages in messages_of(exc).items():
            errors.setdefault(key, messages)
    if instance.local_reference and instance.site_id and "local_reference" not in errors:
        if lookups is not None and case is None:
            taken = lookups.reference_taken(instance.site_id, instance.local_reference)
        else:
            clash = Case.objects.filter(site_id=instance.site_id, local_reference=instance.local_reference)
            taken = (clash.exclude(pk=case.pk) if case is not None else clash).exists()
        if taken:
            errors["local_reference"] = ["This site already has a case with this local reference."]

    vocabularies = lookups.vocabularies if lookups is not None else Vocabularies(CHILD_LISTS, data)
    sent = [child for child in CHILD_LISTS if not (partial and child.key not in data)]
    stored = StoredRows(case, sent) if case is not None else NoStoredRows()
    children: dict[str, ReadRows] = {}
    for child in sent:
        read = read_rows(child, data.get(child.key, []), stored, vocabularies, errors)
        if read is not None:
            children[child.key] = read
    check_across_rows(children, case, instance, errors)

    if errors:
        raise CaseValidationError(errors)
    return ReadCase(case=instance, publication=publication, children=children)


def _read_site(user, data, instance, case, partial, errors, lookups=None):
    if "site" not in data:
        if case is None:
            errors["site"] = [REQUIRED]
        return
    code = data["site"]
    if scalar_problem(code) or not isinstance(code, str):
        errors["site"] = ["Give the site's code."]
        return
    site = lookups.site(code) if lookups is not None else Site.objects.filter(code=code).first()
    if site is None or not access.can_edit_at_site(user, site.pk):
        # One answer for a code nobody uses and another clinic's code, so that codes cannot be probed.
        errors["site"] = [f"No site '{code}' that you may enter cases for."]
        return
    instance.site = site


def _read_publication(data, instance, partial, errors, lookups=None) -> Publication | None:
    if "publication" not in data:
        return instance.publication if instance.publication_id else None
    value = data["publication"]
    if value is None:
        instance.publication = None
        return None
    if not isinstance(value, dict):
        errors["publication"] = ['Give the publication as an object, e.g. {"doi": "10.…"}.']
        return None
    unknown = [k for k in value if k not in PUBLICATION_NAMES and k != "id"]
    if unknown:
        errors["publication"] = {k: ["Unknown field."] for k in unknown}
        return None
    doi, pmid = value.get("doi"), value.get("pmid")
    match = None
    if isinstance(doi, str) and doi.strip() and not scalar_problem(doi):
        match = _by_doi(doi, lookups)
    elif isinstance(pmid, int) and not isinstance(pmid, bool) and 0 < pmid < 2**31:
        match = Publication.objects.filter(pmid=pmid).first()
    else:
        match = _same_publication(instance.publication if instance.publication_id else None, value)
    if match is not None:
        instance.publication = match
        return match
    publication = Publication()
    pub_errors: dict = {}
    for name in PUBLICATION_COLUMNS:
        if name in value:
            assign(publication, name, value[name], pub_errors)
    if value.get("summarises") is not None:
        publication.summarises = _read_primary(value["summarises"], pub_errors, lookups)
    try:
        publication.full_clean(exclude=list(pub_errors), validate_unique=False)
    except ValidationError as exc:
        for key, messages in messages_of(exc).items():
            pub_errors.setdefault(key, messages)
    if pub_errors:
        errors["publication"] = pub_errors
        return None
    instance.publication = publication
    return publication


def _by_doi(doi: str, lookups) -> Publication | None:
    return (
        lookups.publication(doi) if lookups is not None else Publication.objects.filter(doi=normalise_doi(doi)).first()
    )


def _read_primary(value, pub_errors: dict, lookups=None) -> Publication | None:
    """The primary publication a summary summarises, by its DOI: the stored one, or a new one with that DOI."""
    doi = value.get("doi") if isinstance(value, dict) else None
    if not isinstance(doi, str) or not doi.strip() or scalar_problem(doi) or set(value) - {"doi"}:
        pub_errors["summarises"] = ['Name the primary publication by its DOI: {"doi": "10.…"}.']
        return None
    primary = _by_doi(doi, lookups) or Publication(doi=doi)
    if primary.pk is None:
        try:
            primary.full_clean(validate_unique=False)
        except ValidationError as exc:
            pub_errors["summarises"] = dict(messages_of(exc))
            return None
    return primary


def _same_publication(current, value) -> Publication | None:
    """A publication without DOI or PMID, sent back as it was read, is the one already stored."""

    def same(publication):
        # Compared as the field reads them: a year typed as "2024" is the stored 2024.
        try:
            return all(
                getattr(publication, k) == publication._meta.get_field(k).to_python(value[k])
                for k in PUBLICATION_COLUMNS
                if k in value
            )
        except ValidationError:
            return False

    if current is not None and same(current):
        return current
    citation = value.get("citation")
    if isinstance(citation, str) and citation.strip() and not scalar_problem(citation):
        return next((p for p in Publication.objects.filter(citation=citation) if same(p)), None)
    return None


def _read_status(user, instance, previous_status, errors):
    was_verified = previous_status == Case.Status.VERIFIED
    if instance.status == Case.Status.VERIFIED and not was_verified:
        errors["status"] = ["Only a curator verifies a case, with the verify action."]
    elif was_verified and not access.is_curator(user) and "status" not in errors:
        # A clinician's change to a verified case needs verifying again.
        instance.status = Case.Status.SUBMITTED
        instance.verified_by = None
        instance.verified_at = None
    elif was_verified and instance.status != Case.Status.VERIFIED:
        instance.verified_by = None
        instance.verified_at = None
