"""Data-quality checks: the problems a curator looks for before verifying a case.

Each check is written once, as a ``Q`` condition on one of the case's lists
(or on the case itself). From that one definition come:

- ``Check.expression(Case)``: a boolean SQL expression on ``Case`` (an indexed
  ``EXISTS`` per check), for the admin's problem column and filter, which
  must stay fast at 100,000 cases;
- ``Check.found_in(case)``: the same condition evaluated in Python on a case
  loaded with ``Case.objects.for_detail()``, for the case page and the API
  document, without a query (the duplicate check is the one exception: it
  needs the other cases, so it reads an annotation when the case was loaded
  with ``annotate_flags`` and asks the database otherwise).

The duplicate check compares a case only with the cases whose values its
viewer reads as stored (``viewer``; None for every case, as a curator reads
them): answered about every site's cases, it told a clinician whether a case
they cannot see has the publication, sex and age they tried on their own
(issue 13).

A condition on the case may also speak of its lists, for the checks that
compare rows with each other: ``AnyRow("labs", Q(…))`` (one of its lab results
meets the condition: an ``EXISTS`` in SQL, ``any`` in Python) and
``FewerThan(3, "calcinosis_sites", "region")`` (fewer than three different
regions: a ``count(DISTINCT …)`` in SQL, a set in Python). A row's condition may
compare its columns with each other and with its case's (``F("case__…")``,
with ``+`` and ``-``).

``_holds`` evaluates only the lookups used below, with SQL's rule that a
comparison with NULL is never true; conditions therefore avoid negating a
nullable column. ``test_quality.py`` checks both paths agree on every case.
"""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, Func, OuterRef, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.lookups import LessThan

from cases import access
from cases.models.choices import CaseStatus, Indication, Response, ResponseScope
from cases.models.vocabularies import Region

RECORDED_RESPONSES = [value for value in Response.values if value != Response.NOT_ASSESSED]
# What a course is given for when its own response cannot be the calcinosis's (clinical-v2.md §9).
NOT_FOR_CALCINOSIS = [Indication.UNDERLYING_DISEASE, Indication.GERD, Indication.RAYNAUD_VASCULOPATHY]


def _list_model(case_model, rows: str):
    """The model of one of the case's lists ("labs": LabResult)."""
    return case_model._meta.get_field(rows).related_model


def _rows_of(case_model, rows: str):
    return _list_model(case_model, rows).objects.filter(case=OuterRef("pk"))


@dataclass(frozen=True)
class AnyRow:
    """A condition on the case: one of its ``rows`` meets ``when``."""

    rows: str
    when: Q

    def sql(self, case_model):
        return Exists(_rows_of(case_model, self.rows).filter(self.when))

    def holds(self, case) -> bool:
        return any(_holds(row, self.when) for row in getattr(case, self.rows).all())


@dataclass(frozen=True)
class FewerThan:
    """A condition on the case: its ``rows`` name fewer than ``count`` different values of ``field``."""

    count: int
    rows: str
    field: str

    def sql(self, case_model):
        # cardinality(ARRAY(SELECT DISTINCT …)) is 0 for a case without rows (a count grouped by case would be
        # NULL, never fewer), and keeps COUNT out of the admin's list, where one means counting every case.
        values = ArraySubquery(_rows_of(case_model, self.rows).order_by().values(self.field).distinct())
        return LessThan(Func(values, function="cardinality", output_field=models.IntegerField()), self.count)

    def holds(self, case) -> bool:
        column = _list_model(type(case), self.rows)._meta.get_field(self.field).attname
        return len({getattr(row, column) for row in getattr(case, self.rows).all()}) < self.count


@dataclass(frozen=True)
class StatedNotConfirmed:
    """A condition on the case: a diagnosis states a criteria set met (``criteria_stated``) that the registry
    computes ``not_met`` from what the case records (the stored ``criteria_results``)."""

    def sql(self, case_model):
        stated = _list_model(case_model, "diagnoses").objects.filter(
            case=OuterRef("case"),
            criteria_stated__contains=Func(
                OuterRef("criteria_set"), template="ARRAY[%(expressions)s]::varchar[]", output_field=models.TextField()
            ),
        )
        return Exists(_rows_of(case_model, "criteria_results").filter(Exists(stated), status="not_met"))

    def holds(self, case) -> bool:
        stated = {code for diagnosis in case.diagnoses.all() for code in diagnosis.criteria_stated}
        return any(r.criteria_set in stated and r.status == "not_met" for r in case.criteria_results.all())


