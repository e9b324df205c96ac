"""``docs/api.md``, the registry's own reference, names everything a script can meet (issue 17.2).

Researchers write their scripts against that page, so a path, a document field, a code, a filter, an export
column or a statistic the registry has and the page does not mention is a gap a user falls into. Each test
reads what the registry declares (the URL patterns and the OpenAPI schema, the document schema, the
filtersets, the export columns, the statistics' shapes, the vocabularies) and looks for every name of it in the
part of the page that should explain it, so that adding any of them without documenting it fails here.
"""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from api.serializers import CaseOut, CriteriaChangeOut, CriteriaComputedOut, CriteriaItemOut, CriteriaRuleOut
from api.views.root import endpoint_paths
from api.views.vocabularies import COMMON, DEFINED_CODES
from cases import criteria
from cases.document.schema import (
    ALL_LISTS,
    CASE_FIELDS,
    PUBLICATION_FIELDS,
    READ_ONLY_FIELDS,
    RECORD_FIELDS,
    Kind,
    all_fields,
)
from cases.exports.files import manifest
from cases.exports.sql import CRITERIA_COLUMNS, VOCABULARY_COLUMNS, case_columns
from cases.filters import ROW_FILTERSETS, CaseFilterSet, CriteriaResultFilterSet
from cases.models import VOCABULARIES, Concept
from cases.quality import CHECKS
from cases.selection import ORDERINGS

REFERENCE = Path(settings.BASE_DIR) / "docs" / "api.md"
TEXT = REFERENCE.read_text(encoding="utf-8")
HEADING = re.compile(r"^(#{1,6}) (.+)$", re.MULTILINE)
STATISTICS = ("calcinosis-sites", "treatment-responses", "serology", "follow-up", "criteria")


def _headings():
    # Headings inside fenced code are code, not headings.
    fenced = [m.span() for m in re.finditer(r"^```.*?^```", TEXT, re.MULTILINE | re.DOTALL)]
    return [m for m in HEADING.finditer(TEXT) if not any(start <= m.start() < end for start, end in fenced)]


def part(title: str) -> str:
    """The text under the heading ``title``, down to the next heading of the same or a higher level."""
    headings = _headings()
    found = [m for m in headings if m.group(2).strip() == title]
    assert len(found) == 1, f"docs/api.md has no single heading {title!r}"
    level = len(found[0].group(1))
    end = next((m.start() for m in headings if m.start() > found[0].start() and len(m.group(1)) <= level), len(TEXT))
    return TEXT[found[0].end() : end]


def intro(title: str) -> str:
    """The text under ``title`` before its first subheading."""
    text = part(title)
    first = HEADING.search(text)
    return text[: first.start()] if first else text


def unmentioned(names, text: str) -> list[str]:
    """The names that ``text`` does not write as code (`name`)."""
    return sorted({name for name in names if f"`{name}`" not in text})


def fixed_codes(f) -> list[str]:
    """The codes of a field with fixed choices (country's are ISO 3166's, named as a standard)."""
    if f.vocabulary or f.kind not in (Kind.CHOICE, Kind.CODE_LIST) or f.name == "country":
        return []
    return [code for code, _ in f.choices]


def shape_fields(shape) -> set[str]:
    """Every field name of a serializer and of the serializers inside it."""
    names = set()
    for name, field in shape().fields.items():
        names.add(name)
        inner = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(inner, serializers.Serializer):
            names |= shape_fields(type(inner))
    return names


def test_every_endpoint_is_in_the_table_of_endpoints():
    endpoints = part("Endpoints")
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if f"`{method.upper()} {path}`" not in endpoints
    ]
    # The root's list includes what the schema leaves out (the schema and its docs page).
    missing += [f"/api/v1/{path}" for path in endpoint_paths() if f"/api/v1/{path}`" not in endpoints]
    assert missing == []


def test_every_key_of_the_case_document_is_described():
    document = part("The case document")
    assert unmentioned(CaseOut().fields, document) == []
    assert unmentioned([f.name for f in CASE_FIELDS], part("Case fields")) == []
    assert unmentioned([f.name for f in PUBLICATION_FIELDS], part("`publication`")) == []
    added = [name for name in READ_ONLY_FIELDS if name in CaseOut().fields]
    assert unmentioned([*added, *(f.name for f in RECORD_FIELDS)], part("What the registry adds")) == []


