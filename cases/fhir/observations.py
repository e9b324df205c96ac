"""Observations: the age at presentation, serology, laboratory results, clinical features and scores.

A result's LOINC is the one of its kind (clinical-v2.md §4): the titre code for a titre, the quantity code for a
value, the presence code for a result given only as positive or negative; none where the vocabulary has none.
"""

from cases.fhir.terms import (
    DATA_ABSENT_REASON,
    INTERPRETATION,
    LOINC,
    OBSERVATION_CATEGORY,
    SNOMED,
    UCUM,
    Terms,
    age,
    fhir_id,
    meta,
    notes,
    reference,
)

# Serology results and laboratory interpretations as FHIR's (v3) observation interpretations.
SEROLOGY_INTERPRETATION = {"positive": "POS", "negative": "NEG", "equivocal": "IND"}
LAB_INTERPRETATION = {"normal": "N", "low": "L", "high": "H", "abnormal": "A"}
# Features: present and absent; "unknown" (not recorded) sends no observation at all.
FEATURE_VALUE = {"present": True, "absent": False}


def _observation(document: dict, resource_id: str, category: str | None, code: dict, **fields) -> dict:
    registry_id = document["registry_id"]
    resource = {"resourceType": "Observation", "id": resource_id, "meta": meta(), "status": "final"}
    if category:
        resource["category"] = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}]
    resource.update(code=code, subject=reference(registry_id))
    resource.update({name: value for name, value in fields.items() if value not in (None, [], "")})
    return resource


def _loinc_kind(row: dict) -> str:
    if row.get("titer") is not None:
        return "loinc_titer"
    if row.get("value") is not None:
        return "loinc_quantity"
    return "loinc_presence"


def _interpretation(code: str | None) -> list | None:
    return [{"coding": [{"system": INTERPRETATION, "code": code}]}] if code else None


def age_at_presentation(document: dict) -> dict | None:
    """The age at presentation (no LOINC code for it is verified: text only); "90+" as a range from 90."""
    value = document.get("age_at_presentation")
    if value is None:
        return None
    registry_id = document["registry_id"]
    # Observation.value takes a Quantity (an Age is one, in UCUM years) or a Range.
    fields = {f"value{kind.replace('Age', 'Quantity')}": quantity for kind, quantity in age(value).items()}
    # No category of FHIR's list fits a demographic fact: none is sent.
    return _observation(document, fhir_id(registry_id, "age"), None, {"text": "Age at presentation"}, **fields)


def serology(document: dict, row: dict, terms: Terms) -> dict:
    code = terms.codeable("serology_test", row["test"], (_loinc_kind(row), LOINC))
    fields = {
        "effectiveDateTime": row.get("tested_on"),
        "interpretation": _interpretation(SEROLOGY_INTERPRETATION.get(row["result"])),
        "method": terms.choice("serology.method", row["method"]) if row.get("method") else None,
        "note": notes(row.get("notes")),
    }
    if row.get("titer") is not None:
        fields["valueRatio"] = {"numerator": {"value": 1}, "denominator": {"value": row["titer"]}}
    elif row.get("value") is not None:
        # Serology units are written by contributors and not checked against UCUM: sent as written.
        fields["valueQuantity"] = {"value": row["value"], "unit": row["unit"]}
    elif row["result"] in SEROLOGY_INTERPRETATION:
        fields["valueCodeableConcept"] = terms.choice("serology.result", row["result"])
    if row.get("pattern"):
        pattern = terms.codeable("ana_pattern", row["pattern"], ("snomed", SNOMED))
        fields["component"] = [{"code": {"text": "ANA pattern"}, "valueCodeableConcept": pattern}]
    resource = _observation(
        document, fhir_id(document["registry_id"], "serology", row["id"]), "laboratory", code, **fields
    )
    if row["result"] == "not_done":
        resource["status"] = "cancelled"
        resource["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT_REASON, "code": "not-performed"}]}
    return resource


def lab(document: dict, row: dict, terms: Terms) -> dict:
    code = terms.codeable("lab_test", row["test"], (_loinc_kind(row), LOINC))
    fields = {
        "effectiveDateTime": row.get("measured_on"),
        "interpretation": _interpretation(LAB_INTERPRETATION.get(row.get("interpretation") or "")),
        "note": notes(row.get("notes")),
    }
    if row.get("value") is not None:
        quantity = {"value": row["value"], "unit": row["unit"]}
        accepted = [unit["code"] for unit in terms.concept("lab_test", row["test"]).get("units") or []]
        if row["unit"] in accepted:  # the test's units are UCUM codes (vocabulary lab_test)
            quantity.update(system=UCUM, code=row["unit"])
        fields["valueQuantity"] = quantity
    if row.get("laterality") in ("left", "right"):
        fields["bodySite"] = {"text": f"{terms.label('labs.laterality', row['laterality'])} eye"}
    return _observation(document, fhir_id(document["registry_id"], "lab", row["id"]), "laboratory", code, **fields)


def feature(document: dict, row: dict, terms: Terms) -> dict | None:
    if row["status"] not in FEATURE_VALUE:
        return None
    code = terms.codeable("feature", row["feature"], ("snomed", SNOMED))
    return _observation(
        document,
        fhir_id(document["registry_id"], "feature", row["id"]),
        "exam",
        code,
        valueBoolean=FEATURE_VALUE[row["status"]],
        note=notes(row.get("notes")),
    )


def score(document: dict, assessment: dict, row: dict, terms: Terms) -> dict:
    code = terms.codeable("instrument", row["instrument"], ("snomed", SNOMED))
    return _observation(
        document,
        fhir_id(document["registry_id"], "score", assessment["id"], row["instrument"]),
        "survey",
        code,
        effectiveDateTime=assessment.get("assessed_on"),
        valueQuantity={"value": row["value"]},
    )
