"""The exports never lose a row: a case the list counts is in the export, and the manifest counts what the files hold."""

import csv
import io
import json
import zipfile

import pytest

from api.tests.conftest import body
from cases.models import VOCABULARIES

pytestmark = pytest.mark.django_db

FILTERS = [{}, {"condition": "ssc"}, {"region": "hand", "sex": "female"}, {"agent": "ccb", "response": "partial"}]


@pytest.fixture
def registry(make_case, site_b):
    make_case(site="clinic-a")
    make_case(site="clinic-b", sex="male", diagnoses=[{"condition": "sle", "is_primary": True}])
    make_case(site="clinic-a", calcinosis_sites=[{"region": "knee", "methods": ["ct"]}], treatments=[])
    make_case(
        site="clinic-b",
        source="literature",
        publication={"doi": "10.1000/ex", "title": "Ünïcode — report"},
        summary="Calcinose, « published »; with a comma, and\na line break.",
    )


def read_csv(raw: bytes) -> list[dict]:
    assert raw.startswith("\ufeff".encode("utf-8")), "UTF-8 with a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def list_count(client, params) -> int:
    return client.get("/api/v1/cases/", params).json()["count"]


@pytest.mark.parametrize("persona", ["researcher", "clinician_a", "curator"])
@pytest.mark.parametrize("params", FILTERS, ids=[str(p) for p in FILTERS])
def test_the_csv_has_one_row_per_case_the_list_counts(api, registry, persona, params):
    client = api(persona)
    response = client.get("/api/v1/export/cases.csv", params)

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(body(response))
    assert len(rows) == list_count(client, params)
    listed = [doc["registry_id"] for doc in client.get("/api/v1/cases/", params).json()["results"]]
    assert [row["registry_id"] for row in rows] == listed


def test_the_csv_summary_columns(api, make_case):
    case = make_case(
        serology=[
            {"test": "anti_centromere", "result": "positive"},
            {"test": "anti_scl70", "result": "negative"},
            {"test": "ana", "result": "positive", "titer": 160},
        ],
        treatments=[
            {"agent": "diltiazem", "response": "partial"},
            {"agent": "surgical_excision", "response": "complete"},
        ],
    )
    [row] = read_csv(body(api("clinician_a").get("/api/v1/export/cases.csv")))
    assert row["registry_id"] == case.registry_id
    assert (row["primary_condition"], row["primary_duration_years"]) == ("ssc_limited", "8")
    assert row["positive_antibodies"] == "anti_centromere;ana"
    assert row["negative_antibodies"] == "anti_scl70"
    assert row["calcinosis_regions"] == "finger_2"
    assert row["agent_responses"] == "diltiazem:partial;surgical_excision:complete"


def test_text_with_commas_quotes_and_line_breaks_survives(api, registry):
    rows = read_csv(body(api("curator").get("/api/v1/export/cases.csv", {"source": "literature"})))
    assert rows[0]["summary"] == "Calcinose, « published »; with a comma, and\na line break."
    assert rows[0]["publication_title"] == "Ünïcode — report"


def test_a_client_asking_for_csv_gets_it(api, registry):
    response = api("researcher").get("/api/v1/export/cases.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and len(read_csv(body(response))) == 4
    refused = api("researcher").get("/api/v1/export/cases.csv", {"condition": "x"}, HTTP_ACCEPT="text/csv")
    assert refused.status_code == 400 and refused.json() == {"condition": ["Unknown code 'x'."]}


@pytest.mark.parametrize("persona", ["researcher", "clinician_b", "curator"])
@pytest.mark.parametrize("params", FILTERS, ids=[str(p) for p in FILTERS])
def test_the_manifest_counts_the_rows_in_the_files(api, registry, persona, params):
    client = api(persona)
    response = client.get("/api/v1/export/tables.zip", params)

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    manifest = json.loads(archive.read("manifest.json"))
    names = {f["name"] for f in manifest["files"]}
    assert names == {
        "cases.csv",
        "diagnoses.csv",
        "features.csv",
        "serology.csv",
        "labs.csv",
        "calcinosis_sites.csv",
        "treatments.csv",
        "biopsies.csv",
        "assessments.csv",
        "scores.csv",
        "site_findings.csv",
        "criteria.csv",
        *(f"vocabulary_{name}.csv" for name in VOCABULARIES),
        "codebook.csv",
    }
    assert set(archive.namelist()) == names | {"manifest.json"}
    assert manifest["filter"] == params and manifest["generated_at"]
    tables = {}
    for entry in manifest["files"]:
        tables[entry["name"]] = read_csv(archive.read(entry["name"]))
        assert len(tables[entry["name"]]) == entry["rows"], entry["name"]
    # The cases file is the CSV export, so it holds every case the list counts ...
    assert manifest["files"][0]["rows"] == list_count(client, params)
    # ... and every row of every table belongs to one of them, keyed by registry_id.
    case_ids = {row["registry_id"] for row in tables["cases.csv"]}
    for name, rows in tables.items():
        if not name.startswith(("vocabulary_", "codebook")):
            assert {row["registry_id"] for row in rows} <= case_ids, name


def test_the_table_rows_match_the_long_tables_of_the_api(api, registry):
    client = api("researcher")
    archive = zipfile.ZipFile(io.BytesIO(body(client.get("/api/v1/export/tables.zip"))))
    for name, path in [
        ("serology.csv", "serology"),
        ("treatments.csv", "treatments"),
        ("calcinosis_sites.csv", "calcinosis-sites"),
    ]:
        in_zip = sorted(row["id"] for row in read_csv(archive.read(name)))
        in_api = sorted(str(row["id"]) for row in client.get(f"/api/v1/{path}/", {"page_size": 500}).json()["results"])
        assert in_zip == in_api, name
