"""The statistics of api.md, over the cases a filter selects.

Each is counted by PostgreSQL (never by loading case documents), so it costs the
same few queries for ten cases or a hundred thousand. ``total``: the number of
selected cases when the caller has counted them already (the cohort page shows
every statistic of one selection and counts it once). A case or a course counts
for its concept and for every concept above it (a finger for hand and
upper_limb, alendronate for bisphosphonate): the vocabularies' materialised
paths give the ancestors, joined by prefix, which the ORM cannot express; the
selected cases come in as the SQL of the filtered queryset.
"""

import math

import django_filters as filters
from django.db.models import Count

from cases.criteria import STATUSES
from cases.document.writer import GREAT_AGE, GREAT_AGE_TEXT
from cases.filters import CaseFilterSet
from cases.models import (
    Agent,
    Assessment,
    AssessmentScore,
    CalcinosisSite,
    Case,
    CriteriaResult,
    Instrument,
    Region,
    SerologyResult,
    SerologyTest,
    TreatmentCourse,
)
from cases.models.choices import CalcinosisCourse, CaseSex, Indication, Response, ResponseScope, SerologyOutcome
from cases.models.criteria import CRITERIA_SET_CHOICES
from cases.selection import found_once, rows_of_selected
from registry.db import reading_connection


def _rows(sql: str, params) -> list[tuple]:
    # Where the ORM's count of the same selection reads: a replica for a request that only reads.
    with reading_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _selected_rows(cases, model, columns: str, where: str = "", extra=()) -> tuple[str, list]:
    """``WITH r AS (…)``: the selected cases' rows of ``model``, as ``r``.

    A selection found once by its ids is fenced (``MATERIALIZED``): its rows are read first through the case
    index, then joined and grouped. Left to choose, PostgreSQL sometimes read every row of each concept in the
    registry and matched them to the selection afterwards, which grows with the registry, not the selection.
    A selection given by its filters (the whole registry, or most of it) is left to the planner, which
    reads such a share of a table best in one scan.
    """
    selected, params = rows_of_selected(cases)
    fence = "MATERIALIZED " if found_once(cases) else ""
    condition = f" AND {where}" if where else ""
    return (
        f"WITH r AS {fence}(SELECT {columns} FROM {model._meta.db_table} WHERE {selected}{condition})",
        [*params, *extra],
    )


def _up_the_tree(vocabulary, code_column: str) -> str:
    # Each row joined to its own concept and to every concept above it through the vocabulary's pairs
    # (concept, itself or an ancestor): a few hundred pairs hashed once. Joined by path prefix row by row,
    # PostgreSQL tested every concept against every row (seconds for a hundred thousand courses).
    table = vocabulary._meta.db_table
    return (
        f"FROM r JOIN (SELECT leaf.code AS leaf, up.code, up.path FROM {table} leaf "
        f"JOIN {table} up ON starts_with(leaf.path, up.path)) up ON up.leaf = r.{code_column}"
    )


def calcinosis_sites(cases, *, total: int | None = None) -> dict:
    """Cases with calcinosis at each region; a case counts once per region and once per ancestor."""
    total = cases.count() if total is None else total
    chosen, params = _selected_rows(cases, CalcinosisSite, "DISTINCT case_id, region_id")
    # Distinct (case, region) pairs first: a hash, where count(DISTINCT) per region would sort every pair.
    counts = dict(
        _rows(
            f"{chosen} SELECT code, count(*) FROM (SELECT DISTINCT r.case_id, up.code "
            f"{_up_the_tree(Region, 'region_id')}) pair GROUP BY code",
            params,
        )
    )
    regions = Region.objects.filter(code__in=counts).order_by("path")
    return {
        "cases": total,
        "regions": [
            {
                "region": region.code,
                "label": region.label,
                "parent": region.parent_id,
                "cases": counts[region.code],
                "proportion": round(counts[region.code] / total, 4) if total else 0.0,
            }
            for region in regions
        ],
    }


# ---- treatment responses (clinical-v2.md §1) --------------------------------------------------------------

# ``indication=any``: the courses of every indication (only on this statistic; elsewhere it is no indication).
ANY_INDICATION = "any"
# What the statistic counts unless ``indication`` says otherwise: a drug given for reflux is no calcinosis treatment.
COUNTED_INDICATION = Indication.CALCINOSIS
RESPONDED = (Response.COMPLETE, Response.PARTIAL)
Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile


