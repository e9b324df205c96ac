"""The entry form speaks the second edition: follow-up visits with their scores and lesion findings,
biopsies, consent, onset ages; the service's refusals inside a visit come back beside their inputs; a code
typed by another name is found without the page's script."""

import re

import pytest
from django.urls import reverse

from cases.document import case_document
from cases.models import Assessment, Case
from cases.tests.form_pages import FormReader, assert_stored, fill, page_form
from conftest import case_document as clinic_document

pytestmark = pytest.mark.django_db

FOLLOWED_UP = clinic_document(
    calcinosis_onset_age=44,
    consent_scope=["registry", "data_sharing"],
    consent_on="2024-03-01",
    ethics_reference="EC-2024-117",
    diagnoses=[
        {
            "condition": "dm",
            "is_primary": True,
            "certainty": "confirmed",
            "age_at_onset": 41,
            "duration_years": 9,
            "duration_basis": "since_onset",
            "criteria_stated": ["eular_acr_2017_iim", "bohan_peter_1975"],
        },
        {"condition": "ssc", "is_primary": False, "certainty": "suspected"},
    ],
    features=[
        {"feature": "digital_tip_ulcers", "status": "present", "timing": "past", "notes": "Healed."},
        {"feature": "raynaud", "status": "present", "timing": "current"},
    ],
    serology=[{"test": "anti_nxp2", "result": "positive", "method": "line_blot"}],
    labs=[
        {"test": "calcium", "value": "2.4", "unit": "mmol/L"},
        {"test": "schirmer", "value": "4", "unit": "mm", "laterality": "left"},
    ],
    calcinosis_sites=[
        {
            "region": "elbow",
            "laterality": "right",
            "methods": ["radiograph", "clinical_exam"],
            "depth": "subcutaneous",
            "count": 3,
            "size_mm": "14",
            "size_short_mm": "9",
            "extruding": True,
            "pain_nrs": 6,
        },
        {"region": "thigh", "laterality": "left", "methods": ["ct"], "depth": "fascial", "size_mm": "30"},
    ],
    treatments=[
        {
            "agent": "sodium_thiosulfate",
            "route": "intralesional",
            "indication": "calcinosis",
            "regimen": "A",
            "response": "partial",
            "response_scope": "regimen",
            "response_basis": "size",
            "size_change_pct": "-40",
            "response_at_months": "6",
            "stop_reason": "completed",
            "site_indexes": [0],
        },
        {
            "agent": "diltiazem",
            "route": "oral",
            "indication": "calcinosis",
            "regimen": "A",
            "response": "partial",
            "response_scope": "regimen",
            "site_indexes": [0, 1],
        },
    ],
    biopsies=[
        {
            "tissue": "muscle",
            "findings": ["perimysial_perivascular_infiltrate", "perifascicular_atrophy"],
            "performed_on": "2023-11-02",
            "notes": "Deltoid.",
        }
    ],
    assessments=[
        {
            "months_from_presentation": 0,
            "calcinosis_course": "not_assessed",
            "scores": [{"instrument": "pain_nrs", "value": 6}, {"instrument": "cdasi_activity", "value": 18}],
            "site_findings": [{"site_id": 0, "size_mm": "14", "painful": True, "pain_nrs": 6}],
        },
        {
            "months_from_presentation": "6.5",
            "assessed_on": "2024-09-10",
            "calcinosis_course": "improved",
            "new_sites": False,
            "scores": [
                {"instrument": "pain_nrs", "value": 3},
                {"instrument": "patient_global", "value": "4.5"},
                {"instrument": "haq_di", "value": "1.125"},
            ],
            "site_findings": [
                {"site_id": 0, "size_mm": "9", "change": "smaller", "ulcerated": False},
                {"site_id": 1, "size_mm": "30", "change": "stable", "notes": "Unchanged on CT."},
            ],
            "notes": "Less pain.",
        },
    ],
)


