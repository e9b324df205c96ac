"""A draft literature case may wait for its reference; submitting it needs one (issue 17.5). Before, a clinician
with an incomplete reference typed a placeholder, which then hid the missing-publication check."""

import pytest
from django.urls import reverse

from api.tests.conftest import client_with_token
from cases import quality
from cases.document import case_document as stored_document
from cases.models import Case
from cases.services import CaseValidationError, case_create, case_update
from cases.tests.form_pages import fill, page_form
from conftest import SiteFactory, case_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def literature(clinician_a):
    site = SiteFactory(code="literature", name="Published case reports")
    clinician_a.memberships.create(site=site)
    return site


def draft(**overrides):
    return case_document(site="literature", source="literature", status="draft", publication=None, **overrides)


def test_a_draft_is_stored_without_its_publication_and_flagged(clinician_a, literature):
    case = case_create(user=clinician_a, data=draft())
    assert case.publication is None and case.status == "draft"
    issues = stored_document(Case.objects.for_detail().get(pk=case.pk))["quality_issues"]
    assert "literature_without_reference" in {issue["code"] for issue in issues}
    assert Case.objects.filter(quality.CHECKS_BY_CODE["literature_without_reference"].expression(Case)).exists()


def test_submitting_it_needs_the_publication(clinician_a, literature):
    case = case_create(user=clinician_a, data=draft())
    with pytest.raises(CaseValidationError) as caught:
        case_update(user=clinician_a, case=case, data={"status": "submitted"}, version=case.version, partial=True)
    assert "save it as a draft" in caught.value.nested["publication"][0]
    reference = {"status": "submitted", "publication": {"citation": "J Rare Dis 2024; 1: 1."}}
    case = case_update(user=clinician_a, case=case, data=reference, version=case.version, partial=True)
    assert case.status == "submitted" and case.publication.citation == "J Rare Dis 2024; 1: 1."


def test_the_api_refuses_a_submitted_one_with_a_400_naming_publication(clinician_a, literature):
    client = client_with_token(clinician_a)
    refused = client.post("/api/v1/cases/", {**draft(), "status": "submitted"}, format="json")
    assert refused.status_code == 400 and "publication" in refused.json()
    created = client.post("/api/v1/cases/", draft(), format="json")
    assert created.status_code == 201 and created.json()["publication"] is None


def test_the_form_saves_a_draft_without_a_reference(client, clinician_a, literature):
    client.force_login(clinician_a)
    values = fill(page_form(client, reverse("cases:new")), draft(local_reference="awaiting-reference"))
    response = client.post(reverse("cases:new"), values)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(local_reference="awaiting-reference")
    assert (case.status, case.publication) == ("draft", None)