class TreatmentResponseFilterSet(CaseFilterSet):
    """The case filters; ``indication`` also picks the courses counted here, and takes ``any``.

    Like on every endpoint, a given ``indication`` selects the cases with a course of it (of ``agent``'s,
    when given); here it also selects the courses counted, which are calcinosis courses when it is not given.
    """

    indication = filters.ChoiceFilter(
        choices=[(ANY_INDICATION, "Any indication"), *Indication.choices],
        method="filter_noop",
        label="Indication of the courses counted (default calcinosis; any: every course); "
        "with agent, of the same course",
        error_messages={
            "invalid_choice": f"Unknown value '%(value)s'; one of: {', '.join([ANY_INDICATION, *Indication.values])}."
        },
    )

    def _treatments(self, queryset, data):
        if data.get("indication") == ANY_INDICATION:
            data = {**data, "indication": ""}  # any indication leaves no case out
        return super()._treatments(queryset, data)


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> list[float] | None:
    """The Wilson score interval of a proportion, ``[low, high]``; None without a trial.

    Unlike p ± z·SE it stays within 0 and 1 and keeps its coverage for the handful of courses a
    rare disease gives (1 responder of 1 course: 0.21 to 1, not 1 to 1).
    """
    if not trials:
        return None
    p = successes / trials
    spread = z * z / trials
    centre = (p + spread / 2) / (1 + spread)
    half = z * math.sqrt(p * (1 - p) / trials + spread / (4 * trials)) / (1 + spread)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def _response_counts() -> dict[str, int]:
    return dict.fromkeys(Response.values, 0)


def treatment_responses(cases, *, indication: str = "", agent=(), total: int | None = None) -> dict:
    """Per agent, and per class for its own and its members' courses: the courses given for ``indication``.

    ``responses`` counts the courses whose response is the agent's own (``response_scope=agent``);
    ``regimen_responses`` the courses that carry their regimen's one outcome, which is no agent's, so
    they never enter ``assessed``, ``responders`` or the proportion. ``agent`` (the filter's concepts)
    keeps the rows of those agents and their members, not every drug of the cases that had them.
    """
    total = cases.count() if total is None else total
    indication = indication or COUNTED_INDICATION
    counted = "" if indication == ANY_INDICATION else "indication = %s"
    chosen, params = _selected_rows(
        cases, TreatmentCourse, "case_id, agent_id, response_scope, response", counted, [indication] if counted else []
    )
    wanted = ""
    if agent:
        wanted = (
            f"WHERE EXISTS (SELECT 1 FROM {Agent._meta.db_table} asked "
            "WHERE asked.code = ANY(%s) AND starts_with(up.path, asked.path))"
        )
        params.append([concept.code for concept in agent])
    rows = _rows(
        f"{chosen} SELECT up.code, r.response_scope, r.response, count(*), count(DISTINCT r.case_id), "
        f"GROUPING(r.response) {_up_the_tree(Agent, 'agent_id')} {wanted} "
        "GROUP BY GROUPING SETS ((up.code, r.response_scope, r.response), (up.code))",
        params,
    )
    per_agent: dict[str, dict] = {}
    for code, scope, response, courses, case_count, is_total in rows:
        entry = per_agent.setdefault(
            code, {"courses": 0, "cases": 0, "responses": _response_counts(), "regimen_responses": _response_counts()}
        )
        if is_total:
            entry["courses"], entry["cases"] = courses, case_count
        else:
            entry["responses" if scope == ResponseScope.AGENT else "regimen_responses"][response] = courses
    agents = Agent.objects.filter(code__in=per_agent).annotate(members=Count("children")).order_by("path")
    return {
        "cases": total,
        "agents": [
            {
                "agent": concept.code,
                "label": concept.label,
                "parent": concept.parent_id,
                "is_class": concept.members > 0,
                **per_agent[concept.code],
                **_responders(per_agent[concept.code]["responses"]),
            }
            for concept in agents
        ],
        # Last, after the rows: the README's quickstart promises an answer that opens with cases and agents.
        "indication": indication,
    }


