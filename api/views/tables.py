"""The long tables: one row per child record, with its case's registry id.

Every case filter selects the cases (among those the user may see); the
table's own columns filter its rows. A researcher's rows are de-identified
like their documents: dates as years, clinic notes withheld.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api import filtersets
from api import serializers as shapes
from api.pagination import CountedCursorPagination
from api.views.cases import ERRORS
from api.views.common import FILTER_BACKENDS, deidentify_for
from cases.documents import child_row, withholds_narrative
from cases.models import Case
from cases.services.schema import CHILDREN


class ChildRowList(generics.ListAPIView):
    key: str = ""  # a key of CHILDREN: "diagnoses", "serology", …
    filter_backends = FILTER_BACKENDS
    pagination_class = CountedCursorPagination

    def get_queryset(self):
        rows = (
            CHILDREN[self.key]
            .model.objects.filter(case__in=Case.objects.visible_to(self.request.user))
            .select_related("case")
        )
        if self.key == "treatments":
            rows = rows.prefetch_related("sites")
        return rows

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.row(item) for item in page])

    def row(self, item) -> dict:
        case = item.case
        deidentify = deidentify_for(self.request.user, case)
        row = {"registry_id": case.registry_id, **child_row(self.key, item, deidentify=deidentify)}
        if withholds_narrative(case, deidentify):
            row["notes"] = ""
        return row


def table(key, filterset_class, row_shape, summary):
    view = type(
        f"{row_shape.__name__}List",
        (ChildRowList,),
        {"key": key, "filterset_class": filterset_class, "serializer_class": row_shape},
    )
    return extend_schema(summary=summary, responses={200: row_shape(many=True), **ERRORS}, tags=["long tables"])(view)


DiagnosisList = table("diagnoses", filtersets.DiagnosisFilterSet, shapes.DiagnosisRowOut, "Diagnoses, one row each")
FeatureList = table("features", filtersets.FeatureFilterSet, shapes.FeatureRowOut, "Clinical features, one row each")
SerologyList = table("serology", filtersets.SerologyFilterSet, shapes.SerologyRowOut, "Serology results, one row each")
LabList = table("labs", filtersets.LabFilterSet, shapes.LabRowOut, "Laboratory results, one row each")
CalcinosisSiteList = table(
    "calcinosis_sites",
    filtersets.CalcinosisSiteFilterSet,
    shapes.CalcinosisSiteRowOut,
    "Calcinosis sites, one row each",
)
TreatmentList = table(
    "treatments", filtersets.TreatmentFilterSet, shapes.TreatmentRowOut, "Treatment courses, one row each"
)
