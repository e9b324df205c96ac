"""The controlled vocabularies: the codes every filter and document uses."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import serializers as shapes
from api.views.cases import ERRORS
from cases.models import VOCABULARIES

# Standard and descriptive columns some vocabularies have.
OPTIONAL_COLUMNS = ("icd10", "loinc", "unit", "organ")


def concept_row(concept) -> dict:
    row = {
        "code": concept.code,
        "label": concept.label,
        "parent": concept.parent_id,
        "snomed": concept.snomed,
        "active": concept.active,
    }
    for name in OPTIONAL_COLUMNS:
        if hasattr(concept, name):
            row[name] = getattr(concept, name)
    return row


class VocabularyList(APIView):
    @extend_schema(
        summary="The vocabularies",
        operation_id="vocabularies_list",
        responses={200: shapes.VocabularyOut(many=True), **ERRORS},
        tags=["vocabularies"],
    )
    def get(self, request):
        return Response(
            [
                {
                    "name": name,
                    "label": str(model._meta.verbose_name_plural).capitalize(),
                    "concepts": model.objects.count(),
                    "url": reverse("api:vocabulary-detail", kwargs={"name": name}, request=request),
                }
                for name, model in VOCABULARIES.items()
            ]
        )


class VocabularyDetail(APIView):
    @extend_schema(
        summary="The concepts of one vocabulary",
        operation_id="vocabularies_concepts",
        parameters=[OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(VOCABULARIES))],
        responses={200: shapes.ConceptOut(many=True), **ERRORS},
        tags=["vocabularies"],
    )
    def get(self, request, name):
        model = VOCABULARIES.get(name)
        if model is None:
            raise Http404
        return Response([concept_row(c) for c in model.objects.order_by("path")])
