from cases.models.calcinosis import CalcinosisSite, TreatmentCourse, TreatmentTarget
from cases.models.case import Case, CaseQuerySet, Publication
from cases.models.children import Biopsy, ClinicalFeature, Diagnosis, LabResult, SerologyResult
from cases.models.criteria import CriteriaResult
from cases.models.follow_up import Assessment, AssessmentScore, SiteFinding
from cases.models.sites import Membership, Site
from cases.models.vocabularies import (
    VOCABULARIES,
    Agent,
    AnaPattern,
    BiopsyFinding,
    Concept,
    Condition,
    Feature,
    Instrument,
    LabTest,
    Region,
    SerologyTest,
)

__all__ = [
    "Agent",
    "AnaPattern",
    "Assessment",
    "AssessmentScore",
    "Biopsy",
    "BiopsyFinding",
    "Instrument",
    "SiteFinding",
    "CalcinosisSite",
    "Case",
    "CaseQuerySet",
    "ClinicalFeature",
    "Concept",
    "CriteriaResult",
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
