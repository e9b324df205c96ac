"""Walking the cursor pages gives every case once, in order, whatever the ordering."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_case):
    # Repeated ages and a missing one: the cursor must neither repeat nor skip them.
    ages = [50, 50, 50, None, 30, 70, 50, None, 30]
    return [make_case(age_at_presentation=age) for age in ages]


def walk(client, params):
    seen, pages = [], 0
    response = client.get("/api/v1/cases/", params).json()
    count = response["count"]
    while True:
        seen += [doc["registry_id"] for doc in response["results"]]
        pages += 1
        if response["next"] is None:
            break
        response = client.get(response["next"]).json()
    return seen, count, pages


@pytest.mark.parametrize(
    "ordering",
    ["registry_id", "-registry_id", "age_at_presentation", "-age_at_presentation", "updated_at", "-updated_at"],
)
def test_every_case_once_in_order(api, cases, ordering):
    client = api("researcher")
    seen, count, pages = walk(client, {"ordering": ordering, "page_size": 2})

    assert count == len(cases) and pages == 5
    assert sorted(seen) == sorted(c.registry_id for c in cases) and len(set(seen)) == len(seen)
    if ordering.lstrip("-") == "age_at_presentation":
        ages = {c.registry_id: c.age_at_presentation for c in cases}
        in_order = [ages[r] for r in seen]
        known = [a for a in in_order if a is not None]
        assert known == sorted(known, reverse=ordering.startswith("-"))
        missing_last = in_order[-2:] if not ordering.startswith("-") else in_order[:2]
        assert missing_last == [None, None]


def test_previous_goes_back(api, cases):
    client = api("researcher")
    first = client.get("/api/v1/cases/", {"page_size": 4}).json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()
    assert [d["registry_id"] for d in back["results"]] == [d["registry_id"] for d in first["results"]]


def test_a_forged_cursor_is_a_400(api, cases):
    import base64

    forged = base64.b64encode(b"p=not-a-time").decode()
    response = api("researcher").get("/api/v1/cases/", {"ordering": "updated_at", "cursor": forged})
    assert response.status_code == 400 and "cursor" in response.json()
    nul = base64.b64encode(b"p=a%00b").decode()
    assert api("researcher").get("/api/v1/cases/", {"cursor": nul}).status_code == 400
