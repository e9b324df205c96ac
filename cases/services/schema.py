"""The shape of a case document: which keys it has and what each maps to.

The same document is read by the API, the browser form and the demo loader,
and written back by ``cases.documents``.
"""

from dataclasses import dataclass, field

from cases.models import (
    Agent,
    AnaPattern,
    CalcinosisSite,
    ClinicalFeature,
    Condition,
    Diagnosis,
    Feature,
    LabResult,
    LabTest,
    Region,
    SerologyResult,
    SerologyTest,
    TreatmentCourse,
)

CASE_FIELDS = [
    "site",
    "source",
    "publication",
    "local_reference",
    "sex",
    "age_at_presentation",
    "country",
    "consent",
    "calcinosis_etiology",
    "calcinosis_extent",
    "summary",
    "status",
]
# Sent back by clients that PUT what they GET; never written from a document.
READ_ONLY_FIELDS = {
    "registry_id",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "verified_by",
    "verified_at",
    "quality_issues",
    "status_reason",
}
PUBLICATION_FIELDS = ["doi", "pmid", "title", "journal", "year", "authors", "citation"]


@dataclass(frozen=True)
class ChildSpec:
    model: type
    fields: list[str]
    vocabularies: dict[str, type] = field(default_factory=dict)
    # Keys a row may carry that are not model fields.
    extra: tuple[str, ...] = ()


CHILDREN: dict[str, ChildSpec] = {
    "diagnoses": ChildSpec(
        Diagnosis,
        ["condition", "is_primary", "age_at_diagnosis", "duration_years", "criteria", "notes"],
        {"condition": Condition},
    ),
    "features": ChildSpec(ClinicalFeature, ["feature", "status", "notes"], {"feature": Feature}),
    "serology": ChildSpec(
        SerologyResult,
        ["test", "result", "titer", "pattern", "value", "unit", "tested_on", "notes"],
        {"test": SerologyTest, "pattern": AnaPattern},
    ),
    "labs": ChildSpec(
        LabResult, ["test", "value", "unit", "interpretation", "measured_on", "notes"], {"test": LabTest}
    ),
    "calcinosis_sites": ChildSpec(
        CalcinosisSite,
        [
            "region",
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
        ],
        {"region": Region},
    ),
    "treatments": ChildSpec(
        TreatmentCourse,
        [
            "agent",
            "route",
            "dose",
            "indication",
            "started_on",
            "stopped_on",
            "duration_months",
            "response",
            "response_assessed_on",
            "notes",
        ],
        {"agent": Agent},
        extra=("site_ids", "site_indexes"),
    ),
}
