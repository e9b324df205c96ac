"""A case as FHIR resources, from its document as the reader may read it; a Bundle of them; NDJSON of many.

Everything is built from the case document (``cases.document``) and nothing else, so a researcher's FHIR carries
exactly what their document does: no local reference, no clinic narrative, years for dates, "90+" for great
ages (a Range from 90 here) and no age clue in a case aged 90 or more.
"""

from collections.abc import Iterator

import orjson

from cases.document import document_for
from cases.document.plain import page_documents, page_queryset
from cases.fhir import conditions, observations, patient, treatments
from cases.fhir.terms import Terms, meta

# Cases read from the database at a time for the NDJSON export: memory stays that of one batch.
BATCH_SIZE = 100


def resources(document: dict, terms: Terms) -> list[dict]:
    """Every resource of one case, the Patient first."""
    found = [
        patient.patient(document),
        observations.age_at_presentation(document),
        *(conditions.diagnosis(document, row, terms) for row in document["diagnoses"]),
        conditions.calcinosis(document, terms),
        *(observations.serology(document, row, terms) for row in document["serology"]),
        *(observations.lab(document, row, terms) for row in document["labs"]),
        *(observations.feature(document, row, terms) for row in document["features"]),
        *(
            observations.score(document, assessment, row, terms)
            for assessment in document["assessments"]
            for row in assessment["scores"]
        ),
        *(treatments.treatment(document, row, terms) for row in document["treatments"]),
    ]
    return [resource for resource in found if resource is not None]


def case_bundle(user, case) -> dict:
    """The case (loaded with ``Case.objects.for_detail()``) as ``user`` may read it: a Bundle of type collection."""
    document = document_for(user, case)
    return {
        "resourceType": "Bundle",
        "id": document["registry_id"],
        "meta": meta(),
        "type": "collection",
        "entry": [{"resource": resource} for resource in resources(document, Terms())],
    }


def _batches(cases) -> Iterator[list]:
    """The selected cases, ``BATCH_SIZE`` at a time by primary key: never the whole selection in memory."""
    cases = page_queryset(cases).order_by("pk")
    last = 0
    while True:
        batch = list(cases.filter(pk__gt=last)[:BATCH_SIZE])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def stream_ndjson(user, cases) -> Iterator[bytes]:
    """Every resource of every selected case, one JSON object a line, a batch of cases per chunk."""
    terms = Terms()
    for batch in _batches(cases):
        lines = [
            orjson.dumps(resource)
            for document in page_documents(user, batch, derived=False)
            for resource in resources(document, terms)
        ]
        yield b"\n".join(lines) + b"\n"