def test_every_list_field_and_its_codes_are_described():
    owner = {inner.key: child.key for child in ALL_LISTS for inner in child.children}
    for child in ALL_LISTS:
        title = f"`{owner[child.key]}[].{child.key}[]`" if child.key in owner else f"`{child.key}[]`"
        text = part(title)
        names = [*child.document_keys, *((child.links.by_position,) if child.links else ())]
        assert unmentioned(names, text) == [], title
        for f in child.fields:
            assert unmentioned(fixed_codes(f), text) == [], f"{title} {f.name}"
            if f.vocabulary:
                assert f"`{f.vocabulary}`" in text, f"{title} {f.name}: its vocabulary"
    for f in CASE_FIELDS:
        assert unmentioned(fixed_codes(f), part("Case fields")) == [], f.name


def test_computed_criteria_and_quality_issues_are_described():
    text = part("`criteria_computed[]`")
    for shape in (CriteriaComputedOut, CriteriaItemOut, CriteriaRuleOut, CriteriaChangeOut):
        assert unmentioned(shape().fields, text) == [], shape.__name__
    assert unmentioned(criteria.SETS, text) == []
    assert unmentioned(criteria.STATUSES, text) == []
    assert unmentioned([check.code for check in CHECKS], part("`quality_issues[]`")) == []
    explained = part("Classification criteria")
    assert unmentioned([*criteria.SETS, "criteria_met", "criteria_status"], explained) == []


def test_every_rule_for_researchers_names_its_fields():
    # What the document schema withholds, shortens or masks for a reader without identifiers.
    text = part("What researchers see")
    flagged = [
        f.name for _, f in all_fields() if f.withheld or f.age or f.age_clue or f.kind in (Kind.DATE, Kind.TIMESTAMP)
    ]
    flagged += [f.name for f in RECORD_FIELDS]
    assert unmentioned(flagged, text) == []


def test_every_case_filter_and_its_values_are_described():
    text = part("Case filters")
    assert unmentioned(CaseFilterSet.base_filters, text) == []
    for name, case_filter in CaseFilterSet.base_filters.items():
        if name in ("ordering", "criteria_status", "criteria_met"):
            continue  # ordering has a section of its own; criteria values are the sets, checked with them
        values = [value for value, _ in case_filter.extra.get("choices", [])]
        assert unmentioned(values, text) == [], name
    assert unmentioned(ORDERINGS, part("Ordering")) == []


def test_every_long_table_and_its_own_filters_are_listed():
    text = part("Long tables")
    tables = {child.route: ROW_FILTERSETS[child.key] for child in ALL_LISTS} | {"criteria": CriteriaResultFilterSet}
    for route, filterset in tables.items():
        line = next((line for line in text.splitlines() if f"`/api/v1/{route}/`" in line), None)
        assert line is not None, route
        assert unmentioned(filterset.declared_filters, line) == [], route


def test_every_export_file_column_and_manifest_key_is_described():
    assert unmentioned(case_columns(deidentify=False), part("`cases.csv`")) == []
    text = part("`tables.zip`")
    files = [f"{child.key}.csv" for child in ALL_LISTS] + ["cases.csv", "criteria.csv", "manifest.json"]
    assert unmentioned(files, text) == []
    assert unmentioned([*CRITERIA_COLUMNS, *VOCABULARY_COLUMNS], text) == []
    assert all(f"`vocabulary_{name}.csv`" in text or "`vocabulary_<name>.csv`" in text for name in VOCABULARIES)
    keys = manifest(AnonymousUser(), {}, timezone.now(), [])
    assert unmentioned(keys, text) == []


def test_every_statistic_and_what_it_answers_are_described():
    shared = intro("Statistics")
    for name in STATISTICS:
        path = f"/api/v1/stats/{name}/"
        shape = resolve(path).func.view_class.serializer_class
        assert unmentioned(shape_fields(shape), part(f"`{path}`") + shared) == [], path


def test_every_code_list_and_its_columns_are_described():
    text = part("Vocabularies")
    assert unmentioned([*VOCABULARIES, *DEFINED_CODES], text) == []
    assert unmentioned(COMMON, text) == []
    common = {f.name for f in Concept._meta.fields}
    for name, model in VOCABULARIES.items():
        line = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        own = [f.name for f in model._meta.concrete_fields if f.name not in common]
        assert unmentioned(own, line) == [], name
    for code, _ in DEFINED_CODES["response"][0].items():
        assert f"`{code}`" in text


def test_the_reference_is_linked_and_its_links_lead_somewhere():
    assert "docs/api.md" in (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert "docs/api.md" in settings.SPECTACULAR_SETTINGS["DESCRIPTION"]
    anchors = {_slug(m.group(2)) for m in _headings()}
    for target in re.findall(r"\]\(([^)]+)\)", TEXT):
        if target.startswith("#"):
            assert target[1:] in anchors, target
        elif not target.startswith("http"):
            assert (REFERENCE.parent / target).exists(), target


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub and most Markdown viewers make it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")
