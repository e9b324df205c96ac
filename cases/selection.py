"""A selection of cases as the list gives it: its order, and its ids as SQL for what PostgreSQL computes.

The case list (browser and API), its cursor, the exports and the statistics
read the same selection: the filtered, visible cases in the order of the
``ordering`` parameter. The orders are defined here once, and sort on what the
reader reads: a researcher's ``age_at_presentation`` puts every "90+" alike and
their ``updated_at`` sorts by year, so an order tells nothing a document withholds.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, F, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from cases.document.schema import CASE_FIELDS, RECORD_FIELDS
from cases.document.writer import PRESENTATION_AGE, seen_expression


@dataclass(frozen=True)
class Ordering:
    name: str  # the value of ``ordering`` (prefix "-" to reverse) and the case column it sorts on
    title: str  # the column heading a page shows


ORDERINGS: dict[str, Ordering] = {
    o.name: o
    for o in (
        Ordering("registry_id", "Registry ID"),
        Ordering("age_at_presentation", "Age"),
        Ordering("updated_at", "Last update"),
    )
}
DEFAULT_ORDERING = "registry_id"


def ordering_choices() -> list[tuple[str, str]]:
    return [(f"{sign}{name}", f"{name}{' (descending)' if sign else ''}") for name in ORDERINGS for sign in ("", "-")]


def parse_ordering(value: str | None) -> tuple[str, bool]:
    """``-age_at_presentation`` → ("age_at_presentation", True); anything unknown is the default order."""
    value = value or DEFAULT_ORDERING
    name = value.lstrip("-")
    if name not in ORDERINGS:
        return DEFAULT_ORDERING, False
    return name, value.startswith("-")


def sort_keys(value: str | None, *, deidentified: bool) -> tuple[list, bool]:
    """What the cases are sorted on before their registry id, and whether in descending order.

    ``deidentified``: for a reader without identifiers, the values as they read them.
    """
    name, descending = parse_ordering(value)
    if name == DEFAULT_ORDERING:
        return [], descending
    key = F(name)
    if deidentified:
        field = next(f for f in (*CASE_FIELDS, *RECORD_FIELDS) if f.name == name)
        key = seen_expression(field, key, presentation_age=F(PRESENTATION_AGE.name))
    return [key], descending


def ordered(queryset, value: str | None, *, deidentified: bool = False):
    """The cases in the order ``value`` names; equal keys in registry-id order, reversed with the rest.

    PostgreSQL places NULLs last ascending and first descending: a descending list is the ascending one
    read backwards, which the cursor relies on.
    """
    keys, descending = sort_keys(value, deidentified=deidentified)
    terms = [*keys, F(DEFAULT_ORDERING)]
    return queryset.order_by(*(term.desc() if descending else term.asc() for term in terms))


def numbered_ids_sql(queryset) -> tuple[str, tuple]:
    """SQL giving ``id`` and ``position`` (1, 2, …) of the selected cases in the queryset's order.

    For a raw SELECT that must give the cases in the list's order: ``JOIN (<this>) sel … ORDER BY
    sel.position``. The order is the queryset's own (``ordered``), so it is never written twice.
    """
    # Registry ids last: cases.csv and every file of tables.zip number equal keys alike.
    order = [*(queryset.query.order_by or queryset.model._meta.ordering), DEFAULT_ORDERING]
    numbered = queryset.order_by().annotate(position=Window(RowNumber(), order_by=order))
    try:
        sql, params = numbered.values("id", "position").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT NULL::bigint AS id, NULL::bigint AS position WHERE false", ()
    return sql, tuple(params)


def selected_ids_sql(queryset) -> tuple[str, tuple]:
    """SQL giving the ids of the selected cases, for ``… WHERE case_id IN (<this>)``.

    A selection that can hold nothing (an account with no site and no group reads
    ``Case.objects.none()``) compiles to no SQL at all: it becomes a SELECT of no rows.
    """
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT NULL::bigint WHERE false", ()
    return sql, tuple(params)


def found_once(queryset) -> bool:
    """Whether the selection is its ids, found once by ``resolved``."""
    return getattr(queryset, "resolved_ids", None) is not None


def rows_of_selected(queryset, column: str = "case_id") -> tuple[str, list]:
    """SQL true for the rows (of a child table) that belong to the selected cases, and its parameters.

    A selection found once (``resolved``) is its ids, read straight from ``column``'s index; another is the
    semi-join on its SQL. (Through the semi-join even known ids had PostgreSQL hash them against a scan of
    the whole child table.)
    """
    if found_once(queryset):
        return f"{column} = ANY(%s)", [queryset.resolved_ids]
    selected, params = selected_ids_sql(queryset)
    return f"{column} IN ({selected})", list(params)


# Past this many cases the ids would be megabytes of SQL sent with every statistic; such a selection is
# read through its filters instead (an unfiltered one always is: it needs no semi-join at all).
RESOLVE_AT_MOST = 200_000


def resolved(queryset) -> tuple:
    """The selection found once, for several statistics over it: ``(the cases, how many)``.

    Each statistic reads its cases as ``case_id IN (<the selection's SQL>)``; given the filtered queryset,
    PostgreSQL evaluates every filter's EXISTS over the whole case table once per statistic. Given the ids
    (one array parameter), it evaluates them once here and each statistic reads only its child rows.
    """
    if not queryset.query.where:
        return queryset, queryset.count()
    ids = list(queryset.order_by().values_list("pk", flat=True)[: RESOLVE_AT_MOST + 1])
    if len(ids) > RESOLVE_AT_MOST:
        return queryset, queryset.count()
    # "= ANY(array)": one parameter, and an index scan of the primary key for the ids (an IN of a subquery
    # of unnest() had PostgreSQL read the whole case table to hash it against them).
    model = queryset.model
    chosen = RawSQL(f'"{model._meta.db_table}"."id" = ANY(%s)', [ids], output_field=BooleanField())
    cases = model.objects.alias(chosen=chosen).filter(chosen=True)
    # For SQL over child rows (``rows_of_selected``); a queryset derived from this one does not carry it.
    cases.resolved_ids = ids
    return cases, len(ids)
