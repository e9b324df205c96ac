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

``_holds`` evaluates only the lookups used below, with SQL's rule that a
comparison with NULL is never true; conditions therefore avoid negating a
nullable column. ``test_quality.py`` checks both paths agree on every case.
"""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q, Value, When

from cases import access
from cases.models.choices import Response
from cases.models.vocabularies import Region

RECORDED_RESPONSES = [value for value in Response.values if value != Response.NOT_ASSESSED]


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
            return ExpressionWrapper(self.when, output_field=models.BooleanField())
        related = case_model._meta.get_field(self.rows).related_model
        exists = Exists(related.objects.filter(case=OuterRef("pk")).filter(self.when))
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
    "in": lambda value, expected: value is not None and value in expected,
    "isnull": lambda value, expected: (value is None) == bool(expected),
    "startswith": lambda value, expected: value is not None and str(value).startswith(expected),
}


def _holds(obj, q: Q) -> bool:
    results = [_holds(obj, child) if isinstance(child, Q) else _lookup_holds(obj, *child) for child in q.children]
    value = all(results) if q.connector == Q.AND else any(results)
    return not value if q.negated else value


def _lookup_holds(obj, path: str, expected) -> bool:
    parts = path.split("__")
    lookup = parts.pop() if parts[-1] in _LOOKUPS else "exact"
    value = obj
    for index, name in enumerate(parts):
        if value is None:
            break
        model_field = value._meta.get_field(name)
        last = index == len(parts) - 1
        # A relation compared as a whole compares its key (test="ana" is test_id = 'ana').
        value = getattr(value, model_field.attname if last and model_field.is_relation else name)
    if isinstance(expected, F):
        expected = getattr(obj, expected.name)
    return _LOOKUPS[lookup](value, expected)
