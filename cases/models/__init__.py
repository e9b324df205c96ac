from cases.models.case import Case, CaseQuerySet, Publication
from cases.models.children import (
    CalcinosisSite,
    ClinicalFeature,
    Diagnosis,
    LabResult,
    SerologyResult,
    TreatmentCourse,
    TreatmentTarget,
)
from cases.models.sites import Membership, Site
from cases.models.vocabularies import (
    VOCABULARIES,
    Agent,
    AnaPattern,
    Concept,
    Condition,
    Feature,
    LabTest,
    Region,
    SerologyTest,
)

__all__ = [
    "Agent",
    "AnaPattern",
    "CalcinosisSite",
    "Case",
    "CaseQuerySet",
    "ClinicalFeature",
    "Concept",
    "Condition",
    "Diagnosis",
    "Feature",
    "LabResult",
    "LabTest",
    "Membership",
    "Publication",
    "Region",
    "SerologyResult",
    "SerologyTest",
    "Site",
    "TreatmentCourse",
    "TreatmentTarget",
    "VOCABULARIES",
]
