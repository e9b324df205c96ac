"""The case page: the body map marks each calcinosis region on its side; the audit trail is shown."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Region
from cases.services import case_update
from cases.views.body_map import drawn_elements
from conftest import case_document

pytestmark = pytest.mark.django_db


class BodyMapReader(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.marked: set[tuple[str, str, str]] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "data-region" in attrs and "marked" in classes:
            how = "side-unknown" if "side-unknown" in classes else "known"
            self.marked.add((attrs["data-region"], attrs["data-side"], how))


def marked(html: str) -> set[tuple[str, str, str]]:
    """(region, side, how) of every marked element of the body map."""
    return BodyMapReader(html).marked


def case_page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.registry_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_body_map_draws_every_region_of_the_vocabulary_on_each_side():
    paired = {code for code, side in drawn_elements() if side != "midline"}
    drawn = {code for code, _ in drawn_elements()}
    assert drawn == set(Region.objects.values_list("code", flat=True))
    assert {("finger_5", "right"), ("finger_5", "left"), ("hand", "right")} <= drawn_elements()
    assert "symphysis_pubis" not in paired and "elbow" in paired


def test_right_little_finger_is_marked_on_the_right_hand_only(client, clinician_a, make_case):
    case = make_case(
        user=clinician_a,
        calcinosis_sites=[
            {"region": "finger_5", "laterality": "right", "digit_segment": "fingertip", "methods": ["clinical_exam"]},
            {"region": "finger_1", "laterality": "right", "methods": ["histology"]},
        ],
        treatments=[],
    )
    html = case_page(client, clinician_a, case)
    assert {(r, s) for r, s, _ in marked(html)} == {("finger_5", "right"), ("finger_1", "right")}
    assert "the patient's right is on your left" in html


def test_sides_bilateral_midline_and_unknown(client, clinician_a, make_case):
    case = make_case(
        user=clinician_a,
        calcinosis_sites=[
            {"region": "hand", "laterality": "bilateral", "methods": ["radiograph"]},
            {"region": "hip", "laterality": "left", "methods": ["radiograph"]},
            {"region": "symphysis_pubis", "laterality": "midline", "methods": ["radiograph"]},
            {"region": "ischial_tuberosity", "laterality": "unknown", "methods": ["radiograph"]},
        ],
        treatments=[],
    )
    marks = marked(case_page(client, clinician_a, case))
    fingers = {f"finger_{n}" for n in range(1, 6)}
    for side in ("right", "left"):
        # "hand" is the palm and the fingers of that hand.
        assert {(r, side, "known") for r in {"hand", "palm", "finger", *fingers}} <= marks
    assert ("hip", "left", "known") in marks and ("hip", "right", "known") not in marks
    assert ("symphysis_pubis", "midline", "known") in marks
    assert {("ischial_tuberosity", "right", "side-unknown"), ("ischial_tuberosity", "left", "side-unknown")} <= marks
    assert not any(r == "elbow" for r, _, _ in marks)


def test_the_history_says_who_changed_what(client, clinician_a, curator, make_case):
    case = make_case(user=clinician_a)
    case_update(user=curator, case=case, data=case_document(age_at_presentation=52), version=case.version)
    html = case_page(client, clinician_a, case)
    history = html[html.index('id="history-heading"') :]
    assert "Edited</strong> by curator1" in history and "Entered</strong> by clin-a" in history
    assert re.search(r"<em>age at presentation</em> <del>50</del> → <ins>52</ins>", history)
    # Newest first.
    assert history.index("Edited") < history.index("Entered")


def test_the_page_reads_like_a_case_report(client, clinician_a, make_case):
    case = make_case(
        user=clinician_a,
        serology=[{"test": "ana", "result": "positive", "titer": 160, "pattern": "nuclear"}],
        features=[{"feature": "raynaud", "status": "present"}, {"feature": "ild", "status": "absent"}],
    )
    html = case_page(client, clinician_a, case)
    assert "1:160" in html and "Nuclear (unresolved)" in html
    assert re.search(r'data-status="present">\s*<li data-feature="raynaud">Raynaud phenomenon', html)
    assert re.search(r'data-status="absent">\s*<li data-feature="ild">Interstitial lung disease', html)
    # The treatment names the site it targeted by region and side, linked to its entry.
    assert '<a href="#site-1">Index finger (finger 2), left</a>' in html


def test_the_case_page_reads_a_fixed_number_of_queries(client, clinician_a, make_case):
    def rows(n):
        return {
            "calcinosis_sites": [{"region": "finger_2", "laterality": "left", "methods": ["radiograph"]}] * n,
            "serology": [{"test": t, "result": "positive"} for t in ("ana", "rf", "anti_scl70")[:n]],
            "treatments": [
                {"agent": agent, "regimen": "A", "response_scope": "regimen", "site_indexes": list(range(n))}
                for agent in ("diltiazem", "warfarin", "colchicine")[: max(n, 2)]
            ],
            "biopsies": [{"tissue": "skin", "findings": ["calcification", "no_scleroderma"][:n]}] * n,
            "assessments": [
                {
                    "months_from_presentation": month,
                    "scores": [{"instrument": i, "value": 2} for i in ("pain_nrs", "mrss", "esspri")[:n]],
                    "site_findings": [{"site_id": s, "size_mm": 5 + month} for s in range(n)],
                }
                for month in range(n)
            ],
        }

    small, large = make_case(user=clinician_a, **rows(1)), make_case(user=clinician_a, **rows(3))
    client.force_login(clinician_a)
    client.get(reverse("cases:detail", args=[small.registry_id]))
    counts = []
    for case in (small, large):
        # session, user, groups, memberships; the case and its prefetches (8 lists, the sites' regions, the
        # treatments' sites, the assessments' scores and lesion findings); editable_by; the region paths;
        # the label tables the page uses (the biopsy findings' among them); the instruments with their ranges
        # and labels, for the visits and the charts; the audit events (and those of rows inside rows), their
        # users and sites and the labels of the codes they name; the session's save; the stored criteria
        # results.
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("cases:detail", args=[case.registry_id]))
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] <= 44
