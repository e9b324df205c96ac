"""The floor: the SQL that returns the same rows or numbers as each operation, run through psycopg.

Written as a PostgreSQL user would write it by hand: the same EXISTS filters
on the same indexes, the page by ``registry_id`` with LIMIT, aggregates done in
the database, exports as ``COPY (…) TO STDOUT``. Nothing here is cached
between runs; every statement's rows are fetched to the client.
"""

import time
from collections.abc import Callable

import psycopg

# The lists of a case document (second edition), and the lists inside its assessments.
CHILD_TABLES = (
    "cases_diagnosis",
    "cases_clinicalfeature",
    "cases_serologyresult",
    "cases_labresult",
    "cases_calcinosissite",
    "cases_treatmentcourse",
    "cases_biopsy",
    "cases_assessment",
)
ASSESSMENT_TABLES = ("cases_assessmentscore", "cases_sitefinding")


_VOCABULARY = {
    "condition": "cases_condition",
    "primary_condition": "cases_condition",
    "region": "cases_region",
    "agent": "cases_agent",
}


def codes_below(cursor, table: str, code: str) -> list[str]:
    """The code and its descendants, by the materialised path (what the filterset resolves first too)."""
    cursor.execute(
        f"SELECT code FROM {table} WHERE path LIKE (SELECT path FROM {table} WHERE code = %s) || '%%'", [code]
    )
    return [row[0] for row in cursor.fetchall()]


def where(cursor, filters: dict) -> tuple[str, list]:
    """The case filters the benchmark uses, as the filterset applies them (code or any descendant)."""
    clauses, params = ["TRUE"], []
    for name, value in filters.items():
        if name in _VOCABULARY:
            params.append(codes_below(cursor, _VOCABULARY[name], value))
        else:
            params.append(value)
        if name in ("condition", "primary_condition"):
            primary = " AND d.is_primary" if name == "primary_condition" else ""
            clauses.append(
                f"EXISTS (SELECT 1 FROM cases_diagnosis d WHERE d.case_id = c.id{primary} AND d.condition_id = ANY(%s))"
            )
        elif name == "positive":
            clauses.append(
                "EXISTS (SELECT 1 FROM cases_serologyresult s WHERE s.case_id = c.id AND s.test_id = %s "
                "AND s.result = 'positive')"
            )
        elif name == "region":
            clauses.append(
                "EXISTS (SELECT 1 FROM cases_calcinosissite cs WHERE cs.case_id = c.id AND cs.region_id = ANY(%s))"
            )
        elif name == "criteria_met":
            clauses.append(
                "EXISTS (SELECT 1 FROM cases_criteriaresult r WHERE r.case_id = c.id AND r.criteria_set = %s "
                "AND r.status = 'met')"
            )
        elif name == "agent":
            clauses.append(
                "EXISTS (SELECT 1 FROM cases_treatmentcourse t WHERE t.case_id = c.id AND t.agent_id = ANY(%s))"
            )
        else:
            raise ValueError(f"no SQL for the filter {name}")
    return " AND ".join(clauses), params


def _children(cursor, case_ids: list[int]) -> int:
    rows = 0
    for table in CHILD_TABLES:
        cursor.execute(f"SELECT * FROM {table} WHERE case_id = ANY(%s) ORDER BY id", [case_ids])
        rows += len(cursor.fetchall())
    for table in ASSESSMENT_TABLES:
        cursor.execute(
            f"SELECT x.* FROM {table} x JOIN cases_assessment a ON a.id = x.assessment_id "
            "WHERE a.case_id = ANY(%s) ORDER BY x.id",
            [case_ids],
        )
        rows += len(cursor.fetchall())
    cursor.execute(
        "SELECT t.treatment_id, t.site_id FROM cases_treatmenttarget t "
        "JOIN cases_treatmentcourse tc ON tc.id = t.treatment_id WHERE tc.case_id = ANY(%s)",
        [case_ids],
    )
    return rows + len(cursor.fetchall())


_CASE_ROW = (
    "SELECT c.*, si.code AS site_code, p.doi, p.pmid, p.title, p.journal, p.year, p.authors, p.citation "
    "FROM cases_case c JOIN cases_site si ON si.id = c.site_id LEFT JOIN cases_publication p ON p.id = c.publication_id"
)


