"""The case's patient: gender and the registry id, nothing else (the registry is pseudonymous)."""

from cases.fhir.terms import CASE_IDENTIFIER, meta

# The document's sex codes are FHIR's administrative genders, code for code.
GENDERS = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}


def patient(document: dict) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": document["registry_id"],
        "meta": meta(),
        "identifier": [{"system": CASE_IDENTIFIER, "value": document["registry_id"]}],
    }
    if document.get("sex") in GENDERS:
        resource["gender"] = GENDERS[document["sex"]]
    return resource
