"""``GET /api/v1/``: the endpoints by name, so a script (or a person) can start from one address."""

from django.urls import URLResolver, get_resolver, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.views.cases import ERRORS

# Paths that are not endpoints of their own.
NOT_LISTED = {"root", "not-found"}


def endpoint_paths() -> list[str]:
    """Every path of the API that takes no argument, as written in ``api/urls.py`` (read from the resolver)."""
    _, api = get_resolver().namespace_dict["api"]
    found = []

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = f"{prefix}{pattern.pattern}"
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif pattern.name not in NOT_LISTED and not pattern.pattern.converters and "(" not in route:
                found.append(route.replace("^", "").replace("$", "").replace("\\", ""))

    walk(api.url_patterns, "")
    return list(dict.fromkeys(found))


class ApiRoot(APIView):
    @extend_schema(
        summary="The endpoints of the API",
        description="Each endpoint's path (without the trailing slash) with its absolute URL. Paths that take a case or a vocabulary "
        "(`/cases/{registry_id}/`, `/vocabularies/{name}/`) are reached from these.",
        operation_id="api_root",
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="path → absolute URL",
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
        base = request.build_absolute_uri(reverse("api:root"))
        return Response({path.rstrip("/"): f"{base}{path}" for path in endpoint_paths()})
