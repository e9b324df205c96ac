"""The admin's case page and the second edition: lists of codes are ticked, not typed as comma-separated
text; a visit's scores and lesion findings are shown read-only (with the way to the entry form) and kept
when the page is saved; the new case fields are edited and never emptied by a save."""

import re

import pytest
from django.urls import reverse

from cases.document import case_document
from cases.models import Case
from cases.services import case_create
from cases.tests.test_admin_support import count_queries, form_data
from cases.tests.test_views_form_follow_up import FOLLOWED_UP

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def followed_up(clinician_a):
    return case_create(user=clinician_a, data=FOLLOWED_UP)


def change_url(case):
    return reverse("admin:cases_case_change", args=[case.pk])


def stored(case) -> dict:
    doc = case_document(Case.objects.for_detail().get(pk=case.pk))
    return {k: v for k, v in doc.items() if k not in ("version", "updated_at", "status")}


def ticked(html: str, name: str) -> list[str]:
    """The values of the checked boxes named ``name``."""
    boxes = re.findall(rf'<input type="checkbox" name="{re.escape(name)}" value="([^"]+)"[^>]*>', html)
    checked = re.findall(rf'<input type="checkbox" name="{re.escape(name)}" value="([^"]+)"[^>]*checked', html)
    assert boxes, f"no ticks named {name}"
    return checked


def test_lists_of_codes_are_ticks(curator_client, followed_up):
    html = curator_client.get(change_url(followed_up)).content.decode()
    assert ticked(html, "calcinosis_sites-0-methods") == ["radiograph", "clinical_exam"]
    assert ticked(html, "diagnoses-0-criteria_stated") == ["eular_acr_2017_iim", "bohan_peter_1975"]
    assert ticked(html, "biopsies-0-findings") == ["perimysial_perivascular_infiltrate", "perifascicular_atrophy"]
    assert ticked(html, "consent_scope") == ["registry", "data_sharing"]
    # Not the comma-separated text box of a plain array field.
    assert not re.search(r'<input type="text" name="calcinosis_sites-0-methods"', html)


def test_a_tick_changes_the_list(curator_client, followed_up):
    data = form_data(curator_client.get(change_url(followed_up)))
    data["calcinosis_sites-1-methods"] = ["ct", "mri"]
    data["consent_scope"] = ["publication"]
    response = curator_client.post(change_url(followed_up), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    doc = stored(followed_up)
    assert doc["calcinosis_sites"][1]["methods"] == ["ct", "mri"]
    assert doc["consent_scope"] == ["publication"]


def test_a_visits_scores_and_findings_are_shown_read_only_with_the_way_to_the_entry_form(curator_client, followed_up):
    html = curator_client.get(change_url(followed_up)).content.decode()
    inside = re.findall(r'<div class="recorded-inside">(.*?)</div>', html, re.S)
    assert len(inside) == 2
    assert (
        "Scores: Pain (numeric rating scale) 3; Patient global assessment 4.5; HAQ disability index 1.125" in inside[1]
    )
    assert "Lesions: site #" in inside[1] and "(Elbow, right): 9 mm, smaller" in inside[1]
    edit = reverse("cases:edit", args=[followed_up.registry_id])
    assert f'<a href="{edit}#section-assessments">Edit them in the entry form</a>' in inside[0]
    assert 'name="assessments-0-scores' not in html  # not editable here


def test_saving_the_page_unchanged_keeps_the_visits_inner_lists_and_the_new_case_fields(curator_client, followed_up):
    before = stored(followed_up)
    response = curator_client.post(change_url(followed_up), form_data(curator_client.get(change_url(followed_up))))
    assert response.status_code == 302, response.context and response.context["errors"]
    after = stored(followed_up)
    assert after == before
    assert [len(visit["scores"]) for visit in after["assessments"]] == [2, 3]
    assert (after["calcinosis_onset_age"], after["ethics_reference"]) == (44, "EC-2024-117")


def test_the_read_only_lists_cost_the_same_queries_for_one_visit_or_many(curator_client, clinician_a):
    def with_visits(n, reference):
        visits = [
            {
                "months_from_presentation": month,
                "scores": [{"instrument": "pain_nrs", "value": 3}],
                "site_findings": [{"site_id": 0, "size_mm": "4"}],
            }
            for month in range(n)
        ]
        return case_create(user=clinician_a, data={**FOLLOWED_UP, "local_reference": reference, "assessments": visits})

    one, many = with_visits(1, "one"), with_visits(6, "many")
    assert count_queries(lambda: curator_client.get(change_url(one))) == count_queries(
        lambda: curator_client.get(change_url(many))
    )
