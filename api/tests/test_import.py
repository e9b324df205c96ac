"""POST /api/v1/import/: exported cases come back equal, bad files are refused with every error, nothing twice."""

import io

import pytest
from django.contrib.auth import get_user_model

from api.tests.conftest import body, client_with_token
from api.views.common import readable_cases
from cases.demo import load_demo
from cases.document.writer import document_for
from cases.models import Case
from cases.synthetic.loader import load

pytestmark = pytest.mark.django_db

# What the registry writes itself: an imported case gets its own.
NOT_COMPARED = {
    "registry_id",
    "version",
    "status",
    "created_at",
    "updated_at",
    "verified_at",
    "created_by",
    "verified_by",
    "status_reason",
}


def comparable(doc: dict) -> dict:
    """A document without what the registry writes itself, its rows' ids and site ids as positions."""
    doc = {k: v for k, v in doc.items() if k not in NOT_COMPARED}
    positions = {row["id"]: i for i, row in enumerate(doc["calcinosis_sites"])}

    def rows(items):
        out = []
        for row in items:
            row = {k: v for k, v in row.items() if k != "id"}
            if "site_ids" in row:
                row["site_ids"] = sorted(positions[i] for i in row["site_ids"])
            if "site_id" in row:
                row["site_id"] = positions[row["site_id"]]
            for inner in ("scores", "site_findings"):
                if inner in row:
                    row[inner] = rows(row[inner])
            out.append(row)
        return out

    for key, value in doc.items():
        if isinstance(value, list) and value and isinstance(value[0], dict) and key != "quality_issues":
            doc[key] = rows(value)
    return doc


def documents(client, cases) -> dict:
    return {c.local_reference: comparable(client.get(f"/api/v1/cases/{c.registry_id}/").json()) for c in cases}


def post_import(client, data: bytes, site: str, name: str = "tables.zip", **flags):
    upload = io.BytesIO(data)
    upload.name = name
    fields = {"file": upload, "site": site, **{k: str(v).lower() for k, v in flags.items()}}
    return client.post("/api/v1/import/", fields, format="multipart")


@pytest.fixture
def founding():
    load_demo(password="demo-password-for-tests")
    curator = get_user_model().objects.get(username="curator")
    return client_with_token(curator)


def test_the_founding_cases_come_back_equal_from_their_tables_zip(founding):
    client = founding
    cases = Case.objects.filter(site__code="literature")
    before = documents(client, cases)
    exported = body(client.get("/api/v1/export/tables.zip", {"site": "literature"}))
    Case.objects.all().delete()

    reply = post_import(client, exported, "literature")

    assert reply.status_code == 201, reply.json()
    assert reply.json()["errors"] == []
    assert len(reply.json()["created"]) == 2
    assert documents(client, Case.objects.filter(site__code="literature")) == before


def all_documents(user, sites=None) -> dict:
    cases = readable_cases(user)
    if sites is not None:
        cases = cases.filter(site__code__in=sites)
    return {case.local_reference: comparable(document_for(user, case)) for case in cases}


def test_a_thousand_synthetic_cases_come_back_equal(api, curator):
    load(seed=5, count=1000)
    client = api("curator")
    before = all_documents(curator)
    sites = sorted({doc["site"] for doc in before.values()})
    exported = {site: body(client.get("/api/v1/export/tables.zip", {"site": site})) for site in sites}
    Case.objects.all().delete()

    for site in sites:
        reply = post_import(client, exported[site], site)
        assert reply.status_code == 201, reply.json()["errors"][:5]

    assert len(before) == 1000
    assert all_documents(curator) == before