def case_page(filters: dict, page_size: int) -> Callable:
    """A page of whole case documents and the count of all matching cases."""

    def run(cursor):
        condition, params = where(cursor, filters)
        cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {condition}", params)
        cursor.fetchone()
        cursor.execute(f"{_CASE_ROW} WHERE {condition} ORDER BY c.registry_id LIMIT %s", [*params, page_size])
        cases = cursor.fetchall()
        return len(cases) + _children(cursor, [row[0] for row in cases])

    return run


def criteria_stats(filters: dict) -> Callable:
    """Per set and status, the selected cases (stats/criteria/)."""

    def run(cursor):
        condition, params = where(cursor, filters)
        cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {condition}", params)
        cursor.fetchone()
        cursor.execute(
            "SELECT r.criteria_set, r.status, count(*) FROM cases_criteriaresult r "
            f"WHERE r.case_id IN (SELECT c.id FROM cases_case c WHERE {condition}) GROUP BY 1, 2",
            params,
        )
        return len(cursor.fetchall())

    return run


def case_document(registry_id: str) -> Callable:
    def run(cursor):
        cursor.execute(f"{_CASE_ROW} WHERE c.registry_id = %s", [registry_id])
        case = cursor.fetchone()
        return 1 + _children(cursor, [case[0]])

    return run


def case_list_rows(filters: dict, page_size: int, capped_count: int | None = None) -> Callable:
    """A list page as the admin and browser lists show it: case columns, site, primary condition, count."""

    def run(cursor):
        condition, params = where(cursor, filters)
        if capped_count:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM cases_case c WHERE {condition} LIMIT %s) capped",
                [*params, capped_count + 1],
            )
        else:
            cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {condition}", params)
        cursor.fetchone()
        cursor.execute(
            "SELECT c.registry_id, si.name, c.source, c.sex, c.age_at_presentation, c.status, c.updated_at, "
            "c.calcinosis_extent, d.condition_id FROM cases_case c JOIN cases_site si ON si.id = c.site_id "
            f"LEFT JOIN cases_diagnosis d ON d.case_id = c.id AND d.is_primary WHERE {condition} "
            "ORDER BY c.registry_id LIMIT %s",
            [*params, page_size],
        )
        return len(cursor.fetchall())

    return run


def _chosen(column: str, condition: str) -> str:
    # The whole registry needs no semi-join at all.
    return "TRUE" if condition == "TRUE" else f"{column} IN (SELECT c.id FROM cases_case c WHERE {condition})"


# Each concept with itself and every ancestor: a hundred rows, joined by hash.
_ANCESTORS = (
    "SELECT leaf.code AS leaf, up.code AS ancestor FROM {table} leaf JOIN {table} up ON leaf.path LIKE up.path || '%%'"
)


def calcinosis_site_stats(filters: dict) -> Callable:
    """Cases per region, each case once per region and once per ancestor region."""

    def run(cursor):
        condition, params = where(cursor, filters)
        cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {condition}", params)
        cursor.fetchone()
        cursor.execute(
            f"""
            WITH ancestors AS ({_ANCESTORS.format(table="cases_region")}),
                 pairs AS (SELECT DISTINCT cs.case_id, m.ancestor FROM cases_calcinosissite cs
                           JOIN ancestors m ON m.leaf = cs.region_id
                           WHERE {_chosen("cs.case_id", condition)})
            SELECT r.code, r.label, r.parent_id, n.cases
            FROM (SELECT ancestor, count(*) AS cases FROM pairs GROUP BY ancestor) n
            JOIN cases_region r ON r.code = n.ancestor ORDER BY r.path
            """,
            params,
        )
        return len(cursor.fetchall())

    return run


RESPONSES = ("complete", "partial", "not_complete", "none", "progression", "not_assessed")


