"""The three statistics of api.md, over the cases a filter selects.

Each is counted in the database or from narrow value lists (never by loading
case documents), so it costs the same few queries for ten cases or ten thousand.
"""

from collections import defaultdict

from django.db.models import Count

from cases.models import Agent, CalcinosisSite, Region, SerologyResult, SerologyTest, TreatmentCourse
from cases.models.children import Response, SerologyOutcome


def _ancestors(path: str) -> list[str]:
    # "upper_limb/hand/finger/" → ["upper_limb", "hand", "finger"]
    return [code for code in path.split("/") if code]


def calcinosis_sites(cases) -> dict:
    """Cases with calcinosis at each region; a case counts once per region and once per ancestor."""
    total = cases.count()
    pairs = (
        CalcinosisSite.objects.filter(case__in=cases.order_by())
        .values_list("case_id", "region__path")
        .distinct()
    )
    cases_at: dict[str, set] = defaultdict(set)
    for case_id, path in pairs:
        for code in _ancestors(path):
            cases_at[code].add(case_id)
    regions = Region.objects.filter(code__in=cases_at).order_by("path")
    return {
        "cases": total,
        "regions": [
            {
                "region": region.code,
                "label": region.label,
                "parent": region.parent_id,
                "cases": len(cases_at[region.code]),
                "proportion": round(len(cases_at[region.code]) / total, 4) if total else 0.0,
            }
            for region in regions
        ],
    }


def treatment_responses(cases) -> dict:
    """Per agent, and per class for the courses of its members: courses, cases and responses."""
    total = cases.count()
    rows = (
        TreatmentCourse.objects.filter(case__in=cases.order_by())
        .values_list("case_id", "agent__path", "response")
    )
    courses: dict[str, int] = defaultdict(int)
    case_sets: dict[str, set] = defaultdict(set)
    responses: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Response.values, 0))
    for case_id, path, response in rows:
        for code in _ancestors(path):
            courses[code] += 1
            case_sets[code].add(case_id)
            responses[code][response] += 1
    agents = Agent.objects.filter(code__in=courses).annotate(members=Count("children")).order_by("path")
    return {
        "cases": total,
        "agents": [
            {
                "agent": agent.code,
                "label": agent.label,
                "parent": agent.parent_id,
                "is_class": agent.members > 0,
                "courses": courses[agent.code],
                "cases": len(case_sets[agent.code]),
                "responses": responses[agent.code],
            }
            for agent in agents
        ],
    }


def serology(cases) -> dict:
    """Per test: how many cases had each result, and how many have none recorded."""
    total = cases.count()
    counts = (
        SerologyResult.objects.filter(case__in=cases.order_by())
        .values("test", "result")
        .annotate(cases=Count("case", distinct=True))
    )
    tested = (
        SerologyResult.objects.filter(case__in=cases.order_by())
        .values("test")
        .annotate(cases=Count("case", distinct=True))
    )
    by_test: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SerologyOutcome.values, 0))
    for row in counts:
        by_test[row["test"]][row["result"]] = row["cases"]
    recorded = {row["test"]: row["cases"] for row in tested}
    tests = SerologyTest.objects.filter(code__in=by_test)
    return {
        "cases": total,
        "tests": [
            {"test": test.code, "label": test.label, **by_test[test.code], "not_recorded": total - recorded[test.code]}
            for test in tests
        ],
    }
