"""``/api/v1/cases/``: the case documents, read and written whole.

A thin layer: reads come from ``Case.objects.visible_to(user)``, filters from
``CaseFilterSet``, documents from ``case_document`` and writes from the case
services, whose refusals ``api.errors`` turns into 400/403/409.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api import serializers as shapes
from api.errors import PreconditionFailed
from api.pagination import CasePagination
from api.renderers import FastJSONRenderer, FhirJsonRenderer
from api.views.common import FILTER_BACKENDS, readable_cases
from cases import access, fhir
from cases.document import document_for
from cases.document.sql import built_documents
from cases.filters import CaseFilterSet
from cases.history import case_history
from cases.models import Case
from cases.models.case import is_registry_id
from cases.services import case_create, case_delete, case_update, case_verify

# "3", W/"3" or a bare 3: the version the client's copy was.
IF_MATCH = re.compile(r'\s*(?:W/)?"?([0-9]{1,9})"?\s*')

ERRORS = {
    400: OpenApiResponse(shapes.FieldErrors, description="Invalid document or parameter; errors by field."),
    401: OpenApiResponse(shapes.Detail, description="Not logged in."),
    403: OpenApiResponse(shapes.Detail, description="Logged in but not allowed."),
    404: OpenApiResponse(shapes.Detail, description="No such case, or not visible to you."),
}
WRITE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        shapes.StaleVersionOut,
        description="The case changed since your version (or, to verify, is verified already); nothing stored.",
    ),
    412: OpenApiResponse(shapes.Detail, description="If-Match does not name a version."),
}
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The version the change is based on, as the ETag given by GET ("3").',
)
REGISTRY_ID_PARAM = OpenApiParameter(
    "registry_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The case's registry id, e.g. CC-000001 (a case you may not see is a 404, like an unknown one).",
)


class MayEnterCases(permissions.BasePermission):
    """Writes are for clinicians (of some site) and curators; which site is checked by the services."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or view.action in ("destroy", "verify"):
            return True
        return access.can_enter_cases(request.user)


def etag(case) -> str:
    return f'"{case.version}"'


