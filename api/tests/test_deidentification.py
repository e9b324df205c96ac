"""A researcher reads de-identified cases everywhere: detail, list, long tables, exports.

No local reference, no full date (years only), "90+" for great ages, and no
free text of clinic cases (published literature cases keep theirs).
"""

import io
import re
import zipfile

import pytest

from api.tests.conftest import body

pytestmark = pytest.mark.django_db

FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LOCAL_REFERENCE = "HOSP-4711"
SECRET = "lives on Elm Street"

READ_PATHS = [
    "/api/v1/cases/",
    "/api/v1/diagnoses/",
    "/api/v1/features/",
    "/api/v1/serology/",
    "/api/v1/labs/",
    "/api/v1/calcinosis-sites/",
    "/api/v1/treatments/",
    "/api/v1/export/cases.csv",
]


@pytest.fixture
def clinic_case(make_case):
    return make_case(
        site="clinic-a",
        local_reference=LOCAL_REFERENCE,
        age_at_presentation=93,
        summary=f"Patient {SECRET}.",
        diagnoses=[{"condition": "ssc_limited", "is_primary": True, "notes": SECRET}],
        serology=[{"test": "ana", "result": "positive", "titer": 320, "tested_on": "2019-03-04", "notes": SECRET}],
        labs=[{"test": "calcium", "interpretation": "normal", "measured_on": "2019-03-05"}],
        calcinosis_sites=[
            {
                "region": "finger_2",
                "laterality": "left",
                "methods": ["radiograph"],
                "observed_on": "2019-02-01",
                "notes": SECRET,
            }
        ],
        treatments=[
            {
                "agent": "diltiazem",
                "started_on": "2018-01-02",
                "stopped_on": "2019-06-30",
                "response": "partial",
                "response_assessed_on": "2019-07-01",
                "indication": "calcinosis",
            }
        ],
    )


def test_the_researchers_document(api, clinic_case):
    doc = api("researcher").get(f"/api/v1/cases/{clinic_case.registry_id}/").json()

    assert "local_reference" not in doc and "created_by" not in doc
    assert doc["age_at_presentation"] == "90+"
    assert doc["serology"][0]["tested_on"] == "2019"
    assert doc["treatments"][0]["started_on"] == "2018" and doc["treatments"][0]["stopped_on"] == "2019"
    assert doc["calcinosis_sites"][0]["observed_on"] == "2019"
    assert doc["summary"] == "" and doc["diagnoses"][0]["notes"] == ""
    assert doc["created_at"] == str(clinic_case.created_at.year)
    assert doc["serology"][0]["titer"] == 320  # clinical values are all there


def test_an_age_under_90_is_kept(api, make_case):
    case = make_case(age_at_presentation=89)
    assert api("researcher").get(f"/api/v1/cases/{case.registry_id}/").json()["age_at_presentation"] == 89


@pytest.mark.parametrize("path", READ_PATHS)
def test_nothing_identifying_reaches_a_researcher_anywhere(api, clinic_case, path):
    response = api("researcher").get(path)

    assert response.status_code == 200
    text = body(response).decode("utf-8")
    assert clinic_case.registry_id in text
    assert LOCAL_REFERENCE not in text and "local_reference" not in text
    assert SECRET not in text
    assert not FULL_DATE.search(text), FULL_DATE.search(text)


def test_nor_in_the_tables_zip(api, clinic_case):
    archive = zipfile.ZipFile(io.BytesIO(body(api("researcher").get("/api/v1/export/tables.zip"))))
    for name in archive.namelist():
        if name == "manifest.json":
            continue  # the export's own timestamp, not the patient's
        text = archive.read(name).decode("utf-8-sig")
        assert LOCAL_REFERENCE not in text and SECRET not in text, name
        assert not FULL_DATE.search(text), (name, FULL_DATE.search(text))


def test_the_cases_own_clinician_and_curators_see_the_identifiers(api, clinic_case):
    for persona in ("clinician_a", "curator"):
        doc = api(persona).get(f"/api/v1/cases/{clinic_case.registry_id}/").json()
        assert doc["local_reference"] == LOCAL_REFERENCE
        assert doc["age_at_presentation"] == 93
        assert doc["serology"][0]["tested_on"] == "2019-03-04"
        assert SECRET in doc["summary"]
        csv_text = body(api(persona).get("/api/v1/export/cases.csv")).decode("utf-8-sig")
        assert LOCAL_REFERENCE in csv_text.splitlines()[1]


def test_literature_cases_keep_their_published_text_for_researchers(api, make_case):
    case = make_case(
        source="literature",
        publication={"doi": "10.1000/pub", "title": "A published case"},
        summary="Published narrative.",
        features=[{"feature": "raynaud", "status": "present", "notes": "history"}],
    )
    doc = api("researcher").get(f"/api/v1/cases/{case.registry_id}/").json()
    assert doc["summary"] == "Published narrative."
    assert doc["features"][0]["notes"] == "history"


def test_a_researcher_cannot_find_a_clinic_case_by_its_hidden_text(api, clinic_case):
    assert api("researcher").get("/api/v1/cases/", {"q": "Elm Street"}).json()["count"] == 0
    assert api("curator").get("/api/v1/cases/", {"q": "Elm Street"}).json()["count"] == 1
