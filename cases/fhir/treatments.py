"""Treatment courses: a MedicationStatement per drug course, a Procedure per procedure course.

A course of an agent under ``procedure`` (excision, curettage, …) is a Procedure; any other is a drug. The
indication is the reason (calcinosis with its ICD-10 code); the outcome of a drug course, which a
MedicationStatement has no element for, is told in a note built from the coded fields only.
"""

from cases.fhir.conditions import body_site
from cases.fhir.terms import ATC, CALCINOSIS_CUTIS, SNOMED, Terms, fhir_id, meta, notes, reference

# The course's stop reason as each resource's status.
MEDICATION_STATUS = {
    "ongoing": "active",
    "completed": "completed",
    "ineffective": "stopped",
    "adverse_event": "stopped",
    "patient_choice": "stopped",
    "unknown": "unknown",
}
PROCEDURE_STATUS = {
    "ongoing": "in-progress",
    "completed": "completed",
    "ineffective": "completed",  # done, without the effect hoped for
    "adverse_event": "stopped",
    "patient_choice": "stopped",
    "unknown": "unknown",
}


def is_procedure(agent: str, terms: Terms) -> bool:
    path = terms.concept("agent", agent).get("path") or ""
    return path.startswith("procedure/")


def _reason(row: dict, terms: Terms) -> list | None:
    indication = row.get("indication")
    if not indication:
        return None
    standard = (CALCINOSIS_CUTIS,) if indication == "calcinosis" else ()
    return [terms.choice("treatments.indication", indication, *standard)]


def _period(row: dict) -> dict | None:
    period = {key: row[name] for key, name in (("start", "started_on"), ("end", "stopped_on")) if row.get(name)}
    return period or None


def _outcome_words(row: dict, terms: Terms) -> str:
    if not row.get("response"):
        return ""
    words = f"Response: {terms.label('treatments.response', row['response']).lower()}"
    if row.get("response_scope") == "regimen":
        words += f" (of regimen {row['regimen']})" if row.get("regimen") else " (of the regimen)"
    return words


def _sites(document: dict, row: dict, terms: Terms) -> list | None:
    by_id = {site["id"]: site for site in document["calcinosis_sites"]}
    sites = [body_site(by_id[pk], terms) for pk in row.get("site_ids") or [] if pk in by_id]
    return sites or None


def _clean(resource: dict) -> dict:
    return {key: value for key, value in resource.items() if value not in (None, [], "", {})}


def medication_statement(document: dict, row: dict, terms: Terms) -> dict:
    registry_id = document["registry_id"]
    dosage = ", ".join(
        part
        for part in (
            row.get("dose") or "",
            terms.label("treatments.route", row["route"]).lower()
            if row.get("route") not in (None, "", "unknown")
            else "",
        )
        if part
    )
    outcome = _outcome_words(row, terms)
    return _clean(
        {
            "resourceType": "MedicationStatement",
            "id": fhir_id(registry_id, "treatment", row["id"]),
            "meta": meta(),
            "status": MEDICATION_STATUS.get(row.get("stop_reason") or "unknown", "unknown"),
            "medicationCodeableConcept": terms.codeable("agent", row["agent"], ("atc", ATC), ("snomed", SNOMED)),
            "subject": reference(registry_id),
            "effectivePeriod": _period(row),
            "reasonCode": _reason(row, terms),
            "dosage": [{"text": dosage}] if dosage else None,
            "note": [*([{"text": outcome}] if outcome else []), *notes(row.get("notes"))],
        }
    )


def procedure(document: dict, row: dict, terms: Terms) -> dict:
    registry_id = document["registry_id"]
    response = row.get("response")
    return _clean(
        {
            "resourceType": "Procedure",
            "id": fhir_id(registry_id, "treatment", row["id"]),
            "meta": meta(),
            "status": PROCEDURE_STATUS.get(row.get("stop_reason") or "unknown", "unknown"),
            "code": terms.codeable("agent", row["agent"], ("snomed", SNOMED)),
            "subject": reference(registry_id),
            "performedPeriod": _period(row),
            "reasonCode": _reason(row, terms),
            "bodySite": _sites(document, row, terms),
            "outcome": terms.choice("treatments.response", response) if response else None,
            "note": notes(row.get("notes")),
        }
    )


def treatment(document: dict, row: dict, terms: Terms) -> dict:
    if is_procedure(row["agent"], terms):
        return procedure(document, row, terms)
    return medication_statement(document, row, terms)
