"""``export/cases.csv`` (streamed) and ``export/tables.zip`` (with its manifest), under the case filters; and
``export/codebook.csv``, which describes them."""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer

from api.views.cases import ERRORS
from api.views.common import FILTER_BACKENDS
from cases import exports
from cases.exports.codebook import codebook_csv
from cases.exports.memory import after_releasing_memory
from cases.filters import CaseFilterSet
from cases.models import Case


class PassThroughRenderer(BaseRenderer):
    """Lets a client ask for the file's own type (Accept: text/csv); the file is written by the view."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, "application/json", renderer_context)


class CsvRenderer(PassThroughRenderer):
    media_type = "text/csv"
    format = "csv"


class ZipRenderer(PassThroughRenderer):
    media_type = "application/zip"
    format = "zip"


def format_parameter(renderers) -> OpenApiParameter:
    """``format``, which every view accepts (the browsable API's renderer), as an export reads it."""
    return OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        enum=[renderer.format for renderer in renderers],
        description="Not needed: the answer is the file whatever it says (and a refusal is JSON).",
    )


class ExportView(generics.GenericAPIView):
    queryset = Case.objects.none()  # the model, for the schema
    filter_backends = FILTER_BACKENDS
    filterset_class = CaseFilterSet
    pagination_class = None

    def filtered_cases(self):
        return self.filter_queryset(Case.objects.visible_to(self.request.user))

    def perform_content_negotiation(self, request, force=False):
        # A file is a file whatever the Accept header says; errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    def handle_exception(self, exc):
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def stamp(self) -> str:
        return timezone.now().strftime("%Y%m%d-%H%M%S")


class CasesCsv(ExportView):
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        summary="One row per case, streamed as CSV (UTF-8 with a byte order mark)",
        description=(
            "Columns: the case fields, then summary columns of its lists (primary condition and its duration, "
            "conditions, features present and absent, positive and negative antibodies, regions, agents, each "
            "coded list also with every concept above its codes: *_with_ancestors; agents with their responses), "
            "the computed status of each criteria set (criteria_<set>), the summary and the record's timestamps; "
            "lists are joined with ';'. A researcher's export has no local_reference or ethics_reference column, "
            "dates reduced to years and the same values withheld as in their documents."
        ),
        filters=True,
        parameters=[format_parameter(renderer_classes)],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR), **ERRORS},
        tags=["exports"],
    )
    def get(self, request):
        cases = self.filtered_cases()
        response = StreamingHttpResponse(
            after_releasing_memory(exports.stream_cases_csv(request.user, cases)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="registry-cases-{self.stamp()}.csv"'
        return response


class TablesZip(ExportView):
    renderer_classes = [JSONRenderer, ZipRenderer]
    # ?format= names the files inside the zip (DRF's renderer override is forced to the zip, see above);
    # zip is what the schema offered before Parquet, and means CSV.
    FILE_FORMATS = {"csv": "csv", "zip": "csv", "parquet": "parquet"}

    @extend_schema(
        summary="One CSV (or Parquet) file per table, keyed by registry_id, with codebook.csv and manifest.json",
        description=(
            "cases.csv (as export/cases.csv); one file per list of the document, keyed by registry_id "
            "(diagnoses.csv, features.csv, serology.csv, labs.csv, calcinosis_sites.csv, treatments.csv, "
            "biopsies.csv, assessments.csv, and scores.csv and site_findings.csv keyed by assessment_id too); "
            "criteria.csv (one row per case and set); vocabulary_<name>.csv for each vocabulary (code, label, "
            "parent, path, active); codebook.csv (as export/codebook.csv); manifest.json last, with the filter, "
            "the format, the time, your role, whether the files are de-identified, and the columns and row count "
            "of every file. format=parquet: the same tables as <name>.parquet with typed columns (codes and "
            "texts as strings, decimals as decimals, dates as dates, code lists as lists of strings; see the "
            "codebook), values unaltered by spreadsheet safety. Streamed."
        ),
        filters=True,
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(FILE_FORMATS),
                description="The files inside the zip: csv (the default; zip means the same) or parquet.",
            )
        ],
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY), **ERRORS},
        tags=["exports"],
    )
    def get(self, request):
        asked = request.query_params.get("format", "csv")
        if asked not in self.FILE_FORMATS:
            raise ValidationError({"format": [f"Unknown format {asked!r}: csv or parquet."]})
        cases = self.filtered_cases()
        parameters = {
            name: values if len(values) > 1 else values[0]
            for name, values in request.query_params.lists()
            if name != "format"
        }
        response = StreamingHttpResponse(
            after_releasing_memory(
                exports.stream_tables_zip(request.user, cases, parameters, self.FILE_FORMATS[asked])
            ),
            content_type="application/zip",
        )
        suffix = "-parquet" if self.FILE_FORMATS[asked] == "parquet" else ""
        response["Content-Disposition"] = f'attachment; filename="registry-tables{suffix}-{self.stamp()}.zip"'
        return response


class CodebookCsv(ExportView):
    """The codebook of tables.zip alone: the same rows as the codebook.csv in your export."""

    renderer_classes = [JSONRenderer, CsvRenderer]
    filter_backends = []
    filterset_class = None

    @extend_schema(
        summary="The codebook: one row per column of every file of tables.zip",
        description=(
            "Columns: file, column, type (text, integer, decimal, date, boolean, code, code_list), description, "
            "unit, vocabulary (for codes), allowed (for fixed sets of codes, joined by ';'). It describes the files "
            "of your own export: a researcher's has no identifying columns, and years where dates are."
        ),
        parameters=[format_parameter(renderer_classes)],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR), **ERRORS},
        tags=["exports"],
    )
    def get(self, request):
        response = HttpResponse(
            codebook_csv(exports.deidentifies(request.user)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="registry-codebook.csv"'
        return response