def treatment_response_stats(filters: dict) -> Callable:
    """Per agent and agent class, over the courses given for the calcinosis (the statistic's default, api.md second
    edition): courses, cases, and the count of each response, agent-scope and regimen-scope apart."""
    counts = ", ".join(
        f"count(*) FILTER (WHERE response_scope = '{scope}' AND response = '{response}')"
        for scope in ("agent", "regimen")
        for response in RESPONSES
    )

    def run(cursor):
        condition, params = where(cursor, filters)
        cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {condition}", params)
        cursor.fetchone()
        cursor.execute(
            f"""
            WITH ancestors AS ({_ANCESTORS.format(table="cases_agent")}),
                 courses AS (
                    SELECT m.ancestor, t.case_id, t.response, t.response_scope
                    FROM cases_treatmentcourse t JOIN ancestors m ON m.leaf = t.agent_id
                    WHERE t.indication = 'calcinosis' AND {_chosen("t.case_id", condition)})
            SELECT a.code, a.label, a.parent_id, n.*
            FROM (SELECT ancestor, count(*), count(DISTINCT case_id), {counts} FROM courses GROUP BY ancestor) n
            JOIN cases_agent a ON a.code = n.ancestor ORDER BY a.path
            """,
            params,
        )
        return len(cursor.fetchall())

    return run


def serology_stats(filters: dict) -> Callable:
    """Per test and result, the selected cases; per test, the cases with any result (stats/serology/)."""

    def run(cursor):
        condition, params = where(cursor, filters)
        cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {condition}", params)
        cursor.fetchone()
        cursor.execute(
            "SELECT s.test_id, s.result, count(DISTINCT s.case_id) FROM cases_serologyresult s "
            f"WHERE {_chosen('s.case_id', condition)} GROUP BY GROUPING SETS ((1, 2), (1))",
            params,
        )
        return len(cursor.fetchall())

    return run


def follow_up_stats(filters: dict) -> Callable:
    """Assessments per band of months and calcinosis course; score quartiles per instrument and band."""
    band = "CASE WHEN {m} <= 0 THEN 0 WHEN {m} <= 6 THEN 1 WHEN {m} <= 12 THEN 2 WHEN {m} <= 24 THEN 3 ELSE 4 END"

    def run(cursor):
        condition, params = where(cursor, filters)
        cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {condition}", params)
        cursor.fetchone()
        cursor.execute(
            f"SELECT {band.format(m='a.months_from_presentation')}, a.calcinosis_course, count(*), "
            f"count(DISTINCT a.case_id) FROM cases_assessment a WHERE {_chosen('a.case_id', condition)} "
            "GROUP BY GROUPING SETS ((1, 2), (1))",
            params,
        )
        rows = len(cursor.fetchall())
        cursor.execute(
            f"SELECT s.instrument_id, {band.format(m='a.months_from_presentation')}, count(*), "
            "count(DISTINCT a.case_id), percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY s.value) "
            "FROM cases_assessmentscore s JOIN cases_assessment a ON a.id = s.assessment_id "
            f"WHERE {_chosen('a.case_id', condition)} GROUP BY 1, 2",
            params,
        )
        return rows + len(cursor.fetchall())

    return run


def demographics_stats(filters: dict) -> Callable:
    """The selected cases per decade of age (90+ as one) and per sex, as the cohort page draws them."""

    def run(cursor):
        condition, params = where(cursor, filters)
        cursor.execute(
            "SELECT LEAST(c.age_at_presentation / 10, 9), c.sex, count(*) FROM cases_case c "
            f"WHERE {condition} GROUP BY GROUPING SETS ((1), (2))",
            params,
        )
        return len(cursor.fetchall())

    return run


def cohort_page(filters: dict) -> Callable:
    """Every statistic of the cohort page over one selection, its cases counted once."""
    parts = [
        calcinosis_site_stats(filters),
        treatment_response_stats(filters),
        serology_stats(filters),
        criteria_stats(filters),
        follow_up_stats(filters),
        demographics_stats(filters),
    ]

    def run(cursor):
        # Each part counts the selection; the page counts it once, so the floor is not flattered by the repeats.
        return sum(part(cursor) for part in parts)

    return run


