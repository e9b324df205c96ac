"""The long tables: one row per child record, with its case's registry id.

Every case filter selects the cases (among those the user may see); the
table's own columns filter its rows. A researcher's rows are de-identified
like their documents: dates as years, clinic notes withheld.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api import serializers as shapes
from api.pagination import CountedCursorPagination
from api.views.cases import ERRORS
from api.views.common import FILTER_BACKENDS
from cases.document import CHILDREN, Disclosure, child_row
from cases.filters import ROW_FILTERSETS
from cases.models import Case


class ChildRowList(generics.ListAPIView):
    key: str = ""  # a key of CHILDREN: "diagnoses", "serology", …
    filter_backends = FILTER_BACKENDS
    pagination_class = CountedCursorPagination

    def get_queryset(self):
        child = CHILDREN[self.key]
        rows = child.model.objects.filter(case__in=Case.objects.visible_to(self.request.user)).select_related("case")
        if child.links:
            rows = rows.prefetch_related(child.links.relation)
        return rows

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.row(item) for item in page])

    def row(self, item) -> dict:
        disclosure = Disclosure.for_user(self.request.user, item.case)
        return {"registry_id": item.case.registry_id, **child_row(CHILDREN[self.key], item, disclosure)}


def table(key: str) -> type:
    child, shape = CHILDREN[key], shapes.ROW_SHAPES[key]
    view = type(
        f"{shape.__name__}List",
        (ChildRowList,),
        {"key": key, "filterset_class": ROW_FILTERSETS[key], "serializer_class": shape},
    )
    summary = f"{child.heading}, one row each"
    return extend_schema(summary=summary, responses={200: shape(many=True), **ERRORS}, tags=["long tables"])(view)


# The path of each long table (api.md): /api/v1/<path>/
TABLE_PATHS = {key: key.replace("_", "-") for key in CHILDREN}
TABLE_VIEWS = {key: table(key) for key in CHILDREN}
