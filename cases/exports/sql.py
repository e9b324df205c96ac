"""The export files written by PostgreSQL itself: ``COPY (SELECT …) TO STDOUT``, streamed.

Building every case document in Python ran at ~600 cases/s, 2% of what COPY
does for the same rows; at a million cases an export took half an hour. The
SELECTs here give the columns of the document schema (``cases/document/schema.py``)
with the values ``cases.document.writer`` gives (de-identified by the same rules),
and ``api/tests/test_export_parity.py`` holds every cell to the API document of
the same case, so the two cannot drift apart silently.
"""

from collections.abc import Iterator
from contextlib import suppress

import psycopg
from django.db.models import UniqueConstraint

from cases import criteria
from cases.document.schema import (
    ALL_LISTS,
    CASE_FIELDS,
    PUBLICATION_FIELDS,
    RECORD_FIELDS,
    ChildList,
    Field,
    Kind,
    Withheld,
)
from cases.document.writer import GREAT_AGE, GREAT_AGE_TEXT, PRESENTATION_AGE
from cases.models import VOCABULARIES, Agent, Condition, CriteriaResult, Region
from cases.selection import numbered_ids_sql
from registry.db import reading_connection

SEPARATOR = ";"
# Excel opens a UTF-8 file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"
# In a researcher's file a clinic case's free text is empty, as in their documents.
_NARRATIVE_WITHHELD = "c.source <> 'literature'"
# In a researcher's file a case aged 90 or more has no age clue (an age at diagnosis, a duration), as in theirs.
_CLUES_WITHHELD = f"c.{PRESENTATION_AGE.column} >= {GREAT_AGE}"
# OWASP's rule against formula injection: a spreadsheet runs a cell that begins with one of these
# (=HYPERLINK(…), =cmd|' /C calc'!A0), so a text cell that does is written with a leading "'".
FORMULA_STARTS = "=+-@\t\r"


def _text(expression: str, spreadsheet: bool = True) -> str:
    """A free-text cell, safe to open in a spreadsheet; an empty text and a missing one are the same empty cell.

    ``spreadsheet=False`` (Parquet, read by programs) leaves the text unaltered (api.md, "Spreadsheet safety").
    """
    if not spreadsheet:
        return f"NULLIF({expression}, '')"
    # ascii() of the first character costs nothing measurable in a COPY of every row (left() cost 10-20%).
    starts = ", ".join(str(ord(character)) for character in FORMULA_STARTS)
    return f"CASE WHEN ascii({expression}) IN ({starts}) THEN '''' || {expression} ELSE NULLIF({expression}, '') END"


def _code(expression: str) -> str:
    # A vocabulary code or a fixed choice: the registry's own words (held by constraints), never a formula.
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


def value_sql(f: Field, alias: str, deidentify: bool, spreadsheet: bool = True) -> str:
    """The cell of one field, as ``cases.document.writer.presenter`` gives it to this reader."""
    column = f"{alias}.{f.column}"
    if f.kind is Kind.DATE:
        cell = _date(column, deidentify)
    elif f.kind is Kind.TIMESTAMP:
        cell = _timestamp(column, deidentify)
    elif f.kind in (Kind.BOOLEAN, Kind.TRISTATE):
        cell = _boolean(column)
    elif f.kind is Kind.CODE_LIST:
        cell = f"NULLIF(array_to_string({column}, '{SEPARATOR}'), '')"
    elif f.kind is Kind.PUBLICATION:
        cell = f"(SELECT q.doi FROM cases_publication q WHERE q.id = {alias}.{f.column})"
    elif f.kind in (Kind.DECIMAL, Kind.INTEGER):
        cell = _number(column) if f.kind is Kind.DECIMAL else f"{column}::text"
        if f.age and deidentify:
            cell = f"CASE WHEN {column} >= {GREAT_AGE} THEN '{GREAT_AGE_TEXT}' ELSE {cell} END"
    elif f.kind in (Kind.TEXT, Kind.LONG_TEXT):
        cell = _text(column, spreadsheet)
    else:
        cell = _code(column)
    if f.withheld is Withheld.CLINIC_NARRATIVE and deidentify:
        cell = f"CASE WHEN {_NARRATIVE_WITHHELD} THEN NULL ELSE {cell} END"
    if f.age_clue and deidentify:
        cell = f"CASE WHEN {_CLUES_WITHHELD} THEN NULL ELSE {cell} END"
    return cell


