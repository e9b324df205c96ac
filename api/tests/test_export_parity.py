"""Every cell of every export file says what the API document of the same case says.

The files are written by PostgreSQL (cases/exports/sql.py) for speed; this test
holds them to the documents (cases/document/writer.py), persona by persona, so that
the two ways of reading a case cannot drift apart.
"""

import csv
import io
import zipfile
from decimal import Decimal

import pytest

from api.tests.conftest import body
from cases.demo import load_demo
from cases.document.schema import CHILD_LISTS
from cases.models import Agent, Condition, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(make_case, site_b):
    load_demo(password="parity-test-password")
    make_case(
        age_at_presentation=93,
        local_reference="A-77",
        summary="Clinic narrative, private.",
        serology=[
            {
                "test": "ana",
                "result": "positive",
                "titer": 640,
                "pattern": "ac8",
                "value": "1.25",
                "unit": "U/mL",
                "tested_on": "2021-03-04",
                "notes": "private note",
            }
        ],
        labs=[
            {
                "test": "calcium",
                "value": "2.4",
                "unit": "mmol/L",
                "interpretation": "normal",
                "measured_on": "2021-03-05",
            },
            {"test": "schirmer", "value": "4", "unit": "mm", "laterality": "left"},
        ],
        consent_scope=["registry", "data_sharing"],
        consent_on="2021-02-01",
        ethics_reference="EK-2021-17",
        calcinosis_onset_age=91,
        biopsies=[{"tissue": "skin", "findings": ["calcification"], "performed_on": "2021-03-07", "notes": "n"}],
        assessments=[
            {
                "months_from_presentation": 0,
                "calcinosis_course": "not_assessed",
                "scores": [{"instrument": "pain_nrs", "value": 6}],
                "site_findings": [{"site_index": 0, "size_mm": "4.5", "painful": True}],
            },
            {
                "months_from_presentation": "6.5",
                "assessed_on": "2021-09-20",
                "calcinosis_course": "improved",
                "new_sites": False,
                "scores": [{"instrument": "pain_nrs", "value": 2}, {"instrument": "haq_di", "value": "0.375"}],
                "site_findings": [{"site_index": 0, "size_mm": "2", "change": "smaller", "notes": "private"}],
                "notes": "Visit note, private.",
            },
        ],
        calcinosis_sites=[
            {
                "region": "finger_2",
                "laterality": "left",
                "digit_segment": "distal",
                "methods": ["ct"],
                "palpable": True,
                "ulcerated": False,
                "size_mm": "4.5",
                "observed_on": "2021-03-06",
            }
        ],
        treatments=[
            {
                "agent": "sodium_thiosulfate",
                "route": "intralesional",
                "dose": "250 mg/mL, 3 × monthly",
                "indication": "calcinosis",
                "started_on": "2021-04-01",
                "stopped_on": "2021-07-01",
                "duration_months": "3",
                "response": "complete",
                "site_indexes": [0],
            }
        ],
    )
    make_case(
        site="clinic-b",
        sex="male",
        diagnoses=[
            {"condition": "dm", "is_primary": True, "duration_years": "6.7"},
            {"condition": "sle"},
            {"condition": "dm"},
        ],
    )


