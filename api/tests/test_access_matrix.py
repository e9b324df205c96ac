"""Every endpoint, tried by each of the five personas, against a case of site A.

A case of another site is a 404 (never a 403): a clinician of site B cannot
even learn that it exists.
"""

import pytest

from cases.document import ALL_LISTS
from conftest import case_document

pytestmark = pytest.mark.django_db

STATISTICS = ("calcinosis-sites", "treatment-responses", "serology", "follow-up", "criteria")

A, B, R, C, ANON = "clinician_a", "clinician_b", "researcher", "curator", "anonymous"


def replace_body(case):
    return {**case_document(), "version": case.version}


# (method, path, body, {persona: status})
MATRIX = [
    ("get", "/api/v1/cases/", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}),
    # B may enter cases, but not for site A: the same 400 as for a site that does not exist.
    ("post", "/api/v1/cases/", lambda case: case_document(), {A: 201, B: 400, R: 403, C: 201, ANON: 401}),
    ("get", "/api/v1/cases/{id}/", None, {A: 200, B: 404, R: 200, C: 200, ANON: 401}),
    ("put", "/api/v1/cases/{id}/", replace_body, {A: 200, B: 404, R: 403, C: 200, ANON: 401}),
    (
        "patch",
        "/api/v1/cases/{id}/",
        lambda case: {"version": case.version, "sex": "male"},
        {A: 200, B: 404, R: 403, C: 200, ANON: 401},
    ),
    ("delete", "/api/v1/cases/{id}/", None, {A: 403, B: 404, R: 403, C: 204, ANON: 401}),
    ("get", "/api/v1/cases/{id}/history/", None, {A: 200, B: 404, R: 403, C: 200, ANON: 401}),
    ("get", "/api/v1/cases/{id}/fhir/", None, {A: 200, B: 404, R: 200, C: 200, ANON: 401}),
    (
        "post",
        "/api/v1/cases/{id}/verify/",
        lambda case: {"version": case.version},
        {A: 403, B: 404, R: 403, C: 200, ANON: 401},
    ),
    *[
        ("get", f"/api/v1/{table}/", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401})
        for table in (*(child.route for child in ALL_LISTS), "criteria")
    ],
    ("get", "/api/v1/export/cases.csv", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}),
    ("get", "/api/v1/export/tables.zip", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}),
    ("get", "/api/v1/export/fhir.ndjson", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}),
    *[("get", f"/api/v1/stats/{name}/", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}) for name in STATISTICS],
    ("get", "/api/v1/vocabularies/", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}),
    ("get", "/api/v1/vocabularies/region/", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}),
    ("get", "/api/v1/vocabularies/nonsense/", None, {A: 404, B: 404, R: 404, C: 404, ANON: 401}),
    ("get", "/api/v1/schema/", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}),
    ("get", "/api/v1/docs/", None, {A: 200, B: 200, R: 200, C: 200, ANON: 401}),
    ("post", "/api/v1/auth/logout/", None, {A: 204, B: 204, R: 204, C: 204, ANON: 401}),
    ("post", "/api/v1/auth/logout-all/", None, {A: 204, B: 204, R: 204, C: 204, ANON: 401}),
    ("get", "/api/v1/no-such-thing/", None, {A: 404, B: 404, R: 404, C: 404, ANON: 401}),
]


@pytest.mark.parametrize("persona", [A, B, R, C, ANON])
def test_role_by_endpoint(api, make_case, site_b, persona):
    client = api(persona)
    mismatches = []
    for method, path, body, expected in MATRIX:
        case = make_case(site="clinic-a")  # a fresh one: the row before may have changed or deleted it
        kwargs = {"format": "json"}
        if body is not None:
            kwargs["data"] = body(case)
        response = getattr(client, method)(path.format(id=case.registry_id), **kwargs)
        if response.status_code != expected[persona]:
            mismatches.append((method, path, response.status_code, getattr(response, "data", None)))
        if path in ("/api/v1/auth/logout/", "/api/v1/auth/logout-all/") and response.status_code == 204:
            client = api(persona)  # the token is revoked now
    assert mismatches == []


@pytest.mark.parametrize("persona", [A, B, R, C])
def test_what_each_reader_finds_in_the_lists(api, make_case, site_b, persona):
    make_case(site="clinic-a")
    make_case(site="clinic-b")
    seen = {doc["site"] for doc in api(persona).get("/api/v1/cases/").json()["results"]}
    rows = {row["registry_id"] for row in api(persona).get("/api/v1/serology/").json()["results"]}
    expected = {A: {"clinic-a"}, B: {"clinic-b"}, R: {"clinic-a", "clinic-b"}, C: {"clinic-a", "clinic-b"}}[persona]
    assert seen == expected
    assert len(rows) == len(expected)


def test_a_user_without_any_role_sees_nothing(api, make_case, db):
    from api.tests.conftest import client_with_token
    from conftest import UserFactory

    make_case(site="clinic-a")
    nobody = client_with_token(UserFactory(username="nobody"))
    assert nobody.get("/api/v1/cases/").json()["count"] == 0
    assert nobody.post("/api/v1/cases/", case_document(), format="json").status_code == 403
    for name in STATISTICS:
        assert nobody.get(f"/api/v1/stats/{name}/").json()["cases"] == 0
    assert nobody.get("/api/v1/export/tables.zip").status_code == 200