# One row per case with the summary columns of export/cases.csv, de-identified as for a researcher.
CASES_CSV = """
WITH dx AS (SELECT case_id, string_agg(DISTINCT condition_id, ';') AS conditions,
                   max(condition_id) FILTER (WHERE is_primary) AS primary_condition,
                   max(duration_years) FILTER (WHERE is_primary) AS primary_duration
            FROM cases_diagnosis GROUP BY case_id),
     fx AS (SELECT case_id, string_agg(feature_id, ';' ORDER BY id) FILTER (WHERE status = 'present') AS present,
                   string_agg(feature_id, ';' ORDER BY id) FILTER (WHERE status = 'absent') AS absent
            FROM cases_clinicalfeature GROUP BY case_id),
     sx AS (SELECT case_id, string_agg(test_id, ';' ORDER BY id) FILTER (WHERE result = 'positive') AS positive,
                   string_agg(test_id, ';' ORDER BY id) FILTER (WHERE result = 'negative') AS negative
            FROM cases_serologyresult GROUP BY case_id),
     rx AS (SELECT case_id, string_agg(DISTINCT region_id, ';') AS regions FROM cases_calcinosissite GROUP BY case_id),
     tx AS (SELECT case_id, string_agg(DISTINCT agent_id, ';') AS agents,
                   string_agg(agent_id || ':' || response, ';' ORDER BY id) AS responses
            FROM cases_treatmentcourse GROUP BY case_id),
     dxa AS ({up}),
     rxa AS ({up_regions}),
     txa AS ({up_agents}),
     cr AS (SELECT case_id, max(status) FILTER (WHERE criteria_set = 'acr_eular_2013_ssc') AS ssc,
                   max(status) FILTER (WHERE criteria_set = 'acr_eular_2016_sjogren') AS sjogren,
                   max(status) FILTER (WHERE criteria_set = 'eular_acr_2019_sle') AS sle,
                   max(status) FILTER (WHERE criteria_set = 'eular_acr_2017_iim') AS iim
            FROM cases_criteriaresult GROUP BY case_id)
SELECT c.registry_id, c.version, si.code AS site, c.source, p.doi, p.pmid, p.title, p.journal, p.year, p.authors,
       p.citation, ps.doi AS publication_summarises, c.sex,
       CASE WHEN c.age_at_presentation >= 90 THEN '90+' ELSE c.age_at_presentation::text END AS age_at_presentation,
       CASE WHEN c.calcinosis_onset_age >= 90 THEN '90+' ELSE c.calcinosis_onset_age::text END AS calcinosis_onset_age,
       c.country, c.consent, array_to_string(c.consent_scope, ';') AS consent_scope,
       extract(year FROM c.consent_on)::int AS consent_on, c.calcinosis_etiology, c.calcinosis_extent, c.status,
       dx.primary_condition, dx.primary_duration, dx.conditions, fx.present, fx.absent, sx.positive, sx.negative,
       rx.regions, tx.agents, tx.responses, dxa.codes AS conditions_with_ancestors,
       rxa.codes AS calcinosis_regions_with_ancestors, txa.codes AS agents_with_ancestors,
       cr.ssc, cr.sjogren, cr.sle, cr.iim,
       CASE WHEN c.source = 'literature' THEN c.summary ELSE '' END AS summary,
       extract(year FROM c.verified_at)::int AS verified_at, extract(year FROM c.created_at)::int AS created_at,
       extract(year FROM c.updated_at)::int AS updated_at
FROM cases_case c JOIN cases_site si ON si.id = c.site_id LEFT JOIN cases_publication p ON p.id = c.publication_id
LEFT JOIN cases_publication ps ON ps.id = p.summarises_id
LEFT JOIN dx ON dx.case_id = c.id LEFT JOIN fx ON fx.case_id = c.id LEFT JOIN sx ON sx.case_id = c.id
LEFT JOIN rx ON rx.case_id = c.id LEFT JOIN tx ON tx.case_id = c.id
LEFT JOIN dxa ON dxa.case_id = c.id LEFT JOIN rxa ON rxa.case_id = c.id LEFT JOIN txa ON txa.case_id = c.id
LEFT JOIN cr ON cr.case_id = c.id
ORDER BY c.registry_id
"""
# Every code of a case's rows with its ancestors, read off the concepts' paths ("upper_limb/hand/finger/…/").
_WITH_ANCESTORS = (
    "SELECT x.case_id, string_agg(DISTINCT step, ';') AS codes FROM {table} x JOIN {vocabulary} v ON v.code = x.{column} "
    "CROSS JOIN LATERAL unnest(string_to_array(rtrim(v.path, '/'), '/')) step GROUP BY x.case_id"
)
CASES_CSV = CASES_CSV.format(
    up=_WITH_ANCESTORS.format(table="cases_diagnosis", vocabulary="cases_condition", column="condition_id"),
    up_regions=_WITH_ANCESTORS.format(table="cases_calcinosissite", vocabulary="cases_region", column="region_id"),
    up_agents=_WITH_ANCESTORS.format(table="cases_treatmentcourse", vocabulary="cases_agent", column="agent_id"),
)

