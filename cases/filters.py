"""One filterset per resource: the browser case list and the API use these same classes.

Vocabulary parameters match the code and everything below it; a repeated
parameter means "all of these"; an unknown code, a bad number or a bad date is
a validation error naming the parameter (400 in the API, an inline message in
the browser), never an empty result, so a typo is never read as "no such cases".

The long tables (diagnoses, serology, …) have a filterset each: every case
filter selects the cases, and the table's own columns filter its rows.

A reader who does not see identifiers (a researcher; ``self.request.user``)
filters and sorts on what they read, never on what their documents withhold:
an age of 90 or more is 90, an age clue of a case aged 90+ is missing, and
``updated_since`` compares by day (``cases.document.writer.seen_expression``).
"""

import re
from copy import deepcopy
from datetime import UTC, date, datetime, time

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.forms.utils import ErrorDict, ErrorList
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField

from cases import access, criteria
from cases.document.schema import ALL_LISTS, CHILDREN, ChildList, Field, Kind, case_field
from cases.document.writer import PRESENTATION_AGE, reads_deidentified, seen_expression
from cases.models import (
    Agent,
    Assessment,
    CalcinosisSite,
    Case,
    ClinicalFeature,
    Condition,
    CriteriaResult,
    Diagnosis,
    Feature,
    LabResult,
    Region,
    SerologyResult,
    SerologyTest,
    Site,
    TreatmentCourse,
)
from cases.models.case import normalise_doi
from cases.models.choices import (
    CalcinosisCourse,
    CaseConsent,
    CaseEtiology,
    CaseExtent,
    CaseSex,
    CaseSource,
    CaseStatus,
    Certainty,
    Depth,
    DetectedBy,
    FeatureStatus,
    Indication,
    Laterality,
    Morphology,
    Response,
    ResponseScope,
    Route,
)
from cases.models.criteria import CRITERIA_CATEGORY_CHOICES
from cases.models.sites import country_choices
from cases.selection import ordered, ordering_choices


def described(schema: dict):
    """What values a filter takes, for the API's OpenAPI schema (read by ``api/schema.py``)."""

    def attach(filter_):
        filter_.value_schema = schema
        return filter_

    return attach


def _codes(model, label, method="filter_noop"):
    """A vocabulary parameter, repeatable; the values are concepts of ``model``."""
    return described({"type": "string"})(
        filters.ModelMultipleChoiceFilter(
            queryset=model.objects.all(),
            to_field_name="code",
            method=method,
            label=label,
            error_messages={"invalid_choice": "Unknown code '%(value)s'."},
        )
    )


def _choice(choices, label=None, **kwargs):
    values = ", ".join(value for value, _ in choices)
    return filters.ChoiceFilter(
        choices=choices,
        label=label,
        error_messages={"invalid_choice": f"Unknown value '%(value)s'; one of: {values}."},
        **kwargs,
    )


class WholeNumberFilter(filters.NumberFilter):
    field_class = forms.IntegerField


_COMPARISONS = {"gte": GreaterThanOrEqual, "lte": LessThanOrEqual}


def _reader_is_deidentified(filterset) -> bool:
    return reads_deidentified(getattr(filterset.request, "user", None))


