"""The case page tells the second edition: every new fact where a clinician looks for it, a regimen's shared
outcome once for its courses, and the follow-up as a table of visits with a chart per lesion and instrument
(inline SVG, each with its values as a table)."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.founding_cases import SJOGREN_DIGITAL, SSC_UNIVERSALIS
from cases.services import case_create
from cases.tests.test_views_form_follow_up import FOLLOWED_UP
from conftest import SiteFactory

pytestmark = pytest.mark.django_db


def page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.registry_id]))
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """The words of the page as read, tags dropped and spaces joined."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",").replace(" :", ":")
    return unescape(words)


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def followed_up(clinician_a):
    return case_create(user=clinician_a, data=FOLLOWED_UP)


def test_every_new_fact_is_where_a_clinician_looks_for_it(client, clinician_a, followed_up):
    html = page(client, clinician_a, followed_up)
    patient = text(section(html, "patient-heading"))
    for fact in (
        "Age at calcinosis onset 44 years",
        "Consent for registry, data sharing",
        "Consent given on 2024-03-01",
    ):
        assert fact in patient
    assert "Ethics reference EC-2024-117" in patient  # the site's own clinician sees it
    diagnoses = text(section(html, "diagnoses-heading"))
    assert "onset at 41 · for 9 years (since onset)" in diagnoses
    assert "criteria stated: EULAR/ACR 2017 inflammatory myopathy; Bohan & Peter 1975 myositis" in diagnoses
    assert "Systemic sclerosis suspected" in diagnoses
    assert re.search(r'data-feature="digital_tip_ulcers">[^<]+<span class="tag timing-past">past</span>', html)
    assert "Line blot" in text(section(html, "serology-heading"))
    labs = text(section(html, "labs-heading"))
    assert "Calcium (serum) 2.4 mmol/L 9.62 mg/dL" in labs  # the canonical value beside the one entered
    assert "4 mm Left" in labs  # Schirmer, left eye
    site = text(html[html.index('id="site-1"') : html.index('id="site-2"')])
    assert (
        "seen by radiograph, clinical examination · subcutaneous · 3 deposits · 14 × 9 mm · extruding: yes · pain 6/10"
        in site
    )
    treatments = text(section(html, "treatments-heading"))
    assert "stopped: completed" in treatments
    biopsies = text(section(html, "biopsies-heading"))
    assert "Muscle Perimysial and/or perivascular infiltrate; Perifascicular atrophy" in biopsies


def test_a_researcher_reads_the_follow_up_without_identifiers(client, researcher, followed_up):
    html = page(client, researcher, followed_up)
    assert "EC-2024-117" not in html and "Ethics reference" not in html
    assert "Consent given on 2024" in text(section(html, "patient-heading"))  # a year only
    visits = section(html, "follow-up-heading")
    assert "2024-09-10" not in visits and "<td>2024</td>" in visits
    assert "Less pain." not in visits  # a clinic case's notes are withheld
    assert html.count('<svg class="chart"') == 6  # the charts need months, not dates


def test_a_regimens_shared_outcome_is_told_once_for_its_courses(client, curator, site_a):
    literature = SiteFactory(code="literature", name="Published case reports")
    case = case_create(user=curator, data={**SSC_UNIVERSALIS, "site": literature.code})
    html = page(client, curator, case)
    groups = re.findall(r'<tbody class="regimen" data-regimen="([^"]+)">(.*?)</tbody>', html, re.S)
    assert [label for label, _ in groups] == ["A"]
    body = groups[0][1]
    assert "Regimen A: 6 courses evaluated together · outcome of the regimen: None" in text(body)
    assert text(body).count("the regimen's (above)") == 6  # no course claims the outcome as its own


def test_courses_of_one_regimen_with_their_own_outcomes_keep_them(client, clinician_a, followed_up):
    html = page(client, clinician_a, followed_up)
    [(label, body)] = re.findall(r'<tbody class="regimen" data-regimen="([^"]+)">(.*?)</tbody>', html, re.S)
    # The two courses of regimen A report different details, so each keeps its own.
    assert "outcome of the regimen" not in body
    assert "Partial (judged by size, size −40 %, at 6 months)" in text(body)


class Charts(HTMLParser):
    """Each chart of the page: its title, its points' titles, and its table of values."""

    def __init__(self, html):
        super().__init__()
        self.charts: dict[str, dict] = {}
        self._chart = None
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "chart-figure" in (attrs.get("class") or ""):
            self._chart = self.charts.setdefault(attrs["id"], {"points": [], "cells": [], "style": []})
        if self._chart is None:
            return
        if "style" in attrs:
            self._chart["style"].append(tag)
        if tag == "circle":
            self._in = "point"
        elif tag in ("th", "td") and self._in != "point":
            self._in = "cell"
        elif tag == "desc":
            self._in = "desc"

    def handle_endtag(self, tag):
        if tag == "figure":
            self._chart = None
        if tag in ("circle", "th", "td", "desc"):
            self._in = None

    def handle_data(self, data):
        if self._chart is None or not data.strip():
            return
        if self._in == "point":
            self._chart["points"].append(data.strip())
        elif self._in == "cell":
            self._chart["cells"].append(data.strip())
        elif self._in == "desc":
            self._chart["desc"] = data.strip()


def test_the_timeline_draws_each_lesion_and_each_instrument_with_its_values_as_a_table(
    client, clinician_a, followed_up
):
    html = page(client, clinician_a, followed_up)
    charts = Charts(html).charts
    assert list(charts) == [
        "lesion-1",
        "lesion-2",
        "score-pain_nrs",
        "score-cdasi_activity",
        "score-patient_global",
        "score-haq_di",
    ]
    elbow = charts["lesion-1"]
    assert elbow["points"] == ["Month 0: 14 mm", "Month 6.5: 9 mm, smaller"]
    assert elbow["cells"][-4:] == ["0", "14 mm", "6.5", "9 mm, smaller"]
    assert elbow["desc"] == "Site 1: Elbow, right. month 0: 14 mm; month 6.5: 9 mm, smaller."
    # The thigh was first measured with the lesion (30 mm), then at 6.5 months: both drawn, the first hollow.
    assert charts["lesion-2"]["points"] == ["Month 0: 30 mm (first documented)", "Month 6.5: 30 mm, stable"]
    assert 'class="chart-point baseline"' in html
    assert charts["score-pain_nrs"]["points"] == ["Month 0: 6", "Month 6.5: 3"]
    assert charts["score-haq_di"]["cells"][-2:] == ["6.5", "1.125"]
    assert "0–3, higher is worse" in text(html[html.index('id="score-haq_di"') :])
    # The page allows no inline style or script (Content-Security-Policy): the charts use classes only.
    assert all(not chart["style"] for chart in charts.values())
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_the_charts_follow_the_page_s_security_policy(client, clinician_a, followed_up):
    client.force_login(clinician_a)
    response = client.get(reverse("cases:detail", args=[followed_up.registry_id]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "https://" not in response.content.decode().split("</head>")[0]  # nothing from a CDN


def test_a_case_without_follow_up_says_so(client, clinician_a, make_case):
    html = page(client, clinician_a, make_case(user=clinician_a))
    assert "No follow-up recorded." in html and '<svg class="chart"' not in html


def test_a_summary_names_the_publication_it_summarises(client, curator, site_a):
    literature = SiteFactory(code="literature", name="Published case reports")
    case = case_create(user=curator, data={**SJOGREN_DIGITAL, "site": literature.code})
    source = text(section(page(client, curator, case), "source-heading"))
    assert "A summary of the primary publication: DOI 10.7326/aimcc.2023.1411" in source
