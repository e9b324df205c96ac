"""Classification criteria where researchers look: the document, the filters, /criteria/, stats/criteria/, the
exports (issue 12; api.md, second edition)."""

import csv
import io
import zipfile

import pytest

from api.tests.conftest import body
from cases.criteria import SETS
from cases.tests.criteria_cases import SSC, SSC_INDETERMINATE, SSC_MET, SSC_NOT_MET

pytestmark = pytest.mark.django_db

SJOGREN = "acr_eular_2016_sjogren"


@pytest.fixture
def registry(make_case, site_b):
    return {
        "met": make_case(**SSC_MET).registry_id,
        "not_met": make_case(**SSC_NOT_MET).registry_id,
        "indeterminate": make_case(**SSC_INDETERMINATE).registry_id,
        "met_b": make_case(site="clinic-b", **SSC_MET).registry_id,
    }


def ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["registry_id"] for row in response.json()["results"]}


def test_the_document_has_the_four_sets_with_their_items(api, registry):
    doc = api("researcher").get(f"/api/v1/cases/{registry['met']}/").json()
    results = doc["criteria_computed"]
    assert [r["set"] for r in results] == list(SETS)
    ssc = results[0]
    assert (ssc["status"], ssc["score"], ssc["threshold"], ssc["category"]) == ("met", 10, 9, None)
    items = {item["item"]: item for item in ssc["items"]}
    assert items["sclerodactyly"] == {
        "item": "sclerodactyly",
        "label": items["sclerodactyly"]["label"],
        "points": 4,
        "state": "present",
        "evidence": ["feature:sclerodactyly"],
    }
    assert items["puffy_fingers"]["state"] == "unknown" and items["puffy_fingers"]["evidence"] == []
    iim = results[3]
    assert iim["category"] in {"definite", "probable", "possible", "not_iim"}


def test_criteria_computed_is_read_only(api, registry):
    client = api("curator")
    doc = client.get(f"/api/v1/cases/{registry['indeterminate']}/").json()
    doc["criteria_computed"] = [{"set": SSC, "status": "met"}]
    response = client.put(f"/api/v1/cases/{registry['indeterminate']}/", doc, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["criteria_computed"][0]["status"] == "indeterminate"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"criteria_met": SSC}, {"met", "met_b"}),
        ({"criteria_status": f"{SSC}:not_met"}, {"not_met"}),
        ({"criteria_status": f"{SSC}:indeterminate"}, {"indeterminate"}),
        # Repeated: every value must hold.
        ({"criteria_met": SSC, "criteria_status": f"{SJOGREN}:indeterminate"}, {"met", "met_b"}),
        ({"criteria_met": [SSC, SJOGREN]}, set()),
    ],
)
def test_the_filters_select_on_the_computed_status(api, registry, params, expected):
    found = ids(api("researcher").get("/api/v1/cases/", params))
    assert found == {registry[name] for name in expected}


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"criteria_met": "acr_1980_ssc"}, "criteria_met"),  # a stated set the registry does not compute
        ({"criteria_status": f"{SSC}:maybe"}, "criteria_status"),
        ({"criteria_status": SSC}, "criteria_status"),
    ],
)
def test_a_bad_criteria_filter_is_a_400_naming_it(api, registry, params, name):
    response = api("researcher").get("/api/v1/cases/", params)
    assert response.status_code == 400
    assert "Unknown value" in response.json()[name][0]


def test_a_clinician_filters_among_their_own_cases(api, registry):
    assert ids(api("clinician_a").get("/api/v1/cases/", {"criteria_met": SSC})) == {registry["met"]}
    assert ids(api("clinician_b").get("/api/v1/cases/", {"criteria_met": SSC})) == {registry["met_b"]}


def test_the_long_table_has_a_row_per_case_and_set(api, registry):
    client = api("researcher")
    response = client.get("/api/v1/criteria/", {"page_size": 100})
    rows = response.json()["results"]
    assert len(rows) == 4 * len(registry)
    assert set(rows[0]) == {"registry_id", "set", "status", "score", "max_possible", "category"}
    by_case = {(row["registry_id"], row["set"]): row for row in rows}
    assert by_case[(registry["met"], SSC)]["status"] == "met"
    assert by_case[(registry["met"], SSC)]["score"] == 10
    assert by_case[(registry["not_met"], SSC)]["status"] == "not_met"
    # A case filter selects the cases, set the rows.
    only = client.get("/api/v1/criteria/", {"criteria_met": SSC, "set": SSC}).json()["results"]
    assert {(row["registry_id"], row["set"]) for row in only} == {(registry["met"], SSC), (registry["met_b"], SSC)}
    assert client.get("/api/v1/criteria/", {"set": "nonsense"}).status_code == 400


def test_a_clinician_reads_the_rows_of_their_own_cases(api, registry):
    rows = api("clinician_b").get("/api/v1/criteria/").json()["results"]
    assert {row["registry_id"] for row in rows} == {registry["met_b"]}


def test_stats_criteria_counts_the_selected_cases(api, registry):
    client = api("researcher")
    answer = client.get("/api/v1/stats/criteria/").json()
    assert answer["cases"] == 4
    sets = {entry["set"]: entry for entry in answer["sets"]}
    assert list(sets) == list(SETS)
    assert {k: sets[SSC][k] for k in ("met", "not_met", "indeterminate")} == {
        "met": 2,
        "not_met": 1,
        "indeterminate": 1,
    }
    for entry in answer["sets"]:
        assert entry["met"] + entry["not_met"] + entry["indeterminate"] == 4
    filtered = {e["set"]: e for e in client.get("/api/v1/stats/criteria/", {"criteria_met": SSC}).json()["sets"]}
    assert (filtered[SSC]["met"], filtered[SSC]["not_met"], filtered[SSC]["indeterminate"]) == (2, 0, 0)


def test_cases_csv_has_a_status_column_per_set(api, registry):
    client = api("researcher")
    raw = body(client.get("/api/v1/export/cases.csv", {"criteria_status": f"{SSC}:not_met"}))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["registry_id"] for row in rows] == [registry["not_met"]]
    assert rows[0][f"criteria_{SSC}"] == "not_met"
    assert {f"criteria_{code}" for code in SETS} <= set(rows[0])


def test_tables_zip_has_the_criteria_rows(api, registry):
    archive = zipfile.ZipFile(io.BytesIO(body(api("researcher").get("/api/v1/export/tables.zip"))))
    rows = list(csv.DictReader(io.StringIO(archive.read("criteria.csv").decode("utf-8-sig"))))
    assert len(rows) == 4 * len(registry)
    assert {"registry_id": registry["met"], "set": SSC, "status": "met", "score": "10"}.items() <= next(
        row for row in rows if row["registry_id"] == registry["met"]
    ).items()
