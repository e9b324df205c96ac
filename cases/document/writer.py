"""A stored case as a document: the shape of api.md, for the API, the pages, the tests and the exports' parity.

De-identification happens here and nowhere else in Python (the SQL exporter is
its measured twin, held to it cell by cell by ``api/tests/test_export_parity.py``):
a reader who does not see identifiers gets no identifying field, years instead
of dates and timestamps, "90+" for great ages, no age clue in a case aged 90
or more, and no narrative of a clinic case (api.md, "What researchers see" and
its second edition). Works on a case loaded with ``Case.objects.for_detail()``
without further queries.

The same rules as ORM expressions (``seen_expression``) let filters and
orderings work on what such a reader reads, so that nothing they may not see
can be inferred from what a list selects or how it is sorted
(``api/tests/test_no_inference.py``). All of it is keyed off the schema's flags
(``age``, ``age_clue``, the kinds of dates), never off field names.
"""

import functools
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from enum import Enum

from django.db import models
from django.db.models.functions import ExtractYear
from django.db.models.lookups import GreaterThanOrEqual

from cases import access, criteria
from cases.document.schema import (
    CASE_FIELDS,
    CHILD_LISTS,
    CHILDREN,
    PUBLICATION_FIELDS,
    RECORD_FIELDS,
    ChildList,
    Field,
    Kind,
    Withheld,
    case_field,
)
from cases.quality import quality_issues

# The age from which a researcher reads "90+" (HIPAA's safe-harbour rule).
GREAT_AGE = 90
GREAT_AGE_TEXT = "90+"
# A case is "aged 90 or more" by this age: then every value flagged age_clue is withheld.
PRESENTATION_AGE = case_field("age_at_presentation")


def is_great_age(age) -> bool:
    return age is not None and age >= GREAT_AGE


def reads_deidentified(user) -> bool:
    """Whether ``user`` reads a list, an export, a filter or an ordering of many cases de-identified."""
    return not access.sees_identifiers_in_bulk(user)


@dataclass(frozen=True)
class Disclosure:
    """How much of one case a reader sees."""

    identified: bool  # identifying fields, full dates, exact great ages
    narrative: bool  # free text (summary, notes)
    # Ages and durations (age_clue): withheld in a case aged 90 or more from who does not see identifiers,
    # since with another age or a duration they give the exact age back.
    age_clues: bool = True

    @classmethod
    def full(cls) -> "Disclosure":
        return cls(identified=True, narrative=True)

    @classmethod
    def of(cls, case, *, identified: bool) -> "Disclosure":
        # Published cases keep their narrative; a clinic's free text may identify a patient.
        return cls(
            identified=identified,
            narrative=identified or case.source == "literature",
            age_clues=identified or not is_great_age(getattr(case, PRESENTATION_AGE.attname)),
        )

    @staticmethod
    def conditions(identified: str, case: str = "c") -> dict[str, str]:
        """``of`` in SQL: each part as a condition on the case row ``case``, never NULL, given ``identified``
        (TRUE, FALSE or a condition on that row), for documents PostgreSQL builds (``cases.document.sql``)."""
        if identified == "TRUE":
            return {"identified": "TRUE", "narrative": "TRUE", "age_clues": "TRUE"}
        great = f"coalesce({case}.{PRESENTATION_AGE.column} >= {GREAT_AGE}, false)"
        either = "" if identified == "FALSE" else f"{identified} OR "
        return {
            "identified": identified,
            "narrative": f"({either}{case}.source = 'literature')",
            "age_clues": f"({either}NOT {great})",
        }

    @classmethod
    def for_user(cls, user, case) -> "Disclosure":
        return cls.of(case, identified=access.sees_identifiers(user, case))