def _shown(f: Field, deidentify: bool) -> bool:
    # A researcher's export has no identifying columns at all, not empty ones.
    return not (deidentify and f.withheld is Withheld.IDENTIFYING)


def _once_per_case(model, column: str) -> bool:
    """Whether the table holds each code at most once per case (a unique constraint on the case and the code)."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.condition is None and constraint.fields:
            if {model._meta.get_field(name).column for name in constraint.fields} == {"case_id", column}:
                return True
    return False


def _codes(key: str, column: str, order: tuple[str, ...] = ("x.id",), split: tuple[str, dict] | None = None) -> str:
    """Per selected case (``sel``), the distinct codes of its list's rows in the order they first appear, joined by ';'.

    A subquery of ``case_id`` and ``codes`` read in one pass over the list's table for the whole selection:
    a subquery per case and summary was most of cases.csv's time, and grew faster than the registry (issue 16).
    A code's first row is kept by DISTINCT ON, one sort of the rows (a GROUP BY with min() of the order was
    twice as slow); where the table holds a code once per case at most, the rows need no sort at all.
    ``split``: a column, and the cells its values split the codes into ({"present": "present"}) instead of codes.
    """
    table, by = _table(key), f"x.{split[0]}, " if split else ""
    cells = {"codes": ""} if split is None else {cell: f"{split[0]} = '{value}'" for cell, value in split[1].items()}

    def aggregates(alias: str, value: str, terms) -> str:
        return ", ".join(
            f"string_agg({alias}.{value}, '{SEPARATOR}' ORDER BY {', '.join(terms)})"
            f"{f' FILTER (WHERE {alias}.{where})' if where else ''} AS {cell}"
            for cell, where in cells.items()
        )

    if _once_per_case(LISTS[key].model, column):
        return (
            f"SELECT x.case_id, {aggregates('x', column, order)} FROM sel JOIN {table} x ON x.case_id = sel.id "
            "GROUP BY x.case_id"
        )
    firsts = [f"k{index}" for index in range(len(order))]
    return (
        f"SELECT u.case_id, {aggregates('u', 'v', [f'u.{first}' for first in firsts])} FROM ("
        f"SELECT DISTINCT ON (x.case_id, {by}x.{column}) x.case_id, {by}x.{column} AS v, "
        f"{', '.join(f'{term} AS {first}' for term, first in zip(order, firsts, strict=True))} "
        f"FROM sel JOIN {table} x ON x.case_id = sel.id ORDER BY x.case_id, {by}x.{column}, {', '.join(order)}) u "
        "GROUP BY u.case_id"
    )


def _codes_with_ancestors(table: str, column: str, vocabulary) -> str:
    """Per selected case, the codes of its rows and every concept above them, once each, in the vocabulary's
    tree order (a subquery of ``case_id`` and ``codes``, as ``_codes``).

    What the API's filters and statistics count (region=hand finds finger_5): a researcher counting
    "hand" in this column gets the same answer as the API (issue 17). A concept's path is the codes
    from the root down to it (``Concept.compute_path``: "upper_limb/hand/finger/finger_5/"), so its
    ancestors and their paths are read off the path itself, once per concept of the vocabulary (a few
    hundred) rather than once per row; each ancestor is numbered in tree order there, so that the rows
    of the whole selection are sorted by numbers, not by paths.
    """
    concepts = vocabulary._meta.db_table
    above = (
        "SELECT leaf.code AS leaf, up.code, array_to_string(steps.codes[1:up.depth], '/') || '/' AS path "
        f"FROM {concepts} leaf "
        "CROSS JOIN LATERAL (SELECT string_to_array(rtrim(leaf.path, '/'), '/') AS codes) steps "
        "CROSS JOIN LATERAL unnest(steps.codes) WITH ORDINALITY AS up(code, depth)"
    )
    numbered = f"SELECT b.leaf, b.code, dense_rank() OVER (ORDER BY b.path) AS place FROM ({above}) b"
    return (
        f"SELECT u.case_id, string_agg(u.code, '{SEPARATOR}' ORDER BY u.place) AS codes FROM ("
        f"SELECT DISTINCT ON (x.case_id, a.place) x.case_id, a.code, a.place FROM sel JOIN {table} x "
        f"ON x.case_id = sel.id JOIN ({numbered}) a ON a.leaf = x.{column} ORDER BY x.case_id, a.place) u "
        "GROUP BY u.case_id"
    )


def _row_order(child, alias: str = "x") -> str:
    """A list's rows in the order of its model's Meta.ordering (the document's order)."""
    terms = []
    for term in child.model._meta.ordering:
        name = term.lstrip("-")
        column = child.model._meta.get_field(name).column
        terms.append(f"{alias}.{column} {'DESC' if term.startswith('-') else 'ASC'}")
    return ", ".join(terms)


LISTS: dict[str, ChildList] = {child.key: child for child in ALL_LISTS}


def _table(key: str) -> str:
    return LISTS[key].model._meta.db_table


def _summaries(deidentify: bool) -> tuple[dict[str, str], dict[str, str]]:
    """cases.csv's one-cell summaries of the case's lists (api.md: "summary columns") and its computed status
    per criteria set (api.md, second edition: criteria_<set>): their cells, and the subqueries (by alias,
    each one row per case) the cells are read from."""
    diagnoses, sites, treatments = _table("diagnoses"), _table("calcinosis_sites"), _table("treatments")
    results = CriteriaResult._meta.db_table
    statuses = ", ".join(f"max(r.status) FILTER (WHERE r.criteria_set = '{code}') AS {code}" for code in criteria.SETS)
    subqueries = {
        # The primary diagnosis first, then the others as entered (Diagnosis.Meta.ordering).
        "dx": _codes("diagnoses", "condition_id", order=("(CASE WHEN x.is_primary THEN 0 ELSE 1 END)", "x.id")),
        "dxa": _codes_with_ancestors(diagnoses, "condition_id", Condition),
        "fx": _codes("features", "feature_id", split=("status", {"present": "present", "absent": "absent"})),
        "sx": _codes("serology", "test_id", split=("result", {"positive": "positive", "negative": "negative"})),
        "rx": _codes("calcinosis_sites", "region_id"),
        "rxa": _codes_with_ancestors(sites, "region_id", Region),
        "tx": _codes("treatments", "agent_id"),
        "txa": _codes_with_ancestors(treatments, "agent_id", Agent),
        "tr": (
            f"SELECT x.case_id, string_agg(x.agent_id || ':' || x.response, '{SEPARATOR}' ORDER BY x.id) AS codes "
            f"FROM sel JOIN {treatments} x ON x.case_id = sel.id GROUP BY x.case_id"
        ),
        # One row per case and set (criteriaresult_one_per_set): max() is that row's status.
        "cr": f"SELECT r.case_id, {statuses} FROM sel JOIN {results} r ON r.case_id = sel.id GROUP BY r.case_id",
    }
    cells = {
        "primary_condition": "d.condition_id",
        # The primary diagnosis's own cell, withheld where the document withholds it.
        "primary_duration_years": value_sql(LISTS["diagnoses"].field("duration_years"), "d", deidentify),
        "conditions": "dx.codes",
        "conditions_with_ancestors": "dxa.codes",
        "features_present": "fx.present",
        "features_absent": "fx.absent",
        "positive_antibodies": "sx.positive",
        "negative_antibodies": "sx.negative",
        "calcinosis_regions": "rx.codes",
        "calcinosis_regions_with_ancestors": "rxa.codes",
        "agents": "tx.codes",
        "agents_with_ancestors": "txa.codes",
        "agent_responses": "tr.codes",
        **{f"criteria_{code}": f"cr.{code}" for code in criteria.SETS},
    }
    return cells, subqueries


def _case_select(deidentify: bool, spreadsheet: bool = True) -> dict[str, str]:
    """cases.csv's columns, in order: the case's fields, the summaries of its lists, its long texts, its record."""
    columns = {"registry_id": "c.registry_id", "version": "c.version::text"}
    texts = {}
    for f in CASE_FIELDS:
        if not _shown(f, deidentify):
            continue
        if f.kind is Kind.SITE:
            columns[f.name] = "s.code"
        elif f.kind is Kind.PUBLICATION:
            columns.update(
                {f"publication_{p.name}": value_sql(p, "p", deidentify, spreadsheet) for p in PUBLICATION_FIELDS}
            )
        elif f.kind is Kind.LONG_TEXT:
            texts[f.name] = value_sql(f, "c", deidentify, spreadsheet)  # long texts last, where a spreadsheet has room
        else:
            columns[f.name] = value_sql(f, "c", deidentify, spreadsheet)
    columns.update(_summaries(deidentify)[0])
    columns.update(texts)
    columns.update({f.name: value_sql(f, "c", deidentify, spreadsheet) for f in RECORD_FIELDS})
    return columns


def case_columns(deidentify: bool) -> list[str]:
    return list(_case_select(deidentify))


def _child_select(key: str, deidentify: bool, spreadsheet: bool = True) -> dict[str, str]:
    """A list's file (``child.row_keys``): keyed by the case, and by its row for a list inside one."""
    child = LISTS[key]
    columns = {"registry_id": "c.registry_id"}
    if child.parent != "case":
        columns[f"{child.parent}_id"] = f"x.{child.parent}_id::text"
    columns["id"] = "x.id::text"
    columns.update({f.name: value_sql(f, "x", deidentify, spreadsheet) for f in child.fields if _shown(f, deidentify)})
    links = child.links
    if links and links.many:
        relation = child.model._meta.get_field(links.relation)
        through = relation.remote_field.through._meta.db_table
        own, other = f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
        columns[links.name] = (
            f"(SELECT string_agg(t.{other}::text, '{SEPARATOR}' ORDER BY t.{other}) "
            f"FROM {through} t WHERE t.{own} = x.id)"
        )
    elif links:
        columns[links.name] = f"x.{links.relation}_id::text"
    return {key: columns[key] for key in child.row_keys if key in columns}


def child_columns(key: str, deidentify: bool = False) -> list[str]:
    return list(_child_select(key, deidentify))


def cases_select(cases, deidentify: bool, spreadsheet: bool = True) -> tuple[str, list]:
    """The rows of cases.csv, in the order of ``cases`` (``cases.selection.ordered``)."""
    select = ", ".join(_case_select(deidentify, spreadsheet).values())
    selected, params = numbered_ids_sql(cases)
    summaries = " ".join(
        f"LEFT JOIN ({subquery}) {alias} ON {alias}.case_id = c.id"
        for alias, subquery in _summaries(deidentify)[1].items()
    )
    # The selection once (a CTE read by several subqueries is computed once), read by every summary.
    return (
        f"WITH sel AS ({selected}) "
        f"SELECT {select} FROM sel JOIN cases_case c ON c.id = sel.id "
        "JOIN cases_site s ON s.id = c.site_id "
        "LEFT JOIN cases_publication p ON p.id = c.publication_id "
        f"LEFT JOIN {_table('diagnoses')} d ON d.case_id = c.id AND d.is_primary "
        f"{summaries} "
        "ORDER BY sel.position",
        list(params),
    )


def child_select(key: str, cases, deidentify: bool, spreadsheet: bool = True) -> tuple[str, list]:
    """The rows of one list's file: by case in the order of ``cases``, then in the document's order."""
    child = LISTS[key]
    select = ", ".join(_child_select(key, deidentify, spreadsheet).values())
    selected, params = numbered_ids_sql(cases)
    if child.parent == "case":
        joins, order = f"JOIN {_table(key)} x ON x.case_id = sel.id", _row_order(child)
    else:
        # A list inside a row: through the row it is inside, in that row's order, then its own.
        owner = next(lst for lst in ALL_LISTS if child in lst.children)
        joins = f"JOIN {_table(owner.key)} o ON o.case_id = sel.id JOIN {_table(key)} x ON x.{child.parent}_id = o.id"
        order = f"{_row_order(owner, 'o')}, {_row_order(child)}"
    return (
        f"SELECT {select} FROM ({selected}) sel {joins} JOIN cases_case c ON c.id = sel.id "
        f"ORDER BY sel.position, {order}",
        list(params),
    )


# criteria.csv (tables.zip) and /api/v1/criteria/: the stored results, one row per case and set.
CRITERIA_COLUMNS = {
    "registry_id": "c.registry_id",
    "set": "r.criteria_set",
    "status": "r.status",
    "score": _number("r.score"),
    "max_possible": _number("r.max_possible"),
    "category": "r.category",
}


def criteria_select(cases) -> tuple[str, list]:
    """The rows of criteria.csv: by case in the order of ``cases``, then the sets in the order of the rules."""
    selected, params = numbered_ids_sql(cases)
    sets = ", ".join(f"'{code}'" for code in criteria.SETS)
    return (
        f"SELECT {', '.join(CRITERIA_COLUMNS.values())} FROM ({selected}) sel "
        f"JOIN {CriteriaResult._meta.db_table} r ON r.case_id = sel.id JOIN cases_case c ON c.id = sel.id "
        f"ORDER BY sel.position, array_position(ARRAY[{sets}]::varchar[], r.criteria_set)",
        list(params),
    )


# vocabulary_<name>.csv (tables.zip): every concept with its parent and path, so that a code of any file can
# be counted with everything below it (a path starts with the paths of all its ancestors).
VOCABULARY_COLUMNS = ["code", "label", "parent", "path", "active"]


def vocabulary_select(name: str, spreadsheet: bool = True) -> tuple[str, list]:
    table = VOCABULARIES[name]._meta.db_table
    return (
        f"SELECT v.code, {_text('v.label', spreadsheet)}, v.parent_id, v.path, {_boolean('v.active')} FROM {table} v "
        "ORDER BY v.path",
        [],
    )


CHUNK_BYTES = 64 * 1024


class CopyCsv:
    """The rows of ``select`` as CSV, straight from PostgreSQL in chunks of whole rows; ``rows`` once read."""

    def __init__(self, select: str, params: list):
        self.select, self.params, self.rows = select, params, 0

    def __iter__(self) -> Iterator[bytes]:
        # A replica for a request that only reads, as for its ORM queries (registry/db.py).
        with reading_connection().cursor() as cursor:
            raw = cursor.cursor
            # An export's cost passes PostgreSQL's JIT thresholds (cases.csv's at 100,000 cases: inlining and
            # optimisation too), and compiling its few hundred expressions costs seconds before the first row,
            # more than the compiled code wins back (cases.csv on 10,000 cases so compiled: 17.6 s, without JIT
            # 4.6 s, on a busy machine). For this statement only: the connection serves on.
            raw.execute("SET jit = off")
            try:
                with raw.copy(f"COPY ({self.select}) TO STDOUT WITH (FORMAT csv)", self.params) as copy:
                    # PostgreSQL sends one row per block: handed on one by one, each row cost a write to the
                    # socket and a call of the zip's compressor. Whole rows are gathered up to CHUNK_BYTES.
                    chunk, size = [], 0
                    for block in copy:
                        chunk.append(block)
                        size += len(block)
                        if size >= CHUNK_BYTES:
                            yield b"".join(chunk)
                            chunk, size = [], 0
                    if chunk:
                        yield b"".join(chunk)
                self.rows = raw.rowcount
            finally:
                with suppress(psycopg.Error):  # a connection that broke is not reused anyway
                    raw.execute("RESET jit")
