"""The case as FHIR R4 resources (api.md, second edition, "FHIR R4"), built from the case document.

``terms``: codings and FHIR's systems; ``patient``, ``conditions``, ``observations``, ``treatments``: one kind of
resource each; ``bundle``: a case's Bundle and the NDJSON export.
"""

from cases.fhir.bundle import case_bundle, resources, stream_ndjson

__all__ = ["case_bundle", "resources", "stream_ndjson"]
