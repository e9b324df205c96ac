"""What bad input of the second edition gets (issue 11): a 400 naming the field, and nothing stored."""

import pytest

from cases.models import Case
from conftest import case_document

pytestmark = pytest.mark.django_db

VISIT = {"months_from_presentation": 3, "calcinosis_course": "stable"}

REFUSED = {
    "a lab value without a unit": (
        {"labs": [{"test": "calcium", "value": "2.4"}]},
        ["labs", 0, "unit"],
        "A value needs its unit (mg/dL, mmol/L).",
    ),
    "a unit the test does not take": (
        {"labs": [{"test": "calcium", "value": "2.4", "unit": "g/L"}]},
        ["labs", 0, "unit"],
        "Calcium (serum) is recorded in mg/dL, mmol/L, not 'g/L'.",
    ),
    "a value outside the plausible range, which the message gives": (
        {"labs": [{"test": "calcium", "value": "2.4", "unit": "mg/dL"}]},
        ["labs", 0, "value"],
        "Calcium (serum): a plausible value is 3 to 20 mg/dL; check the value and unit.",
    ),
    "a quantitative serology value without a unit": (
        {"serology": [{"test": "anti_dsdna", "result": "positive", "value": "120"}]},
        ["serology", 0, "unit"],
        "A value needs its unit (UCUM, e.g. [IU]/mL).",
    ),
    "a side the region cannot have": (
        {"calcinosis_sites": [{"region": "sacrum", "laterality": "left", "methods": ["ct"]}]},
        ["calcinosis_sites", 0, "laterality"],
        "Sacrum (sacrum) takes midline, unknown.",
    ),
    "a midline elbow": (
        {"calcinosis_sites": [{"region": "elbow", "laterality": "midline", "methods": ["ct"]}]},
        ["calcinosis_sites", 0, "laterality"],
        "Elbow (elbow) takes left, right, bilateral, unknown.",
    ),
    "a middle phalanx on a thumb": (
        {
            "calcinosis_sites": [
                {"region": "finger_1", "laterality": "right", "digit_segment": "middle", "methods": ["radiograph"]}
            ]
        },
        ["calcinosis_sites", 0, "digit_segment"],
        "The thumb (finger 1) has no middle phalanx.",
    ),
    "a middle phalanx on a great toe": (
        {
            "calcinosis_sites": [
                {"region": "toe_1", "laterality": "left", "digit_segment": "middle", "methods": ["radiograph"]}
            ]
        },
        ["calcinosis_sites", 0, "digit_segment"],
        "The great toe (toe 1, hallux) has no middle phalanx.",
    ),
    "a lesion seen by nothing": (
        {"calcinosis_sites": [{"region": "elbow", "laterality": "left", "methods": []}]},
        ["calcinosis_sites", 0, "methods"],
        "Give at least one method the lesion was seen by.",
    ),
    "a score outside its instrument's range": (
        {"assessments": [{**VISIT, "scores": [{"instrument": "pain_nrs", "value": 11}]}]},
        ["assessments", 0, "scores", 0, "value"],
        "Pain (numeric rating scale) (pain_nrs) takes 0 to 10.",
    ),
    "a score off its instrument's step": (
        {"assessments": [{**VISIT, "scores": [{"instrument": "haq_di", "value": "0.3"}]}]},
        ["assessments", 0, "scores", 0, "value"],
        "HAQ disability index (haq_di) moves in steps of 0.125.",
    ),
    "two assessments at the same month": (
        {"assessments": [VISIT, {**VISIT, "calcinosis_course": "improved"}]},
        ["assessments", 1, "months_from_presentation"],
        "Another assessment of this case is at month 3.",
    ),
    "a finding of a lesion the case does not have": (
        {"assessments": [{**VISIT, "site_findings": [{"site_id": 999999, "change": "smaller"}]}]},
        ["assessments", 0, "site_findings", 0, "site_id"],
        "Calcinosis site 999999 is not among this case's sites.",
    ),
    "a regimen's outcome without the regimen": (
        {
            "treatments": [
                {"agent": "ccb", "indication": "raynaud_vasculopathy", "response": "none", "response_scope": "regimen"}
            ]
        },
        ["treatments", 0, "regimen"],
        "A response for the regimen needs the regimen's label, shared by its other courses.",
    ),  # fmt: skip
    "a regimen label no other course shares": (
        {"treatments": [{"agent": "ccb", "response": "none", "response_scope": "regimen", "regimen": "A"}]},
        ["treatments", 0, "regimen"],
        "No other course of this case has the regimen 'A': the outcome is this course's own.",
    ),
    "a short axis longer than the lesion": (
        {
            "calcinosis_sites": [
                {"region": "elbow", "laterality": "left", "methods": ["ct"], "size_mm": 5, "size_short_mm": 8}
            ]
        },
        ["calcinosis_sites", 0, "size_short_mm"],
        "The short axis is no larger than the largest diameter (size_mm).",
    ),  # fmt: skip
}


