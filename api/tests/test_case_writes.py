"""Whole-case writes through the API: all or nothing, nested errors, versions, ETag and If-Match."""

import pytest

from cases.models import Case, Diagnosis, SerologyResult
from conftest import case_document

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def detail(case_or_id):
    registry_id = getattr(case_or_id, "registry_id", case_or_id)
    return f"{CASES}{registry_id}/"


def test_a_clinician_enters_a_whole_case_in_one_request(api):
    response = api("clinician_a").post(CASES, case_document(), format="json")

    assert response.status_code == 201, response.json()
    doc = response.json()
    assert response["Location"].endswith(detail(doc["registry_id"]))
    assert response["ETag"] == '"1"'
    assert doc["version"] == 1 and doc["site"] == "clinic-a"
    assert [d["condition"] for d in doc["diagnoses"]] == ["ssc_limited"]
    assert doc["treatments"][0]["site_ids"] == [doc["calcinosis_sites"][0]["id"]]
    # What was stored reads back the same.
    again = api("clinician_a").get(detail(doc["registry_id"])).json()
    assert again["serology"] == doc["serology"] and again["labs"] == doc["labs"]


def test_a_literature_case_names_its_publication_by_doi_alone(api, make_case):
    first = make_case(site="clinic-a", source="literature", publication={"doi": "10.1000/xyz", "title": "A case"})
    response = api("curator").post(
        CASES, case_document(source="literature", publication={"doi": "https://doi.org/10.1000/XYZ"}), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["publication"]["title"] == "A case"
    assert Case.objects.get(registry_id=response.json()["registry_id"]).publication_id == first.publication_id


@pytest.mark.parametrize(
    "change, errors",
    [
        ({"age_at_presentation": 200}, {"age_at_presentation": ["Ensure this value is less than or equal to 120."]}),
        (
            {"serology": [{"test": "ana", "result": "positive"}, {"test": "anti_xyz", "result": "positive"}]},
            {"serology": [{}, {"test": ["Unknown code 'anti_xyz'."]}]},
        ),
        (
            {"serology": [{"test": "ana", "result": "positive", "titer": 0}]},
            {"serology": [{"titer": ["Ensure this value is greater than or equal to 1."]}]},
        ),
        (
            {"calcinosis_sites": [{"region": "elbow", "methods": ["ct"], "size_mm": -3}]},
            {"calcinosis_sites": [{"size_mm": ["Ensure this value is greater than or equal to 0.1."]}]},
        ),
        (
            {"treatments": [{"agent": "warfarin", "started_on": "2020-05-01", "stopped_on": "2020-01-01"}]},
            {"treatments": [{"stopped_on": ["The stop date is before the start date."]}]},
        ),
    ],
)
def test_an_impossible_value_is_a_400_naming_the_field_and_stores_nothing(api, clinician_a, change, errors):
    response = api("clinician_a").post(CASES, case_document(**change), format="json")

    assert response.status_code == 400
    for field, expected in errors.items():
        assert response.json()[field] == expected
    assert not Case.objects.exists() and not SerologyResult.objects.exists()


def test_two_primary_diagnoses_and_a_literature_case_without_publication_are_refused(api):
    two = case_document(diagnoses=[{"condition": "ssc", "is_primary": True}, {"condition": "sle", "is_primary": True}])
    response = api("clinician_a").post(CASES, two, format="json")
    assert response.status_code == 400
    assert response.json()["diagnoses"][1] == {"is_primary": ["Only one diagnosis can be primary."]}

    response = api("clinician_a").post(CASES, case_document(source="literature"), format="json")
    assert response.status_code == 400 and "publication" in response.json()
    assert not Case.objects.exists()


def test_malformed_bodies_are_400s(api, site_a):
    client = api("curator")
    assert client.post(CASES, "{not json", content_type="application/json").status_code == 400
    assert client.post(CASES, [1, 2], format="json").status_code == 400
    # An escaped lone surrogate is valid JSON but no text PostgreSQL can store.
    surrogate = '{"site": "clinic-a", "summary": "bad \\ud800 text"}'
    assert client.post(CASES, surrogate, content_type="application/json").status_code == 400
    assert client.post(CASES, case_document(unknown_field=1), format="json").json() == {
        "unknown_field": ["Unknown field."]
    }
    assert not Case.objects.exists()


def test_put_replaces_the_whole_document_and_drops_children_not_sent(api, make_case):
    case = make_case()
    doc = api("clinician_a").get(detail(case)).json()
    doc["serology"] = []
    doc["age_at_presentation"] = 51

    response = api("clinician_a").put(detail(case), doc, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'
    assert response.json()["age_at_presentation"] == 51
    assert not SerologyResult.objects.filter(case=case).exists()
    assert Diagnosis.objects.filter(case=case).count() == 1  # sent back as it was: kept


def test_patch_changes_only_what_is_sent_and_a_sent_list_replaces_that_list(api, make_case):
    case = make_case()
    response = api("clinician_a").patch(
        detail(case), {"version": 1, "sex": "male", "features": [{"feature": "ild", "status": "absent"}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    doc = response.json()
    assert doc["sex"] == "male" and doc["age_at_presentation"] == 50
    assert [(f["feature"], f["status"]) for f in doc["features"]] == [("ild", "absent")]
    assert [s["test"] for s in doc["serology"]] == ["anti_centromere"]


def test_one_bad_child_rejects_the_whole_patch(api, make_case):
    case = make_case()
    response = api("clinician_a").patch(
        detail(case),
        {
            "version": 1,
            "sex": "male",
            "labs": [{"test": "calcium", "interpretation": "normal"}, {"test": "nope", "interpretation": "low"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"labs": [{}, {"test": ["Unknown code 'nope'."]}]}
    case.refresh_from_db()
    assert case.sex == "female" and case.version == 1 and case.labs.count() == 1


def test_a_stale_version_gets_409_and_changes_nothing(api, make_case):
    case = make_case()
    first = api("clinician_a").patch(detail(case), {"version": 1, "age_at_presentation": 60}, format="json")
    assert first.status_code == 200

    stale = api("curator").patch(detail(case), {"version": 1, "age_at_presentation": 70, "serology": []}, format="json")

    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    case.refresh_from_db()
    assert (case.age_at_presentation, case.version, case.serology.count()) == (60, 2, 1)


def test_put_and_patch_need_a_version(api, make_case):
    case = make_case()
    response = api("clinician_a").patch(detail(case), {"sex": "male"}, format="json")
    assert response.status_code == 400 and "version" in response.json()


def test_if_match_carries_the_version_and_a_bad_one_is_412(api, make_case):
    case = make_case()
    client = api("clinician_a")
    etag = client.get(detail(case))["ETag"]

    assert client.patch(detail(case), {"sex": "male"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    # The same ETag again is now stale.
    assert client.patch(detail(case), {"sex": "other"}, format="json", HTTP_IF_MATCH=etag).status_code == 409
    assert client.patch(detail(case), {"sex": "other"}, format="json", HTTP_IF_MATCH="*").status_code == 412
    assert client.patch(detail(case), {"sex": "other"}, format="json", HTTP_IF_MATCH='"abc"').status_code == 412
    contradicting = client.patch(detail(case), {"version": 1, "sex": "other"}, format="json", HTTP_IF_MATCH='"2"')
    assert contradicting.status_code == 412
    case.refresh_from_db()
    assert (case.sex, case.version) == ("male", 2)


def test_a_verified_case_is_not_verified_again(api, make_case):
    case = make_case()
    curator = api("curator")
    first = curator.post(f"{detail(case)}verify/", format="json").json()

    again = curator.post(f"{detail(case)}verify/", format="json")

    assert again.status_code == 409 and "already verified" in again.json()["status"][0]
    after = curator.get(detail(case)).json()
    assert (after["version"], after["verified_at"]) == (first["version"], first["verified_at"])


# A version in a JSON body is a JSON integer from 1 to 2**31 - 1 (the column's range): a float, a huge
# number, a boolean or a string of digits is a 400 naming ``version``, never a 500 or a silent rounding.
NOT_A_VERSION = ["1e400", "1.9", "1.0", "true", '"1"', "0", "-1", "2147483648", "[1]"]


@pytest.mark.parametrize("raw", NOT_A_VERSION)
def test_a_version_that_is_not_a_whole_number_in_range_is_a_400_naming_it(api, make_case, raw):
    case = make_case()
    response = api("clinician_a").patch(
        detail(case), f'{{"version": {raw}, "sex": "male"}}', content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["version"]
    case.refresh_from_db()
    assert (case.sex, case.version) == ("female", 1)


@pytest.mark.parametrize("raw", NOT_A_VERSION)
def test_verify_refuses_the_same_versions(api, make_case, raw):
    case = make_case()
    response = api("curator").post(f"{detail(case)}verify/", f'{{"version": {raw}}}', content_type="application/json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["version"]
    case.refresh_from_db()
    assert (case.status, case.version) == ("submitted", 1)


def test_the_largest_version_is_only_stale_and_if_match_stays_text(api, make_case):
    case = make_case()
    client = api("clinician_a")
    assert client.patch(detail(case), {"version": 2**31 - 1, "sex": "male"}, format="json").status_code == 409
    assert client.patch(detail(case), {"sex": "male"}, format="json", HTTP_IF_MATCH='W/"1"').status_code == 200
    # A header that names no version there can be is a bad If-Match, as any other.
    assert client.patch(detail(case), {"sex": "other"}, format="json", HTTP_IF_MATCH='"0"').status_code == 412


def test_a_curator_verifies_and_deletes_and_the_history_keeps_the_case(api, make_case):
    case = make_case()
    curator = api("curator")

    verified = curator.post(f"{detail(case)}verify/", {"version": 1}, format="json")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert curator.post(f"{detail(case)}verify/", {"version": 1}, format="json").status_code == 409

    history = curator.get(f"{detail(case)}history/").json()
    assert history[0]["action"] == "insert" and history[0]["operation"] == "case_create"
    assert any(entry["operation"] == "case_verify" for entry in history)

    assert curator.delete(detail(case)).status_code == 204
    assert curator.get(detail(case)).status_code == 404
    from cases.history import case_history

    assert case_history(case)[-1].action == "delete"


def no_site(code):
    # Another clinic's code and a code nobody uses get the same answer: the codes cannot be enumerated.
    return {"site": [f"No site '{code}' that you may enter cases for."]}


@pytest.mark.parametrize("code", ["clinic-b", "no-such-clinic"])
def test_a_clinician_cannot_enter_a_case_for_another_site_nor_learn_that_it_exists(api, site_b, code):
    response = api("clinician_a").post(CASES, case_document(site=code), format="json")
    assert response.status_code == 400
    assert response.json() == no_site(code)
    assert not Case.objects.exists()


@pytest.mark.parametrize("code", ["clinic-b", "no-such-clinic"])
def test_a_clinician_cannot_move_a_case_to_a_site_not_theirs(api, make_case, site_b, code):
    case = make_case()
    response = api("clinician_a").patch(detail(case), {"version": 1, "site": code}, format="json")
    assert response.status_code == 400
    assert response.json() == no_site(code)
    case.refresh_from_db()
    assert case.site.code == "clinic-a"
