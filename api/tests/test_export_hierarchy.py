"""A researcher counting columns of cases.csv gets the API's answer: the vocabularies' hierarchy is in the files
(issue 17.1: "what share of SSc cases has hand calcinosis" gave 68.9% from the API and 15.7% from the CSV)."""

import csv
import io
import zipfile

import pytest

from api.tests.conftest import body

pytestmark = pytest.mark.django_db


def site(region):
    return {"region": region, "laterality": "left", "methods": ["radiograph"]}


@pytest.fixture
def registry(make_case):
    # Hand calcinosis recorded as a finger, the palm, the hand itself; elsewhere; SSc by its subtypes.
    make_case(calcinosis_sites=[site("finger_5")], diagnoses=[{"condition": "ssc_diffuse", "is_primary": True}])
    make_case(calcinosis_sites=[site("palm")], diagnoses=[{"condition": "ssc_limited", "is_primary": True}])
    make_case(calcinosis_sites=[site("hand")], diagnoses=[{"condition": "sle", "is_primary": True}], treatments=[])
    make_case(calcinosis_sites=[site("elbow")], diagnoses=[{"condition": "ssc", "is_primary": True}], treatments=[])
    make_case(
        calcinosis_sites=[site("knee")],
        diagnoses=[{"condition": "sjogren_primary", "is_primary": True}],
        treatments=[{"agent": "alendronate", "indication": "calcinosis", "response": "none"}],
    )


def cases_csv(client) -> list[dict]:
    raw = body(client.get("/api/v1/export/cases.csv"))
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def with_code(rows, column, code) -> set[str]:
    return {row["registry_id"] for row in rows if code in row[column].split(";")}


def api_ids(client, params) -> set[str]:
    return {row["registry_id"] for row in client.get("/api/v1/cases/", {**params, "page_size": 100}).json()["results"]}


@pytest.mark.parametrize(
    ("parameter", "code", "column", "recorded_only"),
    [
        ("region", "hand", "calcinosis_regions_with_ancestors", 1),
        ("condition", "ssc", "conditions_with_ancestors", 1),
        ("agent", "bisphosphonate", "agents_with_ancestors", 0),
    ],
)
def test_counting_the_ancestors_column_gives_the_api_answer(api, registry, parameter, code, column, recorded_only):
    client = api("researcher")
    rows = cases_csv(client)
    expected = api_ids(client, {parameter: code})
    assert with_code(rows, column, code) == expected
    # The column of what was recorded answers another question (only what was coded exactly so).
    recorded = column.replace("_with_ancestors", "")
    assert len(with_code(rows, recorded, code)) == recorded_only < len(expected)


def test_the_share_of_ssc_cases_with_hand_calcinosis_agrees(api, registry):
    client = api("researcher")
    rows = cases_csv(client)
    ssc = with_code(rows, "conditions_with_ancestors", "ssc")
    hand = with_code(rows, "calcinosis_regions_with_ancestors", "hand")
    from_csv = len(ssc & hand) / len(ssc)
    from_api = client.get("/api/v1/cases/", {"condition": "ssc", "region": "hand"}).json()["count"] / len(
        api_ids(client, {"condition": "ssc"})
    )
    assert from_csv == from_api == 2 / 3


def test_tables_zip_has_each_vocabulary_with_parents_and_paths(api, registry):
    archive = zipfile.ZipFile(io.BytesIO(body(api("researcher").get("/api/v1/export/tables.zip"))))
    regions = {
        row["code"]: row
        for row in csv.DictReader(io.StringIO(archive.read("vocabulary_region.csv").decode("utf-8-sig")))
    }
    assert regions["finger_5"]["parent"] == "finger"
    assert regions["finger_5"]["path"] == "upper_limb/hand/finger/finger_5/"
    assert regions["upper_limb"]["parent"] == ""
    # What is below hand, from the paths alone: a researcher's own filter.
    below_hand = {code for code, row in regions.items() if row["path"].startswith(regions["hand"]["path"])}
    assert {"hand", "finger", "finger_5", "palm"} <= below_hand and "elbow" not in below_hand
