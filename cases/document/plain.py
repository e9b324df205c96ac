"""Case documents for a page of cases, from plain rows.

A page of 500 documents built from model instances spent most of its time making
them: some 20,000 child rows, each an instance with its descriptors and related
managers, ran at a tenth of the speed of the SQL that reads the same rows (issue
16). Here each list is read with ``values_list`` (a fixed number of queries per
page, no instance per row) and written by the writer's own rules
(``row_document``, ``stored_value``); the cases themselves, one row each, stay
instances, given every data-quality flag from one query over the page's ids, so
that ``quality_issues`` reads them without looking at a row. (The flags in the
page's own query would be planned for every case the filter selects, before
the LIMIT: a hashed scan of each child table at a million cases.) ``api/tests/test_plain_documents.py``
holds every document to ``case_document`` of the same case, for every role.
"""

from collections import defaultdict

from cases import criteria, quality
from cases.document.schema import CHILD_LISTS, CHILDREN, ChildList
from cases.document.writer import Disclosure, case_document, row_document


def page_queryset(queryset):
    """``queryset`` (of cases) ready for ``page_documents``: the rows its documents show beside the case."""
    return queryset.select_related("site", "publication__summarises").prefetch_related(None)


def _flag(cases: list, viewer) -> None:
    """Each case's data-quality flags, as ``quality.annotate_flags`` gives them, in one query for the page."""
    flags = [check.flag for check in quality.CHECKS]
    found = quality.annotate_flags(type(cases[0]).objects.filter(pk__in=[c.pk for c in cases]), viewer=viewer)
    by_case = {pk: values for pk, *values in found.values_list("pk", *flags)}
    for case in cases:
        for flag, value in zip(flags, by_case[case.pk], strict=True):
            setattr(case, flag, value)


class _Rows:
    """The rows of one list for a page, by owner id, as (pk, values by attname, the sites they name)."""

    def __init__(self, child: ChildList, case_ids: list[int]):
        self.child = child
        self.attnames = [f.attname for f in child.fields]
        owner = f"{child.parent}_id"
        # Selected by their case (through the row they are inside): a list of the page's ids, never of the
        # thousands of rows of an inner list, whose parameters cost more to send than the rows to read.
        case = "case_id" if child.parent == "case" else f"{child.parent}__case_id"
        links = child.links
        single = [f"{links.relation}_id"] if links and not links.many else []
        rows = (
            child.model.objects.filter(**{f"{case}__in": case_ids})
            .order_by(*child.model._meta.ordering)
            .values_list("pk", owner, *self.attnames, *single)
        )
        self.by_owner: dict[int, list] = defaultdict(list)
        count = len(self.attnames)
        for pk, owner_id, *values in rows:
            self.by_owner[owner_id].append((pk, dict(zip(self.attnames, values[:count], strict=True)), values[count:]))
        self.many = self._many_links(case_ids) if self.by_owner else {}

    def _many_links(self, case_ids: list[int]) -> dict[int, list[int]]:
        links = self.child.links
        if not (links and links.many):
            return {}
        relation = self.child.model._meta.get_field(links.relation)
        through = relation.remote_field.through
        own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        found: dict[int, list[int]] = defaultdict(list)
        rows = through.objects.filter(**{f"{own}__case_id__in": case_ids}).values_list(f"{own}_id", f"{other}_id")
        for row_pk, site_pk in rows:
            found[row_pk].append(site_pk)
        return {pk: sorted(sites) for pk, sites in found.items()}

    def linked(self, pk, single: list):
        links = self.child.links
        if not links:
            return None
        return self.many.get(pk, []) if links.many else single[0]


class PlainLists:
    """Every list of a page of cases, and of the rows inside them, in a fixed number of queries."""

    def __init__(self, case_ids: list[int]):
        self.lists: dict[str, _Rows] = {}
        for child in CHILD_LISTS:
            self.lists[child.key] = rows = _Rows(child, case_ids)
            for inner in child.children:
                # A page without any row of the list has none inside them either: no query.
                self.lists[inner.key] = _Rows(inner, case_ids if rows.by_owner else [])

    def documents(self, child: ChildList, owner_id: int, disclosure: Disclosure) -> list[dict]:
        rows = self.lists[child.key]
        return [
            row_document(
                child,
                values,
                disclosure,
                pk=pk,
                links=rows.linked(pk, single),
                inner={inner.key: self.documents(inner, pk, disclosure) for inner in child.children},
            )
            for pk, values, single in rows.by_owner.get(owner_id, ())
        ]

    def evidence(self, case_id: int) -> dict:
        """The lists the criteria read, as stored (``cases.document.writer.evidence_of``)."""
        evidence = {}
        for key in criteria.READS:
            fields = CHILDREN[key].fields
            evidence[key] = [
                {f.name: values[f.attname] for f in fields}
                for _, values, _ in self.lists[key].by_owner.get(case_id, ())
            ]
        return evidence


def page_documents(user, cases: list, *, derived: bool = True) -> list[dict]:
    """The documents of a page of cases (from ``page_queryset``) as ``user`` may read them; ``derived=False``:
    without ``criteria_computed`` and ``quality_issues`` (``case_document``), and without the query for the flags."""
    if not cases:
        return []
    if derived:
        _flag(cases, viewer=user)
    lists = PlainLists([case.pk for case in cases])
    return [
        case_document(case, disclosure=Disclosure.for_user(user, case), lists=lists, derived=derived) for case in cases
    ]