def read_csv(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def cell(value) -> str:
    """How a document value reads in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, (float, Decimal)):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def unique(values) -> str:
    return ";".join(dict.fromkeys(v for v in values if v))


def with_ancestors(vocabulary, codes) -> str:
    """The codes and every concept above them, once each, in tree order (by path)."""
    paths = dict(vocabulary.objects.values_list("code", "path"))
    wanted = {path for code in codes for path in paths_up(paths[code])}
    return ";".join(code for code, path in sorted(paths.items(), key=lambda item: item[1]) if path in wanted)


def paths_up(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[: depth + 1]) + "/" for depth in range(len(parts))]


def expected_case_row(doc: dict) -> dict:
    publication = doc["publication"] or {}
    primary = next((d for d in doc["diagnoses"] if d["is_primary"]), {})
    row = {
        name: doc[name]
        for name in (
            "registry_id",
            "version",
            "site",
            "source",
            "local_reference",
            "sex",
            "age_at_presentation",
            "calcinosis_onset_age",
            "country",
            "consent",
            "consent_scope",
            "consent_on",
            "ethics_reference",
            "calcinosis_etiology",
            "calcinosis_extent",
            "status",
            "summary",
            "verified_at",
            "created_at",
            "updated_at",
        )
        if name in doc
    }
    row.update(
        {
            f"publication_{k}": publication.get(k)
            for k in ("doi", "pmid", "title", "journal", "year", "authors", "citation")
        }
    )
    row["publication_summarises"] = (publication.get("summarises") or {}).get("doi")
    row.update(
        {
            "primary_condition": primary.get("condition"),
            "primary_duration_years": primary.get("duration_years"),
            "conditions": unique(d["condition"] for d in doc["diagnoses"]),
            "features_present": unique(f["feature"] for f in doc["features"] if f["status"] == "present"),
            "features_absent": unique(f["feature"] for f in doc["features"] if f["status"] == "absent"),
            "positive_antibodies": unique(s["test"] for s in doc["serology"] if s["result"] == "positive"),
            "negative_antibodies": unique(s["test"] for s in doc["serology"] if s["result"] == "negative"),
            "calcinosis_regions": unique(s["region"] for s in doc["calcinosis_sites"]),
            "calcinosis_regions_with_ancestors": with_ancestors(Region, [s["region"] for s in doc["calcinosis_sites"]]),
            "conditions_with_ancestors": with_ancestors(Condition, [d["condition"] for d in doc["diagnoses"]]),
            "agents_with_ancestors": with_ancestors(Agent, [t["agent"] for t in doc["treatments"]]),
            "agents": unique(t["agent"] for t in doc["treatments"]),
            "agent_responses": ";".join(f"{t['agent']}:{t['response']}" for t in doc["treatments"]),
        }
    )
    row.update({f"criteria_{result['set']}": result["status"] for result in doc["criteria_computed"]})
    return {name: cell(value) for name, value in row.items()}


def documents(client) -> list[dict]:
    return client.get("/api/v1/cases/", {"page_size": 500}).json()["results"]


@pytest.mark.parametrize("persona", ["researcher", "curator", "clinician_a"])
def test_cases_csv_cells_equal_the_documents(api, registry, persona):
    client = api(persona)
    rows = read_csv(body(client.get("/api/v1/export/cases.csv")))
    docs = documents(client)
    assert [r["registry_id"] for r in rows] == [d["registry_id"] for d in docs]
    for row, doc in zip(rows, docs, strict=True):
        expected = expected_case_row(doc)
        assert set(row) == set(expected), doc["registry_id"]
        assert row == expected, doc["registry_id"]


@pytest.mark.parametrize("persona", ["researcher", "curator"])
def test_every_table_of_the_zip_equals_the_documents(api, registry, persona):
    client = api(persona)
    archive = zipfile.ZipFile(io.BytesIO(body(client.get("/api/v1/export/tables.zip"))))
    docs = documents(client)
    for child in CHILD_LISTS:
        inner = {c.key for c in child.children}
        rows = read_csv(archive.read(f"{child.key}.csv"))
        expected = [
            {"registry_id": doc["registry_id"], **{k: cell(v) for k, v in row.items() if k not in inner}}
            for doc in docs
            for row in doc[child.key]
        ]
        expected = [{k: (str(v) if k == "id" else v) for k, v in row.items()} for row in expected]
        assert rows == expected, child.key
        for lst in child.children:
            # A row inside another has no id in the document: its file's id is left out of the comparison.
            rows = [{k: v for k, v in row.items() if k != "id"} for row in read_csv(archive.read(f"{lst.key}.csv"))]
            expected = [
                {"registry_id": doc["registry_id"], f"{lst.parent}_id": str(row["id"])}
                | {k: cell(v) for k, v in inner_row.items()}
                for doc in docs
                for row in doc[child.key]
                for inner_row in row[lst.key]
            ]
            assert rows == expected, lst.key
    # The stored criteria results, as the documents compute them.
    columns = ("set", "status", "score", "max_possible", "category")
    expected = [
        {"registry_id": doc["registry_id"], **{k: cell(result[k]) for k in columns}}
        for doc in docs
        for result in doc["criteria_computed"]
    ]
    assert read_csv(archive.read("criteria.csv")) == expected


def test_timestamps_read_as_python_writes_them(api, make_case):
    from django.utils import timezone

    from cases.models import Case

    case = make_case()
    for moment in ("2026-11-21T06:28:29.368960+00:00", "2026-11-21T06:28:29+00:00"):
        Case.objects.filter(pk=case.pk).update(verified_at=timezone.datetime.fromisoformat(moment), status="verified")
        [row] = read_csv(body(api("curator").get("/api/v1/export/cases.csv")))
        assert row["verified_at"] == moment
