"""The controlled vocabularies: the codes every filter and document uses."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import serializers as shapes
from api.views.cases import ERRORS
from cases.models import VOCABULARIES, Concept
from cases.models.choices import RESPONSE_DEFINITIONS
from cases.models.choices import Response as ResponseCode

# Every concept has these; each vocabulary adds columns of its own (icd10, loinc_*, units, laterality_rule …).
COMMON = ["code", "label", "parent", "path", "snomed", "synonyms", "active"]
_CONCEPT_COLUMNS = {f.name for f in Concept._meta.fields}


def concept_row(concept) -> dict:
    row = {name: getattr(concept, "parent_id" if name == "parent" else name) for name in COMMON}
    for f in type(concept)._meta.concrete_fields:
        if f.name not in _CONCEPT_COLUMNS:
            value = getattr(concept, f.attname)
            row[f.name] = format(value.normalize(), "f") if hasattr(value, "normalize") else value
    return row


# Fixed code lists whose meaning a contributor must know to code them alike (clinical-v2.md §1).
DEFINED_CODES = {
    "response": [
        {"code": code, "label": str(label), "definition": RESPONSE_DEFINITIONS[code]}
        for code, label in ResponseCode.choices
    ],
}


class VocabularyList(APIView):
    @extend_schema(
        summary="The vocabularies",
        description="Every controlled vocabulary whose codes documents and filters use, with the number of its "
        "codes and the address of its list; response lists the fixed treatment-response codes with their "
        "definitions. Curators add codes in the admin, so read them here rather than keep a copy.",
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
            + [
                {
                    "name": name,
                    "label": f"{name.capitalize()} (fixed codes with their definitions)",
                    "concepts": len(codes),
                    "url": reverse("api:vocabulary-detail", kwargs={"name": name}, request=request),
                }
                for name, codes in DEFINED_CODES.items()
            ]
        )


class VocabularyDetail(APIView):
    @extend_schema(
        summary="The concepts of one vocabulary",
        description="Every code of the vocabulary in tree order (a concept after its parent), inactive ones "
        "included, with its label, parent, path and the columns of its vocabulary (standard codes, units, ranges). "
        "A filter on a code matches every concept whose path starts with its own.",
        operation_id="vocabularies_concepts",
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=[*VOCABULARIES, *DEFINED_CODES],
                description="The vocabulary's name, as GET /api/v1/vocabularies/ lists it.",
            )
        ],
        responses={200: shapes.ConceptOut(many=True), **ERRORS},
        tags=["vocabularies"],
    )
    def get(self, request, name):
        if name in DEFINED_CODES:
            return Response(DEFINED_CODES[name])
        model = VOCABULARIES.get(name)
        if model is None:
            raise Http404
        return Response([concept_row(c) for c in model.objects.order_by("path")])
