"""Case documents built as JSON by PostgreSQL: one statement for a page of cases, or for a single case.

Writing a page of 500 documents in Python, even from plain rows, cost several times the SQL that reads
them (some 130,000 values and 17,000 rows); a single document cost 15 queries (issue 16). Here the
statement is generated from the declaration (``cases.document.schema``: keys, order, lists, links) and
from the writer's value rules (``how_shown``, ``Disclosure.conditions``), so that nothing is said twice:
each list is aggregated per owner with ``json_agg`` (for a page, over all its cases at once), each row and the case with
``json_build_object`` (``json``, not ``jsonb``, which would reorder the keys), the data-quality flags come
from ``quality.annotate_flags`` compiled into the same statement, and the stored criteria entries go in
as they are stored. A case without its four stored criteria results (a case written before they were)
is written by Python (``cases.document.plain``). ``api/tests/test_built_documents.py`` holds every
document the API serves to ``document_for`` of the same case, for every role.

Which form a value takes may depend on the case (a researcher reads a literature case's narrative, not a
clinic's; no age clue in a case aged 90 or more): each value is then a ``CASE`` over the conditions of
``Disclosure.conditions``, down to the forms that differ.
"""

from dataclasses import dataclass

import orjson
from django.db import connection, connections, models, router
from django.db.models.expressions import RawSQL

from cases import access, criteria, quality
from cases.document.plain import page_documents, page_queryset
from cases.document.schema import (
    CASE_FIELDS,
    CHILD_LISTS,
    PUBLICATION_FIELDS,
    RECORD_FIELDS,
    ChildList,
    Field,
    Kind,
    Withheld,
)
from cases.document.writer import GREAT_AGE, GREAT_AGE_TEXT, Disclosure, Shown, how_shown
from cases.models import Case, CriteriaResult

# Every way a case may be disclosed (``Disclosure.of``): whole, or without identifiers and with or without
# its narrative and its age clues.
DISCLOSURES = (
    Disclosure.full(),
    *(Disclosure(identified=False, narrative=n, age_clues=a) for n in (True, False) for a in (True, False)),
)
ASPECTS = ("identified", "narrative", "age_clues")
# The columns of the page's cases the conditions read, beside the flags.
PAGE_COLUMNS = ("id", "site_id", "source", "age_at_presentation")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _text_column(f: Field) -> bool:
    model_field = f.model_field.target_field if f.model_field.is_relation else f.model_field
    return isinstance(model_field, (models.CharField, models.TextField))


def _timestamp(expression: str) -> str:
    # ISO 8601 in UTC exactly as Python's isoformat() writes it: microseconds only when not zero.
    utc = f"({expression} AT TIME ZONE 'UTC')"
    return (
        f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN date_trunc('second', {utc}) <> {utc} THEN to_char({utc}, '.US') ELSE '' END || '+00:00')"
    )


def _number(f: Field, expression: str) -> str:
    # 25.0 reads 25 and 6.70 reads 6.7, as ``plain_number`` gives them.
    return f"trim_scale({expression})" if isinstance(f.model_field, models.DecimalField) else expression


def _value(f: Field, shown: Shown, column: str) -> tuple[str, bool]:
    """One form (``how_shown``) of the value in ``column`` as SQL, and whether that SQL is JSON already."""
    if shown is Shown.EMPTIED:
        return "''::text", False
    if shown is Shown.WITHHELD:
        return "NULL::json", True
    if shown is Shown.NULL_IF_EMPTY:
        return (f"NULLIF({column}, '')" if _text_column(f) else column), False
    if shown is Shown.ISO:
        return (_timestamp(column) if f.kind is Kind.TIMESTAMP else f"to_char({column}, 'YYYY-MM-DD')"), False
    if shown is Shown.YEAR:
        utc = f"{column} AT TIME ZONE 'UTC'" if f.kind is Kind.TIMESTAMP else column
        return f"extract(year FROM {utc})::int::text", False
    if shown is Shown.AGE:
        great = f"to_json('{GREAT_AGE_TEXT}'::text)"
        return f"CASE WHEN {column} >= {GREAT_AGE} THEN {great} ELSE to_json({_number(f, column)}) END", True
    if shown is Shown.NUMBER:
        return _number(f, column), False
    return column, False  # STORED, CODES


def _json(value: tuple[str, bool]) -> str:
    text, is_json = value
    return text if is_json else f"to_json({text})"


