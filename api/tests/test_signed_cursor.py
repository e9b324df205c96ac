"""A cursor names the row a page continues from, signed; one that no longer fits its list is a 400, never a skip."""

import re

import pytest

from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_case):
    return [make_case(age_at_presentation=age) for age in (30, 40, 50, 60, 70)]


def first_page(client, **params):
    return client.get("/api/v1/cases/", {"page_size": 2, **params}).json()


def ids(page) -> list[str]:
    return [doc["registry_id"] for doc in page["results"]]


def test_a_cursor_of_another_ordering_is_refused(api, cases):
    client = api("curator")
    link = first_page(client, ordering="age_at_presentation")["next"]
    response = client.get(link.replace("ordering=age_at_presentation", "ordering=-registry_id"))
    assert response.status_code == 400 and "cursor" in response.json()


def test_a_page_after_a_row_whose_key_changed_is_refused(api, cases):
    client = api("curator")
    page = first_page(client, ordering="age_at_presentation")
    Case.objects.filter(registry_id=ids(page)[-1]).update(age_at_presentation=99)
    response = client.get(page["next"])
    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["The row this cursor continues from has changed or is gone; start again from the first page."]
    }


def test_by_registry_id_a_deleted_row_is_still_a_place_to_continue_from(api, cases):
    client = api("curator")
    page = first_page(client)
    Case.objects.filter(registry_id=ids(page)[-1]).delete()
    assert ids(client.get(page["next"]).json()) == [case.registry_id for case in cases[2:4]]


def test_a_case_added_meanwhile_is_not_a_reason_to_repeat_or_skip(api, cases, make_case):
    client = api("researcher")
    page = first_page(client, ordering="-age_at_presentation")
    added = make_case(age_at_presentation=95)  # sorts before the page: not seen on the way forward
    rest = client.get(page["next"]).json()
    assert ids(page) + ids(rest) + ids(client.get(rest["next"]).json()) == [c.registry_id for c in cases[::-1]]
    assert added.registry_id not in ids(rest)


def test_a_long_tables_cursor_is_signed_too(api, cases):
    client = api("researcher")
    page = client.get("/api/v1/diagnoses/", {"page_size": 2}).json()
    assert client.get(page["next"]).status_code == 200
    cursor = re.search(r"cursor=([^&]+)", page["next"])[1]
    assert client.get(page["next"].replace(cursor, cursor[:-1])).status_code == 400
