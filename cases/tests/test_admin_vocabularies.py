"""Vocabulary curation: concepts with a parent and standard codes; in use means deactivate, not delete."""

import json

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from cases.document import case_document as stored_document
from cases.models import Agent, Case, Condition
from cases.services import CaseValidationError, case_create
from conftest import case_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_a_curator_adds_a_concept_with_a_parent_and_standard_codes(curator_client, make_case):
    response = curator_client.post(
        reverse("admin:cases_condition_add"),
        {
            "code": "ssc_overlap_myositis",
            "label": "SSc–myositis overlap",
            "parent": "ssc",
            "snomed": "",
            "icd10": "M34.8",
            "sort_order": "0",
            "active": "on",
        },
    )
    assert response.status_code == 302
    concept = Condition.objects.get(code="ssc_overlap_myositis")
    assert (concept.parent_id, concept.icd10, concept.path) == ("ssc", "M34.8", "ssc/ssc_overlap_myositis/")
    # The new concept is at once a valid entry, and found by a filter on its parent.
    case = make_case(diagnoses=[{"condition": "ssc_overlap_myositis", "is_primary": True}])
    assert list(Case.objects.with_condition("ssc")) == [case]


def test_a_code_cannot_be_changed_once_created(curator_client):
    page = curator_client.get(reverse("admin:cases_condition_change", args=["ssc"])).content.decode()
    assert 'name="label"' in page and 'name="code"' not in page


def test_the_vocabulary_list_shows_inactive_concepts_clearly(curator_client):
    Condition.objects.filter(code="uctd").update(active=False)
    page = curator_client.get(reverse("admin:cases_condition_changelist")).content.decode()
    assert "<del>Undifferentiated connective tissue disease</del> <strong>(inactive)</strong>" in page
    active_only = curator_client.get(reverse("admin:cases_condition_changelist"), {"active__exact": "1"})
    assert "uctd" not in [c.code for c in active_only.context["cl"].result_list]


def test_deleting_a_concept_in_use_is_refused_saying_where_it_is_used(curator_client, make_case):
    case = make_case(treatments=[{"agent": "colchicine", "indication": "calcinosis", "response": "none"}])
    url = reverse("admin:cases_agent_delete", args=["colchicine"])
    page = curator_client.get(url).content.decode()
    assert "cannot be deleted" in page
    assert f"1 treatment course in cases {case.registry_id}" in page
    assert "Deactivate it instead" in page
    curator_client.post(url, {"post": "yes"})
    assert Agent.objects.filter(code="colchicine").exists()


def test_a_concept_with_sub_concepts_cannot_be_deleted(curator_client):
    page = curator_client.get(reverse("admin:cases_agent_delete", args=["ccb"])).content.decode()
    assert "3 sub-concepts: amlodipine, diltiazem, nifedipine" in page


def test_the_delete_action_refuses_concepts_in_use_too(curator_client, make_case):
    make_case()  # uses ssc_limited
    data = {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: ["ssc_limited", "ra"], "post": "yes"}
    response = curator_client.post(reverse("admin:cases_condition_changelist"), data)
    assert "cannot be deleted" in response.content.decode()
    assert Condition.objects.filter(code__in=["ssc_limited", "ra"]).count() == 2


def test_an_unused_concept_can_be_deleted(curator_client):
    Condition.objects.create(code="typo_concept", label="Typo")
    response = curator_client.post(reverse("admin:cases_condition_delete", args=["typo_concept"]), {"post": "yes"})
    assert response.status_code == 302
    assert not Condition.objects.filter(code="typo_concept").exists()


def test_a_deactivated_concept_is_refused_for_new_entries_and_kept_on_old_ones(curator_client, make_case, curator):
    old = make_case(treatments=[{"agent": "colchicine", "indication": "calcinosis", "response": "none"}])
    data = {"action": "deactivate", helpers.ACTION_CHECKBOX_NAME: ["colchicine"]}
    assert curator_client.post(reverse("admin:cases_agent_changelist"), data).status_code == 302
    assert not Agent.objects.get(code="colchicine").active

    with pytest.raises(CaseValidationError) as refused:
        case_create(
            user=curator,
            data=case_document(treatments=[{"agent": "colchicine", "indication": "calcinosis", "response": "none"}]),
        )
    assert "no longer in use" in refused.value.message_dict["treatments.0.agent"][0]

    document = stored_document(Case.objects.for_detail().get(pk=old.pk))
    assert [t["agent"] for t in document["treatments"]] == ["colchicine"]
    page = curator_client.get(reverse("admin:cases_case_change", args=[old.pk])).content.decode()
    assert "Colchicine (colchicine) — inactive" in page


def test_the_case_page_pickers_offer_active_concepts_only(curator_client):
    Agent.objects.filter(code="colchicine").update(active=False)
    url = reverse("admin:autocomplete")
    params = {"app_label": "cases", "model_name": "treatmentcourse", "field_name": "agent", "term": "col"}
    found = [r["id"] for r in json.loads(curator_client.get(url, params).content)["results"]]
    assert "colchicine" not in found
    params["term"] = "dilti"
    assert [r["id"] for r in json.loads(curator_client.get(url, params).content)["results"]] == ["diltiazem"]


def test_a_site_or_publication_with_cases_is_not_deleted_and_the_page_names_the_cases(curator_client, make_case):
    from cases.models import Publication, Site

    case = make_case(source="literature", publication={"doi": "10.1000/kept"})
    site_page = curator_client.get(reverse("admin:cases_site_delete", args=[case.site_id])).content.decode()
    assert f"1 case: {case.registry_id}" in site_page
    paper = Publication.objects.get(doi="10.1000/kept")
    curator_client.post(reverse("admin:cases_publication_delete", args=[paper.pk]), {"post": "yes"})
    assert Publication.objects.filter(pk=paper.pk).exists() and Site.objects.filter(pk=case.site_id).exists()