class CaseFieldRangeFilter(WholeNumberFilter):
    """A bound on a field of the case document, compared with what the reader reads of it (90+ is 90)."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES or not _reader_is_deidentified(self.parent):
            return super().filter(qs, value)
        seen = seen_expression(
            case_field(self.field_name), F(self.field_name), presentation_age=F(PRESENTATION_AGE.name)
        )
        return qs.filter(_COMPARISONS[self.lookup_expr](seen, value))


class DayOrMomentField(IsoDateTimeField):
    """An ISO 8601 timestamp, or a date meaning its first moment in UTC (the registry's day)."""

    def strptime(self, value, format):
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            return datetime.combine(date.fromisoformat(value.strip()), time.min, tzinfo=UTC)
        return super().strptime(value, format)


class ChangedSinceFilter(filters.IsoDateTimeFilter):
    """Changed at or after a moment; by day (UTC) for a reader who reads record timestamps as years.

    To the microsecond, it confirmed a case's exact update time to a researcher (issue 13); the day is
    as much as they learn from it.
    """

    field_class = DayOrMomentField

    def filter(self, qs, value):
        if value not in EMPTY_VALUES and _reader_is_deidentified(self.parent):
            value = datetime.combine(value.astimezone(UTC).date(), time.min, tzinfo=UTC)
        return super().filter(qs, value)


def _known_country(value: str) -> None:
    if value.upper() not in dict(country_choices()):
        raise ValidationError(f"Unknown country code '{value}': use the ISO 3166-1 two-letter code, e.g. TR.")


def _whole_number(field_name, lookup_expr, label, low, high, filter_class=WholeNumberFilter):
    return described({"type": "integer", "minimum": low, "maximum": high})(
        filter_class(field_name=field_name, lookup_expr=lookup_expr, label=label, min_value=low, max_value=high)
    )


def _years(label):
    return described({"type": "number", "minimum": 0, "maximum": 120})(
        filters.NumberFilter(method="filter_noop", label=label, min_value=0, max_value=120)
    )


def _yes_no(label, method="filter_yes_no"):
    # A ChoiceFilter rather than a BooleanFilter, which reads "maybe" as "no filter" instead of refusing it.
    return _choice([("true", "yes"), ("false", "no")], label=label, method=method)


def _sites_whose_cases_you_see(request):
    """The sites of the cases ``Case.objects.visible_to`` gives this user.

    A clinician filtering by another clinic's code gets the same "Unknown site."
    as for a code nobody uses (and the browser offers only their own sites), so
    the filter cannot be used to find out which codes exist.
    """
    user = getattr(request, "user", None)
    if access.reads_everything(user):
        return Site.objects.all()
    return Site.objects.filter(pk__in=access.clinician_site_ids(user))


CRITERIA_SETS = [(code, definition.label) for code, definition in criteria.SETS.items()]
CRITERIA_STATUSES = [
    (f"{code}:{status}", f"{code}: {status}") for code in criteria.SETS for status in criteria.STATUSES
]


def _criteria(choices, label):
    """criteria_met / criteria_status: repeatable, and every value must hold (the stored results, indexed)."""
    values = ", ".join(value for value, _ in choices)
    return described({"type": "string", "enum": [value for value, _ in choices]})(
        filters.MultipleChoiceFilter(
            choices=choices,
            label=label,
            method="filter_criteria",
            error_messages={"invalid_choice": f"Unknown value '%(value)s'; one of: {values}."},
        )
    )


class CaseFilterSet(filters.FilterSet):
    site = described({"type": "string", "description": "The code of a site whose cases you can read (else a 400)."})(
        filters.ModelChoiceFilter(
            queryset=_sites_whose_cases_you_see,
            to_field_name="code",
            field_name="site",
            error_messages={"invalid_choice": "Unknown site."},
        )
    )
    source = _choice(CaseSource.choices)
    sex = _choice(CaseSex.choices)
    country = described({"type": "string", "pattern": "^[A-Za-z]{2}$"})(
        filters.CharFilter(
            method="filter_country",
            label="Country (ISO 3166-1 alpha-2)",
            validators=[
                RegexValidator(r"^[A-Za-z]{2}\Z", "Use the two-letter ISO 3166-1 code, e.g. TR."),
                _known_country,
            ],
        )
    )
    status = _choice(CaseStatus.choices)
    consent = _choice(CaseConsent.choices)
    age_min = _whole_number("age_at_presentation", "gte", "Age from", 0, 120, CaseFieldRangeFilter)
    age_max = _whole_number("age_at_presentation", "lte", "Age to", 0, 120, CaseFieldRangeFilter)
    condition = _codes(Condition, "Condition (any diagnosis, incl. subtypes)")
    primary_condition = _codes(Condition, "Primary condition (incl. subtypes)")
    duration_min = _years("Disease duration from (years, primary diagnosis)")
    duration_max = _years("Disease duration to (years, primary diagnosis)")
    positive = _codes(SerologyTest, "Antibody positive")
    negative = _codes(SerologyTest, "Antibody negative")
    feature = _codes(Feature, "Feature present")
    feature_absent = _codes(Feature, "Feature explicitly absent")
    region = _codes(Region, "Calcinosis region (incl. sub-regions)")
    laterality = _choice(Laterality.choices, method="filter_noop")
    method = _choice(DetectedBy.choices, label="Calcinosis seen by (method)", method="filter_noop")
    # The first edition's name of ``method``, kept for scripts written against it.
    detected_by = _choice(DetectedBy.choices, label="Calcinosis seen by (alias of method)", method="filter_noop")
    morphology = _choice(Morphology.choices, method="filter_noop")
    depth = _choice(Depth.choices, label="Calcinosis depth", method="filter_noop")
    extent = _choice(CaseExtent.choices, field_name="calcinosis_extent")
    etiology = _choice(CaseEtiology.choices, field_name="calcinosis_etiology")
    agent = _codes(Agent, "Treatment agent (incl. members of a class)")
    response = _choice(Response.choices, label="Response (of the same course as agent)", method="filter_noop")
    route = _choice(Route.choices, label="Route (of the same course as agent)", method="filter_noop")
    indication = _choice(Indication.choices, label="Indication (of the same course as agent)", method="filter_noop")
    response_scope = _choice(
        ResponseScope.choices, label="Response scope (of the same course as agent)", method="filter_noop"
    )
    has_follow_up = _yes_no("Followed up: an assessment after month 0", method="filter_follow_up")
    calcinosis_course = _choice(
        CalcinosisCourse.choices, label="Calcinosis course at an assessment", method="filter_calcinosis_course"
    )
    certainty = _choice(Certainty.choices, label="Certainty of the condition's diagnosis", method="filter_noop")
    criteria_met = _criteria(CRITERIA_SETS, "Classification criteria computed as met (set)")
    criteria_status = _criteria(CRITERIA_STATUSES, "Classification criteria computed with this status (set:status)")
    publication_year_min = _whole_number("publication__year", "gte", "Publication year from", 1800, 2100)
    publication_year_max = _whole_number("publication__year", "lte", "Publication year to", 1800, 2100)
    doi = filters.CharFilter(method="filter_doi", label="DOI", max_length=200)
    updated_since = ChangedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after (ISO 8601 timestamp or date; researchers: by day)",
    )
    q = filters.CharFilter(method="filter_noop", label="Text search", max_length=200)
    ordering = _choice(ordering_choices(), label="Order by", method="filter_ordering")

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

    def filter_ordering(self, queryset, name, value):
        return ordered(queryset, value, deidentified=_reader_is_deidentified(self))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        # certainty describes the same diagnosis as the condition it comes with.
        diagnosis_fields = {"certainty": data["certainty"]} if data.get("certainty") else {}
        for concept in data.get("condition") or []:
            queryset = queryset.with_condition(concept.code, **diagnosis_fields)
        for concept in data.get("primary_condition") or []:
            queryset = queryset.with_condition(concept.code, primary_only=True, **diagnosis_fields)
        if diagnosis_fields and not (data.get("condition") or data.get("primary_condition")):
            queryset = queryset.filter(Exists(Diagnosis.objects.filter(case=OuterRef("pk"), **diagnosis_fields)))
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
        duration = self._as_read(CHILDREN["diagnoses"].field("duration_years"), OuterRef(PRESENTATION_AGE.name))
        if low is not None:
            rows = rows.filter(GreaterThanOrEqual(duration, low))
        if high is not None:
            rows = rows.filter(LessThanOrEqual(duration, high))
        return queryset.filter(Exists(rows))

    def filter_criteria(self, queryset, name, values):
        for value in values:
            code, _, status = value.partition(":")
            queryset = queryset.with_criteria(code, status or "met")
        return queryset

    def filter_follow_up(self, queryset, name, value):
        later = Assessment.objects.filter(case=OuterRef("pk"), months_from_presentation__gt=0)
        return queryset.filter(Exists(later)) if value == "true" else queryset.exclude(Exists(later))

    def filter_calcinosis_course(self, queryset, name, value):
        return queryset.filter(Exists(Assessment.objects.filter(case=OuterRef("pk"), calcinosis_course=value)))

    def _as_read(self, f: Field, presentation_age):
        """A row field as this reader reads it: withheld (NULL) where their document withholds it."""
        if not _reader_is_deidentified(self):
            return F(f.name)
        return seen_expression(f, F(f.name), presentation_age=presentation_age)

    def _calcinosis_sites(self, queryset, data):
        # laterality / method / morphology / depth describe the same site as the region they come with.
        site_fields = {name: data[name] for name in ("laterality", "morphology", "depth") if data.get(name)}
        methods = [data[name] for name in ("method", "detected_by") if data.get(name)]
        if methods:
            site_fields["methods__contains"] = list(dict.fromkeys(methods))
        regions = data.get("region") or []
        for concept in regions:
            queryset = queryset.with_region(concept.code, **site_fields)
        if site_fields and not regions:
            queryset = queryset.filter(Exists(CalcinosisSite.objects.filter(case=OuterRef("pk"), **site_fields)))
        return queryset

    def _treatments(self, queryset, data):
        # response / route / indication / response_scope must hold on the same treatment course as the agent.
        course_fields = {
            name: data[name] for name in ("response", "route", "indication", "response_scope") if data.get(name)
        }
        agents = data.get("agent") or []
        for concept in agents:
            queryset = queryset.with_agent(concept.code, **course_fields)
        if course_fields and not agents:
            queryset = queryset.filter(Exists(TreatmentCourse.objects.filter(case=OuterRef("pk"), **course_fields)))
        return queryset

    def _text(self, queryset, text):
        user = getattr(self.request, "user", None)
        narrative = Q(summary__icontains=text) | Q(publication__title__icontains=text)
        notes = Q()
        for model in (Diagnosis, ClinicalFeature, SerologyResult, LabResult, CalcinosisSite, TreatmentCourse):
            notes |= Exists(model.objects.filter(case=OuterRef("pk"), notes__icontains=text))
        if not access.sees_identifiers_in_bulk(user):
            # Who does not see a clinic case's free text cannot search it either.
            return queryset.filter(
                Q(publication__title__icontains=text) | (Q(source="literature") & (narrative | notes))
            )
        return queryset.filter(narrative | notes)