@extend_schema_view(
    list=extend_schema(
        summary="List cases",
        description="The case documents you may read, de-identified where you may not see identifiers. Filters "
        "combine with AND; a repeated parameter means all of these; a code finds everything below it. An unknown "
        "parameter, code or value is a 400 naming it. Pages come by cursor: follow next until it is null.",
        responses={200: shapes.CaseOut(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One case",
        description="The whole case document, with an ETag of its version (send it back as If-Match to change it).",
        parameters=[REGISTRY_ID_PARAM],
        responses={200: shapes.CaseOut, **ERRORS},
    ),
    create=extend_schema(
        summary="Enter a whole case",
        description="Clinicians (for their own sites) and curators. The case with all its lists in one request, "
        "stored whole or not at all: any problem is a 400 naming every refused field at its place in the "
        "document. 201 with the stored document and its Location.",
        request=shapes.CaseIn,
        responses={201: shapes.CaseOut, **ERRORS},
    ),
    update=extend_schema(
        summary="Replace a whole case (children not sent are removed)",
        description="The case's clinicians and curators. Send the version the change is based on (in the body or "
        "as If-Match): an older one is a 409 and changes nothing. A case field left out takes its default, a list "
        "left out is emptied; a row sent with its id keeps the fields it leaves out.",
        parameters=[REGISTRY_ID_PARAM, IF_MATCH_HEADER],
        request=shapes.CaseReplaceIn,
        responses={200: shapes.CaseOut, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change the fields sent (a child list sent replaces that list)",
        description="The case's clinicians and curators, with the version the change is based on (in the body or "
        "as If-Match). Fields and lists left out stay as they are; a list sent replaces the stored one (rows "
        "without their id are new, stored rows not sent are removed).",
        parameters=[REGISTRY_ID_PARAM, IF_MATCH_HEADER],
        request=shapes.CaseReplaceIn,
        responses={200: shapes.CaseOut, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Delete a case (curators; the audit history keeps it)",
        description="Curators only (403 for others who can see it). 204; the registry id is never used again.",
        parameters=[REGISTRY_ID_PARAM],
        responses={204: None, **ERRORS},
    ),
)
class CaseViewSet(viewsets.GenericViewSet):
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]
    queryset = Case.objects.none()  # the model, for the schema; requests use get_queryset
    lookup_field = "registry_id"
    lookup_value_regex = "[^/]+"
    filter_backends = FILTER_BACKENDS
    filterset_class = CaseFilterSet
    pagination_class = CasePagination
    permission_classes = [permissions.IsAuthenticated, MayEnterCases]
    serializer_class = shapes.CaseOut

    def get_queryset(self):
        return readable_cases(self.request.user)

    def get_serializer_class(self):
        # Only the browsable API's forms ask: offer the input shape there.
        if self.action in ("create",):
            return shapes.CaseIn
        if self.action in ("update", "partial_update"):
            return shapes.CaseReplaceIn
        return shapes.CaseOut

    def get_object(self, queryset=None):
        """The case if this user may see it (from ``queryset``, by default the whole case); 404 for unknown and
        invisible cases alike."""
        registry_id = self.kwargs[self.lookup_field]
        if not is_registry_id(registry_id):
            raise Http404
        case = (self.get_queryset() if queryset is None else queryset).filter(registry_id=registry_id).first()
        if case is None:
            raise Http404
        return case

    def _document_response(self, case, status_code=status.HTTP_200_OK, headers=None):
        case = self.get_queryset().get(pk=case.pk)  # reread whole, in the queries of for_detail()
        return Response(
            document_for(self.request.user, case), status=status_code, headers={"ETag": etag(case), **(headers or {})}
        )

    def list(self, request):
        # The page is chosen on the cases' keys alone; PostgreSQL writes its documents (cases.document.sql).
        cases = self.filter_queryset(Case.objects.visible_to(request.user).only("pk", "registry_id"))
        page = self.paginate_queryset(cases)
        built = built_documents(request.user, Case.objects.filter(pk__any=[case.pk for case in page])) if page else {}
        return self.get_paginated_response([built[case.pk][1] for case in page])

    def retrieve(self, request, registry_id=None):
        # One statement finds the case among those the user may read and writes its document.
        if not is_registry_id(registry_id):
            raise Http404
        found = Case.objects.visible_to(request.user).filter(registry_id=registry_id)
        built = built_documents(request.user, found, single=True)
        if not built:
            raise Http404
        [(version, document)] = built.values()
        return Response(document, headers={"ETag": f'"{version}"'})

    def create(self, request):
        case = case_create(user=request.user, data=request.data)
        location = reverse("api:case-detail", kwargs={"registry_id": case.registry_id}, request=request)
        return self._document_response(case, status.HTTP_201_CREATED, {"Location": location})

    def update(self, request, registry_id=None, partial=False):
        case = self.get_object()
        if not access.can_edit_at_site(request.user, case.site_id):
            raise PermissionDenied("You cannot change the cases of this site.")
        version = sent_version(request)
        case = case_update(user=request.user, case=case, data=request.data, version=version, partial=partial)
        return self._document_response(case)

    def partial_update(self, request, registry_id=None):
        return self.update(request, registry_id, partial=True)

    def destroy(self, request, registry_id=None):
        case = self.get_object()
        case_delete(user=request.user, case=case)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The audit trail of a case (its site's clinicians and curators)",
        description="Every insert, update and delete of the case and its rows, oldest first, in one list (not "
        "paginated): who, when, which operation, and each change as stored and in words. Researchers: 403.",
        parameters=[REGISTRY_ID_PARAM],
        filters=False,
        responses={200: shapes.HistoryEntryOut(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole trail, in one list
    def history(self, request, registry_id=None):
        case = self.get_object()
        if not access.sees_identifiers(request.user, case):
            raise PermissionDenied("The audit trail is for the case's own site and curators.")
        return Response([entry.as_dict() for entry in case_history(case)])

    @extend_schema(
        summary="One case as a FHIR R4 Bundle (type collection)",
        description="The case's Patient (gender and the registry id only), a Condition per diagnosis and one for "
        "the calcinosis cutis (ICD-10 L94.2) with a body site per calcinosis site, Observations (age at "
        "presentation, serology, laboratory, clinical features present or absent, scores), a MedicationStatement "
        "per drug course and a Procedure per procedure course, each with meta.source naming the registry. Built "
        "from the case document as you may read it, so de-identified for researchers exactly like it. "
        "application/fhir+json, or application/json when asked for.",
        parameters=[
            REGISTRY_ID_PARAM,
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=["fhir", "json"],
                description="fhir: application/fhir+json (the default); json: the same JSON as application/json.",
            ),
        ],
        filters=False,
        responses={
            (200, "application/fhir+json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            **ERRORS,
        },
        tags=["fhir"],
    )
    @action(detail=True, methods=["get"], pagination_class=None, renderer_classes=[FhirJsonRenderer, FastJSONRenderer])
    def fhir(self, request, registry_id=None):
        return Response(fhir.case_bundle(request.user, self.get_object()))

    @extend_schema(
        summary="Verify a case (curators)",
        description="Sets status verified with who and when. With a version (body or If-Match), a case changed "
        "since is a 409; a case verified already is a 409 naming status.",
        parameters=[REGISTRY_ID_PARAM, IF_MATCH_HEADER],
        request=shapes.VerifyIn,
        responses={200: shapes.CaseOut, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, registry_id=None):
        case = self.get_object()
        shapes.VerifyIn(data=request.data).is_valid(raise_exception=True)  # nothing or {"version": n}
        version = sent_version(request)
        case = case_verify(user=request.user, case=case, version=version)
        return self._document_response(case)


def sent_version(request):
    """The version a write is based on: from If-Match or the body's ``version``.

    A malformed If-Match, or one that contradicts the body, is a 412. The body's
    version must be a JSON integer: "3", 3.0 or true name no version in JSON,
    however Python would convert them. A missing one, or one out of range, is
    left to the service, which names the field (400).
    """
    body = request.data.get("version") if isinstance(request.data, dict) else None
    if body is not None and (isinstance(body, bool) or not isinstance(body, int)):
        raise ValidationError({"version": ["Give the version as a JSON integer, e.g. 3."]})
    header = request.headers.get("If-Match")
    if header is None:
        return body
    match = IF_MATCH.fullmatch(header)
    if match is None or int(match.group(1)) == 0:
        raise PreconditionFailed()
    version = int(match.group(1))
    if body is not None and str(body).strip() != str(version):
        raise PreconditionFailed("If-Match and the body's version name different versions.")
    return version
