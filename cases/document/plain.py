"""Case documents for a page of cases, from plain rows.

A page of 500 documents built from model instances spent most of its time making
them: some 20,000 child rows, each an instance with its descriptors and related
managers, ran at a tenth of the speed of the SQL that reads the same rows (issue
16). Here each list is read with ``values_list`` (a fixed number of queries per
page, no instance per row) and written by the writer's own rules
(``row_document``, ``presenter``); the cases themselves, one row each, stay
instances, given every data-quality flag from one query over the page's ids, so
that ``quality_issues`` reads them without looking at a row. (The flags in the
page's own query would be planned for every case the filter selects, before
the LIMIT: a hashed scan of each child table at a million cases.) ``api/tests/test_plain_documents.py``
holds every document to ``case_document`` of the same case, for every role.
"""

from collections import defaultdict

import orjson

from cases import criteria, quality
from cases.document.schema import CHILD_LISTS, CHILDREN, ChildList
from cases.document.writer import Disclosure, case_document, row_document
from cases.models import CriteriaResult


def page_queryset(queryset):
    """``queryset`` (of cases) ready for ``page_documents``: the rows its documents show beside the case."""
    return queryset.select_related("site", "publication__summarises").prefetch_related(None)


def _flag(cases: list, viewer) -> None:
    """Each case's data-quality flags, as ``quality.annotate_flags`` gives them, in one query for the page."""
    flags = [check.flag for check in quality.CHECKS]
    found = quality.annotate_flags(type(cases[0]).objects.filter(pk__any=[c.pk for c in cases]), viewer=viewer)
    by_case = {pk: values for pk, *values in found.values_list("pk", *flags)}
    for case in cases:
        for flag, value in zip(flags, by_case[case.pk], strict=True):
            setattr(case, flag, value)


class _Rows:
    """The rows of one list for a page, by owner id, as (pk, values in the order of the list's fields, the
    sites they name)."""

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
            child.model.objects.filter(**{f"{case}__any": case_ids})
            .order_by(*child.model._meta.ordering)
            .values_list("pk", owner, *self.attnames, *single)
        )
        self.by_owner: dict[int, list] = defaultdict(list)
        count = len(self.attnames) + 2
        for row in rows if case_ids else ():
            self.by_owner[row[1]].append((row[0], row[2:count], row[count:]))
        self.many = self._many_links(case_ids) if self.by_owner else {}

    def _many_links(self, case_ids: list[int]) -> dict[int, list[int]]:
        links = self.child.links
        if not (links and links.many):
            return {}
        relation = self.child.model._meta.get_field(links.relation)
        through = relation.remote_field.through
        own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        found: dict[int, list[int]] = defaultdict(list)
        rows = through.objects.filter(**{f"{own}__case_id__any": case_ids}).values_list(f"{own}_id", f"{other}_id")
        for row_pk, site_pk in rows:
            found[row_pk].append(site_pk)
        return {pk: sorted(sites) for pk, sites in found.items()}

    def linked(self, pk, single: list):
        links = self.child.links
        if not links:
            return None
        return self.many.get(pk, []) if links.many else single[0]


class StoredJSON:
    """JSON text as stored, put into a document to be written out as it is (``api.renderers`` knows it):
    parsing the criteria entries of a page only to write them again cost more than reading them."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def parsed(self):
        return orjson.loads(self.text)


class PlainLists:
    """Every list of a page of cases, and of the rows inside them, in a fixed number of queries."""

    def __init__(self, case_ids: list[int], *, criteria_as_text: bool = False, stored_criteria: bool = True):
        self.criteria_as_text = criteria_as_text
        self.stored_criteria = _stored_criteria(case_ids) if stored_criteria else {}
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

    def criteria_computed(self, case_id: int) -> list[dict] | StoredJSON | None:
        """The case's four stored results as the document gives them; None if any is missing."""
        entries = self.stored_criteria.get(case_id)
        if entries is None:
            return None
        text = StoredJSON(f"[{','.join(entries)}]")
        return text if self.criteria_as_text else text.parsed()

    def evidence(self, case_id: int) -> dict:
        """The lists the criteria read, as stored (``cases.document.writer.evidence_of``)."""
        evidence = {}
        for key in criteria.READS:
            names = [f.name for f in CHILDREN[key].fields]
            evidence[key] = [
                dict(zip(names, values, strict=True)) for _, values, _ in self.lists[key].by_owner.get(case_id, ())
            ]
        return evidence


def _stored_criteria(case_ids: list[int]) -> dict[int, list[str]]:
    """Case id → its stored ``criteria_computed`` entries (JSON text) in the order of the sets (cases without
    all four left out: their document computes them)."""
    order = {code: index for index, code in enumerate(criteria.SETS)}
    found: dict[int, list] = defaultdict(list)
    rows = CriteriaResult.objects.filter(case_id__any=case_ids).exclude(document_entry="")
    for case_id, criteria_set, entry in rows.values_list("case_id", "criteria_set", "document_entry"):
        found[case_id].append((order[criteria_set], entry))
    return {
        case_id: [entry for _, entry in sorted(entries)]
        for case_id, entries in found.items()
        if len(entries) == len(order)
    }


def page_documents(user, cases: list, *, criteria_as_text: bool = False, derived: bool = True) -> list[dict]:
    """The documents of a page of cases (from ``page_queryset``) as ``user`` may read them.

    ``criteria_as_text``: each ``criteria_computed`` as the stored JSON text (``StoredJSON``), for a renderer
    that writes it as it is. ``derived=False``: without ``criteria_computed`` and ``quality_issues``
    (``case_document``), and without the queries for the flags and the stored criteria."""
    if not cases:
        return []
    if derived:
        _flag(cases, viewer=user)
    lists = PlainLists([case.pk for case in cases], criteria_as_text=criteria_as_text, stored_criteria=derived)
    return [
        case_document(case, disclosure=Disclosure.for_user(user, case), lists=lists, derived=derived) for case in cases
    ]
