"""Chromium: a clinician enters a case with three follow-up visits (scores and lesion findings at each), sees
its timeline on the case page, and a researcher's script reads the same visits back through the API and in
tables.zip."""

import csv
import io
import re
import zipfile
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cases.models import Case
from cases.tests.browser.entry import enter_case, log_in
from conftest import case_document

pytestmark = pytest.mark.browser

VISITS = [
    {
        "months_from_presentation": "0",
        "calcinosis_course": "not_assessed",
        "scores": [{"instrument": "pain_nrs", "value": "7"}, {"instrument": "patient_global", "value": "6.5"}],
        "site_findings": [
            {"site_id": 0, "size_mm": "12", "painful": True, "pain_nrs": 7},
            {"site_id": 1, "size_mm": "25", "ulcerated": True},
        ],
    },
    {
        "months_from_presentation": "6",
        "assessed_on": "2024-07-01",
        "calcinosis_course": "improved",
        "new_sites": False,
        "scores": [{"instrument": "pain_nrs", "value": "4"}, {"instrument": "patient_global", "value": "4.5"}],
        "site_findings": [
            {"site_id": 0, "size_mm": "8", "change": "smaller"},
            {"site_id": 1, "size_mm": "25", "change": "stable", "ulcerated": False},
        ],
        "notes": "Thiosulfate well tolerated.",
    },
    {
        "months_from_presentation": "13.5",
        "calcinosis_course": "improved",
        "new_sites": False,
        "scores": [{"instrument": "pain_nrs", "value": "2"}, {"instrument": "patient_global", "value": "2.5"}],
        "site_findings": [
            {"site_id": 0, "change": "resolved"},
            {"site_id": 1, "size_mm": "20", "change": "smaller"},
        ],
    },
]
DOC = case_document(
    local_reference="three-visits",
    calcinosis_sites=[
        {"region": "elbow", "laterality": "right", "methods": ["clinical_exam", "radiograph"], "size_mm": "12"},
        {"region": "buttock", "laterality": "left", "methods": ["ct"], "depth": "subcutaneous"},
    ],
    treatments=[
        {
            "agent": "sodium_thiosulfate",
            "route": "intralesional",
            "indication": "calcinosis",
            "response": "partial",
            "site_indexes": [0, 1],
        }
    ],
    assessments=VISITS,
)


def number(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def expected_visits(site_ids: list[int]) -> list[dict]:
    """The visits as typed, in the document's terms: numbers as numbers, sites by their stored ids."""
    return [
        {
            "months": number(visit["months_from_presentation"]),
            "course": visit["calcinosis_course"],
            "scores": [(s["instrument"], number(s["value"])) for s in visit["scores"]],
            "findings": [
                (site_ids[f["site_id"]], number(f.get("size_mm")), f.get("change", "")) for f in visit["site_findings"]
            ],
        }
        for visit in VISITS
    ]


def from_api(document: dict) -> list[dict]:
    return [
        {
            "months": number(visit["months_from_presentation"]),
            "course": visit["calcinosis_course"],
            "scores": [(s["instrument"], number(s["value"])) for s in visit["scores"]],
            "findings": [(f["site_id"], number(f["size_mm"]), f["change"]) for f in visit["site_findings"]],
        }
        for visit in document["assessments"]
    ]


def from_tables(archive: zipfile.ZipFile, registry_id: str) -> list[dict]:
    def table(name):
        rows = csv.DictReader(io.TextIOWrapper(archive.open(f"{name}.csv"), encoding="utf-8-sig"))
        return [row for row in rows if row["registry_id"] == registry_id]

    scores, findings = table("scores"), table("site_findings")
    return [
        {
            "months": number(visit["months_from_presentation"]),
            "course": visit["calcinosis_course"],
            "scores": [(s["instrument"], number(s["value"])) for s in scores if s["assessment_id"] == visit["id"]],
            "findings": [
                (int(f["site_id"]), number(f["size_mm"]), f["change"])
                for f in findings
                if f["assessment_id"] == visit["id"]
            ],
        }
        for visit in sorted(table("assessments"), key=lambda v: Decimal(v["months_from_presentation"]))
    ]


def test_three_visits_entered_charted_and_read_back_alike(open_page, clinician_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    enter_case(page, DOC)
    # The lesion picked at each visit is a site row of this page, named as the clinician typed it.
    expect(page.locator("#id_assessments-2-site_findings-1-lesion")).to_have_value("1")
    expect(page.locator("#id_assessments-1-scores-1-value-help")).to_have_text("0–10, step 0.1")
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url(re.compile(r"/cases/CC-\d+/$"))
    case = Case.objects.get(local_reference="three-visits")
    site_ids = list(case.calcinosis_sites.order_by("pk").values_list("pk", flat=True))

    # The timeline: a chart per lesion and per instrument, three visits on each, and its values as a table.
    follow_up = page.locator("#follow-up")
    expect(follow_up.locator("table.visits tbody tr")).to_have_count(3)
    expect(follow_up.locator("svg.chart")).to_have_count(4)
    elbow = page.locator("#lesion-1")
    expect(elbow.locator("circle")).to_have_count(3)
    expect(elbow.locator("circle title").nth(2)).to_have_text("Month 13.5: resolved")
    buttock = page.locator("#lesion-2")
    expect(buttock.locator("circle title")).to_have_text(
        ["Month 0: 25 mm", "Month 6: 25 mm, stable", "Month 13.5: 20 mm, smaller"]
    )
    pain = page.locator("#score-pain_nrs")
    expect(pain.locator("circle title")).to_have_text(["Month 0: 7", "Month 6: 4", "Month 13.5: 2"])
    pain.get_by_text("Values as a table").click()
    expect(pain.locator("table tbody tr")).to_have_count(3)
    assert page.errors == []

    expected = expected_visits(site_ids)
    api = page.request.get(f"/api/v1/cases/{case.registry_id}/", headers={"Accept": "application/json"})
    assert api.ok
    assert from_api(api.json()) == expected
    export = page.request.get("/api/v1/export/tables.zip")
    assert export.ok
    assert from_tables(zipfile.ZipFile(io.BytesIO(export.body())), case.registry_id) == expected
