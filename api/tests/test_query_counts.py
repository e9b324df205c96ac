"""A page of 200 cases costs the same queries as a page of 10: nothing is read per case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.conftest import body

pytestmark = pytest.mark.django_db


def queries_for(client, path, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
        body(response)  # a streamed response reads the database while it is consumed
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def used(client):
    # A token's first use writes its last_used_at (then at most once a minute): done before counting.
    client.get("/api/v1/vocabularies/")
    return client


@pytest.fixture
def many_cases(make_case):
    def make(count):
        for number in range(count):
            if number % 2:
                make_case(site="clinic-a")
            else:  # with a publication: the kind of case the duplicate check looks at
                make_case(site="clinic-a", source="literature", publication={"doi": f"10.1000/{number}-{count}"})

    return make


@pytest.mark.parametrize("persona", ["researcher", "clinician_a", "curator"])
def test_the_case_list(api, many_cases, persona, django_assert_num_queries):
    client = used(api(persona))
    many_cases(10)
    small = queries_for(client, "/api/v1/cases/", {"page_size": 10})
    many_cases(190)
    large = queries_for(client, "/api/v1/cases/", {"page_size": 200})
    assert len(large) == len(small), "\n".join(large)

    # The token with its user and the user's roles; the count; the page's keys; then one statement that
    # writes the page's documents, every list, flag and stored criteria entry included (cases.document.sql).
    # 15 or 16 when Python wrote the documents from a query per list.
    with django_assert_num_queries(4):
        client.get("/api/v1/cases/", {"page_size": 200})


@pytest.mark.parametrize("persona", ["researcher", "clinician_a", "curator"])
def test_a_single_case(api, make_case, persona, django_assert_num_queries):
    client = used(api(persona))
    case = make_case(site="clinic-a", source="literature", publication={"doi": "10.1000/single"})
    # The token with its user and roles, then the case found among those the user reads and written whole
    # in one statement (15 queries when Python wrote it).
    with django_assert_num_queries(2):
        assert client.get(f"/api/v1/cases/{case.registry_id}/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/serology/", "/api/v1/treatments/"])
def test_a_long_table(api, many_cases, path):
    client = used(api("researcher"))
    many_cases(10)
    small = queries_for(client, path, {"page_size": 10})
    many_cases(190)
    large = queries_for(client, path, {"page_size": 200})
    assert len(large) == len(small)


def test_the_exports_read_the_same_queries_for_any_number_of_cases(api, many_cases):
    # The rows come from one COPY per file (not counted here: it bypasses Django's cursor wrapper);
    # what is counted is the session, the user's roles and the filters' lookups.
    client = used(api("researcher"))
    many_cases(3)
    few = {path: queries_for(client, path, {}) for path in ("/api/v1/export/cases.csv", "/api/v1/export/tables.zip")}
    many_cases(30)
    for path, queries in few.items():
        assert len(queries_for(client, path, {})) == len(queries), path


@pytest.mark.parametrize("ordering, extra", [("registry_id", 0), ("-age_at_presentation", 1), ("updated_at", 1)])
def test_a_page_reached_by_its_cursor(api, many_cases, ordering, extra, django_assert_num_queries):
    client = used(api("researcher"))
    many_cases(10)
    first = client.get("/api/v1/cases/", {"page_size": 5, "ordering": ordering}).json()
    # The queries of the first page; when the order has a key besides the registry id, one more: the keys
    # of the case the cursor names, read again (the cursor does not carry them).
    # 16 when Python wrote the documents from a query per list.
    with django_assert_num_queries(4 + extra):
        assert client.get(first["next"]).status_code == 200
