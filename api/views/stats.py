"""The statistics, for the cases the case filters select."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from api import serializers as shapes
from api.views.cases import ERRORS
from api.views.common import KnownParameters
from cases import statistics
from cases.filters import CaseFilterSet
from cases.models import Case


class KeepsFilterSet(DjangoFilterBackend):
    """Filters as django-filter does, and keeps the validated filterset for a statistic that reads its values."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class StatisticView(generics.GenericAPIView):
    queryset = Case.objects.none()  # the model, for the schema
    filter_backends = [KnownParameters, KeepsFilterSet]
    filterset_class = CaseFilterSet
    pagination_class = None
    compute = None
    # Filters the statistic reads besides selecting the cases with them (treatment responses: agent, indication).
    reads: tuple[str, ...] = ()

    def get(self, request):
        cases = self.filter_queryset(Case.objects.visible_to(request.user))
        values = {name: self.filterset.form.cleaned_data.get(name) for name in self.reads}
        return Response(type(self).compute(cases, **values))


def statistic(compute, shape, summary, description, filterset_class=CaseFilterSet, reads=()):
    # A get of its own: extend_schema marks the function it decorates, which must not be shared.
    def get(self, request):
        return StatisticView.get(self, request)

    documented = extend_schema(
        summary=summary, description=description, filters=True, responses={200: shape, **ERRORS}, tags=["statistics"]
    )(get)
    return type(
        f"{shape.__name__}View",
        (StatisticView,),
        {
            "compute": staticmethod(compute),
            "serializer_class": shape,
            "filterset_class": filterset_class,
            "reads": reads,
            "get": documented,
        },
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
    "The courses of the selected cases given for calcinosis, or for the `indication` asked (`any`: every course). "
    "A class (`is_class`, e.g. bisphosphonate) counts its own courses and its members' (alendronate, …), so add "
    "up the rows that are not classes, never a class with its members. With `agent`, the rows are that agent "
    "and its members.\n\n"
    "`responses` counts the courses whose response is the agent's own (`response_scope=agent`); "
    "`regimen_responses` the courses that carry the one outcome of a regimen evaluated together "
    "(`response_scope=regimen`), which is no single agent's: they count in `courses` but never in `assessed`, "
    "`responders` or the proportion. `responder_proportion` is (complete + partial) / assessed, with its 95% "
    "Wilson score interval, both null when no course was assessed.\n\n"
    "`indication` here picks the courses counted; like on every endpoint, a given `indication` (not `any`) also "
    "selects the cases with a course of it, of `agent`'s when given, so `cases` counts those. `response`, "
    "`route` and `response_scope` select cases only.",
    filterset_class=statistics.TreatmentResponseFilterSet,
    reads=("indication", "agent"),
)
SerologyStats = statistic(
    statistics.serology,
    shapes.SerologyStats,
    "Serology results per test",
    "Cases with each result per test, and cases with no result recorded for it.",
)
CriteriaStats = statistic(
    statistics.criteria,
    shapes.CriteriaStats,
    "Classification criteria computed, per set",
    "Per criteria set (clinical-v2.md §6): the selected cases whose computed status is `met`, `not_met` or "
    "`indeterminate` (unknown items could still decide it). Every case has a status in every set.",
)
FollowUpStats = statistic(
    statistics.follow_up,
    shapes.FollowUpStats,
    "Follow-up: assessments and scores over time",
    "The assessments of the selected cases in bands of months from presentation: `0` (at presentation), "
    "`1-6`, `7-12`, `13-24`, `>24`. A band holds the months above the end of the band before it up to its own "
    "end (`above_months` < months ≤ `up_to_months`), so a visit at 0.5 months is in `1-6`, at 6.5 in `7-12` "
    "and at 24.5 in `>24`.\n\n"
    "Per band: the assessments per `calcinosis_course`. Per instrument and band: the median and quartiles "
    "(`q1`, `q3`) of its scores, by PostgreSQL's `percentile_cont` (linear interpolation). Every assessment and "
    "every score counts, so a case seen twice in a band counts twice; `cases` says how many cases they came from.",
)
