"""The export files written by PostgreSQL itself: ``COPY (SELECT …) TO STDOUT``, streamed.

Building every case document in Python ran at ~600 cases/s, 2% of what COPY
does for the same rows; at a million cases an export took half an hour. The
SELECTs here give the same columns and values as ``cases.documents.case_document``
(de-identified for researchers by the same rules), and
``api/tests/test_export_parity.py`` holds every column to the API document of
the same case, so the two cannot drift apart silently.
"""

from collections.abc import Iterator

from django.db import connection

from cases.documents import DATE_FIELDS
from cases.services.schema import CHILDREN

SEPARATOR = ";"

# Columns of cases.csv, in order. ``identifying`` columns are left out of a researcher's file.
CASE_COLUMNS = [
    "registry_id",
    "version",
    "site",
    "source",
    "publication_doi",
    "publication_pmid",
    "publication_year",
    "publication_title",
    "publication_citation",
    "local_reference",
    "sex",
    "age_at_presentation",
    "country",
    "consent",
    "calcinosis_etiology",
    "calcinosis_extent",
    "status",
    "primary_condition",
    "primary_duration_years",
    "conditions",
    "features_present",
    "features_absent",
    "positive_antibodies",
    "negative_antibodies",
    "calcinosis_regions",
    "agents",
    "agent_responses",
    "summary",
    "verified_at",
    "created_at",
    "updated_at",
]
IDENTIFYING_COLUMNS = {"local_reference"}

_TABLES = {
    "diagnoses": "cases_diagnosis",
    "features": "cases_clinicalfeature",
    "serology": "cases_serologyresult",
    "labs": "cases_labresult",
    "calcinosis_sites": "cases_calcinosissite",
    "treatments": "cases_treatmentcourse",
}
# The order of a case's rows in its document (the models' Meta.ordering).
_ROW_ORDER = {"diagnoses": "(CASE WHEN x.is_primary THEN 0 ELSE 1 END), x.id"}


def _text(expression: str) -> str:
    # An empty text and a missing one are the same empty cell, as in the Python writer.
    return f"NULLIF({expression}, '')"


def _timestamp(expression: str, deidentify: bool) -> str:
    if deidentify:
        return f"extract(year FROM {expression})::int::text"
    # ISO 8601 in UTC exactly as Python's isoformat() writes it: microseconds only when not zero.
    utc = f"({expression} AT TIME ZONE 'UTC')"
    return (
        f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN mod(extract(microseconds FROM {utc})::int, 1000000) <> 0 THEN to_char({utc}, '.US') ELSE '' END "
        "|| '+00:00')"
    )


def _date(expression: str, deidentify: bool) -> str:
    return f"extract(year FROM {expression})::int::text" if deidentify else f"to_char({expression}, 'YYYY-MM-DD')"


def _boolean(expression: str) -> str:
    return f"CASE WHEN {expression} THEN 'true' WHEN NOT {expression} THEN 'false' END"


def _number(expression: str) -> str:
    # 25.0 reads "25" and 6.70 "6.7", as the document's numbers do.
    return f"trim_scale({expression})::text"


def _codes(table: str, column: str, where: str = "", order: str = "x.id") -> str:
    """The distinct codes of a case's rows, in the order they first appear, joined by ';'."""
    return (
        f"(SELECT string_agg(v, '{SEPARATOR}' ORDER BY first) FROM ("
        f"SELECT x.{column} AS v, min(ARRAY[{order}]) AS first FROM {table} x "
        f"WHERE x.case_id = c.id {where} GROUP BY x.{column}) u)"
    )


def _case_select(deidentify: bool) -> dict[str, str]:
    withheld = "c.source <> 'literature'" if deidentify else "false"
    age = (
        "CASE WHEN c.age_at_presentation >= 90 THEN '90+' ELSE c.age_at_presentation::text END"
        if deidentify
        else "c.age_at_presentation::text"
    )
    diagnosis_order = "(CASE WHEN x.is_primary THEN 0 ELSE 1 END), x.id"
    return {
        "registry_id": "c.registry_id",
        "version": "c.version::text",
        "site": "s.code",
        "source": "c.source",
        "publication_doi": _text("p.doi"),
        "publication_pmid": "p.pmid::text",
        "publication_year": "p.year::text",
        "publication_title": _text("p.title"),
        "publication_citation": _text("p.citation"),
        "local_reference": _text("c.local_reference"),
        "sex": "c.sex",
        "age_at_presentation": age,
        "country": _text("c.country"),
        "consent": "c.consent",
        "calcinosis_etiology": "c.calcinosis_etiology",
        "calcinosis_extent": "c.calcinosis_extent",
        "status": "c.status",
        "primary_condition": "d.condition_id",
        "primary_duration_years": _number("d.duration_years"),
        "conditions": _codes("cases_diagnosis", "condition_id", order=diagnosis_order),
        "features_present": _codes("cases_clinicalfeature", "feature_id", "AND x.status = 'present'"),
        "features_absent": _codes("cases_clinicalfeature", "feature_id", "AND x.status = 'absent'"),
        "positive_antibodies": _codes("cases_serologyresult", "test_id", "AND x.result = 'positive'"),
        "negative_antibodies": _codes("cases_serologyresult", "test_id", "AND x.result = 'negative'"),
        "calcinosis_regions": _codes("cases_calcinosissite", "region_id"),
        "agents": _codes("cases_treatmentcourse", "agent_id"),
        "agent_responses": (
            f"(SELECT string_agg(x.agent_id || ':' || x.response, '{SEPARATOR}' ORDER BY x.id) "
            "FROM cases_treatmentcourse x WHERE x.case_id = c.id)"
        ),
        "summary": f"CASE WHEN {withheld} THEN NULL ELSE {_text('c.summary')} END",
        "verified_at": _timestamp("c.verified_at", deidentify),
        "created_at": _timestamp("c.created_at", deidentify),
        "updated_at": _timestamp("c.updated_at", deidentify),
    }


