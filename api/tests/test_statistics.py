"""The three statistics, for the cases the filters select."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(make_case):
    make_case(
        calcinosis_sites=[
            {"region": "finger_2", "methods": ["radiograph"]},
            {"region": "finger_3", "methods": ["radiograph"]},
        ],
        serology=[{"test": "anti_scl70", "result": "positive"}, {"test": "ana", "result": "positive", "titer": 320}],
        treatments=[
            {"agent": "alendronate", "indication": "calcinosis", "response": "none"},
            {"agent": "sodium_thiosulfate", "indication": "calcinosis", "response": "partial"},
        ],
    )
    make_case(
        calcinosis_sites=[{"region": "palm", "methods": ["ct"]}, {"region": "knee", "methods": ["ct"]}],
        serology=[{"test": "anti_scl70", "result": "negative"}, {"test": "anti_centromere", "result": "not_done"}],
        treatments=[{"agent": "pamidronate", "indication": "calcinosis", "response": "complete"}],
    )
    make_case(calcinosis_sites=[{"region": "knee", "methods": ["ct"]}], serology=[], treatments=[])


def by(rows, key):
    return {row[key]: row for row in rows}


def test_a_case_counts_once_per_region_and_for_every_region_above_it(api, registry):
    stats = api("researcher").get("/api/v1/stats/calcinosis-sites/").json()
    regions = by(stats["regions"], "region")

    assert stats["cases"] == 3
    assert regions["finger"]["cases"] == 1  # two fingers, one case
    assert regions["hand"]["cases"] == 2 and regions["hand"]["parent"] == "upper_limb"
    assert regions["upper_limb"]["cases"] == 2 and regions["upper_limb"]["proportion"] == pytest.approx(0.6667)
    assert regions["knee"]["cases"] == 2 and regions["lower_limb"]["cases"] == 2
    assert regions["hand"]["label"] == "Hand"
    assert "elbow" not in regions  # only regions with cases


def test_the_filters_select_the_cases_counted(api, registry):
    stats = api("researcher").get("/api/v1/stats/calcinosis-sites/", {"region": "knee"}).json()
    regions = by(stats["regions"], "region")
    assert stats["cases"] == 2
    assert regions["knee"]["proportion"] == 1.0 and regions["hand"]["cases"] == 1


def test_treatment_responses_per_agent_and_class(api, registry):
    stats = api("researcher").get("/api/v1/stats/treatment-responses/").json()
    agents = by(stats["agents"], "agent")

    assert stats["indication"] == "calcinosis"
    bisphosphonate = agents["bisphosphonate"]
    assert bisphosphonate["is_class"] and bisphosphonate["courses"] == 2 and bisphosphonate["cases"] == 2
    assert bisphosphonate["responses"] == {
        "complete": 1,
        "partial": 0,
        "not_complete": 0,
        "none": 1,
        "progression": 0,
        "not_assessed": 0,
    }
    assert set(bisphosphonate["regimen_responses"].values()) == {0}
    assert (bisphosphonate["assessed"], bisphosphonate["responders"]) == (2, 1)
    assert bisphosphonate["responder_proportion"] == 0.5
    assert bisphosphonate["responder_ci95"] == [0.0945, 0.9055]
    assert agents["alendronate"]["courses"] == 1 and not agents["alendronate"]["is_class"]
    assert agents["alendronate"]["responder_proportion"] == 0.0
    assert agents["sodium_thiosulfate"]["responses"]["partial"] == 1
    # conftest's default case has a diltiazem course; these three have their own lists.
    assert "ccb" not in agents


def test_serology_per_test(api, registry):
    stats = api("researcher").get("/api/v1/stats/serology/").json()
    tests = by(stats["tests"], "test")

    assert stats["cases"] == 3
    assert tests["anti_scl70"] == {
        "test": "anti_scl70",
        "label": tests["anti_scl70"]["label"],
        "positive": 1,
        "negative": 1,
        "equivocal": 0,
        "not_done": 0,
        "not_recorded": 1,
    }
    assert tests["anti_centromere"]["not_done"] == 1 and tests["anti_centromere"]["not_recorded"] == 2


def test_a_clinician_counts_only_their_own_sites(api, registry, make_case, site_b):
    make_case(site="clinic-b")
    assert api("clinician_b").get("/api/v1/stats/serology/").json()["cases"] == 1
    assert api("curator").get("/api/v1/stats/serology/").json()["cases"] == 4
