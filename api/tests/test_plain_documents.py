"""A page of the case list is built from plain rows (``cases.document.plain``), a single case from its model
instances: every document must be the same either way, for every role (issue 16)."""

import json

import pytest
from rest_framework.renderers import JSONRenderer

from api.renderers import FastJSONRenderer
from api.tests.conftest import client_with_token
from cases.demo import load_demo
from cases.document import document_for
from cases.document.plain import page_documents, page_queryset
from cases.models import Case
from cases.synthetic.loader import load

pytestmark = pytest.mark.django_db

PERSONAS = ["researcher", "curator", "clinician_a", "clinician_b"]


@pytest.fixture
def registry(make_case, site_b, clinician_a):
    load_demo(password="demo-password-for-tests")
    load(seed=11, count=40)
    make_case(age_at_presentation=93, diagnoses=[{"condition": "dm", "is_primary": True, "age_at_onset": 80}])
    make_case(site="clinic-b", summary="=HYPERLINK(x) and a line\u2028separator", sex="male")
    make_case(diagnoses=[], calcinosis_sites=[], treatments=[])  # problems to flag, empty lists
    make_case(
        source="literature",
        publication={"doi": "10.1000/twin"},
        age_at_presentation=44,
        assessments=[
            {
                "months_from_presentation": 3,
                "scores": [{"instrument": "pain_nrs", "value": 4}],
                "site_findings": [{"site_id": 0, "change": "smaller"}],
            }
        ],
    )
    make_case(source="literature", publication={"doi": "10.1000/twin"}, age_at_presentation=44)  # a duplicate


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_page_of_plain_rows_gives_the_documents_of_the_instances(request, registry, persona):
    user = request.getfixturevalue(persona)
    cases = list(page_queryset(Case.objects.visible_to(user)).order_by("registry_id"))
    assert cases  # a clinician reads their own site's cases only
    from_rows = page_documents(user, cases)
    from_instances = [
        document_for(user, case)
        for case in Case.objects.visible_to(user).for_detail(viewer=user).order_by("registry_id")
    ]
    assert [d["registry_id"] for d in from_rows] == [d["registry_id"] for d in from_instances]
    for plain, whole in zip(from_rows, from_instances, strict=True):
        assert plain == whole, plain["registry_id"]
        assert list(plain) == list(whole)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_sends_the_documents_the_services_make(request, registry, persona):
    """Through the API, list and single case alike (the stored criteria entries written as stored), each
    document reads as the one made from the case's instances."""
    user = request.getfixturevalue(persona)
    client = client_with_token(user)
    listed = client.get("/api/v1/cases/", {"page_size": 500}).json()["results"]
    whole = {
        case.registry_id: json.loads(JSONRenderer().render(document_for(user, case)))
        for case in Case.objects.visible_to(user).for_detail(viewer=user)
    }
    assert [doc["registry_id"] for doc in listed] == sorted(whole)
    for doc in listed:
        assert doc == whole[doc["registry_id"]]
    for doc in listed[:: max(1, len(listed) // 12)]:
        assert client.get(f"/api/v1/cases/{doc['registry_id']}/").json() == whole[doc["registry_id"]]


def test_orjson_writes_the_bytes_drf_writes(registry, curator):
    cases = list(page_queryset(Case.objects.all()).order_by("registry_id"))
    data = {"count": len(cases), "results": page_documents(curator, cases)}
    fast = FastJSONRenderer().render(data, "application/json", {})
    assert fast == JSONRenderer().render(data, "application/json", {})
    assert json.loads(fast) == data


@pytest.mark.parametrize("accept", ["application/json; indent=2", "text/html"])
def test_an_indented_or_browsable_answer_reads_the_same(registry, curator, accept):
    """Only orjson writes the stored entries as they are; DRF's own writers get them parsed."""
    client = client_with_token(curator)
    compact = client.get("/api/v1/cases/", {"page_size": 5}).json()["results"]
    answer = client.get("/api/v1/cases/", {"page_size": 5}, HTTP_ACCEPT=accept)
    assert answer.status_code == 200
    if accept.startswith("application/json"):
        assert json.loads(answer.content)["results"] == compact
    else:
        assert compact[0]["criteria_computed"][0]["set"] in answer.content.decode()
