"""``import/`` (a file of cases through the services) and ``import/template.xlsx`` (the workbook to fill)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.views.cases import ERRORS
from cases import access
from cases.imports.engine import ImportRefused, import_cases
from cases.imports.template import XLSX_TYPE, template_workbook
from cases.imports.uploads import limit_uploads, too_large_message

_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}

ImportRequest = inline_serializer(
    "ImportRequest",
    {
        "file": serializers.FileField(
            help_text="A tables.zip of this registry (CSV or Parquet) or the filled template."
        ),
        "site": serializers.CharField(help_text="The site the cases are entered for (its code)."),
        "dry_run": serializers.BooleanField(required=False, help_text="Check only: store nothing."),
        "partial": serializers.BooleanField(required=False, help_text="Store the valid cases even if others fail."),
    },
)
ImportReply = inline_serializer(
    "ImportReply",
    {
        "cases": serializers.IntegerField(help_text="Cases in the file."),
        "created": serializers.ListField(child=serializers.CharField(), help_text="Registry ids of stored cases."),
        "errors": serializers.ListField(
            child=inline_serializer(
                "ImportError",
                {
                    "file": serializers.CharField(help_text="The file (or sheet) of the upload the error is in."),
                    "row": serializers.IntegerField(
                        allow_null=True, help_text="Its row, counted as a spreadsheet does (the header is row 1)."
                    ),
                    "case": serializers.CharField(allow_null=True, help_text="The case's key in the file."),
                    "column": serializers.CharField(allow_null=True, help_text="The column the error is about."),
                    "message": serializers.CharField(help_text="What is wrong."),
                },
            ),
            help_text="Every error found, each at its file, row, case key and column.",
        ),
        "dry_run": serializers.BooleanField(help_text="Whether this was a check only (nothing stored)."),
        "valid": serializers.ListField(
            child=serializers.CharField(), help_text="Case keys that passed every check (stored unless dry_run)."
        ),
    },
)


def _flag(request, name: str, errors: dict) -> bool:
    raw = str(request.data.get(name, "")).strip().lower()
    if raw not in _TRUE | _FALSE:
        errors[name] = ["Give true or false."]
    return raw in _TRUE


def _importer(user) -> None:
    if not access.can_enter_cases(user):
        raise PermissionDenied("Only clinicians (for their own sites) and curators import cases.")


class ImportCases(APIView):
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        limit_uploads(request)  # before anything reads the body
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        summary="Import cases from a tables.zip (CSV or Parquet) or the filled .xlsx template",
        description=(
            "Clinicians for their own sites, curators for any. Each case goes through the same services as "
            "the browser and the API. With any error and without partial=true nothing is stored; with "
            "partial=true every valid case is stored and every refused one listed. A case whose local_reference "
            "exists at the site, or that is a likely duplicate of a case you can see, is refused as a duplicate. "
            "201 when cases were stored, 200 for a dry run or when nothing was to be stored, 400 when errors "
            "stopped the import (the same reply, with every error at its file, row, case key and column)."
        ),
        request={"multipart/form-data": ImportRequest},
        responses={200: ImportReply, 201: ImportReply, **ERRORS},
        tags=["import"],
    )
    def post(self, request):
        _importer(request.user)
        data = request.data  # reads the upload (streamed to a temporary file)
        if request._request.import_upload_too_large:
            raise ValidationError({"file": [too_large_message()]})
        errors: dict = {}
        upload = request.FILES.get("file")
        if upload is None:
            errors["file"] = ["Attach the file to import (multipart field 'file')."]
        if not data.get("site"):
            errors["site"] = ["Name the site the cases are entered for."]
        dry_run, partial = _flag(request, "dry_run", errors), _flag(request, "partial", errors)
        if errors:
            raise ValidationError(errors)
        try:
            report = import_cases(
                user=request.user, site=data["site"], upload=upload, name=upload.name, dry_run=dry_run, partial=partial
            )
        except ImportRefused as refused:
            raise ValidationError(refused.errors) from refused
        if report.errors and not partial and not dry_run:
            code = status.HTTP_400_BAD_REQUEST
        else:
            code = status.HTTP_201_CREATED if report.created else status.HTTP_200_OK
        return Response(report.as_json(), status=code)


class ImportTemplate(APIView):
    @extend_schema(
        summary="The .xlsx template to fill for an import",
        description=(
            "One sheet per table of tables.zip (its columns, with case_key as the case's key), one example row "
            "from founding case 2, drop-down lists of the allowed codes, and the codebook as a sheet."
        ),
        responses={(200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY), **ERRORS},
        tags=["import"],
    )
    def get(self, request):
        _importer(request.user)
        response = HttpResponse(template_workbook(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="registry-import-template.xlsx"'
        return response