def _branch(render, conditions: dict, readers: list) -> tuple[str, bool]:
    """``render(disclosure)`` for every disclosure in ``readers``: one SQL value if they agree, else a CASE
    on the first aspect that tells them apart."""
    forms = {render(d) for d in readers}
    if len(forms) == 1:
        return forms.pop()
    aspect = next(a for a in ASPECTS if len({getattr(d, a) for d in readers}) > 1)
    yes = _branch(render, conditions, [d for d in readers if getattr(d, aspect)])
    no = _branch(render, conditions, [d for d in readers if not getattr(d, aspect)])
    if yes == no:  # the value does not depend on this aspect after all (an age clue on the narrative)
        return yes
    if not (yes[1] or no[1]):  # both text, or both of the column's type: no JSON value made per row
        return f"CASE WHEN {conditions[aspect]} THEN {yes[0]} ELSE {no[0]} END", False
    return f"CASE WHEN {conditions[aspect]} THEN {_json(yes)} ELSE {_json(no)} END", True


def _object(pairs: list, conditions: dict, readers: list) -> str:
    """``json_build_object`` of ``pairs`` — (key, the field or None, SQL or a function of the disclosure) —
    with the identifying fields only for who may read them."""
    if any(f is not None and f.withheld is Withheld.IDENTIFYING for _, f, _ in pairs):
        sides = {d.identified for d in readers}
        if len(sides) > 1:
            whole = _object(pairs, conditions, [d for d in readers if d.identified])
            without = _object(pairs, conditions, [d for d in readers if not d.identified])
            return f"CASE WHEN {conditions['identified']} THEN {whole} ELSE {without} END"
    identified = readers[0].identified
    arguments = []
    for key, f, value in pairs:
        if f is not None and f.withheld is Withheld.IDENTIFYING and not identified:
            continue
        sql = value if isinstance(value, str) else _branch(value, conditions, readers)[0]
        arguments.append(f"'{key}', {sql}")
    return f"json_build_object({', '.join(arguments)})"


def _field_pair(f: Field, alias: str) -> tuple:
    column = f"{alias}.{_q(f.column)}"
    return f.name, f, lambda disclosure: _value(f, how_shown(f, disclosure), column)


def _order(child: ChildList, alias: str) -> str:
    """A list's rows in the order of its model's Meta.ordering (the document's order)."""
    terms = []
    for term in child.model._meta.ordering:
        column = child.model._meta.get_field(term.lstrip("-")).column
        terms.append(f"{alias}.{_q(column)}{' DESC' if term.startswith('-') else ''}")
    return ", ".join(terms)


@dataclass
class _Statement:
    """Each list of the page's cases as a CTE: its rows as JSON, one array per owner, read by the index on the
    owner's key and joined to the page by hash (a correlated subquery per case and list cost 60% more: an
    executor's start and end per call, 5,000 calls a page)."""

    conditions: dict
    readers: list
    ctes: list

    def list_of(self, child: ChildList, owner_table: str | None = None) -> str:
        """A CTE of ``child``'s rows as JSON, one array per owner (``owner``, ``docs``); its name."""
        name = f"list_{child.key}"
        table = _q(child.model._meta.db_table)
        owner = _q(child.model._meta.get_field(child.parent).column)
        joins = []
        if child.parent == "case":
            joins.append(f"JOIN page c ON c.id = r.{owner}")
        else:
            joins.append(f"JOIN {owner_table} o ON o.id = r.{owner} JOIN page c ON c.id = o.case_id")
        pairs = []
        for key in child.document_keys:
            inner = next((i for i in child.children if i.key == key), None)
            if key == "id":
                pairs.append((key, None, "r.id"))
            elif child.links and key == child.links.name:
                pairs.append((key, None, self._links(child, joins)))
            elif inner is not None:
                inner_name = self.list_of(inner, table)
                joins.append(f"LEFT JOIN {inner_name} ON {inner_name}.owner = r.id")
                pairs.append((key, None, f"coalesce({inner_name}.docs, '[]'::json)"))
            else:
                pairs.append(_field_pair(child.field(key), "r"))
        row = _object(pairs, self.conditions, self.readers)
        self.ctes.append(
            f"{name} AS (SELECT r.{owner} AS owner, json_agg({row} ORDER BY {_order(child, 'r')}) AS docs "
            f"FROM {table} r {' '.join(joins)} GROUP BY r.{owner})"
        )
        return name

    def _links(self, child: ChildList, joins: list) -> str:
        one, many = _link_columns(child)
        if many is None:
            return f"r.{one}"
        through, own, other = many
        name = f"links_{child.key}"
        table = _q(child.model._meta.db_table)
        self.ctes.append(
            f"{name} AS (SELECT t.{own} AS owner, json_agg(t.{other} ORDER BY t.{other}) AS ids FROM {through} t "
            f"JOIN {table} o ON o.id = t.{own} JOIN page c ON c.id = o.case_id GROUP BY t.{own})"
        )
        joins.append(f"LEFT JOIN {name} ON {name}.owner = r.id")
        return f"coalesce({name}.ids, '[]'::json)"


