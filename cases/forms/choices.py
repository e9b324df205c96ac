"""The choice lists of the coded case fields, read from the models that own them."""

from cases.models import CalcinosisSite, Case, ClinicalFeature, Diagnosis, LabResult, SerologyResult, TreatmentCourse

# Coded fields of the case document that are choices (not vocabularies), by the model that owns them.
_CHOICE_OWNERS = {
    "source": Case,
    "sex": Case,
    "consent": Case,
    "calcinosis_etiology": Case,
    "calcinosis_extent": Case,
    "status": Case,
    "criteria": Diagnosis,
    "result": SerologyResult,
    "interpretation": LabResult,
    "laterality": CalcinosisSite,
    "digit_segment": CalcinosisSite,
    "detected_by": CalcinosisSite,
    "morphology": CalcinosisSite,
    "route": TreatmentCourse,
    "indication": TreatmentCourse,
    "response": TreatmentCourse,
}


def choices_of(name: str) -> list[tuple[str, str]]:
    """``choices_of("laterality")`` → [("left", "Left"), …]; ``feature_status`` is a clinical feature's status."""
    if name == "feature_status":
        return [(str(v), str(label)) for v, label in ClinicalFeature._meta.get_field("status").flatchoices]
    field = _CHOICE_OWNERS[name]._meta.get_field(name)
    return [(str(v), str(label)) for v, label in field.flatchoices if v not in ("", None)]
