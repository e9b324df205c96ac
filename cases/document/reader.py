"""Reads a case document into unsaved model instances, collecting every error.

Nothing here writes. ``read_case`` either returns a ``ReadCase`` whose
instances have all passed ``full_clean`` and the cross-row rules, or raises
one ``CaseValidationError`` listing every problem at its nested path.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models

from cases import access
from cases.document.errors import NON_FIELD, CaseValidationError, messages_of
from cases.document.schema import CASE_FIELDS, CHILDREN, PUBLICATION_FIELDS, READ_ONLY_FIELDS, ChildList
from cases.models import Case, Publication, Site
from cases.models.case import normalise_doi

CASE_NAMES = [f.name for f in CASE_FIELDS]
PUBLICATION_NAMES = [f.name for f in PUBLICATION_FIELDS]

REQUIRED = "This field is required."


@dataclass
class ReadRows:
    rows: list  # model instances in document order (existing ones carry their pk)
    removed_ids: list[int] = field(default_factory=list)
    targets: list = field(default_factory=list)  # per treatment: list of ("id", pk) or ("index", i)


@dataclass
class ReadCase:
    case: Case
    publication: Publication | None
    children: dict[str, ReadRows]


def _scalar_problem(value) -> str | None:
    if isinstance(value, (dict, list, tuple, set)):
        return "Expected a single value, not a list or object."
    if isinstance(value, str) and "\x00" in value:
        return "Null characters are not allowed."
    if isinstance(value, str) and not _is_utf8(value):
        return "The text contains characters that are not valid Unicode."
    return None


def _is_utf8(text: str) -> bool:
    # A lone surrogate ("\ud800") can come out of JSON but cannot be stored in PostgreSQL.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _assign(instance, name: str, value, errors: dict):
    """Set a plain field from a document value, leaving conversion to the field itself."""
    problem = _scalar_problem(value)
    if problem:
        errors[name] = [problem]
        return
    model_field = instance._meta.get_field(name)
    if value == "" and model_field.null:
        value = None
    if value is None and not model_field.null:
        value = "" if isinstance(model_field, (models.CharField, models.TextField)) else None
        if value is None:
            errors[name] = ["This field may not be null."]
            return
    if isinstance(value, bool) and not isinstance(model_field, models.BooleanField):
        errors[name] = ["Expected a number, a date or text, not true/false."]
        return
    if isinstance(value, float) and isinstance(model_field, models.DecimalField):
        # JSON has no decimals: 6.7 arrives as a float, which Django reads with max_digits of
        # precision (6.700) and then refuses for its decimal places. The float's repr is "6.7".
        value = repr(value)
    try:
        value = model_field.to_python(value)
    except ValidationError as exc:
        errors[name] = list(exc.messages)
        return
    except (TypeError, ValueError, ArithmeticError):
        # e.g. a number where a date belongs: the field's own parser gives up without a message
        errors[name] = [f"Enter a valid {model_field.get_internal_type().removesuffix('Field').lower()} value."]
        return
    setattr(instance, name, value)


class _Vocabularies:
    """Looks codes up in one query per vocabulary, whatever the number of rows."""

    def __init__(self, data: dict):
        self.found: dict[type, dict] = {}
        wanted: dict[type, set] = {}
        for key, child in CHILDREN.items():
            rows = data.get(key)
            if not isinstance(rows, list):
                continue
            for name, model in child.codes.items():
                codes = {
                    r.get(name)
                    for r in rows
                    if isinstance(r, dict) and isinstance(r.get(name), str) and not _scalar_problem(r[name])
                }
                wanted.setdefault(model, set()).update(codes - {""})
        for model, codes in wanted.items():
            self.found[model] = {c.code: c for c in model.objects.filter(code__in=codes)} if codes else {}

    def get(self, model, code):
        return self.found.get(model, {}).get(code)


def read_case(*, user, data, case: Case | None = None, partial: bool = False) -> ReadCase:
    if not isinstance(data, dict):
        raise CaseValidationError({NON_FIELD: ["Expected a case document (a JSON object)."]})
    errors: dict = {}
    for key in data:
        if key not in CASE_NAMES and key not in CHILDREN and key not in READ_ONLY_FIELDS:
            errors[key] = ["Unknown field."]

    # ``case`` is the caller's fresh (locked) copy; remember what it was before the document.
    instance = Case() if case is None else case
    previous_status = None if case is None else case.status
    _read_site(user, data, instance, case, partial, errors)
    publication = _read_publication(data, instance, partial, errors)
    for name in CASE_NAMES:
        if name in ("site", "publication"):
            continue
        if name in data:
            _assign(instance, name, data[name], errors)
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
        clash = Case.objects.filter(site_id=instance.site_id, local_reference=instance.local_reference)
        if case is not None:
            clash = clash.exclude(pk=case.pk)
        if clash.exists():
            errors["local_reference"] = ["This site already has a case with this local reference."]

    vocabularies = _Vocabularies(data)
    children: dict[str, ReadRows] = {}
    for key, child in CHILDREN.items():
        if partial and key not in data:
            continue
        rows = data.get(key, [])
        existing = _existing_rows(child, case) if case is not None else {}
        read = _read_rows(child, rows, existing, vocabularies, errors)
        if read is not None:
            children[key] = read
    _check_across_rows(children, case, errors)

    if errors:
        raise CaseValidationError(errors)
    return ReadCase(case=instance, publication=publication, children=children)


def _read_site(user, data, instance, case, partial, errors):
    if "site" not in data:
        if case is None:
            errors["site"] = [REQUIRED]
        return
    code = data["site"]
    if _scalar_problem(code) or not isinstance(code, str):
        errors["site"] = ["Give the site's code."]
        return
    site = Site.objects.filter(code=code).first()
    if site is None or not access.can_edit_at_site(user, site.pk):
        # One answer for a code nobody uses and another clinic's code, so that codes cannot be probed.
        errors["site"] = [f"No site '{code}' that you may enter cases for."]
        return
    instance.site = site


def _read_publication(data, instance, partial, errors) -> Publication | None:
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
    if isinstance(doi, str) and doi.strip() and not _scalar_problem(doi):
        match = Publication.objects.filter(doi=normalise_doi(doi)).first()
    elif isinstance(pmid, int) and not isinstance(pmid, bool) and 0 < pmid < 2**31:
        match = Publication.objects.filter(pmid=pmid).first()
    else:
        match = _same_publication(instance.publication if instance.publication_id else None, value)
    if match is not None:
        instance.publication = match
        return match
    publication = Publication()
    pub_errors: dict = {}
    for name in PUBLICATION_NAMES:
        if name in value:
            _assign(publication, name, value[name], pub_errors)
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


def _same_publication(current, value) -> Publication | None:
    """A publication without DOI or PMID, sent back as it was read, is the one already stored."""

    def same(publication):
        return all(getattr(publication, k) == value[k] for k in PUBLICATION_NAMES if k in value)

    if current is not None and same(current):
        return current
    citation = value.get("citation")
    if isinstance(citation, str) and citation.strip() and not _scalar_problem(citation):
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


def _existing_rows(child: ChildList, case: Case) -> dict:
    rows = {}
    for row in child.model.objects.filter(case=case):
        row.stored_values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
        rows[row.pk] = row
    return rows


def _read_rows(child: ChildList, rows, existing, vocabularies, errors) -> ReadRows | None:
    key, codes = child.key, child.codes
    link_keys = (child.links.name, child.links.by_position) if child.links else ()
    if not isinstance(rows, list):
        errors[key] = ["Expected a list."]
        return None
    row_errors: list[dict] = []
    read = ReadRows(rows=[])
    seen_ids = set()
    for raw in rows:
        problems: dict = {}
        row_errors.append(problems)
        if not isinstance(raw, dict):
            problems[NON_FIELD] = ["Expected an object."]
            continue
        for name in raw:
            if name not in codes and name not in child.names and name not in link_keys and name != "id":
                problems[name] = ["Unknown field."]
        row_id = raw.get("id")
        if row_id is not None:
            if not isinstance(row_id, int) or isinstance(row_id, bool) or row_id not in existing or row_id in seen_ids:
                problems["id"] = ["Not a row of this case (leave id out to add a new row)."]
                continue
            seen_ids.add(row_id)
            instance = existing[row_id]
        else:
            instance = child.model()
        for name in child.names:
            if name in problems:
                continue
            if name not in raw and instance.pk is not None:
                continue  # an existing row keeps what the document does not mention
            if name in codes:
                _read_code(instance, name, codes[name], raw.get(name), vocabularies, existing, problems)
            elif name in raw:
                _assign(instance, name, raw[name], problems)
            elif instance.pk is None:
                setattr(instance, name, child.model._meta.get_field(name).get_default())
        try:
            instance.full_clean(exclude=["case", *problems, *codes], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in messages_of(exc).items():
                problems.setdefault(name, messages)
        if child.links:
            read.targets.append(_read_targets(child, raw, problems))
        read.rows.append(instance)
    read.removed_ids = [pk for pk in existing if pk not in seen_ids]
    if any(row_errors):
        errors[key] = row_errors
    return read


def _read_code(instance, name, model, code, vocabularies, existing, problems):
    field = instance._meta.get_field(name)
    if code in (None, ""):
        if not field.null:
            problems[name] = [REQUIRED]
        else:
            setattr(instance, name, None)
        return
    if not isinstance(code, str):
        problems[name] = ["Give the code as text."]
        return
    if _scalar_problem(code):
        # Not echoed back: the message itself would carry the unstorable character.
        problems[name] = [_scalar_problem(code)]
        return
    concept = vocabularies.get(model, code)
    if concept is None:
        problems[name] = [f"Unknown code '{code}'."]
        return
    in_use_here = any(getattr(row, f"{name}_id") == code for row in existing.values())
    if not concept.active and not in_use_here:
        problems[name] = [f"'{code}' is no longer in use for new entries; choose an active code."]
        return
    setattr(instance, name, concept)


def _read_targets(child: ChildList, raw, problems) -> list:
    targets = []
    for key, kind in ((child.links.name, "id"), (child.links.by_position, "index")):
        values = raw.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            problems[key] = ["Expected a list of whole numbers."]
            continue
        targets.extend((kind, v) for v in values)
    return targets


def _check_across_rows(children: dict[str, ReadRows], case, errors):
    diagnoses = children.get("diagnoses")
    if diagnoses and diagnoses.rows and "diagnoses" not in errors:
        primaries = [i for i, d in enumerate(diagnoses.rows) if d.is_primary]
        if len(primaries) != 1:
            rows = [{} for _ in diagnoses.rows]
            if not primaries:
                rows[0] = {"is_primary": ["Mark one diagnosis as the primary one."]}
            for index in primaries[1:]:
                rows[index] = {"is_primary": ["Only one diagnosis can be primary."]}
            errors["diagnoses"] = rows
    features = children.get("features")
    if features and "features" not in errors:
        seen, rows = set(), []
        for row in features.rows:
            code = row.feature_id
            rows.append({"feature": [f"'{code}' is listed twice."]} if code in seen else {})
            seen.add(code)
        if any(rows):
            errors["features"] = rows
    treatments, sites = children.get("treatments"), children.get("calcinosis_sites")
    if treatments is None or "treatments" in errors:
        return
    if sites is not None:
        kept_ids, count = {s.pk for s in sites.rows if s.pk}, len(sites.rows)
    else:  # a partial change of treatments alone targets the sites already stored
        kept_ids = set(case.calcinosis_sites.values_list("pk", flat=True)) if case else set()
        count = 0
    rows = []
    for targets in treatments.targets:
        bad = [
            f"Calcinosis site {value} is not among this case's sites."
            if kind == "id"
            else f"Site index {value} is outside the list of {count} calcinosis sites."
            for kind, value in targets
            if (kind == "id" and value not in kept_ids) or (kind == "index" and not 0 <= value < count)
        ]
        rows.append({"site_ids": bad} if bad else {})
    if any(rows):
        errors["treatments"] = rows