ROW_CONDITIONS = (AnyRow, FewerThan, StatedNotConfirmed)


@dataclass(frozen=True)
class Check:
    code: str
    message: str
    # The case's list the condition is about ("serology"); None for the case's own fields.
    rows: str | None = None
    when: Q = field(default_factory=Q)
    # True: the problem is that no such row exists ("no primary diagnosis").
    missing: bool = False
    # Case fields another case must share (all set) for this one to be a likely duplicate.
    same_as_another: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        """The annotation name ``annotate_flags`` gives this check."""
        return f"quality_{self.code}"

    def expression(self, case_model, viewer=None):
        """True for the cases that have this problem (usable in filter(), When() and annotate())."""
        if self.same_as_another:
            outer = {f: OuterRef(f) for f in self.same_as_another}
            others = Exists(_others_sharing(case_model, self.same_as_another, outer, OuterRef("pk"), viewer))
            # Spares most cases (clinic cases have no publication) the lookup of the others.
            all_set = Q(**{f"{name}__isnull": False for name in self.same_as_another})
            return ExpressionWrapper(all_set & Q(others), output_field=models.BooleanField())
        if self.rows is None:
            return ExpressionWrapper(_in_sql(self.when, case_model), output_field=models.BooleanField())
        exists = Exists(_rows_of(case_model, self.rows).filter(self.when))
        return ~exists if self.missing else exists

    def found_in(self, case) -> bool:
        if hasattr(case, self.flag):
            return bool(getattr(case, self.flag))
        if self.same_as_another:
            values = {
                name: getattr(case, f"{name}_id" if name == "publication" else name) for name in self.same_as_another
            }
            if any(value is None for value in values.values()):
                return False
            return _others_sharing(type(case), self.same_as_another, values, case.pk).exists()
        if self.rows is None:
            return _holds(case, self.when)
        found = any(_holds(row, self.when) for row in getattr(case, self.rows).all())
        return not found if self.missing else found


def _in_sql(q: Q, case_model) -> Q:
    """``q`` with its conditions on the case's lists (AnyRow, FewerThan) written as SQL expressions."""
    children = [
        _in_sql(child, case_model)
        if isinstance(child, Q)
        else child.sql(case_model)
        if isinstance(child, ROW_CONDITIONS)
        else child
        for child in q.children
    ]
    return Q.create(children, connector=q.connector, negated=q.negated)


def _all_recorded_normal(test: str) -> Q:
    """The case has a result of ``test``, and every result of it is read as normal."""
    return Q(AnyRow("labs", Q(test=test))) & ~Q(AnyRow("labs", Q(test=test) & ~Q(interpretation="normal")))


def _others_sharing(case_model, names, values: dict, own_pk, viewer=None):
    # A NULL never equals anything in SQL, so cases without a publication or an age are never duplicates.
    return _compared_with(case_model, viewer).filter(**{name: values[name] for name in names}).exclude(pk=own_pk)


def _compared_with(case_model, viewer):
    """The cases a case is compared with for ``viewer``: those whose values they read as stored.

    Curators: every case; a clinician: their sites' cases, all they can see. A researcher reads
    every case, but another site's great ages only as "90+": compared on the exact ages, a case
    flagged or not would tell them whether two "90+" are the same age, so they are compared
    with their own sites' cases only (none for a researcher of no site).
    """
    if viewer is None or access.is_curator(viewer):
        return case_model.objects.all()
    return case_model.objects.filter(site_id__in=access.clinician_site_ids(viewer))