# tables.zip: the cases file above and one file per list keyed by registry_id (the courses with the ids of the
# sites they targeted, the scores and lesion findings with their visit).
_TREATMENT_SITES = (
    "(SELECT string_agg(tt.site_id::text, ';' ORDER BY tt.site_id) FROM cases_treatmenttarget tt "
    "WHERE tt.treatment_id = t.id) AS site_ids"
)
TABLE_COPIES = (
    [CASES_CSV]
    + [
        f"SELECT c.registry_id, t.*{', ' + _TREATMENT_SITES if table == 'cases_treatmentcourse' else ''} "
        f"FROM {table} t JOIN cases_case c ON c.id = t.case_id ORDER BY c.registry_id, t.id"
        for table in CHILD_TABLES
    ]
    + [
        f"SELECT c.registry_id, t.* FROM {table} t JOIN cases_assessment a ON a.id = t.assessment_id "
        "JOIN cases_case c ON c.id = a.case_id ORDER BY c.registry_id, a.months_from_presentation, a.id, t.id"
        for table in ASSESSMENT_TABLES
    ]
    # criteria.csv: the stored results, four rows a case (tables.zip counts them, so the floor copies them).
    + [
        "SELECT c.registry_id, r.criteria_set, r.status, r.score, r.max_possible, r.category "
        "FROM cases_criteriaresult r JOIN cases_case c ON c.id = r.case_id ORDER BY c.registry_id, r.criteria_set"
    ]
)


def copy_out(queries: list[str]) -> Callable:
    """``COPY (…) TO STDOUT`` in CSV, every byte read by the client; returns the rows copied."""

    def run(cursor):
        rows = 0
        for query in queries:
            with cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for _data in copy:
                    pass
            rows += cursor.rowcount
        return rows

    return run


def timed(connection: psycopg.Connection, run: Callable) -> tuple[float, int]:
    """Seconds and rows of one run, in a read-only transaction of its own."""
    with connection.cursor() as cursor:
        started = time.perf_counter()
        rows = run(cursor)
        seconds = time.perf_counter() - started
    connection.rollback()
    return seconds, rows


def _insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> list[int]:
    if not rows:
        return []
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} RETURNING id",
        [value for row in rows for value in row],
    )
    return [row[0] for row in cursor.fetchall()]


# Each list's table and columns, with the default the services write for a field the document leaves out
# (Django's model defaults are not column defaults: a raw INSERT names every column that needs a value).
CHILD_INSERTS = {
    "diagnoses": (
        "cases_diagnosis",
        {
            "condition_id": None,
            "is_primary": False,
            "certainty": "confirmed",
            "age_at_onset": None,
            "age_at_diagnosis": None,
            "duration_years": None,
            "duration_basis": "unstated",
            "criteria_stated": [],
            "notes": "",
        },
    ),
    "features": ("cases_clinicalfeature", {"feature_id": None, "status": None, "timing": "unknown", "notes": ""}),
    "serology": (
        "cases_serologyresult",
        {
            "test_id": None,
            "result": None,
            "method": "unknown",
            "titer": None,
            "pattern_id": None,
            "value": None,
            "unit": "",
            "notes": "",
        },
    ),
    "labs": (
        "cases_labresult",
        {
            "test_id": None,
            "value": None,
            "unit": "",
            "unit_canonical": "",
            "interpretation": "",
            "laterality": None,
            "notes": "",
        },
    ),
    "calcinosis_sites": (
        "cases_calcinosissite",
        {
            "region_id": None,
            "laterality": "unknown",
            "digit_segment": None,
            "methods": None,
            "morphology": "unspecified",
            "depth": "unknown",
            "painful": None,
            "size_mm": None,
            "notes": "",
        },
    ),
    "treatments": (
        "cases_treatmentcourse",
        {
            "agent_id": None,
            "route": "unknown",
            "dose": "",
            "indication": "",
            "stop_reason": "unknown",
            "regimen": "",
            "response": "not_assessed",
            "response_scope": "agent",
            "response_basis": "unstated",
            "size_change_pct": None,
            "notes": "",
        },
    ),
    "biopsies": (
        "cases_biopsy",
        {"tissue": None, "findings": [], "focus_score": None, "notes": ""},
    ),
    "assessments": (
        "cases_assessment",
        {"months_from_presentation": None, "calcinosis_course": "not_assessed", "new_sites": None, "notes": ""},
    ),
}
SCORE_COLUMNS = {"instrument_id": None, "value": None}
FINDING_COLUMNS = {"size_mm": None, "change": "", "painful": None, "pain_nrs": None, "notes": ""}