def _responders(responses: dict[str, int]) -> dict:
    """Responders among the agent-scope courses whose outcome was assessed."""
    assessed = sum(responses.values()) - responses[Response.NOT_ASSESSED]
    responders = sum(responses[code] for code in RESPONDED)
    return {
        "assessed": assessed,
        "responders": responders,
        "responder_proportion": round(responders / assessed, 4) if assessed else None,
        "responder_ci95": wilson_interval(responders, assessed),
    }


def serology(cases, *, total: int | None = None) -> dict:
    """Per test: how many cases had each result, and how many have none recorded."""
    total = cases.count() if total is None else total
    chosen, params = _selected_rows(cases, SerologyResult, "case_id, test_id, result")
    rows = _rows(
        f"{chosen} SELECT r.test_id, r.result, count(DISTINCT r.case_id), GROUPING(r.result) FROM r "
        "GROUP BY GROUPING SETS ((r.test_id, r.result), (r.test_id))",
        params,
    )
    by_test: dict[str, dict[str, int]] = {}
    for test, result, case_count, is_total in rows:
        entry = by_test.setdefault(test, {**dict.fromkeys(SerologyOutcome.values, 0), "not_recorded": total})
        if is_total:
            entry["not_recorded"] = total - case_count
        else:
            entry[result] = case_count
    return {
        "cases": total,
        "tests": [
            {"test": test.code, "label": test.label, **by_test[test.code]}
            for test in SerologyTest.objects.filter(code__in=by_test)
        ],
    }


def criteria(cases, *, total: int | None = None) -> dict:
    """Per classification criteria set: the selected cases computed met, not met and indeterminate."""
    total = cases.count() if total is None else total
    chosen, params = _selected_rows(cases, CriteriaResult, "criteria_set, status")
    rows = _rows(f"{chosen} SELECT r.criteria_set, r.status, count(*) FROM r GROUP BY r.criteria_set, r.status", params)
    counts = {(code, status): number for code, status, number in rows}
    return {
        "cases": total,
        "sets": [
            {"set": code, "label": label, **{status: counts.get((code, status), 0) for status in STATUSES}}
            for code, label in CRITERIA_SET_CHOICES
        ],
    }


# ---- follow-up (clinical-v2.md §2) --------------------------------------------------------------------------

# The bands of months from presentation, each as (name, last month in it). A band takes the months above
# the end of the band before it up to its own end, so a fractional month goes to the band after the whole
# month below it: 0.5 to 1-6, 6.5 to 7-12, 24.5 to >24. Only month 0 itself is "at presentation".
FOLLOW_UP_BANDS: list[tuple[str, int | None]] = [("0", 0), ("1-6", 6), ("7-12", 12), ("13-24", 24), (">24", None)]
QUARTILES = (0.25, 0.5, 0.75)


def _band_sql(months: str) -> str:
    """The index in FOLLOW_UP_BANDS of the band of ``months`` (a column), as SQL."""
    ends = [end for _, end in FOLLOW_UP_BANDS if end is not None]
    whens = " ".join(f"WHEN {months} <= {end} THEN {index}" for index, end in enumerate(ends))
    return f"CASE {whens} ELSE {len(ends)} END"


def _band_limits(index: int) -> dict:
    name, end = FOLLOW_UP_BANDS[index]
    return {"band": name, "above_months": FOLLOW_UP_BANDS[index - 1][1] if index else None, "up_to_months": end}


