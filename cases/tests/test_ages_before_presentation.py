"""An onset or a diagnosis after the age at presentation is refused at the field that says it (issue 17.4)."""

import pytest
from django.urls import reverse

from api.tests.conftest import client_with_token
from cases.models import Case
from cases.services import CaseValidationError, case_create, case_update
from cases.tests.form_pages import fill, page_form
from conftest import case_document

pytestmark = pytest.mark.django_db


def refused(user, **overrides) -> dict:
    with pytest.raises(CaseValidationError) as caught:
        case_create(user=user, data=case_document(**overrides))
    return caught.value.nested


def diagnosis(**ages):
    return [{"condition": "ssc_limited", "is_primary": True, **ages}]


@pytest.mark.parametrize("name", ["age_at_onset", "age_at_diagnosis"])
def test_a_diagnosis_after_the_presentation_is_refused_at_its_field(curator, site_a, name):
    errors = refused(curator, age_at_presentation=38, diagnoses=diagnosis(**{name: 45}))
    assert "after the age at presentation (38)" in errors["diagnoses"][0][name][0]
    assert Case.objects.count() == 0


def test_the_calcinosis_cannot_begin_after_the_presentation(curator, site_a):
    errors = refused(curator, age_at_presentation=38, calcinosis_onset_age=40)
    assert "after the age at presentation (38)" in errors["calcinosis_onset_age"][0]


def test_ages_up_to_the_presentation_are_taken(curator, site_a):
    case = case_create(
        user=curator,
        data=case_document(
            age_at_presentation=38, calcinosis_onset_age=38, diagnoses=diagnosis(age_at_onset=30, age_at_diagnosis=38)
        ),
    )
    assert case.diagnoses.get().age_at_diagnosis == 38
    # Without an age at presentation there is nothing to compare with.
    assert case_create(user=curator, data=case_document(age_at_presentation=None, diagnoses=diagnosis(age_at_onset=70)))


def test_lowering_the_presentation_age_alone_is_checked_against_the_stored_diagnoses(curator, site_a):
    case = case_create(user=curator, data=case_document(age_at_presentation=50, diagnoses=diagnosis(age_at_onset=45)))
    with pytest.raises(CaseValidationError) as caught:
        case_update(user=curator, case=case, data={"age_at_presentation": 40}, version=case.version, partial=True)
    assert "age_at_onset" in caught.value.nested["diagnoses"][0]
    case.refresh_from_db()
    assert case.age_at_presentation == 50


def test_the_api_answers_400_naming_the_field(curator, site_a):
    response = client_with_token(curator).post(
        "/api/v1/cases/", case_document(age_at_presentation=38, diagnoses=diagnosis(age_at_diagnosis=45)), format="json"
    )
    assert response.status_code == 400
    assert "age_at_diagnosis" in response.json()["diagnoses"][0]


def test_the_form_shows_it_beside_the_diagnosis(client, clinician_a, site_a):
    client.force_login(clinician_a)
    doc = case_document(age_at_presentation=38, diagnoses=diagnosis(age_at_diagnosis=45))
    response = client.post(reverse("cases:new"), fill(page_form(client, reverse("cases:new")), doc))
    assert response.status_code == 400
    html = response.content.decode()
    row = html[html.index('id="diagnoses-row-0"') :]
    row = row[: row.index("</fieldset>")]
    assert "The age at diagnosis (45) is after the age at presentation (38)" in row
    assert Case.objects.count() == 0
