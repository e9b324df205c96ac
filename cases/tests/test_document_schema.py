"""Every shape of the case document is derived from its one declaration, and none misses or adds a field.

Walks ``cases/document/schema.py`` against each derived shape: the document the
writer gives, what the reader accepts, the API's input and output serializers and
the OpenAPI schema, the browser's forms, the admin's case form and inlines, the
export columns, the long tables and the synthetic loader's columns. A field added
to the schema (and its model) appears in all of them, or this test says where not.
"""

import pytest

from api import serializers as shapes
from api.tests.conftest import client_with_token
from cases.admin.case_forms import CASE_FORM_FIELDS
from cases.admin.inlines import CASE_INLINES
from cases.document import case_document
from cases.document.reader import read_case
from cases.document.schema import (
    ALL_LISTS,
    CASE_FIELDS,
    CHILD_LISTS,
    CHILDREN,
    PUBLICATION_FIELDS,
    RECORD_FIELDS,
    Kind,
)
from cases.exports.sql import case_columns, child_columns
from cases.forms.case import CaseFieldsForm, FeatureChecklist, PublicationForm
from cases.forms.rows import ROW_FORMS
from cases.models import Case
from cases.synthetic import loader

CASE_NAMES = [f.name for f in CASE_FIELDS]
PUBLICATION_NAMES = [f.name for f in PUBLICATION_FIELDS]
RECORD_NAMES = [f.name for f in RECORD_FIELDS]


def keys(serializer_class) -> list[str]:
    return list(serializer_class().get_fields())


def test_the_api_output_is_the_document():
    assert keys(shapes.CaseOut) == [
        "registry_id",
        "version",
        *CASE_NAMES,
        *CHILDREN,
        "criteria_computed",
        "quality_issues",
        *RECORD_NAMES,
    ]
    assert keys(shapes.PublicationOut) == PUBLICATION_NAMES
    for child in ALL_LISTS:
        assert keys(shapes.CHILD_OUT[child.key]) == child.document_keys, child.key
        assert keys(shapes.ROW_SHAPES[child.key]) == child.row_keys, child.key


def test_the_api_input_takes_every_field_of_the_document():
    assert keys(shapes.CaseIn) == [*CASE_NAMES, *CHILDREN]
    assert keys(shapes.CaseReplaceIn) == [*CASE_NAMES, *CHILDREN, "version"]
    assert sorted(keys(shapes.PublicationIn)) == sorted(PUBLICATION_NAMES)
    for child in ALL_LISTS:
        links = [child.links.name, child.links.by_position] if child.links else []
        inner = [c.key for c in child.children]
        ids = ["id"] if child.has_ids else []
        assert keys(shapes.CHILD_IN[child.key]) == [*ids, *child.names, *links, *inner], child.key


@pytest.mark.django_db
def test_the_openapi_schema_describes_every_field(curator):
    schema = client_with_token(curator).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    for child in ALL_LISTS:
        name = f"{child.model.__name__}Out"
        assert list(components[name]["properties"]) == child.document_keys, name
        assert all(p.get("description") for p in components[name]["properties"].values()), name
    assert list(components["CaseOut"]["properties"])[: 2 + len(CASE_NAMES)] == ["registry_id", "version", *CASE_NAMES]


@pytest.mark.django_db
def test_the_writer_gives_and_the_reader_takes_exactly_the_schema(make_case, curator):
    case = make_case(
        source="literature",
        publication={"citation": "A summary.", "summarises": {"doi": "10.1000/primary"}},
        biopsies=[{"tissue": "skin", "findings": ["calcification"]}],
        assessments=[
            {
                "months_from_presentation": 3,
                "scores": [{"instrument": "pain_nrs", "value": 4}],
                "site_findings": [{"site_id": 0, "change": "smaller"}],
            }
        ],
    )
    doc = case_document(Case.objects.for_detail().get(pk=case.pk))
    assert list(doc) == [
        "registry_id",
        "version",
        *CASE_NAMES,
        *CHILDREN,
        "criteria_computed",
        "quality_issues",
        *RECORD_NAMES,
    ]
    assert list(doc["publication"]) == PUBLICATION_NAMES
    for child in CHILD_LISTS:
        assert doc[child.key], child.key  # every list holds a row, so that every row shape is checked
        for row in doc[child.key]:
            assert list(row) == child.document_keys, child.key
            for inner in child.children:
                assert [list(r) for r in row[inner.key]] == [inner.document_keys], inner.key
    # Sent back whole, every key is one the reader knows: no "Unknown field." anywhere.
    read = read_case(user=curator, data=doc, case=Case.objects.get(pk=case.pk))
    assert set(read.children) == set(CHILDREN)


@pytest.mark.django_db
def test_the_browser_form_has_an_input_for_every_field(curator):
    case_form = CaseFieldsForm(user=curator)
    assert list(case_form.fields) == ["version", *(f.name for f in CASE_FIELDS if f.kind is not Kind.PUBLICATION)]
    assert list(PublicationForm().fields) == PUBLICATION_NAMES
    for child in CHILD_LISTS:
        if child.checklist:
            # One line per feature of the vocabulary: its answer, and beside it every other field of the row.
            checklist = FeatureChecklist()
            code = checklist.features[0].code
            own = [code, *(f"{code}__{name}" for name in child.names if name not in ("feature", "status"))]
            assert [name for name in checklist.fields if name.split("__")[0] == code] == [*own, f"{code}__id"]
            continue
        expected = ["id", *child.names, *(["targets"] if child.links else [])]
        row = ROW_FORMS[child.key]()
        assert list(row.fields) == expected, child.key
        # The lists inside a row (a visit's scores and lesion findings): a formset each, an input per field.
        assert list(row.nested) == [inner.key for inner in child.children], child.key
        for inner in child.children:
            inner_row = row.nested[inner.key].empty_form
            assert [name for name in inner_row.fields if name != "DELETE"] == [
                *inner.names,
                *(["lesion"] if inner.links else []),
            ], inner.key


def test_the_admin_edits_every_field():
    assert CASE_FORM_FIELDS == [name for name in CASE_NAMES if name != "status"]  # status: the verify action
    inlines = {inline.child.key: inline for inline in CASE_INLINES}
    assert list(inlines) == list(CHILDREN)
    for child in CHILD_LISTS:
        assert inlines[child.key].fields == [*child.names, *(["target_sites"] if child.links else [])], child.key


def test_the_export_files_have_a_column_for_every_field():
    for deidentify in (False, True):
        columns = case_columns(deidentify)
        expected = [f.name for f in CASE_FIELDS if f.kind not in (Kind.PUBLICATION,)]
        expected += [f"publication_{name}" for name in PUBLICATION_NAMES] + RECORD_NAMES
        hidden = {"local_reference", "ethics_reference"} if deidentify else set()
        assert set(expected) - hidden <= set(columns)
        assert not hidden & set(columns)
        for child in ALL_LISTS:
            assert child_columns(child.key, deidentify) == child.row_keys, child.key


def test_the_synthetic_loader_writes_every_column():
    model_columns = {f.column for f in Case._meta.concrete_fields} - {"created_by_id", "verified_by_id"}
    assert set(loader.CASE_COLUMNS) == model_columns
    for child in ALL_LISTS:
        assert [name for name, _, _ in loader.CHILD_COLUMNS[child.key]] == child.written, child.key
