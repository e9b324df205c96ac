"""One filterset per resource: the browser case list and the API use these same classes.

Vocabulary parameters match the code and everything below it; a repeated
parameter means "all of these"; an unknown code is a validation error (400 in
the API, an inline message in the browser), never an empty result.
"""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q

from cases import access
from cases.models import (
    Agent,
    Case,
    ClinicalFeature,
    Condition,
    Diagnosis,
    Feature,
    Region,
    SerologyResult,
    SerologyTest,
    Site,
)
from cases.models.case import CaseConsent, CaseEtiology, CaseExtent, CaseSex, CaseSource, CaseStatus, normalise_doi
from cases.models.children import DetectedBy, Laterality, Morphology, Response, Route


def _codes(model, label):
    return filters.ModelMultipleChoiceFilter(
        queryset=model.objects.all(), to_field_name="code", method="filter_noop", label=label
    )


class CaseFilterSet(filters.FilterSet):
    site = filters.ModelChoiceFilter(queryset=Site.objects.all(), to_field_name="code", field_name="site")
    source = filters.ChoiceFilter(choices=CaseSource.choices)
    sex = filters.ChoiceFilter(choices=CaseSex.choices)
    country = filters.CharFilter(field_name="country", method="filter_country")
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    consent = filters.ChoiceFilter(choices=CaseConsent.choices)
    age_min = filters.NumberFilter(field_name="age_at_presentation", lookup_expr="gte", label="Age from")
    age_max = filters.NumberFilter(field_name="age_at_presentation", lookup_expr="lte", label="Age to")
    condition = _codes(Condition, "Condition (any diagnosis, incl. subtypes)")
    primary_condition = _codes(Condition, "Primary condition (incl. subtypes)")
    duration_min = filters.NumberFilter(method="filter_noop", label="Disease duration from (years)")
    duration_max = filters.NumberFilter(method="filter_noop", label="Disease duration to (years)")
    positive = _codes(SerologyTest, "Antibody positive")
    negative = _codes(SerologyTest, "Antibody negative")
    feature = _codes(Feature, "Feature present")
    feature_absent = _codes(Feature, "Feature explicitly absent")
    region = _codes(Region, "Calcinosis region (incl. sub-regions)")
    laterality = filters.ChoiceFilter(choices=Laterality.choices, method="filter_noop")
    detected_by = filters.ChoiceFilter(choices=DetectedBy.choices, method="filter_noop")
    morphology = filters.ChoiceFilter(choices=Morphology.choices, method="filter_noop")
    extent = filters.ChoiceFilter(field_name="calcinosis_extent", choices=CaseExtent.choices)
    etiology = filters.ChoiceFilter(field_name="calcinosis_etiology", choices=CaseEtiology.choices)
    agent = _codes(Agent, "Treatment agent (incl. members of a class)")
    response = filters.ChoiceFilter(choices=Response.choices, method="filter_noop")
    route = filters.ChoiceFilter(choices=Route.choices, method="filter_noop")
    publication_year_min = filters.NumberFilter(field_name="publication__year", lookup_expr="gte")
    publication_year_max = filters.NumberFilter(field_name="publication__year", lookup_expr="lte")
    doi = filters.CharFilter(method="filter_doi", label="DOI")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = filters.CharFilter(method="filter_noop", label="Text search")
    ordering = filters.OrderingFilter(fields=("registry_id", "age_at_presentation", "updated_at"))

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_noop(self, queryset, name, value):
        # Computed filters are applied together in filter_queryset, where they can see each other.
        return queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())

    def filter_doi(self, queryset, name, value):
        return queryset.filter(publication__doi=normalise_doi(value))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        for concept in data.get("condition") or []:
            queryset = queryset.with_condition(concept.code)
        for concept in data.get("primary_condition") or []:
            queryset = queryset.with_condition(concept.code, primary_only=True)
        queryset = self._duration(queryset, data.get("duration_min"), data.get("duration_max"))
        for concept in data.get("positive") or []:
            queryset = queryset.with_serology(concept.code, "positive")
        for concept in data.get("negative") or []:
            queryset = queryset.with_serology(concept.code, "negative")
        for concept in data.get("feature") or []:
            queryset = queryset.with_feature(concept.code, "present")
        for concept in data.get("feature_absent") or []:
            queryset = queryset.with_feature(concept.code, "absent")
        queryset = self._calcinosis_sites(queryset, data)
        queryset = self._treatments(queryset, data)
        if data.get("q"):
            queryset = self._text(queryset, data["q"])
        return queryset

    def _duration(self, queryset, low, high):
        if low is None and high is None:
            return queryset
        rows = Diagnosis.objects.filter(case=OuterRef("pk"), is_primary=True)
        if low is not None:
            rows = rows.filter(duration_years__gte=low)
        if high is not None:
            rows = rows.filter(duration_years__lte=high)
        return queryset.filter(Exists(rows))

    def _calcinosis_sites(self, queryset, data):
        # laterality / detected_by / morphology describe the same site as the region they come with.
        site_fields = {name: data[name] for name in ("laterality", "detected_by", "morphology") if data.get(name)}
        regions = data.get("region") or []
        for concept in regions:
            queryset = queryset.with_region(concept.code, **site_fields)
        if site_fields and not regions:
            from cases.models import CalcinosisSite

            queryset = queryset.filter(Exists(CalcinosisSite.objects.filter(case=OuterRef("pk"), **site_fields)))
        return queryset

    def _treatments(self, queryset, data):
        # response / route must hold on the same treatment course as the agent.
        course_fields = {name: data[name] for name in ("response", "route") if data.get(name)}
        agents = data.get("agent") or []
        for concept in agents:
            queryset = queryset.with_agent(concept.code, **course_fields)
        if course_fields and not agents:
            from cases.models import TreatmentCourse

            queryset = queryset.filter(Exists(TreatmentCourse.objects.filter(case=OuterRef("pk"), **course_fields)))
        return queryset

    def _text(self, queryset, text):
        user = getattr(self.request, "user", None)
        narrative = Q(summary__icontains=text) | Q(publication__title__icontains=text)
        notes = Q()
        for model in (Diagnosis, ClinicalFeature, SerologyResult):
            notes |= Exists(model.objects.filter(case=OuterRef("pk"), notes__icontains=text))
        from cases.models import CalcinosisSite, LabResult, TreatmentCourse

        for model in (LabResult, CalcinosisSite, TreatmentCourse):
            notes |= Exists(model.objects.filter(case=OuterRef("pk"), notes__icontains=text))
        if access.is_researcher(user):
            # A researcher never sees a clinic case's free text, so cannot search it either.
            return queryset.filter(Q(publication__title__icontains=text) | (Q(source="literature") & (narrative | notes)))
        return queryset.filter(narrative | notes)
