"""The three statistics of api.md, over the cases a filter selects.

Each is counted by PostgreSQL (never by loading case documents), so it costs the
same few queries for ten cases or a hundred thousand. A case or a course counts
for its concept and for every concept above it (a finger for hand and
upper_limb, alendronate for bisphosphonate): the vocabularies' materialised
paths give the ancestors, joined by prefix, which the ORM cannot express; the
selected cases come in as the SQL of the filtered queryset.
"""

from django.db.models import Count

from cases.models import Agent, CalcinosisSite, Region, SerologyResult, SerologyTest, TreatmentCourse
from cases.models.choices import Response, SerologyOutcome
from cases.selection import selected_ids_sql
from registry.db import reading_connection


def _rows(sql: str, params) -> list[tuple]:
    # Where the ORM's count of the same selection reads: a replica for a request that only reads.
    with reading_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _up_the_tree(rows_model, code_column: str, vocabulary) -> str:
    # Each row joined to its own concept and to every concept whose path its path starts with.
    return (
        f"FROM {rows_model._meta.db_table} r "
        f"JOIN {vocabulary._meta.db_table} leaf ON leaf.code = r.{code_column} "
        f"JOIN {vocabulary._meta.db_table} up ON starts_with(leaf.path, up.path)"
    )


def calcinosis_sites(cases) -> dict:
    """Cases with calcinosis at each region; a case counts once per region and once per ancestor."""
    total = cases.count()
    selected, params = selected_ids_sql(cases)
    counts = dict(
        _rows(
            f"SELECT up.code, count(DISTINCT r.case_id) {_up_the_tree(CalcinosisSite, 'region_id', Region)} "
            f"WHERE r.case_id IN ({selected}) GROUP BY up.code",
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


def treatment_responses(cases) -> dict:
    """Per agent, and per class for the courses of its members: courses, cases and responses."""
    total = cases.count()
    selected, params = selected_ids_sql(cases)
    rows = _rows(
        f"SELECT up.code, r.response, count(*), count(DISTINCT r.case_id), GROUPING(r.response) "
        f"{_up_the_tree(TreatmentCourse, 'agent_id', Agent)} "
        f"WHERE r.case_id IN ({selected}) GROUP BY GROUPING SETS ((up.code, r.response), (up.code))",
        params,
    )
    per_agent: dict[str, dict] = {}
    for code, response, courses, case_count, is_total in rows:
        entry = per_agent.setdefault(code, {"courses": 0, "cases": 0, "responses": dict.fromkeys(Response.values, 0)})
        if is_total:
            entry["courses"], entry["cases"] = courses, case_count
        else:
            entry["responses"][response] = courses
    agents = Agent.objects.filter(code__in=per_agent).annotate(members=Count("children")).order_by("path")
    return {
        "cases": total,
        "agents": [
            {
                "agent": agent.code,
                "label": agent.label,
                "parent": agent.parent_id,
                "is_class": agent.members > 0,
                **per_agent[agent.code],
            }
            for agent in agents
        ],
    }


def serology(cases) -> dict:
    """Per test: how many cases had each result, and how many have none recorded."""
    total = cases.count()
    selected, params = selected_ids_sql(cases)
    rows = _rows(
        f"SELECT r.test_id, r.result, count(DISTINCT r.case_id), GROUPING(r.result) "
        f"FROM {SerologyResult._meta.db_table} r WHERE r.case_id IN ({selected}) "
        f"GROUP BY GROUPING SETS ((r.test_id, r.result), (r.test_id))",
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
