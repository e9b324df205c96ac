"""The documents PostgreSQL builds (``cases.document.sql``) are the documents the services make.

For every role — a curator, a clinician of the case's site, a clinician of another site, a researcher,
and a researcher who is also a clinician of one site (who reads their own site's cases whole and the
others de-identified, in one page) — each document the API serves, in a list page or alone, equals
``document_for`` of the same case, key order included: the founding cases, 200 synthetic ones, and the
edges (great ages and their clues, missing values, decimals, dates and timestamps, every list empty, a
case whose criteria results were never stored).
"""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from rest_framework.renderers import JSONRenderer

from api.tests.conftest import client_with_token
from cases import access
from cases.demo import load_demo
from cases.document import document_for
from cases.models import Case, CriteriaResult, Membership
from cases.synthetic.loader import load
from conftest import UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["researcher", "curator", "clinician_a", "clinician_b", "researcher_of_clinic_a"]
EMPTY_LISTS = {
    key: []
    for key in (
        "diagnoses",
        "features",
        "serology",
        "labs",
        "calcinosis_sites",
        "treatments",
        "biopsies",
        "assessments",
    )
}


@pytest.fixture
def researcher_of_clinic_a(site_a):
    user = UserFactory(username="researcher-a")
    user.groups.add(Group.objects.get_or_create(name=access.RESEARCHER)[0])
    Membership.objects.create(user=user, site=site_a)
    return user


@pytest.fixture
def registry(make_case, site_b, clinician_a):
    load_demo(password="demo-password-for-tests")
    load(seed=5, count=200)
    great = make_case(
        age_at_presentation=93,
        calcinosis_onset_age=91,
        diagnoses=[
            {"condition": "dm", "is_primary": True, "age_at_onset": 80, "age_at_diagnosis": 81, "duration_years": 12.5}
        ],
        consent_on="2021-02-03",
        local_reference="A-93",
        ethics_reference="EC-1",
    )
    make_case(age_at_presentation=90, source="literature", publication={"doi": "10.1000/ninety"}, summary="Old.")
    make_case(age_at_presentation=None, sex="unknown", summary="", **EMPTY_LISTS)
    make_case(
        site="clinic-b",
        summary="Seen\u2028twice.",
        labs=[
            {"test": "calcium", "value": 2.30, "unit": "mmol/L", "measured_on": "2020-01-31", "notes": "fasting"},
            {"test": "phosphate", "value": 1.0, "unit": "mmol/L"},
        ],
        serology=[{"test": "ana", "result": "positive", "titer": 320, "tested_on": "2019-12-31", "notes": "IIF"}],
        calcinosis_sites=[
            {"region": "finger_2", "laterality": "left", "methods": ["radiograph"], "size_mm": 0.1},
            {
                "region": "elbow",
                "laterality": "right",
                "methods": ["clinical_exam", "radiograph"],
                "size_mm": 25.0,
                "size_short_mm": 12.5,
            },
        ],
        treatments=[
            {
                "agent": "diltiazem",
                "indication": "calcinosis",
                "response": "partial",
                "duration_months": 6.5,
                "size_change_pct": -33.3,
                "started_on": "2019-01-01",
                "site_indexes": [1, 0],
                "notes": "tolerated",
            },
            {"agent": "sodium_thiosulfate", "route": "intralesional", "site_indexes": []},
        ],
        assessments=[
            {
                "months_from_presentation": 6,
                "assessed_on": "2020-07-01",
                "notes": "better",
                "scores": [{"instrument": "pain_nrs", "value": 4}],
                "site_findings": [{"site_index": 1, "size_mm": 20.5, "change": "smaller", "notes": "softer"}],
            },
            {"months_from_presentation": 1.5},
        ],
    )
    # Whole-second and new-year timestamps, read in UTC.
    Case.objects.filter(pk=great.pk).update(
        created_at=datetime.datetime(2020, 12, 31, 23, 30, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2021, 1, 1, 0, 0, 0, 5, tzinfo=datetime.UTC),
    )
    never_stored = make_case(source="literature", publication={"doi": "10.1000/twin"}, age_at_presentation=44)
    make_case(source="literature", publication={"doi": "10.1000/twin"}, age_at_presentation=44)  # a duplicate
    CriteriaResult.objects.filter(case=never_stored).delete()


def served(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def served_as_made(user):
    client = client_with_token(user)
    made = {
        case.registry_id: json.loads(JSONRenderer().render(document_for(user, case)))
        for case in Case.objects.visible_to(user).for_detail(viewer=user)
    }
    listed, page = [], served(client, "/api/v1/cases/", {"page_size": 100})  # three pages
    while True:
        listed += page["results"]
        if not page["next"]:
            break
        page = served(client, page["next"])
    assert [doc["registry_id"] for doc in listed] == sorted(made)
    for doc in listed:
        assert doc == made[doc["registry_id"]], doc["registry_id"]
        assert list(doc) == list(made[doc["registry_id"]])
    # Alone: every case but the synthetic ones, and one synthetic case in ten (each is a request).
    synthetic = set(Case.objects.filter(local_reference__startswith="SYN-").values_list("registry_id", flat=True))
    sample = [registry_id for registry_id in sorted(made) if registry_id not in synthetic]
    sample += sorted(synthetic & set(made))[::10]
    for registry_id in sample:
        document = made[registry_id]
        alone = served(client, f"/api/v1/cases/{registry_id}/")
        assert alone == document, registry_id
        assert list(alone) == list(document)


def test_the_api_serves_the_documents_the_services_make(request, registry):
    # Every role on one registry (loading it is most of the time).
    for persona in PERSONAS:
        served_as_made(request.getfixturevalue(persona))
    researcher, mixed = request.getfixturevalue("researcher"), request.getfixturevalue("researcher_of_clinic_a")
    # What the comparison met, read as a researcher reads it.
    documents = served(client_with_token(researcher), "/api/v1/cases/", {"page_size": 500})["results"]
    assert any(doc["age_at_presentation"] == "90+" and doc["calcinosis_onset_age"] is None for doc in documents)
    assert any(all(doc[key] == [] for key in EMPTY_LISTS) for doc in documents)
    assert any(doc["summary"] == "" and doc["source"] == "clinic" for doc in documents)
    assert any(site["size_mm"] == 0.1 for doc in documents for site in doc["calcinosis_sites"])
    assert all("local_reference" not in doc for doc in documents)
    # A researcher who is a clinician of one site reads that site's cases whole, the others de-identified.
    documents = served(client_with_token(mixed), "/api/v1/cases/", {"page_size": 500})["results"]
    own = [doc for doc in documents if doc["site"] == "clinic-a"]
    others = [doc for doc in documents if doc["site"] != "clinic-a"]
    assert own and others
    assert all("local_reference" in doc for doc in own)
    assert all("local_reference" not in doc and len(doc["created_at"]) == 4 for doc in others)