def post_new(client, doc):
    return client.post(reverse("cases:new"), fill(page_form(client, reverse("cases:new")), doc))


def test_a_case_with_visits_scores_lesion_findings_and_a_biopsy_goes_in_through_the_form(client, clinician_a):
    client.force_login(clinician_a)
    response = post_new(client, FOLLOWED_UP)
    assert response.status_code == 302, FormReader(response.content.decode()).values
    assert_stored(Case.objects.get(), FOLLOWED_UP)


def test_the_edit_page_shows_the_visits_and_saving_it_unchanged_changes_nothing(client, clinician_a):
    client.force_login(clinician_a)
    post_new(client, FOLLOWED_UP)
    case = Case.objects.get()
    stored = case_document(Case.objects.for_detail().get(pk=case.pk))
    finding_ids = list(Assessment.objects.filter(case=case).values_list("site_findings__id", flat=True))
    url = reverse("cases:edit", args=[case.registry_id])
    values = page_form(client, url)
    values.pop("_templates")
    # The second visit's three scores, then its empty slots; the first lesion is picked in its findings.
    assert values["assessments-1-scores-TOTAL_FORMS"] == ["4"]
    assert values["assessments-1-scores-2-instrument"] == ["haq_di"]
    assert values["assessments-1-site_findings-0-lesion"] == ["0"]
    assert client.post(url, values).status_code == 302
    again = case_document(Case.objects.for_detail().get(pk=case.pk))
    assert {k: v for k, v in again.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in stored.items() if k not in ("version", "updated_at")
    }
    # The lesion findings are the same rows, found again by their lesion: not removed and added anew.
    assert list(Assessment.objects.filter(case=case).values_list("site_findings__id", flat=True)) == finding_ids


def test_a_score_and_a_finding_are_changed_and_removed_in_place(client, clinician_a):
    client.force_login(clinician_a)
    post_new(client, FOLLOWED_UP)
    case = Case.objects.get()
    url = reverse("cases:edit", args=[case.registry_id])
    values = page_form(client, url)
    values.pop("_templates")
    values["assessments-1-scores-0-value"] = ["2"]
    values["assessments-1-scores-1-DELETE"] = ["on"]
    values["assessments-1-site_findings-1-DELETE"] = ["on"]
    values["assessments-0-scores-2-instrument"] = ["mmt8"]  # an empty slot filled in
    values["assessments-0-scores-2-value"] = ["72"]
    assert client.post(url, values).status_code == 302
    visits = case_document(Case.objects.for_detail().get(pk=case.pk))["assessments"]
    assert [(s["instrument"], s["value"]) for s in visits[1]["scores"]] == [("pain_nrs", 2), ("haq_di", 1.125)]
    assert [f["change"] for f in visits[1]["site_findings"]] == ["smaller"]
    assert [s["instrument"] for s in visits[0]["scores"]] == ["pain_nrs", "cdasi_activity", "mmt8"]


def field_html(html: str, input_id: str) -> str:
    """The field block of one input: from its wrapper to the end of its error."""
    start = html.index(f'id="{input_id}-field"')
    return html[start : html.index("</div>", html.index(f'id="{input_id}-error"', start))]


