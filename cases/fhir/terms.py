"""What the FHIR resources say a code is: the vocabularies' labels and standard codes, and FHIR's own systems.

Standard codings come only from the registry's vocabularies, which carry SNOMED CT, ICD-10, LOINC and ATC only
where the design's domain reference marks them verified (an empty column sends no coding, only text). Every
coded value also carries the registry's own code, so that a reader can map it themselves.
"""

from dataclasses import dataclass

from cases.document.schema import choices_of
from cases.models import VOCABULARIES

# Names the registry in every resource's meta.source and in the identifier of its cases.
REGISTRY = "urn:calcinosis-registry"
CASE_IDENTIFIER = f"{REGISTRY}:case"

SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ATC = "http://www.whocc.no/atc"
# FHIR's own code systems (part of the R4 specification, not clinical codes).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
VERIFICATION_STATUS = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

# Calcinosis cutis has ICD-10 L94.2 (domain.md §1.1, verified); its SNOMED CT code is not verified.
CALCINOSIS_CUTIS = {"system": ICD10, "code": "L94.2", "display": "Calcinosis cutis"}

# The vocabularies a resource names, and the standard columns each carries.
_COLUMNS = {
    "condition": ("snomed", "icd10"),
    "feature": ("snomed",),
    "serology_test": ("snomed", "loinc_presence", "loinc_titer", "loinc_quantity"),
    "ana_pattern": ("snomed",),
    "lab_test": ("snomed", "loinc_presence", "loinc_titer", "loinc_quantity", "units"),
    "region": ("snomed",),
    "agent": ("snomed", "atc", "path"),
    "instrument": ("snomed",),
}


def local_system(vocabulary: str) -> str:
    """The registry's own code system for a vocabulary or a fixed list (``urn:calcinosis-registry:region``)."""
    return f"{REGISTRY}:{vocabulary}"


@dataclass(frozen=True)
class Concept:
    code: str
    label: str
    standard: dict  # column → value, empty strings left out

    def get(self, column: str):
        return self.standard.get(column) or None


class Terms:
    """Every concept a case's resources may name, read once (a few small queries) for a bundle or a whole export."""

    def __init__(self):
        self.vocabularies: dict[str, dict[str, Concept]] = {}
        for name, columns in _COLUMNS.items():
            rows = VOCABULARIES[name].objects.values_list("code", "label", *columns)
            self.vocabularies[name] = {
                code: Concept(code, label, {c: v for c, v in zip(columns, values, strict=True) if v})
                for code, label, *values in rows
            }
        self._labels: dict[str, dict[str, str]] = {}
        # An export names the same few hundred concepts a million times: each CodeableConcept is made once and
        # shared by every resource that names it (none is changed after it is made).
        self._made: dict[tuple, dict] = {}

    def concept(self, vocabulary: str, code: str) -> Concept:
        return self.vocabularies[vocabulary].get(code) or Concept(code, code, {})

    def label(self, name: str, code: str) -> str:
        """The label of a fixed choice of the document (``treatments.route``, ``oral`` → "Oral")."""
        if name not in self._labels:
            self._labels[name] = dict(choices_of(name))
        return self._labels[name].get(code, code)

    def codeable(self, vocabulary: str, code: str, *standard: tuple[str, str]) -> dict:
        """A CodeableConcept of a vocabulary's concept: ``standard`` as (column, system), then the registry's code."""
        key = (vocabulary, code, standard)
        if key not in self._made:
            self._made[key] = self._codeable(vocabulary, code, standard)
        return self._made[key]

    def _codeable(self, vocabulary: str, code: str, standard: tuple) -> dict:
        concept = self.concept(vocabulary, code)
        codings = [
            {"system": system, "code": concept.get(column)} for column, system in standard if concept.get(column)
        ]
        codings.append({"system": local_system(vocabulary), "code": code, "display": concept.label})
        return {"coding": codings, "text": concept.label}

    def choice(self, name: str, code: str, *standard: dict) -> dict:
        """A CodeableConcept of a fixed choice (``treatments.indication``): ``standard`` codings (whole), then the
        registry's code and its label."""
        key = (name, code, tuple(tuple(coding.items()) for coding in standard))
        if key not in self._made:
            label = self.label(name, code)
            own = {"system": local_system(name), "code": code, "display": label}
            self._made[key] = {"coding": [*standard, own], "text": label}
        return self._made[key]


def fhir_id(*parts) -> str:
    """A resource id from the registry id and the row it comes from: FHIR ids take letters, digits, - and ."""
    return "-".join(str(part) for part in parts).replace("_", "-")


def age(value) -> dict:
    """An age of the document as a FHIR Age or, for "90+", a Range from 90 (never an exact age over 89)."""
    if isinstance(value, str):  # "90+": the document's cap
        return {"Range": {"low": _years(int(value.rstrip("+")))}}
    return {"Age": _years(value)}


def _years(value) -> dict:
    return {"value": value, "unit": "years", "system": UCUM, "code": "a"}


def reference(patient_id: str) -> dict:
    return {"reference": f"Patient/{patient_id}"}


def meta() -> dict:
    return {"source": REGISTRY}


def notes(text: str) -> list[dict]:
    """The row's notes as the document gives them (a clinic's free text is empty for a researcher)."""
    return [{"text": text}] if text else []