CHECKS: list[Check] = [
    Check(
        "no_primary_diagnosis",
        "No diagnosis is marked as the primary one.",
        rows="diagnoses",
        when=Q(is_primary=True),
        missing=True,
    ),
    Check(
        "literature_without_reference",
        "Literature case whose publication has no DOI, PMID or citation: the report cannot be found again.",
        when=Q(source="literature")
        & (
            Q(publication__isnull=True)
            | (
                (Q(publication__doi__isnull=True) | Q(publication__doi=""))
                & Q(publication__pmid__isnull=True)
                & Q(publication__citation="")
            )
        ),
    ),
    Check(
        "ana_positive_without_titer",
        "ANA is positive but no titre is recorded (e.g. 1:320).",
        rows="serology",
        when=Q(test="ana", result="positive", titer__isnull=True),
    ),
    Check(
        "response_without_indication",
        "A treatment has a response recorded but no indication (what it was given for).",
        rows="treatments",
        when=Q(indication="", response__in=RECORDED_RESPONSES),
    ),
    Check(
        "digit_site_without_laterality",
        "A finger or toe calcinosis site has no laterality (left, right, bilateral).",
        rows="calcinosis_sites",
        when=Q(laterality="unknown")
        & reduce(operator.or_, [Q(region__path__startswith=p) for p in Region.DIGIT_PATHS]),
    ),
    Check(
        "no_calcinosis_site",
        "No calcinosis site is recorded.",
        rows="calcinosis_sites",
        missing=True,
    ),
    # ---- clinical checks of the second edition (clinical-v2.md §9) ----
    Check(
        "onset_duration_age_mismatch",
        "Age at onset plus the disease duration since onset differs from the age at presentation by more than "
        "a year: correct the age at onset, the duration or the age at presentation.",
        rows="diagnoses",
        # |onset + duration - presentation| > 1, with the ages and duration of the same diagnosis and case.
        when=Q(duration_basis="since_onset")
        & (
            Q(age_at_onset__gt=F("case__age_at_presentation") - F("duration_years") + 1)
            | Q(age_at_onset__lt=F("case__age_at_presentation") - F("duration_years") - 1)
        ),
    ),
    Check(
        "diagnosis_before_onset",
        "A diagnosis is recorded at an age before its onset: correct the age at onset or the age at diagnosis.",
        rows="diagnoses",
        when=Q(age_at_diagnosis__lt=F("age_at_onset")),
    ),
    Check(
        "metastatic_with_normal_labs",
        "Metastatic calcinosis, yet calcium, phosphate and PTH are all recorded normal: check the etiology "
        "(dystrophic?) or the lab results.",
        when=Q(calcinosis_etiology="metastatic")
        & _all_recorded_normal("calcium")
        & _all_recorded_normal("phosphate")
        & _all_recorded_normal("pth"),
    ),
    Check(
        "universalis_with_few_regions",
        "Extent universalis, yet calcinosis is recorded at fewer than three regions: add the sites or correct "
        "the extent.",
        when=Q(calcinosis_extent="universalis") & Q(FewerThan(3, "calcinosis_sites", "region")),
    ),
    Check(
        "response_not_for_calcinosis",
        "A drug given for the underlying disease, reflux or Raynaud's carries a response of its own: if the "
        "source reports the outcome of the drugs given together, set response_scope to regimen; if the drug was "
        "given for the calcinosis, correct the indication; otherwise set the response to not_assessed.",
        rows="treatments",
        when=Q(indication__in=NOT_FOR_CALCINOSIS, response_scope=ResponseScope.AGENT, response__in=RECORDED_RESPONSES),
    ),
    Check(
        "ana_negative_with_titer",
        "ANA is negative but a titre is recorded: remove the titre or correct the result.",
        rows="serology",
        when=Q(test="ana", result="negative", titer__isnull=False),
    ),
    Check(
        "clinic_case_without_consent",
        "Clinic case submitted with its consent not recorded: record the consent (written, verbal or waived).",
        when=Q(source="clinic", consent="not_recorded") & ~Q(status=CaseStatus.DRAFT),
    ),
    Check(
        "criteria_stated_not_met",
        "The source states classification criteria met that the registry computes as not met from what the case "
        "records: check the diagnoses, features, serology and labs against the report, or the stated criteria.",
        when=Q(StatedNotConfirmed()),
    ),
    Check(
        "likely_duplicate",
        "Likely duplicate: another case has the same publication, sex and age.",
        same_as_another=("publication", "sex", "age_at_presentation"),
    ),
]
CHECKS_BY_CODE = {check.code: check for check in CHECKS}


