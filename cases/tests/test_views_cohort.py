"""The cohort page: every role, its numbers equal to the API's statistics, its downloads, its words."""

import csv
import io
import re

import pytest
from django.urls import reverse

from api.tests.conftest import client_with_token

pytestmark = pytest.mark.django_db

SSC_SCL70 = {"condition": "ssc", "positive": "anti_scl70"}


@pytest.fixture
def cohort(make_case, clinician_a):
    """Four cases of site A: two SSc anti-Scl-70 positive, one of them 95 years old; one Sjögren's; one SSc."""
    scl70 = [{"test": "anti_scl70", "result": "positive"}, {"test": "ana", "result": "positive"}]
    return [
        make_case(
            user=clinician_a,
            serology=scl70,
            calcinosis_sites=[
                {"region": "finger_2", "laterality": "left", "methods": ["radiograph"]},
                {"region": "elbow", "laterality": "right", "methods": ["radiograph"]},
            ],
            treatments=[
                {"agent": "diltiazem", "route": "oral", "indication": "calcinosis", "response": "partial"},
                {"agent": "alendronate", "route": "oral", "indication": "calcinosis", "response": "none"},
                {
                    "agent": "colchicine",
                    "route": "oral",
                    "indication": "calcinosis",
                    "regimen": "A",
                    "response": "none",
                    "response_scope": "regimen",
                },
                {
                    "agent": "mycophenolate",
                    "route": "oral",
                    "indication": "underlying_disease",
                    "regimen": "A",
                    "response": "none",
                    "response_scope": "regimen",
                },
            ],
            assessments=[
                {"months_from_presentation": 0, "scores": [{"instrument": "haq_di", "value": 1.25}]},
                {
                    "months_from_presentation": 6,
                    "calcinosis_course": "improved",
                    "scores": [{"instrument": "haq_di", "value": 1}],
                },
            ],
        ),
        make_case(user=clinician_a, serology=scl70, age_at_presentation=95, sex="male"),
        make_case(
            user=clinician_a,
            diagnoses=[{"condition": "sjogren", "is_primary": True}],
            calcinosis_sites=[{"region": "knee", "laterality": "right", "methods": ["clinical_exam"]}],
        ),
        make_case(user=clinician_a),
    ]


def page(client, **params):
    response = client.get(reverse("cohort"), params)
    assert response.status_code == 200
    return response


def download(client, chart, fmt="csv", **params):
    response = client.get(reverse(f"cohort-{fmt}", args=[chart]), params)
    assert response.status_code == 200, response.content[:300]
    return response


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def regions_drawn(markup: str) -> list[dict]:
    """The attributes of every shape of the body heat map that stands for a region."""
    return [
        dict(re.findall(r'([a-z-]+)="([^"]*)"', tag)) for tag in re.findall(r"<[a-z]+ [^>]*data-region=[^>]*>", markup)
    ]


def number(text):
    return None if text == "" else float(text)


