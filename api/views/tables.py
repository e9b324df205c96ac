"""The long tables: one row per child record, with its case's registry id.

Every case filter selects the cases (among those the user may see); the
table's own columns filter its rows. A researcher's rows are de-identified
like their documents: dates as years, clinic notes withheld. The lists
inside an assessment (scores, lesion findings) are long tables too, keyed
by their assessment as well.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api import serializers as shapes
from api.pagination import CountedCursorPagination
from api.views.cases import ERRORS
from api.views.common import FILTER_BACKENDS
from cases.document import ALL_LISTS, Disclosure, table_row
from cases.document.writer import plain_number
from cases.filters import ROW_FILTERSETS, CriteriaResultFilterSet
from cases.models import Case, CriteriaResult

LISTS = {child.key: child for child in ALL_LISTS}


class ChildRowList(generics.ListAPIView):
    key: str = ""  # a list of the document: "diagnoses", "serology", "scores", …
    filter_backends = FILTER_BACKENDS
    pagination_class = CountedCursorPagination

    @property
    def case_path(self) -> str:
        child = LISTS[self.key]
        return "case" if child.parent == "case" else f"{child.parent}__case"

    def get_queryset(self):
        child = LISTS[self.key]
        visible = Case.objects.visible_to(self.request.user)
        rows = child.model.objects.filter(**{f"{self.case_path}__in": visible}).select_related(self.case_path)
        if child.links and child.links.many:
            rows = rows.prefetch_related(child.links.relation)
        return rows

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.row(item) for item in page])

    def row(self, item) -> dict:
        case = item.case if self.case_path == "case" else getattr(item, LISTS[self.key].parent).case
        return table_row(LISTS[self.key], item, case, Disclosure.for_user(self.request.user, case))


def table(key: str) -> type:
    child, shape = LISTS[key], shapes.ROW_SHAPES[key]
    view = type(
        f"{shape.__name__}List",
        (ChildRowList,),
        {"key": key, "filterset_class": ROW_FILTERSETS[key], "serializer_class": shape},
    )
    summary = f"{child.heading}, one row each"
    owner = "" if child.parent == "case" else f" and its {child.parent}'s id ({child.parent}_id)"
    description = (
        f"One row per {child.noun} of the cases you may read, with its case's registry_id{owner}, de-identified "
        "as your case documents are. Every case filter selects the cases; a filter named after a coded or yes/no "
        "column of the row also keeps only the rows that match it. Paginated by cursor, like the case list."
    )
    return extend_schema(
        summary=summary, description=description, responses={200: shape(many=True), **ERRORS}, tags=["long tables"]
    )(view)


# The path of each long table (docs/api.md, "Long tables"): /api/v1/<route>/
TABLE_PATHS = {child.key: child.route for child in ALL_LISTS}
TABLE_VIEWS = {key: table(key) for key in TABLE_PATHS}


@extend_schema(
    summary="Classification criteria computed, one row per case and set",
    description="The stored results of the four sets (clinical-v2.md §6) for the cases the case filters select; "
    "the items behind each are in the case document's `criteria_computed`.",
    responses={200: shapes.CriteriaRowOut(many=True), **ERRORS},
    tags=["long tables"],
)
class CriteriaResultList(generics.ListAPIView):
    filter_backends = FILTER_BACKENDS
    filterset_class = CriteriaResultFilterSet
    pagination_class = CountedCursorPagination
    serializer_class = shapes.CriteriaRowOut

    def get_queryset(self):
        visible = Case.objects.visible_to(self.request.user)
        return CriteriaResult.objects.filter(case__in=visible).select_related("case")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.row(result) for result in page])

    @staticmethod
    def row(result) -> dict:
        return {
            "registry_id": result.case.registry_id,
            "set": result.criteria_set,
            "status": result.status,
            "score": plain_number(result.score),
            "max_possible": plain_number(result.max_possible),
            "category": result.category,
        }