def case_columns(deidentify: bool) -> list[str]:
    # A researcher's export has no identifying columns at all, not empty ones.
    return [c for c in CASE_COLUMNS if not (deidentify and c in IDENTIFYING_COLUMNS)]


def child_columns(key: str) -> list[str]:
    extra = ["site_ids"] if key == "treatments" else []
    return ["registry_id", "id", *CHILDREN[key].fields, *extra]


def _child_select(key: str, deidentify: bool) -> dict[str, str]:
    spec = CHILDREN[key]
    withheld = "c.source <> 'literature'" if deidentify else "false"
    columns = {"registry_id": "c.registry_id", "id": "x.id::text"}
    for name in spec.fields:
        field = spec.model._meta.get_field(name)
        column = f"x.{field.column}"
        internal = field.get_internal_type()
        if name in DATE_FIELDS:
            columns[name] = _date(column, deidentify)
        elif name == "notes":
            columns[name] = f"CASE WHEN {withheld} THEN NULL ELSE {_text(column)} END"
        elif internal == "BooleanField":
            columns[name] = _boolean(column)
        elif internal == "DecimalField":
            columns[name] = _number(column)
        elif internal in ("CharField", "TextField", "ForeignKey"):
            columns[name] = _text(column)
        else:
            columns[name] = f"{column}::text"
    if key == "treatments":
        columns["site_ids"] = (
            f"(SELECT string_agg(t.site_id::text, '{SEPARATOR}' ORDER BY t.site_id) "
            "FROM cases_treatmenttarget t WHERE t.treatment_id = x.id)"
        )
    return columns


def _ids_and_order(cases) -> tuple[str, list, str]:
    """The SQL of the filtered, visible cases (ids only) and the order the list gives them."""
    ordering = list(cases.query.order_by or cases.model._meta.ordering)
    terms = []
    for name in ordering:
        column = name.lstrip("-")
        if column not in ("registry_id", "age_at_presentation", "updated_at"):
            continue
        terms.append(
            f"c.{column} {'DESC' if name.startswith('-') else 'ASC'}{' NULLS LAST' if not name.startswith('-') else ''}"
        )
    terms.append("c.registry_id ASC")
    sql, params = cases.order_by().values("pk").query.sql_with_params()
    return sql, list(params), ", ".join(terms)


def cases_select(cases, deidentify: bool) -> tuple[str, list]:
    expressions = _case_select(deidentify)
    select = ", ".join(expressions[c] for c in case_columns(deidentify))
    ids, params, order = _ids_and_order(cases)
    return (
        f"SELECT {select} FROM cases_case c JOIN cases_site s ON s.id = c.site_id "
        "LEFT JOIN cases_publication p ON p.id = c.publication_id "
        "LEFT JOIN cases_diagnosis d ON d.case_id = c.id AND d.is_primary "
        f"WHERE c.id IN ({ids}) ORDER BY {order}",
        params,
    )


def child_select(key: str, cases, deidentify: bool) -> tuple[str, list]:
    expressions = _child_select(key, deidentify)
    select = ", ".join(expressions[c] for c in child_columns(key))
    ids, params, order = _ids_and_order(cases)
    row_order = _ROW_ORDER.get(key, "x.id")
    return (
        f"SELECT {select} FROM {_TABLES[key]} x JOIN cases_case c ON c.id = x.case_id "
        f"WHERE c.id IN ({ids}) ORDER BY {order}, {row_order}",
        params,
    )


class CopyCsv:
    """The rows of ``select`` as CSV, straight from PostgreSQL in the blocks it sends; ``rows`` once read."""

    def __init__(self, select: str, params: list):
        self.select, self.params, self.rows = select, params, 0

    def __iter__(self) -> Iterator[bytes]:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY ({self.select}) TO STDOUT WITH (FORMAT csv)", self.params) as copy:
                for block in copy:
                    yield bytes(block)
            self.rows = raw.rowcount