def quality_issues(case) -> list[dict]:
    """The problems of one case, as ``[{"code": …, "message": …}]`` (the API's ``quality_issues``)."""
    return [{"code": check.code, "message": check.message} for check in CHECKS if check.found_in(case)]


def problem_count(case_model):
    """The number of problems of each case, as one expression for ``annotate``."""
    return reduce(
        operator.add,
        [
            models.Case(
                When(check.expression(case_model), then=Value(1)), default=Value(0), output_field=models.IntegerField()
            )
            for check in CHECKS
        ],
    )


def has_problems(case_model) -> Q:
    """The cases with at least one problem (for ``filter`` / ``exclude``).

    Correlated EXISTS, not ``pk IN (subquery)``: PostgreSQL hashes an EXISTS's
    rows when they fit in memory and probes an index per case otherwise, while
    a NOT IN whose ids do not fit in work_mem rescans the child table per case.
    """
    return reduce(operator.or_, [Q(check.expression(case_model)) for check in CHECKS])


def annotate_flags(queryset, codes=None, viewer=None):
    """One boolean annotation per check, so ``found_in`` needs no query (for lists of cases).

    ``viewer``: whose cases the duplicate check compares with (None: every case).
    """
    checks = CHECKS if codes is None else [CHECKS_BY_CODE[code] for code in codes]
    return queryset.annotate(**{check.flag: check.expression(queryset.model, viewer) for check in checks})


# --- Python evaluation of the Q conditions above ---------------------------------------------


def _compare(op):
    # SQL: a comparison with NULL is unknown, and unknown never matches.
    return lambda value, expected: value is not None and expected is not None and op(value, expected)


_LOOKUPS = {
    "exact": _compare(operator.eq),
    "lt": _compare(operator.lt),
    "gt": _compare(operator.gt),
    "in": lambda value, expected: value is not None and value in expected,
    "isnull": lambda value, expected: (value is None) == bool(expected),
    "startswith": lambda value, expected: value is not None and str(value).startswith(expected),
}


_ARITHMETIC = {"+": operator.add, "-": operator.sub}


def _holds(obj, q: Q) -> bool:
    results = [
        _holds(obj, child)
        if isinstance(child, Q)
        else child.holds(obj)
        if isinstance(child, ROW_CONDITIONS)
        else _lookup_holds(obj, *child)
        for child in q.children
    ]
    value = all(results) if q.connector == Q.AND else any(results)
    return not value if q.negated else value


def _lookup_holds(obj, path: str, expected) -> bool:
    parts = path.split("__")
    lookup = parts.pop() if parts[-1] in _LOOKUPS else "exact"
    return _LOOKUPS[lookup](_follow(obj, parts), _evaluate(obj, expected))


def _follow(obj, parts: list[str]):
    """The value at the end of a lookup path (``case__age_at_presentation``); None past a missing relation."""
    value = obj
    for index, name in enumerate(parts):
        if value is None:
            break
        model_field = value._meta.get_field(name)
        last = index == len(parts) - 1
        # A relation compared as a whole compares its key (test="ana" is test_id = 'ana').
        value = getattr(value, model_field.attname if last and model_field.is_relation else name)
    return value


def _evaluate(obj, expected):
    """The value an F(), a Value() or their sum or difference has on ``obj``; NULL in, NULL out, as in SQL."""
    if isinstance(expected, F):
        return _follow(obj, expected.name.split("__"))
    if isinstance(expected, Value):
        return expected.value
    if isinstance(expected, CombinedExpression):
        left, right = _evaluate(obj, expected.lhs), _evaluate(obj, expected.rhs)
        return None if left is None or right is None else _ARITHMETIC[expected.connector](left, right)
    return expected