def test_a_wrong_side_a_thumbs_middle_phalanx_and_a_score_out_of_range_come_back_beside_their_inputs(
    client, clinician_a
):
    client.force_login(clinician_a)
    doc = clinic_document(
        calcinosis_sites=[
            {"region": "sacrum", "laterality": "left", "methods": ["radiograph"]},
            {"region": "finger_1", "laterality": "right", "digit_segment": "middle", "methods": ["clinical_exam"]},
        ],
        treatments=[],
        assessments=[
            {
                "months_from_presentation": 3,
                "scores": [{"instrument": "patient_global", "value": "4.5"}, {"instrument": "pain_nrs", "value": "12"}],
                "site_findings": [{"site_id": 1, "size_mm": "5", "change": "smaller"}],
            }
        ],
    )
    values = fill(page_form(client, reverse("cases:new")), doc)
    response = client.post(reverse("cases:new"), values)
    assert response.status_code == 400
    html = response.content.decode()
    assert Case.objects.count() == 0
    assert "Sacrum (sacrum) takes midline, unknown." in field_html(html, "id_calcinosis_sites-0-laterality")
    assert "has no middle phalanx" in field_html(html, "id_calcinosis_sites-1-digit_segment")
    score = field_html(html, "id_assessments-0-scores-1-value")
    assert "takes 0 to 10." in score and "0–10, step 1" in score  # the message and the range beside the value
    assert 'href="#id_assessments-0-scores-1-value"' in html  # the summary at the top links to it
    assert len(re.findall(r'class="field[^"]* has-error', html)) == 3
    kept = FormReader(html).values
    for name, value in values.items():
        if name != "csrfmiddlewaretoken":
            assert kept.get(name, []) == value, name


def test_a_lesion_no_longer_on_the_page_is_refused_beside_its_finding(client, clinician_a):
    client.force_login(clinician_a)
    post_new(client, FOLLOWED_UP)
    case = Case.objects.get()
    url = reverse("cases:edit", args=[case.registry_id])
    values = page_form(client, url)
    values.pop("_templates")
    values["calcinosis_sites-1-DELETE"] = ["on"]  # the thigh, still named by a finding of the second visit
    response = client.post(url, values)
    assert response.status_code == 400
    finding = field_html(response.content.decode(), "id_assessments-1-site_findings-1-lesion")
    assert "is not among this case&#x27;s sites" in finding


@pytest.mark.parametrize(
    ("key", "field", "typed", "code"),
    [
        ("diagnoses", "condition", "JDM", "jdm"),
        ("serology", "test", "ANA", "ana"),
        ("serology", "test", "NXP2", "anti_nxp2"),
        ("treatments", "agent", "thiosulphate", "sodium_thiosulfate"),
        ("treatments", "agent", "sodium thio", "sodium_thiosulfate"),
        ("treatments", "agent", "Sodium Thiosulfate", "sodium_thiosulfate"),
        ("calcinosis_sites", "region", "little finger", "finger_5"),
    ],
)
def test_a_code_typed_by_another_name_is_found_without_the_script(client, clinician_a, key, field, typed, code):
    client.force_login(clinician_a)
    values = fill(page_form(client, reverse("cases:new")), clinic_document())
    values[f"{key}-0-{field}"] = [typed]
    assert client.post(reverse("cases:new"), values).status_code == 302
    stored = case_document(Case.objects.for_detail().get())
    assert stored[key][0][field] == code


def test_a_text_that_names_several_concepts_stays_as_typed_with_the_services_message(client, clinician_a):
    client.force_login(clinician_a)
    values = fill(page_form(client, reverse("cases:new")), clinic_document())
    values["serology-0-test"] = ["anti ro"]  # anti-Ro (SSA) and anti-Ro52
    response = client.post(reverse("cases:new"), values)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown code &#x27;anti ro&#x27;." in field_html(html, "id_serology-0-test")
    assert FormReader(html).values["serology-0-test"] == ["anti ro"]


def test_the_response_field_shows_what_each_response_means(client, clinician_a, make_case):
    case = make_case(user=clinician_a)
    client.force_login(clinician_a)
    html = client.get(reverse("cases:edit", args=[case.registry_id])).content.decode()
    definitions = html[html.index('id="id_treatments-0-response-help"') :]
    definitions = definitions[: definitions.index("</dl>")]
    assert '<div data-code="partial" class="chosen"><dt>Partial</dt>' in definitions
    assert "the source says the lesions did not resolve, without saying whether they improved" in definitions
    assert 'aria-describedby="id_treatments-0-response-help"' in html