class RowFilterSet(filters.FilterSet):
    """The rows of one long table.

    Every case filter is accepted and selects the cases (through a CaseFilterSet
    given the same parameters); the table's own columns then filter its rows.
    A parameter that is both (``region`` on calcinosis sites, ``agent`` on
    treatments, …) does both, so the rows returned are the ones that matched.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.case_filters = CaseFilterSet(data, queryset=Case.objects.all(), request=request, prefix=prefix)

    @classmethod
    def get_filters(cls):
        own = super().get_filters()
        merged = {}
        for name, case_filter in CaseFilterSet.base_filters.items():
            if name not in own:
                # Validated here (so the schema and the errors name it) but applied by case_filters.
                copy = deepcopy(case_filter)
                copy.method = "filter_noop"
                merged[name] = copy
        merged.update(own)
        return merged

    def is_valid(self):
        return super().is_valid() and self.case_filters.is_valid()

    @property
    def errors(self):
        # Both filtersets validate the shared parameters: report each message once.
        merged = ErrorDict()
        for source in (self.case_filters.form.errors, self.form.errors):
            for name, error_list in source.items():
                target = merged.setdefault(name, ErrorList())
                for error in error_list.as_data():
                    if list(error) not in [list(known) for known in target.as_data()]:
                        target.append(error)
        return merged

    # How a row reaches its case: ``case``, or through the row it is inside (``assessment__case``).
    case_path = "case"

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.filter(**{f"{self.case_path}__in": self.case_filters.qs.order_by()})

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_yes_no(self, queryset, name, value):
        return queryset.filter(**{name: value == "true"})

    def filter_list_contains(self, queryset, name, value):
        return queryset.filter(**{f"{name}__contains": [value]})

    def filter_list_below(self, queryset, name, concepts):
        """Rows listing any of these concepts or a concept below one of them."""
        if not concepts:
            return queryset
        codes = set()
        for concept in concepts:
            codes.update(type(concept).objects.codes_below(concept.code))
        return queryset.filter(**{f"{name}__overlap": sorted(codes)})

    def filter_codes_below(self, queryset, name, concepts):
        """Rows coded with any of these concepts or a concept below one of them."""
        matches = Q()
        for concept in concepts or []:
            matches |= Q(**{f"{name}__path__startswith": concept.path})
        return queryset.filter(matches) if matches else queryset


class FeatureFilterSet(RowFilterSet):
    feature = _codes(Feature, "Feature present: its rows, in cases where it is present")
    feature_absent = _codes(Feature, "Feature absent: its rows, in cases where it is absent")
    # "status" is the case's status (a case filter); the row's own is feature_status.
    feature_status = _choice(FeatureStatus.choices, field_name="status")

    class Meta:
        model = ClinicalFeature
        fields: list[str] = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        # feature=raynaud&feature_absent=ild: the raynaud rows that say present and the ild rows that say absent.
        wanted = Q()
        for name, status in (("feature", FeatureStatus.PRESENT), ("feature_absent", FeatureStatus.ABSENT)):
            for concept in data.get(name) or []:
                wanted |= Q(feature=concept, status=status)
        return queryset.filter(wanted) if wanted else queryset


def _row_filter(f):
    """The filter a long table gets for one of its row fields, from the field's kind."""
    if f.kind is Kind.CODE:
        label = f"{f.title} of the row (incl. narrower codes)"
        return _codes(f.model_field.related_model, label, "filter_codes_below")
    if f.kind is Kind.CHOICE:
        return _choice(f.choices, label=f"{f.title} of the row", field_name=f.name)
    if f.kind in (Kind.TRISTATE, Kind.BOOLEAN):
        return _yes_no(f"{f.title} of the row")
    if f.kind is Kind.CODE_LIST and f.vocabulary:
        return _codes(f.vocabulary_model, f"{f.title} of the row, any of (incl. narrower codes)", "filter_list_below")
    if f.kind is Kind.CODE_LIST:
        return _choice(f.choices, label=f"{f.title} of the row includes", method="filter_list_contains")
    return None


