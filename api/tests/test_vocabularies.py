"""The vocabularies a script needs to build its filters."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_list_of_vocabularies(api):
    vocabularies = {v["name"]: v for v in api("researcher").get("/api/v1/vocabularies/").json()}
    assert set(vocabularies) == {
        "condition",
        "feature",
        "serology_test",
        "ana_pattern",
        "lab_test",
        "region",
        "agent",
        "instrument",
        "biopsy_finding",
        "response",
    }
    assert vocabularies["region"]["url"].endswith("/api/v1/vocabularies/region/")
    assert vocabularies["agent"]["concepts"] > 30


def test_a_vocabulary_lists_codes_labels_parents_and_standard_codes(api):
    conditions = {c["code"]: c for c in api("researcher").get("/api/v1/vocabularies/condition/").json()}
    assert conditions["ssc_diffuse"]["parent"] == "ssc"
    assert conditions["ssc"]["snomed"] == "89155008" and conditions["ssc"]["icd10"] == "M34.9"
    labs = {c["code"]: c for c in api("researcher").get("/api/v1/vocabularies/lab_test/").json()}
    assert labs["calcium"]["loinc_quantity"] == "17861-6"
    assert labs["calcium"]["units"][0] == {"code": "mg/dL", "factor": "1"}
    regions = {c["code"]: c for c in api("researcher").get("/api/v1/vocabularies/region/").json()}
    assert regions["finger_5"]["parent"] == "finger" and "icd10" not in regions["finger_5"]


def test_an_unknown_vocabulary_is_a_404(api):
    assert api("researcher").get("/api/v1/vocabularies/drugs/").status_code == 404


def test_the_response_codes_come_with_their_definitions(api):
    responses = {r["code"]: r for r in api("researcher").get("/api/v1/vocabularies/response/").json()}
    assert responses["not_complete"]["definition"].startswith("the source says the lesions did not resolve")
    assert set(responses) == {"complete", "partial", "not_complete", "none", "progression", "not_assessed"}