def follow_up(cases, *, total: int | None = None) -> dict:
    """Assessments per calcinosis course in bands of months, and per instrument its quartiles in each band.

    Every assessment and every score counts (a case seen twice in a band counts twice); ``cases`` says how
    many cases they came from. Quartiles are PostgreSQL's ``percentile_cont`` (linear interpolation).
    """
    total = cases.count() if total is None else total
    chosen, params = _selected_rows(
        cases, Assessment, f"id, case_id, calcinosis_course, {_band_sql('months_from_presentation')} AS band"
    )
    visits = _rows(
        f"{chosen} SELECT band, calcinosis_course, count(*), count(DISTINCT case_id), GROUPING(calcinosis_course) "
        "FROM r GROUP BY GROUPING SETS ((band, calcinosis_course), (band))",
        params,
    )
    bands = [
        {**_band_limits(index), "assessments": 0, "cases": 0, "calcinosis_course": _course_counts()}
        for index in range(len(FOLLOW_UP_BANDS))
    ]
    for band, course, count, case_count, is_total in visits:
        if is_total:
            bands[band]["assessments"], bands[band]["cases"] = count, case_count
        else:
            bands[band]["calcinosis_course"][course] = count
    scores_table = AssessmentScore._meta.db_table
    if found_once(cases):
        # The selected visits' scores by their visit index; joined, PostgreSQL merged them with every score.
        scores_table = f"(SELECT * FROM {scores_table} WHERE assessment_id = ANY(ARRAY(SELECT id FROM r)))"
    scores = _rows(
        f"{chosen} SELECT s.instrument_id, r.band, count(*), count(DISTINCT r.case_id), "
        f"percentile_cont(ARRAY{list(QUARTILES)}) WITHIN GROUP (ORDER BY s.value::float8) "
        f"FROM r JOIN {scores_table} s ON s.assessment_id = r.id GROUP BY 1, 2",
        params,
    )
    per_instrument: dict[str, list[dict]] = {}
    for code, band, count, case_count, (q1, median, q3) in scores:
        series = per_instrument.setdefault(code, [_no_scores(index) for index in range(len(FOLLOW_UP_BANDS))])
        series[band].update(scores=count, cases=case_count, q1=_plain(q1), median=_plain(median), q3=_plain(q3))
    return {
        "cases": total,
        "bands": bands,
        "instruments": [
            {
                "instrument": instrument.code,
                "label": instrument.label,
                "higher_is_worse": instrument.higher_is_worse,
                "bands": per_instrument[instrument.code],
            }
            for instrument in Instrument.objects.filter(code__in=per_instrument)
        ],
    }


def _course_counts() -> dict[str, int]:
    return dict.fromkeys(CalcinosisCourse.values, 0)


def _no_scores(index: int) -> dict:
    return {"band": FOLLOW_UP_BANDS[index][0], "scores": 0, "cases": 0, "median": None, "q1": None, "q3": None}


def _plain(value: float) -> float:
    # Interpolation of scores in steps of 0.1 or 0.125 gives binary noise (3.4000000000000004).
    return round(value, 4)


# ---- demographics (the cohort page) --------------------------------------------------------------------------

AGE_BAND_YEARS = 10


def demographics(cases, *, deidentified: bool, total: int | None = None) -> dict:
    """Cases per decade of age at presentation, and per sex, in one pass over the selected cases.

    ``deidentified``: for a reader without identifiers every age from 90 is one band, "90+", as their
    documents say it; a band of 100-109 would single out the oldest cases.
    """
    total = cases.count() if total is None else total
    selected, params = rows_of_selected(cases, "c.id")
    # Constants, not parameters: GROUPING() must repeat the grouped expression word for word.
    band = f"c.age_at_presentation / {AGE_BAND_YEARS}"
    if deidentified:
        band = f"LEAST({band}, {GREAT_AGE // AGE_BAND_YEARS})"
    rows = _rows(
        f"SELECT {band}, c.sex, count(*), GROUPING({band}) FROM {Case._meta.db_table} c "
        f"WHERE {selected} GROUP BY GROUPING SETS (({band}), (c.sex))",
        params,
    )
    ages: dict[int | None, int] = {}
    sexes = dict.fromkeys(CaseSex.values, 0)
    for band_index, sex, count, by_sex in rows:
        if by_sex:
            sexes[sex] = count
        else:
            ages[band_index] = count
    known = [index for index in ages if index is not None]
    last = max([GREAT_AGE // AGE_BAND_YEARS - 1, *known])
    return {
        "cases": total,
        "ages": [{"band": _age_band(index, deidentified), "cases": ages.get(index, 0)} for index in range(last + 1)]
        + [{"band": "not recorded", "cases": ages.get(None, 0)}],
        "sexes": [{"sex": code, "label": label, "cases": sexes[code]} for code, label in CaseSex.choices],
    }


def _age_band(index: int, deidentified: bool) -> str:
    low = index * AGE_BAND_YEARS
    if deidentified and low >= GREAT_AGE:
        return GREAT_AGE_TEXT
    return f"{low}-{low + AGE_BAND_YEARS - 1}"