@dataclass
class _Lists:
    """Each list of one case as a correlated subquery (``json_agg`` of its rows in their order), for a single
    document: each is planned on its own, where the joins of a page's CTEs took 60 ms to plan (a tenth of
    that at rest) for 1 ms of work."""

    conditions: dict
    readers: list

    def of(self, child: ChildList, owner: str, depth: int = 0) -> str:
        alias = f"r{depth}"
        table = _q(child.model._meta.db_table)
        pairs = []
        for key in child.document_keys:
            inner = next((i for i in child.children if i.key == key), None)
            if key == "id":
                pairs.append((key, None, f"{alias}.id"))
            elif child.links and key == child.links.name:
                pairs.append((key, None, self._links(child, alias)))
            elif inner is not None:
                pairs.append((key, None, self.of(inner, f"{alias}.id", depth + 1)))
            else:
                pairs.append(_field_pair(child.field(key), alias))
        row = _object(pairs, self.conditions, self.readers)
        parent = _q(child.model._meta.get_field(child.parent).column)
        return (
            f"(SELECT coalesce(json_agg({row} ORDER BY {_order(child, alias)}), '[]'::json) "
            f"FROM {table} {alias} WHERE {alias}.{parent} = {owner})"
        )

    def _links(self, child: ChildList, alias: str) -> str:
        one, many = _link_columns(child)
        if many is None:
            return f"{alias}.{one}"
        through, own, other = many
        return (
            f"(SELECT coalesce(json_agg(t.{other} ORDER BY t.{other}), '[]'::json) FROM {through} t "
            f"WHERE t.{own} = {alias}.id)"
        )


def _link_columns(child: ChildList) -> tuple[str | None, tuple[str, str, str] | None]:
    """A list's link to sites: its own column (one site), or its link table with the row's and the site's columns."""
    relation = child.model._meta.get_field(child.links.relation)
    if not child.links.many:
        return _q(relation.column), None
    through = _q(relation.remote_field.through._meta.db_table)
    return None, (through, _q(relation.m2m_column_name()), _q(relation.m2m_reverse_name()))


def _identified(user) -> str:
    """``Disclosure.for_user``'s ``identified`` as a condition on the case row ``c`` of the cases ``user``
    reads (``Case.objects.visible_to``)."""
    if access.is_curator(user) or not access.reads_everything(user):
        return "TRUE"  # a curator, or a clinician, who reads their own sites' cases only
    sites = sorted(access.clinician_site_ids(user))
    return f"c.site_id = ANY(ARRAY[{', '.join(str(int(s)) for s in sites)}]::bigint[])" if sites else "FALSE"


def _publication() -> str:
    pairs = []
    for f in PUBLICATION_FIELDS:
        if f.kind is Kind.PUBLICATION:
            pairs.append(
                f"'{f.name}', CASE WHEN pub.{_q(f.column)} IS NULL THEN NULL ELSE json_build_object("
                f"'doi', primary_pub.doi) END"
            )
        else:
            pairs.append(f"'{f.name}', pub.{_q(f.column)}")
    return f"CASE WHEN pub.id IS NULL THEN NULL ELSE json_build_object({', '.join(pairs)}) END"


