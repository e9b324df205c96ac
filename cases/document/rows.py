"""Reads the rows of a case document's lists (and of the lists inside them) into unsaved instances.

Each row is converted field by field (``values.assign``), its codes looked up in one query per vocabulary,
then checked by its model's ``full_clean``; every problem is kept at its place in the document
(``assessments.1.scores.0.value``). References to calcinosis sites are kept as written and resolved by
``checks.py`` once every list is read.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from cases.document.errors import NON_FIELD, messages_of
from cases.document.fields import ChildList, Kind
from cases.document.values import REQUIRED, assign, scalar_problem


@dataclass
class ReadRows:
    child: ChildList
    rows: list  # model instances in document order (stored ones carry their pk)
    removed_ids: list[int] = field(default_factory=list)
    # Per row, the calcinosis sites it names: [("number" | "index", value)] as written (see checks.py).
    refs: list = field(default_factory=list)
    # Per row, the lists inside it (None: not sent for a stored row, which keeps them as they are).
    nested: list[dict] = field(default_factory=list)


class Vocabularies:
    """Looks codes up in one query per vocabulary, whatever the number of rows."""

    def __init__(self, lists, data: dict):
        wanted: dict[type, set] = {}
        self._collect(lists, data, wanted)
        self.found = {
            model: ({c.code: c for c in model.objects.filter(code__in=codes)} if codes else {})
            for model, codes in wanted.items()
        }

    def _collect(self, lists, holder: dict, wanted: dict) -> None:
        for child in lists:
            rows = holder.get(child.key) if isinstance(holder, dict) else None
            if not isinstance(rows, list):
                continue
            for name, model in child.codes.items():
                codes = wanted.setdefault(model, set())
                for row in rows:
                    value = row.get(name) if isinstance(row, dict) else None
                    values = value if isinstance(value, list) else [value]
                    codes.update(v for v in values if isinstance(v, str) and v and not scalar_problem(v))
            for row in rows:
                if isinstance(row, dict):
                    self._collect(child.children, row, wanted)

    def get(self, model, code):
        return self.found.get(model, {}).get(code)


class StoredRows:
    """A stored case's rows, list by list (the lists inside rows grouped by their row), one query per list."""

    def __init__(self, case, lists):
        self.by_list: dict[str, dict] = {}
        for child in lists:
            self.by_list[child.key] = _with_values(child.model.objects.filter(case=case))
            for inner in child.children:
                grouped: dict = {}
                for pk, row in _with_values(inner.model.objects.filter(**{f"{inner.parent}__case": case})).items():
                    grouped.setdefault(getattr(row, f"{inner.parent}_id"), {})[pk] = row
                self.by_list[inner.key] = grouped

    def of(self, child: ChildList, owner=None) -> dict:
        rows = self.by_list.get(child.key, {})
        return rows.get(owner.pk, {}) if child.parent != "case" else rows


class NoStoredRows(StoredRows):
    """A new case has none."""

    def __init__(self):
        self.by_list = {}


def _with_values(queryset) -> dict:
    rows = {}
    for row in queryset.order_by("pk"):
        row.stored_values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
        rows[row.pk] = row
    return rows


