"""A selection of cases as the list gives it: its order, and its ids as SQL for what PostgreSQL computes.

The case list (browser and API), its cursor, the exports and the statistics
read the same selection: the filtered, visible cases in the order of the
``ordering`` parameter. The orders are defined here once.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet


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


def ordered(queryset, value: str | None):
    """The cases in the order ``value`` names; equal keys in registry-id order."""
    name, descending = parse_ordering(value)
    return queryset.order_by(f"{'-' if descending else ''}{name}", DEFAULT_ORDERING)


def order_sql(queryset, alias: str = "c") -> str:
    """The ORDER BY of ``queryset`` (ordered by ``ordered``) for a raw SELECT on cases_case ``alias``.

    PostgreSQL's default places NULLs last ascending and first descending, as the ORM's order_by does.
    """
    terms = []
    for term in queryset.query.order_by or queryset.model._meta.ordering:
        name = str(term).lstrip("-")
        if name in ORDERINGS:
            terms.append(f"{alias}.{name} {'DESC' if str(term).startswith('-') else 'ASC'}")
    terms.append(f"{alias}.{DEFAULT_ORDERING} ASC")
    return ", ".join(dict.fromkeys(terms))


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