def plain_number(value):
    """A stored number as the document gives it: 25.0 is 25, 6.70 is 6.7."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _put(out: dict, f: Field, value, disclosure: Disclosure) -> None:
    if f.withheld is Withheld.IDENTIFYING and not disclosure.identified:
        return
    present = presenter(f, disclosure)
    out[f.name] = value if present is None else present(value)


class Shown(Enum):
    """The forms a stored value takes in a document (``how_shown`` says which, for one field and reader)."""

    STORED = "as stored"
    EMPTIED = "empty text"  # a clinic's narrative, for who may not read it
    WITHHELD = "null"  # an age clue in a case aged 90 or more
    NULL_IF_EMPTY = "null for empty text"
    ISO = "ISO 8601 date or timestamp"
    YEAR = "the year, as text"
    CODES = "a list of codes"
    AGE = "90+ for a great age, else the number"
    NUMBER = "a plain number"


@functools.cache
def how_shown(f: Field, disclosure: Disclosure) -> Shown:
    """Which form one field's stored value takes for this reader: the one place the value rules are decided,
    for the documents Python writes (``presenter``) and for those PostgreSQL builds (``cases.document.sql``).
    A NULL reads null in every form; an empty text also reads null in the forms after NULL_IF_EMPTY when the
    field may be NULL. A field left out altogether (``Withheld.IDENTIFYING``) is the caller's."""
    if f.withheld is Withheld.CLINIC_NARRATIVE and not disclosure.narrative:
        return Shown.EMPTIED
    if f.age_clue and not disclosure.age_clues:
        return Shown.WITHHELD
    if f.kind in (Kind.DATE, Kind.TIMESTAMP):
        return Shown.ISO if disclosure.identified else Shown.YEAR
    if f.kind is Kind.CODE_LIST:
        return Shown.CODES
    if f.age and not disclosure.identified:
        return Shown.AGE
    if isinstance(f.model_field, models.DecimalField):
        return Shown.NUMBER
    if f.model_field.null:
        return Shown.NULL_IF_EMPTY
    return Shown.STORED


_IN_PYTHON = {
    Shown.ISO: lambda value: value.isoformat(),
    Shown.YEAR: lambda value: str(value.year),
    Shown.CODES: list,
    Shown.AGE: lambda value: GREAT_AGE_TEXT if value >= GREAT_AGE else plain_number(value),
    Shown.NUMBER: plain_number,
}


@functools.cache
def presenter(f: Field, disclosure: Disclosure):
    """How one field's stored value reads to this reader (None: as stored), decided once per field and reader
    instead of for every value (a page of 500 documents writes some 130,000): the form ``how_shown`` gives."""
    shown = how_shown(f, disclosure)
    if shown is Shown.STORED:
        return None
    if shown is Shown.EMPTIED:
        return lambda value: ""
    if shown is Shown.WITHHELD:
        return lambda value: None
    if shown is Shown.NULL_IF_EMPTY:
        return lambda value: None if value == "" else value
    show = _IN_PYTHON[shown]
    if f.model_field.null:
        return lambda value: None if value is None or value == "" else show(value)
    return lambda value: None if value is None else show(value)


_ROW_PLANS: dict = {}


def _row_plan(child: ChildList, disclosure: Disclosure) -> tuple:
    """Each key of a row in the document's order with where its value comes from: a field (its position in
    ``child.fields`` and presenter, None for a value as stored), or the row's id, sites or inner lists
    (position None)."""
    plan = _ROW_PLANS.get((child.key, disclosure))
    if plan is None:
        fields = {f.name: (index, f) for index, f in enumerate(child.fields)}
        plan = []
        for key in child.document_keys:
            index, f = fields.get(key, (None, None))
            if f is None:
                plan.append((key, None, None))
            elif f.withheld is not Withheld.IDENTIFYING or disclosure.identified:
                plan.append((key, index, presenter(f, disclosure)))
        plan = _ROW_PLANS[(child.key, disclosure)] = tuple(plan)
    return plan


def row_document(child: ChildList, values, disclosure: Disclosure, *, pk=None, links=None, inner=None) -> dict:
    """One row of a list as the document gives it, from its stored values (in the order of ``child.fields``,
    as ``values_list`` reads them): the sites it names
    (``links``: their ids, or the one id) and the documents of the lists inside it (``inner``, by key).
    Each value as ``presenter`` gives it."""
    out = {}
    for key, index, present in _row_plan(child, disclosure):
        if index is not None:
            value = values[index]
            out[key] = value if present is None else present(value)
        elif key == "id":
            out[key] = pk
        elif child.links and key == child.links.name:
            out[key] = links
        else:
            out[key] = inner[key]
    return out


def child_row(child: ChildList, row, disclosure: Disclosure) -> dict:
    """A row of a list from its model instance (with its sites and inner lists prefetched)."""
    links = child.links
    if links and links.many:
        linked = sorted(site.pk for site in getattr(row, links.relation).all())
    else:
        linked = getattr(row, f"{links.relation}_id") if links else None
    inner = {
        c.key: [child_row(c, inner_row, disclosure) for inner_row in getattr(row, c.key).all()] for c in child.children
    }
    values = [getattr(row, f.attname) for f in child.fields]
    return row_document(child, values, disclosure, pk=row.pk, links=linked, inner=inner)


def table_row(child: ChildList, row, case, disclosure: Disclosure) -> dict:
    """A row of a long table (``child.row_keys``): its case's registry id, the row it is inside, its own id."""
    out = child_row(child, row, disclosure)
    out.update({"registry_id": case.registry_id, "id": row.pk})
    if child.parent != "case":
        out[f"{child.parent}_id"] = getattr(row, f"{child.parent}_id")
    return {key: out[key] for key in child.row_keys}


