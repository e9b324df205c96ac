"""The likely-duplicate check answers about the cases its reader can see, never about the others.

A clinician of site B who gives their own case another case's publication, sex
and age must not learn from ``quality_issues`` whether a case of site A (or of
the literature site) they cannot read has those values; a curator, who reads
every case, still sees both cases flagged.
"""

import pytest

from conftest import SiteFactory, case_document

pytestmark = pytest.mark.django_db

PAPER = {"source": "literature", "publication": {"doi": "10.1000/oracle"}}
HIDDEN = {"sex": "female", "age_at_presentation": 44}
GUESSES = [{"sex": "female", "age_at_presentation": 44}, {"sex": "female", "age_at_presentation": 45}]


@pytest.fixture(params=["clinic-a", "literature"])
def hidden_case(request, make_case, site_a):
    SiteFactory(code="literature", name="Published cases")
    return make_case(site=request.param, **PAPER, **HIDDEN)


def codes(doc) -> set[str]:
    return {issue["code"] for issue in doc["quality_issues"]}


def what_clinician_b_reads(client, own: dict, guess: dict) -> list[set[str]]:
    """Their own case changed to ``guess``, read back by every path that gives its document."""
    url = f"/api/v1/cases/{own['registry_id']}/"
    version = client.get(url).json()["version"]
    changed = client.patch(url, {**guess, "version": version}, format="json")
    assert changed.status_code == 200, changed.json()
    listed = client.get("/api/v1/cases/", {"doi": "10.1000/oracle"}).json()["results"]
    assert [d["registry_id"] for d in listed] == [own["registry_id"]]
    return [codes(changed.json()), codes(client.get(url).json()), codes(listed[0])]


def test_a_clinician_cannot_learn_an_invisible_cases_sex_and_age(api, hidden_case, clinician_b):
    client = api("clinician_b")
    own = client.post("/api/v1/cases/", case_document(site="clinic-b", **PAPER), format="json").json()
    answers = [what_clinician_b_reads(client, own, guess) for guess in GUESSES]
    assert answers[0] == answers[1]
    assert "likely_duplicate" not in set().union(*answers[0])


def test_a_curator_still_sees_the_duplicate(api, hidden_case, clinician_b):
    client = api("clinician_b")
    own = client.post("/api/v1/cases/", case_document(site="clinic-b", **PAPER, **HIDDEN), format="json").json()
    curator = api("curator")
    for registry_id in (own["registry_id"], hidden_case.registry_id):
        assert "likely_duplicate" in codes(curator.get(f"/api/v1/cases/{registry_id}/").json())
    # The clinician's own list, where the other case is not.
    assert "likely_duplicate" not in codes(client.get(f"/api/v1/cases/{own['registry_id']}/").json())


def test_two_cases_of_ones_own_site_are_still_duplicates(api, clinician_b):
    client = api("clinician_b")
    first, second = (
        client.post("/api/v1/cases/", case_document(site="clinic-b", **PAPER, **HIDDEN), format="json").json()
        for _ in range(2)
    )
    for doc in (first, second):
        assert "likely_duplicate" in codes(client.get(f"/api/v1/cases/{doc['registry_id']}/").json())


def test_a_researcher_is_not_told_whether_two_cases_aged_90_plus_are_one_age(api, make_case):
    # Both read "90+" to a researcher; flagged or not, the duplicate check would tell 93 from 97.
    twins = [make_case(**PAPER, sex="female", age_at_presentation=93) for _ in range(2)]
    for case in twins:
        assert "likely_duplicate" in codes(api("curator").get(f"/api/v1/cases/{case.registry_id}/").json())
        assert "likely_duplicate" not in codes(api("researcher").get(f"/api/v1/cases/{case.registry_id}/").json())
