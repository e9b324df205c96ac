"""The history in words: labels instead of codes and ids, in the order a case reads, nothing left out."""

import re

import pytest
from django.urls import reverse

from cases.history import case_history
from cases.services import case_update
from conftest import case_document

pytestmark = pytest.mark.django_db

PUBLICATION = {"doi": "10.1000/calc.1", "title": "Calcinosis of the hands", "year": 2020, "citation": "Doe J. 2020."}


@pytest.fixture
def case(make_case, clinician_a):
    return make_case(
        user=clinician_a,
        source="literature",
        publication=PUBLICATION,
        calcinosis_sites=[{"region": "finger_5", "laterality": "right", "methods": ["radiograph"]}],
        treatments=[{"agent": "diltiazem", "response": "partial", "site_indexes": [0]}],
    )


def test_the_save_that_entered_a_case_reads_case_first_and_ties_last(case):
    tables = [entry.table for entry in case_history(case)]
    assert tables[0] == "case"
    assert tables[-1] == "treatment target"
    # Each kind of row together, in the order of the case.
    assert tables == sorted(tables, key=tables.index)


def test_the_treatment_to_site_tie_and_the_publication_are_in_the_history(case):
    entries = case_history(case)
    [tie] = [e for e in entries if e.table == "treatment target"]
    assert tie.action == "insert"
    assert tie.row_label == "Treatment Diltiazem → site Little finger (finger 5), right"
    fields = {change.label: change.new for change in entries[0].fields}
    assert fields["publication"] == "Doe J. 2020."
    assert fields["site"] == "Clinic A"
    assert fields["sex"] == "Female"


def test_codes_and_flags_read_as_words(case):
    [diagnosis] = [e for e in case_history(case) if e.table == "diagnosis"]
    assert diagnosis.row_label == "Limited cutaneous systemic sclerosis (incl. CREST)"
    fields = {change.label: change.new for change in diagnosis.fields}
    assert fields["condition"] == "Limited cutaneous systemic sclerosis (incl. CREST)"
    assert fields["is primary"] == "yes"


def test_the_case_page_shows_labels_not_columns(client, clinician_a, curator, case):
    case_update(user=curator, case=case, data={"age_at_presentation": 52}, version=case.version, partial=True)
    client.force_login(clinician_a)
    html = client.get(reverse("cases:detail", args=[case.registry_id])).content.decode()
    history = html[html.index('id="history-heading"') :]
    assert 'Treatment target added <strong class="history-row">Treatment Diltiazem → site Little finger' in history
    assert "<em>publication</em> <ins>Doe J. 2020.</ins>" in history
    assert "<em>is primary</em> <ins>yes</ins>" in history
    for raw in ("site_id", "condition_id", "site id", "condition id", ">True<", "#"):
        assert raw not in history, raw
    assert "latest save comes first" in history
    assert history.index("Edited") < history.index("Entered")


def test_the_admin_history_reads_the_same_words(client, curator, case):
    client.force_login(curator)
    html = client.get(reverse("admin:cases_case_history", args=[case.pk])).content.decode()
    assert "Treatment Diltiazem → site Little finger (finger 5), right" in html
    assert "Doe J. 2020." in html
    assert "Limited cutaneous systemic sclerosis" in html
    assert not re.search(r"condition_id|site_id|is_primary|>True<", html)
    assert "oldest first" in html.lower()


def test_the_api_history_keeps_its_shape_and_adds_the_words(client, clinician_a, case):
    from api.tests.conftest import client_with_token

    entries = client_with_token(clinician_a).get(f"/api/v1/cases/{case.registry_id}/history/").json()
    first = entries[0]
    assert {"when", "user", "action", "table", "row_id", "operation", "changes"} <= set(first)
    assert first["changes"]["sex"] == [None, "female"]
    assert {"field": "sex", "label": "sex", "old": None, "new": "Female"} in first["fields"]
    assert any(e["row_label"].startswith("Treatment Diltiazem → site") for e in entries)


def test_a_document_replace_records_the_ties_it_removes(case, clinician_a):
    doc = case_document(
        source="literature",
        publication=PUBLICATION,
        calcinosis_sites=[{"region": "finger_5", "laterality": "right", "methods": ["radiograph"]}],
        treatments=[{"agent": "diltiazem", "response": "partial", "site_indexes": []}],
    )
    case_update(user=clinician_a, case=case, data=doc, version=case.version)
    removed = [e for e in case_history(case) if e.table == "treatment target" and e.action == "delete"]
    assert [e.row_label for e in removed] == ["Treatment Diltiazem → site Little finger (finger 5), right"]