def publication_document(publication) -> dict | None:
    if publication is None:
        return None
    doc = {}
    for f in PUBLICATION_FIELDS:
        if f.kind is Kind.PUBLICATION:
            primary = getattr(publication, f.name)
            doc[f.name] = None if primary is None else {"doi": primary.doi}
        else:
            doc[f.name] = getattr(publication, f.attname)
    return doc


def case_document(
    case, *, deidentify: bool = False, disclosure: Disclosure | None = None, lists=None, derived: bool = True
) -> dict:
    """The whole document; ``deidentify`` gives the researcher's view, ``disclosure`` says it exactly.

    ``lists``: the case's lists read as plain rows for a page of cases (``cases.document.plain``); without it,
    they are read from the case's prefetched rows (``Case.objects.for_detail()``). ``derived=False`` leaves out
    what the registry computes from the rows (``criteria_computed``, ``quality_issues``) for a reader that does
    not show it (the FHIR export, where evaluating the criteria was half the time of a case).
    """
    disclosure = disclosure or Disclosure.of(case, identified=not deidentify)
    doc = {"registry_id": case.registry_id, "version": case.version}
    for f in CASE_FIELDS:
        if f.kind is Kind.SITE:
            doc[f.name] = case.site.code
        elif f.kind is Kind.PUBLICATION:
            doc[f.name] = publication_document(case.publication)
        else:
            _put(doc, f, getattr(case, f.attname), disclosure)
    for child in CHILD_LISTS:
        if lists is not None:
            doc[child.key] = lists.documents(child, case.pk, disclosure)
        else:
            doc[child.key] = [child_row(child, row, disclosure) for row in getattr(case, child.key).all()]
    if derived:
        stored = lists.criteria_computed(case.pk) if lists is not None else None
        if stored is None:
            stored = criteria_computed(lists.evidence(case.pk) if lists is not None else evidence_of(case))
        doc["criteria_computed"] = stored
        # What a curator still has to fix (cases.quality); read from the loaded rows, not the database.
        doc["quality_issues"] = quality_issues(case)
    for f in RECORD_FIELDS:
        _put(doc, f, getattr(case, f.attname), disclosure)
    return doc


def evidence_of(case) -> dict:
    """The lists the classification criteria read, as stored whoever reads the result, so that the document,
    the page, the stored table (``cases.services.criteria``) and the filters agree. A result names recorded
    rows (``feature:raynaud``) and never an identifying value."""
    return {
        key: [{f.name: getattr(row, f.attname) for f in CHILDREN[key].fields} for row in getattr(case, key).all()]
        for key in criteria.READS
    }


def _numbers(result: dict) -> dict:
    # Points and scores as JSON numbers: whole for SSc, Sjögren's and SLE, tenths for IIM.
    out = {key: plain_number(value) for key, value in result.items()}
    out["items"] = [{**item, "points": plain_number(item["points"])} for item in out["items"]]
    return out


def criteria_computed(evidence: dict) -> list[dict]:
    """The four classification criteria sets evaluated on a case's evidence (clinical-v2.md §6), always all four."""
    return [_numbers(result) for result in criteria.evaluate(evidence)]


def document_for(user, case) -> dict:
    """The case as ``user`` may read it: identifiers only for the case's own site and curators."""
    return case_document(case, disclosure=Disclosure.for_user(user, case))


# --- The same rules in SQL, for what a list selects and how it is sorted ---------------------------------


def seen_expression(f: Field, value, *, presentation_age):
    """``value`` (an expression of ``f``'s stored value) as a reader without identifiers reads it.

    An age of 90 or more is 90 (every "90+" alike); an age clue is NULL in a case whose
    ``presentation_age`` is 90 or more; a date or a timestamp is its year (in UTC, as the
    document's). Anything else is as stored. Filters compare it and orderings sort on it.
    """
    if f.age_clue:
        great = GreaterThanOrEqual(presentation_age, GREAT_AGE)
        value = models.Case(models.When(great, then=models.Value(None)), default=value, output_field=f.model_field)
    if f.age:
        great = GreaterThanOrEqual(value, GREAT_AGE)
        value = models.Case(models.When(great, then=models.Value(GREAT_AGE)), default=value, output_field=f.model_field)
    if f.kind is Kind.DATE:
        value = ExtractYear(value)
    elif f.kind is Kind.TIMESTAMP:
        value = ExtractYear(value, tzinfo=UTC)
    return value