def documents_statement(user, selection, *, single: bool = False) -> tuple[str, list]:
    """The statement that writes, for each case of ``selection`` (a queryset of cases ``user`` may read),
    its id, version, whether its four criteria results are stored, and its document as ``user`` reads it.
    ``single``: a selection of one case at most, whose lists are read by correlated subqueries."""
    flags = [check.flag for check in quality.CHECKS]
    keys_sql, keys_params = selection.order_by().values("pk").query.sql_with_params()
    # Each case's flags apart (LATERAL): planned for the whole selection, PostgreSQL hashed whole child
    # tables for them (570 ms for a page of 500 at 100,000 cases; 70 ms case by case).
    one = Case.objects.filter(pk=RawSQL("page_key.id", ()))
    flags_sql, flags_params = (
        quality.annotate_flags(one, viewer=user).values_list(*PAGE_COLUMNS, *flags).query.sql_with_params()
    )
    conditions = Disclosure.conditions(_identified(user))
    readers = [d for d in DISCLOSURES if conditions["identified"] != "TRUE" or d.identified]
    readers = [d for d in readers if conditions["identified"] != "FALSE" or not d.identified]
    statement = _Statement(conditions, readers, [])
    columns = ", ".join((*PAGE_COLUMNS, *(f"flag_{n}" for n in range(len(flags)))))
    checks = ", ".join(f"({n}, {_literal(c.code)}, {_literal(c.message)})" for n, c in enumerate(quality.CHECKS, 1))
    found = ", ".join(f"p.flag_{n}" for n in range(len(flags)))
    issues = (
        "(SELECT coalesce(json_agg(json_build_object('code', q.code, 'message', q.message) ORDER BY q.n), "
        f"'[]'::json) FROM (VALUES {checks}) AS q(n, code, message) WHERE (ARRAY[{found}]::boolean[])[q.n])"
    )
    sets = ", ".join(_literal(code) for code in criteria.SETS)
    # NULL unless all four are stored (then Python writes the document). Joined as the text they are stored
    # as, not parsed as JSON only to be written again (a tenth of a page's time).
    stored_criteria = (
        f"stored_criteria AS (SELECT r.case_id AS owner, '[' || string_agg(r.document_entry, ',' "
        f"ORDER BY array_position(ARRAY[{sets}], r.criteria_set::text)) || ']' AS entries "
        f"FROM {_q(CriteriaResult._meta.db_table)} r JOIN page c ON c.id = r.case_id "
        f"WHERE r.document_entry <> '' GROUP BY r.case_id HAVING count(*) = {len(criteria.SETS)})"
    )
    pairs = [("registry_id", None, "c.registry_id"), ("version", None, "c.version")]
    for f in CASE_FIELDS:
        if f.kind is Kind.SITE:
            pairs.append((f.name, None, "site.code"))
        elif f.kind is Kind.PUBLICATION:
            pairs.append((f.name, None, _publication()))
        else:
            pairs.append(_field_pair(f, "c"))
    if single:
        lists, correlated = [], _Lists(conditions, readers)
        pairs += [(child.key, None, correlated.of(child, "c.id")) for child in CHILD_LISTS]
    else:
        lists = [statement.list_of(child) for child in CHILD_LISTS]
        pairs += [
            (child.key, None, f"coalesce({name}.docs, '[]'::json)")
            for child, name in zip(CHILD_LISTS, lists, strict=True)
        ]
    # The document's head (to the lists) and tail (the record's timestamps) as JSON, the criteria entries and
    # the quality issues between them as text.
    head = _object(pairs, conditions, readers)
    tail = _object([_field_pair(f, "c") for f in RECORD_FIELDS], conditions, readers)
    document = (
        "substr(built.head, 1, length(built.head) - 1) || ', \"criteria_computed\" : ' || stored_criteria.entries || "
        f"', \"quality_issues\" : ' || {issues}::text || ', ' || substr(built.tail, 2)"
    )
    case_table = _q(Case._meta.db_table)
    publications = _q(Case._meta.get_field("publication").related_model._meta.db_table)
    sites = _q(Case._meta.get_field("site").related_model._meta.db_table)
    joins = " ".join(f"LEFT JOIN {name} ON {name}.owner = c.id" for name in lists)
    page = (
        f"page AS MATERIALIZED (SELECT flagged.* FROM ({keys_sql}) AS page_key(id) "
        f"CROSS JOIN LATERAL ({flags_sql}) AS flagged({columns}))"
    )
    # A SELECT from its first word: the audit trail's middleware (pghistory) puts its context before any other
    # statement, a WITH included, which made it two statements.
    sql = (
        f"SELECT * FROM (WITH {', '.join([page, *statement.ctes, stored_criteria])} "
        f"SELECT c.id, c.version, stored_criteria.entries IS NOT NULL, {document} "
        f"FROM page p JOIN {case_table} c ON c.id = p.id JOIN {sites} site ON site.id = c.site_id "
        f"LEFT JOIN {publications} pub ON pub.id = c.publication_id "
        f"LEFT JOIN {publications} primary_pub ON primary_pub.id = pub.summarises_id "
        f"{joins} LEFT JOIN stored_criteria ON stored_criteria.owner = c.id "
        f"CROSS JOIN LATERAL (SELECT {head}::text, {tail}::text) AS built(head, tail)) AS documents"
    )
    return sql, [*keys_params, *flags_params]


def _literal(text: str) -> str:
    # Constants of the code (check codes and messages), never input; % doubled for the parameters' syntax.
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def built_documents(user, selection, *, single: bool = False) -> dict:
    """Case id → (version, document) for the cases of ``selection`` ``user`` may read: the document as JSON
    built by PostgreSQL, or, for a case without its stored criteria, by Python."""
    sql, params = documents_statement(user, selection, single=single)
    with connections[router.db_for_read(Case)].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Read back rather than passed through: PostgreSQL writes its JSON as ``"key" : value``, and the API's
    # answers are compact JSON everywhere (scripts and the README's examples match them as text).
    found = {pk: (version, orjson.loads(text)) for pk, version, complete, text in rows if complete}
    unstored = [pk for pk, _, complete, _ in rows if not complete]
    if unstored:
        cases = list(page_queryset(Case.objects.filter(pk__in=unstored)))
        for case, document in zip(cases, page_documents(user, cases), strict=True):
            found[case.pk] = (case.version, document)
    return found
