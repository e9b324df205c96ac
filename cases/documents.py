"""A stored case as a document: the shape of api.md, read back by tests, exports and the form.

``deidentify=True`` gives the researcher's view (api.md, "What researchers see").
Works on a case loaded with ``Case.objects.for_detail()`` without further queries.
"""

from decimal import Decimal

from cases.quality import quality_issues
from cases.services.schema import CASE_FIELDS, CHILDREN, PUBLICATION_FIELDS

DATE_FIELDS = {"tested_on", "measured_on", "observed_on", "started_on", "stopped_on", "response_assessed_on"}
# Fields a researcher never receives.
IDENTIFYING_FIELDS = {"local_reference", "created_by"}


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _date(value, deidentify: bool):
    # A date or a timestamp: only its year for a de-identified reader.
    if value is None:
        return None
    return str(value.year) if deidentify else value.isoformat()


def child_row(key: str, row, *, deidentify: bool = False) -> dict:
    spec = CHILDREN[key]
    out = {"id": row.pk}
    for name in spec.fields:
        if name in spec.vocabularies:
            out[name] = getattr(row, f"{name}_id")
        elif name in DATE_FIELDS:
            out[name] = _date(getattr(row, name), deidentify)
        else:
            out[name] = _plain(getattr(row, name))
    if key == "calcinosis_sites":
        out["digit_segment"] = row.digit_segment or None
    if key == "treatments":
        out["site_ids"] = sorted(site.pk for site in row.sites.all())
    return out


def withholds_narrative(case, deidentify: bool) -> bool:
    # Published cases keep their narrative; a clinic's free text may identify a patient.
    return deidentify and case.source != "literature"


def case_document(case, *, deidentify: bool = False) -> dict:
    doc = {"registry_id": case.registry_id, "version": case.version}
    for name in CASE_FIELDS:
        if name == "site":
            doc["site"] = case.site.code
        elif name == "publication":
            pub = case.publication
            doc["publication"] = None if pub is None else {f: getattr(pub, f) for f in PUBLICATION_FIELDS}
        else:
            doc[name] = getattr(case, name)
    if deidentify:
        for name in IDENTIFYING_FIELDS:
            doc.pop(name, None)
        if case.age_at_presentation is not None and case.age_at_presentation >= 90:
            doc["age_at_presentation"] = "90+"
    hide_text = withholds_narrative(case, deidentify)
    if hide_text:
        doc["summary"] = ""
    for key in CHILDREN:
        rows = [child_row(key, row, deidentify=deidentify) for row in getattr(case, key).all()]
        if hide_text:
            for row in rows:
                row["notes"] = ""
        doc[key] = rows
    # What a curator still has to fix (cases.quality); read from the loaded rows, not the database.
    doc["quality_issues"] = quality_issues(case)
    for name in ("verified_at", "created_at", "updated_at"):
        doc[name] = _date(getattr(case, name), deidentify)
    return doc