def _values(row: dict, columns: dict) -> tuple:
    return tuple(row.get(column.removesuffix("_id"), default) for column, default in columns.items())


def insert_case(document: dict, site_id: int, reference: Callable[[], str]) -> Callable:
    """The same case as the API's create, as INSERT statements (one per table) in one committed transaction.

    The audit triggers fire as they do for the API; nothing is validated (nor a lab value's canonical one computed).
    """

    def run(cursor):
        cursor.execute("SELECT nextval('cases_registry_id_seq')")
        registry_id = f"CC-{cursor.fetchone()[0]:06d}"
        cursor.execute(
            "INSERT INTO cases_case (registry_id, site_id, source, local_reference, sex, age_at_presentation, "
            "country, consent, consent_scope, consent_on, ethics_reference, calcinosis_etiology, calcinosis_extent, "
            "summary, status, status_reason, version, created_at, updated_at) "
            "VALUES (%s, %s, 'clinic', %s, %s, %s, '', %s, %s, %s, '', %s, %s, %s, %s, '', 1, now(), now()) "
            "RETURNING id",
            [
                registry_id,
                site_id,
                reference(),
                document["sex"],
                document["age_at_presentation"],
                document["consent"],
                document.get("consent_scope", []),
                document.get("consent_on"),
                document["calcinosis_etiology"],
                document["calcinosis_extent"],
                document["summary"],
                document["status"],
            ],
        )
        case_id = cursor.fetchone()[0]
        ids = {}
        for key, (table, columns) in CHILD_INSERTS.items():
            rows = [(case_id, *_values(row, columns)) for row in document.get(key, [])]
            ids[key] = _insert(cursor, table, ["case_id", *columns], rows)
        sites = ids["calcinosis_sites"]
        targets = [
            (treatment_id, sites[index])
            for treatment_id, row in zip(ids["treatments"], document["treatments"], strict=True)
            for index in row.get("site_indexes", [])
        ]
        _insert(cursor, "cases_treatmenttarget", ["treatment_id", "site_id"], targets)
        visits = list(zip(ids["assessments"], document.get("assessments", []), strict=True))
        scores = [(pk, *_values(score, SCORE_COLUMNS)) for pk, visit in visits for score in visit["scores"]]
        _insert(cursor, "cases_assessmentscore", ["assessment_id", *SCORE_COLUMNS], scores)
        findings = [
            (pk, sites[finding["site_index"]], *_values(finding, FINDING_COLUMNS))
            for pk, visit in visits
            for finding in visit["site_findings"]
        ]
        _insert(cursor, "cases_sitefinding", ["assessment_id", "site_id", *FINDING_COLUMNS], findings)
        cursor.connection.commit()
        return 1 + sum(len(v) for v in ids.values()) + len(targets) + len(scores) + len(findings)

    return run


def delete_cases(connection: psycopg.Connection, local_reference_prefix: str) -> int:
    """Remove the cases the benchmark created (the database has no ON DELETE CASCADE: children first)."""
    chosen = "SELECT id FROM cases_case WHERE local_reference LIKE %s"
    like = [local_reference_prefix + "%"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM cases_treatmenttarget WHERE treatment_id IN "
            f"(SELECT id FROM cases_treatmentcourse WHERE case_id IN ({chosen}))",
            like,
        )
        for table in ASSESSMENT_TABLES:  # before the sites their findings name
            cursor.execute(
                f"DELETE FROM {table} WHERE assessment_id IN "
                f"(SELECT id FROM cases_assessment WHERE case_id IN ({chosen}))",
                like,
            )
        # The computed criteria results are rows of the case too (issue 12).
        for table in (*CHILD_TABLES, "cases_criteriaresult"):
            cursor.execute(f"DELETE FROM {table} WHERE case_id IN ({chosen})", like)
        cursor.execute(f"DELETE FROM cases_case WHERE id IN ({chosen})", like)
        deleted = cursor.rowcount
    connection.commit()
    return deleted