@pytest.mark.parametrize("persona", ["clinician_a", "clinician_b", "researcher", "curator"])
@pytest.mark.parametrize("params", [{}, SSC_SCL70], ids=["no filter", "ssc and anti-Scl-70"])
def test_the_charts_numbers_are_the_apis_statistics(request, client, cohort, persona, params):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    api = client_with_token(user)
    html = page(client, **params).content.decode()

    sites = api.get("/api/v1/stats/calcinosis-sites/", params).json()
    assert f'data-total="{sites["cases"]}"' in html
    drawn = {
        r["region"]: (int(r["cases"]), float(r["proportion"])) for r in csv_rows(download(client, "body-map", **params))
    }
    assert drawn == {r["region"]: (r["cases"], r["proportion"]) for r in sites["regions"]}
    # Every region drawn on the map carries the API's cases and share (none: a region without calcinosis).
    shapes = regions_drawn(html)
    assert shapes
    for shape in shapes:
        assert (int(shape["data-cases"]), float(shape["data-proportion"])) == drawn.get(shape["data-region"], (0, 0.0))

    responses = api.get("/api/v1/stats/treatment-responses/", params).json()
    drawn = csv_rows(download(client, "treatment-responses", **params))
    assert [(r["agent"], int(r["courses"]), int(r["assessed"]), number(r["responder_proportion"])) for r in drawn] == [
        (a["agent"], a["courses"], a["assessed"], a["responder_proportion"]) for a in responses["agents"]
    ]
    assert [[number(r["ci95_low"]), number(r["ci95_high"])] for r in drawn] == [
        a["responder_ci95"] or [None, None] for a in responses["agents"]
    ]

    assert [
        {code: int(r[code]) for code in a["responses"]} for r, a in zip(drawn, responses["agents"], strict=True)
    ] == [a["responses"] for a in responses["agents"]]

    serology = api.get("/api/v1/stats/serology/", params).json()
    drawn = csv_rows(download(client, "serology", **params))
    assert [{k: v for k, v in r.items() if k != "label"} for r in drawn] == [
        {k: str(v) for k, v in t.items() if k != "label"} for t in serology["tests"]
    ]

    criteria = api.get("/api/v1/stats/criteria/", params).json()
    drawn = csv_rows(download(client, "criteria", **params))
    assert [(r["set"], r["met"], r["indeterminate"], r["not_met"]) for r in drawn] == [
        (c["set"], str(c["met"]), str(c["indeterminate"]), str(c["not_met"])) for c in criteria["sets"]
    ]

    follow = api.get("/api/v1/stats/follow-up/", params).json()
    drawn = csv_rows(download(client, "follow-up-course", **params))
    assert [(r["band"], int(r["assessments"]), int(r["improved"])) for r in drawn] == [
        (b["band"], b["assessments"], b["calcinosis_course"]["improved"]) for b in follow["bands"]
    ]
    medians = {
        (r["instrument"], r["band"]): number(r["median"])
        for r in csv_rows(download(client, "follow-up-scores", **params))
    }
    assert medians == {(i["instrument"], b["band"]): b["median"] for i in follow["instruments"] for b in i["bands"]}


def test_a_clinician_sees_only_their_sites_cases(client, cohort, clinician_b):
    client.force_login(clinician_b)
    assert 'data-total="0"' in page(client).content.decode()


