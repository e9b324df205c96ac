"""The treatment-responses statistic of the second edition (clinical-v2.md §1, issue 11 and 17.6).

Only calcinosis courses count unless ``indication`` says otherwise; a regimen's one outcome is counted apart
and never as one agent's; ``agent`` keeps the rows of that agent and its members.
"""

import pytest

from cases.demo import load_demo
from cases.statistics import wilson_interval

pytestmark = pytest.mark.django_db

PATH = "/api/v1/stats/treatment-responses/"


def by_agent(response):
    assert response.status_code == 200, response.json()
    return {row["agent"]: row for row in response.json()["agents"]}


def course(agent, indication="calcinosis", response="partial", **extra):
    return {"agent": agent, "indication": indication, "response": response, **extra}


@pytest.fixture
def registry(make_case):
    make_case(
        treatments=[
            course("sodium_thiosulfate", response="complete"),
            course("diltiazem", indication="raynaud_vasculopathy"),
            course("antacid", indication="gerd", response="none"),
        ]
    )
    make_case(
        treatments=[
            course("sodium_thiosulfate", response="none"),
            course("alendronate", response="not_assessed"),
            # One outcome reported for the two together: regimen B's, not either drug's.
            course("pamidronate", response="partial", regimen="B", response_scope="regimen"),
            course("colchicine", response="partial", regimen="B", response_scope="regimen"),
        ]
    )
    make_case(treatments=[course("warfarin", indication="unclear", response="complete")])


def test_only_calcinosis_courses_count_unless_asked(api, registry):
    client = api("researcher")
    default = by_agent(client.get(PATH))
    assert set(default) == {"sodium_thiosulfate", "bisphosphonate", "alendronate", "pamidronate", "colchicine"}
    assert client.get(PATH).json()["cases"] == 3  # the selection; the default indication selects courses only

    everything = client.get(PATH, {"indication": "any"})
    assert everything.json()["indication"] == "any" and everything.json()["cases"] == 3
    assert {"ccb", "diltiazem", "antacid", "warfarin"} <= set(by_agent(everything))

    reflux = client.get(PATH, {"indication": "gerd"})
    assert set(by_agent(reflux)) == {"antacid"} and reflux.json()["cases"] == 1  # a case filter too
    assert by_agent(reflux)["antacid"]["responses"]["none"] == 1


def test_an_unknown_indication_is_a_400_naming_it(api, registry):
    response = api("researcher").get(PATH, {"indication": "cancer"})
    assert response.status_code == 400
    assert response.json() == {
        "indication": [
            "Unknown value 'cancer'; one of: any, calcinosis, underlying_disease, raynaud_vasculopathy, gerd, "
            "infection, symptomatic, other, unclear."
        ]
    }


def test_a_regimens_outcome_is_counted_apart_and_never_as_an_agents(api, registry):
    agents = by_agent(api("researcher").get(PATH))
    pamidronate = agents["pamidronate"]
    assert pamidronate["courses"] == 1
    assert pamidronate["regimen_responses"]["partial"] == 1
    assert set(pamidronate["responses"].values()) == {0}
    assert (pamidronate["assessed"], pamidronate["responders"]) == (0, 0)
    assert pamidronate["responder_proportion"] is None and pamidronate["responder_ci95"] is None

    # The class adds its members' courses, each in its own column.
    bisphosphonate = agents["bisphosphonate"]
    assert bisphosphonate["courses"] == 2 and bisphosphonate["cases"] == 1
    assert bisphosphonate["responses"]["not_assessed"] == 1 and bisphosphonate["regimen_responses"]["partial"] == 1
    assert bisphosphonate["assessed"] == 0 and bisphosphonate["responder_proportion"] is None

    thiosulfate = agents["sodium_thiosulfate"]
    assert (thiosulfate["courses"], thiosulfate["cases"], thiosulfate["assessed"], thiosulfate["responders"]) == (
        2,
        2,
        2,
        1,
    )
    assert thiosulfate["responder_proportion"] == 0.5 and thiosulfate["responder_ci95"] == [0.0945, 0.9055]


def test_agent_keeps_the_rows_of_that_agent_and_its_members(api, registry):
    # Issue 17.6: the rows were every drug of the cases that had the agent, classes beside their members.
    client = api("researcher")
    assert set(by_agent(client.get(PATH, {"agent": "sodium_thiosulfate"}))) == {"sodium_thiosulfate"}

    bisphosphonates = by_agent(client.get(PATH, {"agent": "bisphosphonate"}))
    assert set(bisphosphonates) == {"bisphosphonate", "alendronate", "pamidronate"}
    members = [row for row in bisphosphonates.values() if not row["is_class"]]
    assert sum(row["courses"] for row in members) == bisphosphonates["bisphosphonate"]["courses"]

    ccb = by_agent(client.get(PATH, {"agent": "ccb", "indication": "any"}))
    assert set(ccb) == {"ccb", "diltiazem"} and ccb["ccb"]["is_class"]
    assert by_agent(client.get(PATH, {"agent": "ccb"})) == {}  # given for Raynaud's, not for calcinosis


def test_the_founding_cases_count_no_none_for_drugs_not_given_for_calcinosis(api):
    load_demo()
    client = api("researcher")
    default = by_agent(client.get(PATH))
    for agent in ("antacid", "aspirin", "ccb", "corticosteroid"):
        assert agent not in default, agent
    # Case 1's regimen A: one outcome for six drugs, reported for the bisphosphonate only as the regimen's.
    bisphosphonate = default["bisphosphonate"]
    assert bisphosphonate["regimen_responses"]["none"] == 1 and bisphosphonate["responses"]["none"] == 0
    assert bisphosphonate["assessed"] == 0 and bisphosphonate["responder_ci95"] is None

    every_course = by_agent(client.get(PATH, {"indication": "any"}))
    for agent in ("antacid", "aspirin", "ccb", "corticosteroid"):
        assert every_course[agent]["responses"]["none"] == 0, agent
        assert every_course[agent]["regimen_responses"]["none"] == 1, agent
        assert every_course[agent]["assessed"] == 0, agent
    # Case 2: tretinoin and thiosulfate did not resolve the lesions, each its own outcome.
    assert default["tretinoin"]["responses"]["not_complete"] == 1 and default["tretinoin"]["assessed"] == 1


@pytest.mark.parametrize(
    "successes, trials, interval",
    [(1, 1, [0.2065, 1.0]), (0, 10, [0.0, 0.2775]), (5, 10, [0.2366, 0.7634]), (0, 0, None)],
)
def test_the_wilson_interval(successes, trials, interval):
    # Newcombe (1998), Stat Med 17: 857, method 3.
    assert wilson_interval(successes, trials) == interval


def test_counted_by_postgresql_in_the_same_queries_for_any_number_of_cases(api, make_case, django_assert_num_queries):
    client = api("researcher")
    client.get("/api/v1/vocabularies/")  # a token's first use writes its last_used_at: done before counting
    params = {"agent": "bisphosphonate", "indication": "calcinosis"}

    def answer():
        # The token with its user and the user's groups; the agent code checked; its path and the codes below
        # it (the case filter); count(*) of the cases; the counts; the agents' labels.
        with django_assert_num_queries(7):
            return client.get(PATH, params).json()

    make_case(treatments=[course("alendronate")])
    assert answer()["agents"][0]["courses"] == 1
    for _ in range(12):
        make_case(treatments=[course("alendronate"), course("pamidronate")])
    assert answer()["agents"][0]["courses"] == 25