def dig(errors, path):
    for step in path:
        errors = errors[step]
    return errors


@pytest.mark.parametrize("name", list(REFUSED))
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(api, name, site_a):
    changes, path, message = REFUSED[name]
    before = Case.objects.count()
    response = api("clinician_a").post("/api/v1/cases/", case_document(**changes), format="json")
    assert response.status_code == 400, response.content
    assert message in dig(response.json(), path)
    assert Case.objects.count() == before


def test_a_finding_cannot_name_a_lesion_of_another_case(api, make_case):
    other = make_case()
    foreign = other.calcinosis_sites.get().pk
    mine = make_case()
    doc = api("curator").get(f"/api/v1/cases/{mine.registry_id}/").json()
    doc["assessments"] = [{**VISIT, "site_findings": [{"site_id": foreign, "change": "larger"}]}]
    response = api("curator").put(f"/api/v1/cases/{mine.registry_id}/", doc, format="json")
    assert response.status_code == 400
    assert dig(response.json(), ["assessments", 0, "site_findings", 0, "site_id"]) == [
        f"Calcinosis site {foreign} is not among this case's sites."
    ]
    assert mine.assessments.count() == 0


def test_values_in_another_unit_are_also_given_in_the_canonical_one(api, site_a):
    doc = case_document(labs=[{"test": "calcium", "value": "2.4", "unit": "mmol/L"}])
    created = api("clinician_a").post("/api/v1/cases/", doc, format="json").json()
    [lab] = created["labs"]
    assert (lab["value"], lab["unit"], lab["value_canonical"], lab["unit_canonical"]) == (2.4, "mmol/L", 9.62, "mg/dL")


def test_follow_up_goes_in_and_comes_back_with_its_lesions(api, site_a):
    doc = case_document(
        assessments=[
            {"months_from_presentation": 0, "scores": [{"instrument": "pain_nrs", "value": 6}],
             "site_findings": [{"site_id": 0, "size_mm": 9}]},
            {"months_from_presentation": "6", "calcinosis_course": "improved",
             "scores": [{"instrument": "pain_nrs", "value": 2}],
             "site_findings": [{"site_index": 0, "size_mm": 4, "change": "smaller"}]},
        ]
    )  # fmt: skip
    client = api("clinician_a")
    created = client.post("/api/v1/cases/", doc, format="json").json()
    site_id = created["calcinosis_sites"][0]["id"]
    visits = created["assessments"]
    assert [v["months_from_presentation"] for v in visits] == [0, 6]
    assert [[f["site_id"], f["size_mm"]] for v in visits for f in v["site_findings"]] == [[site_id, 9], [site_id, 4]]
    assert [s["value"] for v in visits for s in v["scores"]] == [6, 2]
    # Sent back as it came, nothing changes; an assessment sent without its scores keeps them.
    created["assessments"][0].pop("scores")
    again = client.put(f"/api/v1/cases/{created['registry_id']}/", created, format="json").json()
    assert [s["value"] for v in again["assessments"] for s in v["scores"]] == [6, 2]