def read_rows(
    child: ChildList, rows, stored: StoredRows, vocabularies: Vocabularies, errors: dict, owner=None
) -> ReadRows | None:
    """The rows of one list (under ``owner`` for a list inside a row); problems go to ``errors[child.key]``."""
    if not isinstance(rows, list):
        errors[child.key] = ["Expected a list."]
        return None
    known = {*child.document_keys, *((child.links.by_position,) if child.links else ())}
    before = stored.of(child, owner) if owner is None or owner.pk is not None else {}
    read = ReadRows(child=child, rows=[])
    row_errors: list[dict] = []
    kept = set()
    for raw in rows:
        problems: dict = {}
        row_errors.append(problems)
        if not isinstance(raw, dict):
            problems[NON_FIELD] = ["Expected an object."]
            continue
        for name in raw:
            if name not in known:
                problems[name] = ["Unknown field."]
        instance = _instance(child, raw, before, kept, problems)
        if instance is None:
            continue
        _read_fields(child, instance, raw, before, vocabularies, problems)
        # Owner and sites are set when the case is written (the sites may be new in this document).
        unset = [child.parent, *([child.links.relation] if child.links else [])]
        try:
            instance.full_clean(
                exclude=[*unset, *problems, *child.codes], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in messages_of(exc).items():
                problems.setdefault(name, messages)
        read.refs.append(_refs(child, raw, problems) if child.links else [])
        read.nested.append(_read_nested(child, raw, instance, stored, vocabularies, problems))
        read.rows.append(instance)
    read.removed_ids = [pk for pk in before if pk not in kept]
    if any(row_errors):
        errors[child.key] = row_errors
    return read


def _instance(child: ChildList, raw: dict, stored: dict, kept: set, problems: dict):
    """The stored row the document row is (by id, or for a row inside another by its natural key), or a new one."""
    if child.has_ids:
        row_id = raw.get("id")
        if row_id is None:
            return child.model()
        if not isinstance(row_id, int) or isinstance(row_id, bool) or row_id not in stored or row_id in kept:
            problems["id"] = ["Not a row of this case (leave id out to add a new row)."]
            return None
        kept.add(row_id)
        return stored[row_id]
    match = next((row for pk, row in stored.items() if pk not in kept and _same_key(child, row, raw)), None)
    if match is None:
        return child.model()
    kept.add(match.pk)
    return match


def _same_key(child: ChildList, row, raw: dict) -> bool:
    for name in child.natural_key:
        f = child.field(name) if name in child.names else None
        if f is not None:
            if raw.get(name) != getattr(row, f.attname):
                return False
        elif child.links and name == child.links.relation:
            # A lesion finding is the same row when it names the same stored site by its id.
            if raw.get(child.links.name) != getattr(row, f"{name}_id") or child.links.by_position in raw:
                return False
    return True


def _read_fields(child: ChildList, instance, raw: dict, stored: dict, vocabularies, problems: dict) -> None:
    for f in child.fields:
        name = f.name
        if name in problems or f.read_only:
            continue
        if name not in raw and instance.pk is not None:
            continue  # a stored row keeps what the document does not mention
        if name in child.codes:
            read_code(instance, f, raw.get(name, f.default), vocabularies, stored, problems)
        elif name in raw:
            assign(instance, name, raw[name], problems)
        elif instance.pk is None:
            setattr(instance, name, f.default)


def read_code(instance, f, value, vocabularies, stored: dict, problems: dict) -> None:
    """A concept's code (or a list of them): known, and active unless this case already uses it."""
    name = f.name
    many = f.kind is Kind.CODE_LIST
    if value in (None, "") or (many and value == []):
        if many:
            setattr(instance, name, [])
        elif not f.model_field.null:
            problems[name] = [REQUIRED]
        else:
            setattr(instance, name, None)
        return
    codes = value if many else [value]
    if many and not isinstance(value, list):
        problems[name] = ["Expected a list of codes."]
        return
    concepts = []
    for code in codes:
        if not isinstance(code, str):
            problems[name] = ["Give the code as text."]
            return
        if scalar_problem(code):
            # Not echoed back: the message itself would carry the unstorable character.
            problems[name] = [scalar_problem(code)]
            return
        concept = vocabularies.get(f.vocabulary_model, code)
        if concept is None:
            problems[name] = [f"Unknown code '{code}'."]
            return
        in_use_here = any(code in _codes_of(row, f) for row in stored.values())
        if not concept.active and not in_use_here:
            problems[name] = [f"'{code}' is no longer in use for new entries; choose an active code."]
            return
        concepts.append(concept)
    if many:
        # In the vocabulary's order, as the form lists them: sent back in another order is no change.
        ordered = sorted({c.code: c for c in concepts}.values(), key=lambda c: (c.sort_order, c.code))
        setattr(instance, name, [c.code for c in ordered])
    else:
        setattr(instance, name, concepts[0])


def _codes_of(row, f) -> list:
    value = getattr(row, f.attname)
    return value if isinstance(value, list) else [value]


def _refs(child: ChildList, raw: dict, problems: dict) -> list:
    """The sites a row names, as written: ("number", n) for an id or a position, ("index", i) for a position."""
    refs = []
    links = child.links
    for key, kind in ((links.name, "number"), (links.by_position, "index")):
        value = raw.get(key)
        if value is None:
            continue
        values = value if links.many else [value]
        if (links.many and not isinstance(value, list)) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            problems[key] = ["Expected a list of whole numbers." if links.many else "Expected a whole number."]
            continue
        refs.extend((kind, v) for v in values)
    if not links.many and not refs and links.name not in problems:
        problems[links.name] = ["Name the calcinosis site (its id, or site_index for its position)."]
    return refs


def _read_nested(child: ChildList, raw: dict, instance, stored: StoredRows, vocabularies, problems: dict) -> dict:
    nested = {}
    for inner in child.children:
        if inner.key not in raw and instance.pk is not None:
            nested[inner.key] = None  # a stored row keeps its inner list when the document leaves it out
            continue
        inner_errors: dict = {}
        nested[inner.key] = read_rows(inner, raw.get(inner.key, []), stored, vocabularies, inner_errors, instance)
        problems.update(inner_errors)
    return nested