# Case filters named unlike the row column they are about (a site's ``methods``): on that column's table they
# filter the rows too, as ``laterality`` or ``depth`` do on theirs.
_CASE_FILTERS_OF_COLUMN = {"methods": ("method", "detected_by")}


def _case_filters_on_rows(f) -> dict:
    """The row filters of the case filters that name column ``f`` otherwise (``method=ct``: the CT rows)."""
    return {
        name: _choice(
            f.choices,
            label=f"{f.title}: the row's {f.name} include it (and its case is selected)",
            field_name=f.name,
            method="filter_list_contains",
        )
        for name in _CASE_FILTERS_OF_COLUMN.get(f.name, ())
    }


def _means_something_else(f) -> bool:
    """A row field named like a case filter with other values (a feature's status is not the case's)."""
    case_filter = CaseFilterSet.base_filters.get(f.name)
    if case_filter is None or f.kind is not Kind.CHOICE:
        return False
    return {value for value, _ in case_filter.extra.get("choices", [])} != {value for value, _ in f.choices}


def _row_filterset(child: ChildList, base=RowFilterSet):
    """A long table's filterset: every case filter, and a filter per coded or yes/no column of its rows."""
    own = {}
    for f in child.fields:
        row_filter = _row_filter(f)
        if row_filter is not None and f.name not in base.declared_filters and not _means_something_else(f):
            own[f.name] = row_filter
        own.update(_case_filters_on_rows(f))
    meta = type("Meta", (), {"model": child.model, "fields": []})
    case_path = "case" if child.parent == "case" else f"{child.parent}__case"
    return type(f"{child.model.__name__}FilterSet", (base,), {**own, "Meta": meta, "case_path": case_path})


ROW_FILTERSETS = {
    child.key: _row_filterset(child, FeatureFilterSet if child.key == "features" else RowFilterSet)
    for child in ALL_LISTS
}


class CriteriaResultFilterSet(RowFilterSet):
    """/criteria/: one row per case and set; ``set`` and ``category`` filter the rows."""

    set = _choice(CRITERIA_SETS, label="Criteria set of the row", field_name="criteria_set")
    category = _choice(CRITERIA_CATEGORY_CHOICES, label="IIM category of the row", field_name="category")

    class Meta:
        model = CriteriaResult
        fields: list[str] = []