def test_the_filters_are_said_in_words_and_link_back_to_the_case_list(client, cohort, curator):
    client.force_login(curator)
    html = page(client, **SSC_SCL70).content.decode()
    said = re.search(r'<p class="count" id="cohort-count" role="status">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", said).split()
    assert " ".join(text).startswith("2 cases: condition ")
    assert "(incl. subtypes)" in said and "Anti-Scl-70" in said and said.count("positive") == 1
    assert 'href="/cases/?condition=ssc&amp;positive=anti_scl70"' in html


def test_a_researcher_reads_every_age_from_90_as_one_band(client, cohort, researcher, curator):
    client.force_login(researcher)
    bands = {r["band"]: int(r["cases"]) for r in csv_rows(download(client, "age"))}
    assert bands["90+"] == 1 and not any(band.startswith("100") for band in bands)
    client.force_login(curator)
    bands = {r["band"]: int(r["cases"]) for r in csv_rows(download(client, "age"))}
    assert bands["90-99"] == 1 and "90+" not in bands


def test_agents_with_few_assessed_courses_are_greyed_and_regimens_are_apart(client, cohort, curator):
    client.force_login(curator)
    svg = download(client, "treatment-responses", "svg").content.decode()
    assert svg.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    rows = re.findall(r'<g tabindex="0" data-row="([^"]+)"( data-muted="true")?>', svg)
    assert rows and all(muted for _, muted in rows)  # no agent has 5 assessed courses here
    assert "fewer than 5 assessed" in svg
    regimen = csv_rows(download(client, "regimen-outcomes"))
    assert [(r["agent"], r["none"]) for r in regimen] == [("colchicine", "1")]
    assert "colchicine" not in [row for row, _ in rows]


def test_the_switch_counts_courses_of_every_indication(client, cohort, curator):
    client.force_login(curator)
    calcinosis = page(client).content.decode()
    assert 'href="?indication=any"' in calcinosis
    every = csv_rows(download(client, "treatment-responses", indication="any"))
    assert "diltiazem" in [r["agent"] for r in every]
    assert "for any indication" in page(client, indication="any").content.decode()


def test_heat_map_shading_darkens_with_the_share(client, cohort, curator):
    client.force_login(curator)
    svg = download(client, "body-map", "svg").content.decode()
    shaded = regions_drawn(svg)
    assert {shape["data-region"] for shape in shaded} >= {"finger_2", "elbow", "knee", "back", "toe_5"}
    by_share = sorted({(float(shape["data-proportion"]), shape["fill"]) for shape in shaded})
    lightness = [_luminance(fill) for _, fill in by_share]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len({p for p, _ in by_share})


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_a_refused_filter_is_said_beside_it_and_draws_nothing(client, cohort, curator):
    client.force_login(curator)
    html = page(client, age_min="200").content.decode()
    assert "correct the filters marked in red" in html and "<svg" not in html.split("cohort-heading")[1]
    assert client.get(reverse("cohort-csv", args=["serology"]), {"age_min": "200"}).status_code == 400
    assert client.get(reverse("cohort-csv", args=["no-such-chart"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(reverse("cohort")).status_code == 302
    assert client.get(reverse("cohort-svg", args=["age"])).status_code == 302


def test_the_page_reads_a_fixed_number_of_queries(client, cohort, curator, make_case, django_assert_max_num_queries):
    client.force_login(curator)
    page(client, **SSC_SCL70)
    # session, user, groups (access); the count; calcinosis sites: the GROUP BY and its regions; treatment
    # responses: the GROUP BY and its agents; serology: the GROUP BY and its tests; criteria; demographics;
    # follow-up: visits, scores and the instruments twice (labels and ranges); region labels; the filter
    # panel's option lists and the filter's codes; the session save.
    with django_assert_max_num_queries(40) as few:
        page(client, **SSC_SCL70)
    for _ in range(5):
        make_case(serology=[{"test": "anti_scl70", "result": "positive"}])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client, **SSC_SCL70)


@pytest.mark.parametrize("persona", ["clinician_a", "researcher"])
def test_a_selection_too_large_to_read_by_id_gives_the_same_numbers(request, client, cohort, persona, monkeypatch):
    from cases import selection

    user = request.getfixturevalue(persona)
    client.force_login(user)
    by_id = {chart: download(client, chart, **SSC_SCL70).content for chart in ("body-map", "serology", "age")}
    monkeypatch.setattr(selection, "RESOLVE_AT_MOST", 1)  # two cases select: read through the filters
    html = page(client, **SSC_SCL70).content.decode()
    assert 'data-total="2"' in html
    assert {chart: download(client, chart, **SSC_SCL70).content for chart in by_id} == by_id


def test_an_indication_chosen_in_the_panel_picks_the_courses_and_hides_the_switch(client, cohort, curator):
    client.force_login(curator)
    html = page(client, indication="underlying_disease").content.decode()
    assert "course-switch" not in html and "given for underlying disease" in html.lower()
    assert [r["agent"] for r in csv_rows(download(client, "treatment-responses", indication="underlying_disease"))] == [
        "immunosuppressant",
        "mycophenolate",
    ]


def _drawn(markup: str) -> str:
    # What differs between two requests of one page: the per-request nonce and CSRF token.
    return re.sub(r'(nonce|value)="[^"]*"', "", markup)


@pytest.mark.django_db(transaction=True)
def test_the_statistics_drawn_side_by_side_are_those_drawn_one_after_another(client, cohort, researcher, settings):
    # Outside a test's transaction the page runs its statistics at once, each on a connection of its own.
    client.force_login(researcher)
    at_once = page(client, **SSC_SCL70).content.decode()
    settings.PARALLEL_READS = 1
    in_turn = page(client, **SSC_SCL70).content.decode()
    assert 'data-total="2"' in at_once
    assert _drawn(at_once) == _drawn(in_turn)
