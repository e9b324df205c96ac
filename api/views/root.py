"""``GET /api/v1/``: the endpoints by name, so a script (or a person) can start from one address."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.views.cases import ERRORS

# name → URL name; every path of api/urls.py that takes no argument (a test keeps the two in step).
ENDPOINTS = {
    "token": "api:token",
    "logout": "api:logout",
    "cases": "api:case-list",
    "diagnoses": "api:diagnoses",
    "features": "api:features",
    "serology": "api:serology",
    "labs": "api:labs",
    "calcinosis-sites": "api:calcinosis-sites",
    "treatments": "api:treatments",
    "export-cases": "api:export-cases",
    "export-tables": "api:export-tables",
    "stats-calcinosis-sites": "api:stats-calcinosis-sites",
    "stats-treatment-responses": "api:stats-treatment-responses",
    "stats-serology": "api:stats-serology",
    "vocabularies": "api:vocabulary-list",
    "schema": "api:schema",
    "docs": "api:docs",
}


class ApiRoot(APIView):
    @extend_schema(
        summary="The endpoints of the API",
        description="Each endpoint's name with its absolute URL. Paths that take a case or a vocabulary "
        "(`/cases/{registry_id}/`, `/vocabularies/{name}/`) are reached from these.",
        operation_id="api_root",
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="name → absolute URL",
                examples=[
                    OpenApiExample(
                        "The root",
                        value={"cases": "https://registry.example.org/api/v1/cases/"},
                    )
                ],
            ),
            401: ERRORS[401],
        },
        tags=["root"],
    )
    def get(self, request):
        return Response({name: reverse(url_name, request=request) for name, url_name in ENDPOINTS.items()})
