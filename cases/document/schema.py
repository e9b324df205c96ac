"""The case document, declared once (api.md, "The case document", and its second edition).

Every key of the document is declared here, in document order, with what the
model does not already say (``cases/document/fields.py``): who may read it, how
the entry form lays it out, and, where the form needs other words than the
model's verbose name, its label and help text. Type, bounds, choices,
vocabulary and nullability are read from the model field itself.

Everything that speaks the document derives from this module: the services'
reader, the document writer (de-identification included), the API's input
and output shapes and so its OpenAPI schema, the browser's row forms, the
admin's case form and inlines, the export columns (CSV and SQL), the long
tables and the synthetic loader. ``cases/tests/test_document_schema.py``
walks every one of them against this declaration.
"""

from cases.document.fields import ChildList, Field, Kind, SiteRef, Withheld
from cases.models import (
    Assessment,
    AssessmentScore,
    Biopsy,
    CalcinosisSite,
    Case,
    ClinicalFeature,
    Diagnosis,
    LabResult,
    Publication,
    SerologyResult,
    SiteFinding,
    TreatmentCourse,
)

__all__ = ["ChildList", "Field", "Kind", "SiteRef", "Withheld"]

NOTES = Field("notes", withheld=Withheld.CLINIC_NARRATIVE, css="wide")

CASE_FIELDS: tuple[Field, ...] = tuple(
    f.bound(Case)
    for f in (
        Field("site", help="The site's code; clinicians enter cases for their own sites."),
        Field("source"),
        Field("publication", help="Required for literature cases; matched by DOI, PMID or citation, else created."),
        Field(
            "local_reference",
            withheld=Withheld.IDENTIFYING,
            help="Your site's own reference, never a name. Seen only by your site and curators.",
        ),
        Field("sex"),
        Field("age_at_presentation", age=True, label="Age at presentation (years)"),
        Field("calcinosis_onset_age", age=True, age_clue=True, label="Age at calcinosis onset (years)"),
        Field("country", help="Where the patient was seen: the ISO 3166-1 alpha-2 code, e.g. TR."),
        Field("consent"),
        Field("consent_scope"),
        Field("consent_on", label="Consent given on"),
        Field("ethics_reference", withheld=Withheld.IDENTIFYING),
        Field("calcinosis_etiology"),
        Field("calcinosis_extent"),
        Field(
            "summary",
            withheld=Withheld.CLINIC_NARRATIVE,
            help="The clinical narrative, without names, dates of birth or addresses.",
        ),
        Field("status", help="draft or submitted; a curator verifies with the verify action."),
    )
)

PUBLICATION_FIELDS: tuple[Field, ...] = tuple(
    f.bound(Publication)
    for f in (
        Field("doi", help="A DOI the registry knows fills in the rest."),
        Field("pmid"),
        Field("title"),
        Field("journal"),
        Field("year"),
        Field("authors"),
        Field("citation"),
        Field("summarises", help='The primary publication of a secondary summary, by its DOI: {"doi": "10.…"}.'),
    )
)

# The record's own timestamps, at the end of the document (years for a researcher).
RECORD_FIELDS: tuple[Field, ...] = tuple(
    f.bound(Case) for f in (Field("verified_at"), Field("created_at"), Field("updated_at"))
)

# Written by the registry, never from a document; a client that PUTs what it GETs may send them back.
READ_ONLY_FIELDS = (
    "registry_id",
    "version",
    "quality_issues",
    "criteria_computed",
    *(f.name for f in RECORD_FIELDS),
    "created_by",
    "verified_by",
    "status_reason",
)

SCORES = ChildList(
    "scores",
    AssessmentScore,
    (Field("instrument"), Field("value", help="Within the instrument's range and step (see vocabulary instrument).")),
    noun="score",
    heading="Scores",
    parent="assessment",
    natural_key=("instrument",),
)
SITE_FINDINGS = ChildList(
    "site_findings",
    SiteFinding,
    (
        Field("size_mm", label="Size (mm)"),
        Field("change"),
        Field("ulcerated"),
        Field("infected"),
        Field("painful"),
        Field("extruding"),
        Field("pain_nrs"),
        NOTES,
    ),
    noun="lesion finding",
    heading="Lesions at this visit",
    links=SiteRef(
        "site_id",
        "site_index",
        relation="site",
        many=False,
        description="The calcinosis site of this case the finding is about: its id, or its position (from 0) "
        "in calcinosis_sites for a site sent in the same document without an id (site_index: always a position).",
    ),
    parent="assessment",
    natural_key=("site",),
)

