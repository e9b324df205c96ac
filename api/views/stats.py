"""The statistics, for the cases the case filters select."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from api import serializers as shapes
from api.views.cases import ERRORS
from api.views.common import FILTER_BACKENDS
from cases import statistics
from cases.filters import CaseFilterSet
from cases.models import Case


class StatisticView(generics.GenericAPIView):
    queryset = Case.objects.none()  # the model, for the schema
    filter_backends = FILTER_BACKENDS
    filterset_class = CaseFilterSet
    pagination_class = None
    compute = None

    def get(self, request):
        cases = self.filter_queryset(Case.objects.visible_to(request.user))
        return Response(type(self).compute(cases))


def statistic(compute, shape, summary, description):
    # A get of its own: extend_schema marks the function it decorates, which must not be shared.
    def get(self, request):
        return StatisticView.get(self, request)

    documented = extend_schema(
        summary=summary, description=description, filters=True, responses={200: shape, **ERRORS}, tags=["statistics"]
    )(get)
    return type(
        f"{shape.__name__}View",
        (StatisticView,),
        {"compute": staticmethod(compute), "serializer_class": shape, "get": documented},
    )


CalcinosisSiteStats = statistic(
    statistics.calcinosis_sites,
    shapes.CalcinosisSiteStats,
    "Cases per calcinosis region",
    "A case counts once per region and once for each region above it (a finger counts for hand and upper_limb).",
)
TreatmentResponseStats = statistic(
    statistics.treatment_responses,
    shapes.TreatmentResponseStats,
    "Treatment courses and their responses per agent",
    "All courses of the selected cases; a course of a member (alendronate) counts for its class (bisphosphonate) too.",
)
SerologyStats = statistic(
    statistics.serology,
    shapes.SerologyStats,
    "Serology results per test",
    "Cases with each result per test, and cases with no result recorded for it.",
)
