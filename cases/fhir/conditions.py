"""Conditions: one per diagnosis, and one for the calcinosis cutis itself with a body site per calcinosis site."""

from cases.fhir.terms import (
    CALCINOSIS_CUTIS,
    ICD10,
    SNOMED,
    VERIFICATION_STATUS,
    Terms,
    age,
    fhir_id,
    meta,
    notes,
    reference,
)

# The document's certainty as FHIR's verification status.
VERIFICATION = {"confirmed": "confirmed", "suspected": "provisional"}


def diagnosis(document: dict, row: dict, terms: Terms) -> dict:
    registry_id = document["registry_id"]
    resource = {
        "resourceType": "Condition",
        "id": fhir_id(registry_id, "diagnosis", row["id"]),
        "meta": meta(),
        "subject": reference(registry_id),
        "code": terms.codeable("condition", row["condition"], ("snomed", SNOMED), ("icd10", ICD10)),
    }
    if row["is_primary"]:
        resource["category"] = [{"text": "Primary diagnosis"}]
    if row.get("certainty") in VERIFICATION:
        resource["verificationStatus"] = {
            "coding": [{"system": VERIFICATION_STATUS, "code": VERIFICATION[row["certainty"]]}]
        }
    if row.get("age_at_onset") is not None:
        resource.update({f"onset{kind}": value for kind, value in age(row["age_at_onset"]).items()})
    if row.get("notes"):
        resource["note"] = notes(row["notes"])
    return resource


def body_site(site: dict, terms: Terms) -> dict:
    """A calcinosis site: its region (the registry's code) and, in words, its side and digit segment.

    Laterality goes as text only: no SNOMED CT qualifier for left, right or bilateral is verified in the
    design's domain reference.
    """
    region = terms.codeable("region", site["region"], ("snomed", SNOMED))
    words = [region["text"]]
    if site.get("digit_segment"):
        words.append(terms.label("calcinosis_sites.digit_segment", site["digit_segment"]).lower())
    if site.get("laterality") and site["laterality"] != "unknown":
        words.append(terms.label("calcinosis_sites.laterality", site["laterality"]).lower())
    return {"coding": region["coding"], "text": ", ".join(words)}


def calcinosis(document: dict, terms: Terms) -> dict:
    """Calcinosis cutis (ICD-10 L94.2), which every case of the registry has: its etiology and extent in words."""
    registry_id = document["registry_id"]
    text = "Calcinosis cutis"
    if document.get("calcinosis_etiology") and document["calcinosis_etiology"] != "unknown":
        text += f", {terms.label('calcinosis_etiology', document['calcinosis_etiology']).lower()}"
    resource = {
        "resourceType": "Condition",
        "id": fhir_id(registry_id, "calcinosis"),
        "meta": meta(),
        "subject": reference(registry_id),
        "code": {"coding": [CALCINOSIS_CUTIS], "text": text},
    }
    if document["calcinosis_sites"]:  # FHIR allows no empty list
        resource["bodySite"] = [body_site(site, terms) for site in document["calcinosis_sites"]]
    if document.get("calcinosis_extent") and document["calcinosis_extent"] != "unknown":
        extent = terms.label("calcinosis_extent", document["calcinosis_extent"])
        resource["stage"] = [{"summary": {"text": extent}, "type": {"text": "Extent"}}]
    if document.get("calcinosis_onset_age") is not None:
        resource.update({f"onset{kind}": value for kind, value in age(document["calcinosis_onset_age"]).items()})
    return resource