CHILD_LISTS: tuple[ChildList, ...] = (
    ChildList(
        "diagnoses",
        Diagnosis,
        (
            Field("condition", css="span2"),
            Field("is_primary", label="Primary diagnosis", help="Exactly one diagnosis is primary."),
            Field("certainty"),
            Field("age_at_onset", label="Age at onset (years)", age=True, age_clue=True),
            Field("age_at_diagnosis", label="Age at diagnosis (years)", age=True, age_clue=True),
            Field("duration_years", label="Duration at presentation (years)", age_clue=True),
            Field("duration_basis"),
            Field("criteria_stated", label="Classification criteria stated by the source"),
            NOTES,
        ),
        noun="diagnosis",
        heading="Diagnoses",
    ),
    ChildList(
        "features",
        ClinicalFeature,
        (Field("feature"), Field("status"), Field("timing"), NOTES),
        noun="clinical feature",
        heading="Clinical features",
        checklist=True,
    ),
    ChildList(
        "serology",
        SerologyResult,
        (
            Field("test", css="span2"),
            Field("result"),
            Field("method"),
            Field("titer", label="Titre 1:", group="ana-only"),
            Field(
                "pattern",
                label="ANA pattern",
                help="ANA only: an ICAP code (ac1 …) or nuclear / speckled / nucleolar; one row per pattern.",
                group="ana-only",
            ),
            Field("value"),
            Field("unit", label="Unit (UCUM)", help="Needed with a value."),
            Field("tested_on"),
            NOTES,
        ),
        noun="serology result",
        heading="Serology",
    ),
    ChildList(
        "labs",
        LabResult,
        (
            Field("test", css="span2"),
            Field("value"),
            Field("unit", label="Unit (UCUM)", help="Needed with a value: one the test accepts (vocabulary lab_test)."),
            Field("value_canonical", read_only=True, help="The value in the test's canonical unit."),
            Field("unit_canonical", read_only=True, help="The test's canonical unit."),
            Field("interpretation", help="normal, low, high or abnormal; a report that says only normal has no value."),
            Field("laterality", label="Eye", help="Per-eye tests (Schirmer, ocular staining): which eye."),
            Field("measured_on"),
            NOTES,
        ),
        noun="laboratory result",
        heading="Laboratory",
    ),
    ChildList(
        "calcinosis_sites",
        CalcinosisSite,
        (
            Field("region", css="span2"),
            Field("laterality", label="Side"),
            Field("digit_segment", label="Digit segment (fingers and toes)"),
            Field("methods", label="Seen by"),
            Field("morphology"),
            Field("depth"),
            Field("count"),
            Field("palpable"),
            Field("ulcerated"),
            Field("infected"),
            Field("painful"),
            Field("extruding"),
            Field("pain_nrs"),
            Field("size_mm", label="Size (mm)"),
            Field("size_short_mm", label="Short axis (mm)"),
            Field("observed_on"),
            NOTES,
        ),
        noun="calcinosis site",
        heading="Calcinosis sites",
    ),
    ChildList(
        "treatments",
        TreatmentCourse,
        (
            Field("agent", css="span2", help="A drug, a class (ccb) when no drug is named, or a procedure."),
            Field("route"),
            Field("dose"),
            Field("indication"),
            Field("started_on"),
            Field("stopped_on"),
            Field("duration_months", label="Duration (months)"),
            Field("stop_reason"),
            Field("regimen"),
            Field("response", css="wide"),
            Field("response_scope"),
            Field("response_basis"),
            Field("size_change_pct"),
            Field("response_at_months"),
            Field("response_assessed_on"),
            NOTES,
        ),
        noun="treatment",
        heading="Treatments",
        links=SiteRef(
            "site_ids",
            "site_indexes",
            relation="sites",
            many=True,
            description="The calcinosis sites of this case the course targeted: their ids, or their positions "
            "(from 0) in calcinosis_sites for sites sent in the same document without an id (site_indexes: "
            "always positions).",
        ),
    ),
    ChildList(
        "biopsies",
        Biopsy,
        (
            Field("tissue"),
            Field("findings", codes_of="biopsy_finding"),
            Field("focus_score"),
            Field("performed_on"),
            NOTES,
        ),
        noun="biopsy",
        heading="Biopsies",
    ),
    ChildList(
        "assessments",
        Assessment,
        (
            Field("months_from_presentation", label="Months from presentation"),
            Field("assessed_on"),
            Field("calcinosis_course"),
            Field("new_sites"),
            NOTES,
        ),
        noun="assessment",
        heading="Follow-up",
        children=(SCORES, SITE_FINDINGS),
    ),
)
CHILDREN: dict[str, ChildList] = {child.key: child for child in CHILD_LISTS}
# Every list, the ones inside rows too (the long tables and the export files have one each).
ALL_LISTS: tuple[ChildList, ...] = tuple(lst for child in CHILD_LISTS for lst in (child, *child.children))


def case_field(name: str) -> Field:
    return next(f for f in CASE_FIELDS if f.name == name)


def all_fields():
    """(list key or None for the case, field) for every model-backed field of the document."""
    yield from ((None, f) for f in CASE_FIELDS)
    for child in ALL_LISTS:
        yield from ((child.key, f) for f in child.fields)


def named_field(name: str) -> Field:
    """``"laterality"`` or ``"calcinosis_sites.laterality"``: a case field first, else the one list field so named."""
    key, _, name = name.rpartition(".")
    if key:
        return next(lst for lst in ALL_LISTS if lst.key == key).field(name)
    for list_key, f in all_fields():
        if f.name == name and list_key is None:
            return f
    found = [f for list_key, f in all_fields() if f.name == name]
    if len(found) != 1:
        raise LookupError(f"No single document field named {name!r}; qualify it (list.field).")
    return found[0]


def choices_of(name: str) -> list[tuple[str, str]]:
    """``choices_of("laterality")`` → [("left", "Left"), …]; ``features.status`` names a list's own field."""
    return named_field(name).choices
