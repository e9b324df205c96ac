"""FHIR R4: the selected cases as NDJSON (``export/fhir.ndjson``); one case's Bundle is ``CaseViewSet.fhir``.

Thin: the resources are built by ``cases.fhir`` from the case documents, so access and de-identification are
the documents'.
"""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer

from api.views.cases import ERRORS
from api.views.exports import ExportView, PassThroughRenderer, format_parameter
from cases import fhir
from cases.exports.memory import after_releasing_memory

FHIR_NDJSON = "application/fhir+ndjson"


class NdjsonRenderer(PassThroughRenderer):
    media_type = FHIR_NDJSON
    format = "ndjson"


class FhirNdjson(ExportView):
    renderer_classes = [JSONRenderer, NdjsonRenderer]

    @extend_schema(
        summary="The selected cases as FHIR R4 resources, one per line (NDJSON, streamed)",
        description="Every case filter applies. Each line is one resource, as in the case's Bundle; the resources "
        "of a case follow each other, its Patient first, the cases in the order of their creation. Read "
        "from the database a batch of cases at a time, so the answer starts at once whatever its size.",
        filters=True,
        parameters=[format_parameter(renderer_classes)],
        responses={(200, FHIR_NDJSON): OpenApiResponse(OpenApiTypes.STR), **ERRORS},
        tags=["exports", "fhir"],
    )
    def get(self, request):
        response = StreamingHttpResponse(
            after_releasing_memory(fhir.stream_ndjson(request.user, self.filtered_cases())), content_type=FHIR_NDJSON
        )
        response["Content-Disposition"] = f'attachment; filename="registry-fhir-{self.stamp()}.ndjson"'
        return response
