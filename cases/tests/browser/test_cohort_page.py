"""The cohort page in Chromium, as each role: the numbers drawn are the API's statistics for the same
filters, the heat map darkens with the share, the charts answer the keyboard, and they download."""

import csv
import io
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from api.tests.conftest import client_with_token
from cases.tests.browser.entry import log_in
from cases.tests.test_views_cohort import SSC_SCL70, cohort  # noqa: F401 (the fixture of four cases)

pytestmark = pytest.mark.browser


def open_cohort(open_page, user, params):
    page = open_page()
    log_in(page, user.username)
    page.goto(f"/cohort/?{urlencode(params)}")
    return page


def luminance(rgb: str) -> float:
    """Relative lightness of a computed colour ``rgb(r, g, b)``: what a grey-scale print keeps."""
    r, g, b = (int(part) for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(","))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("persona", ["clinician_a", "clinician_b", "researcher", "curator"])
@pytest.mark.parametrize("params", [{}, SSC_SCL70], ids=["no filter", "ssc and anti-Scl-70"])
def test_the_numbers_drawn_are_the_apis_statistics(request, open_page, cohort, persona, params):  # noqa: F811
    user = request.getfixturevalue(persona)
    api = client_with_token(user)
    page = open_cohort(open_page, user, params)

    sites = api.get("/api/v1/stats/calcinosis-sites/", params).json()
    expect(page.locator("#cohort-count strong")).to_have_text(str(sites["cases"]))
    shares = {r["region"]: (r["cases"], r["proportion"]) for r in sites["regions"]}
    drawn = page.locator("#body-map svg [data-region]").evaluate_all(
        "shapes => shapes.map(s => [s.dataset.region, +s.dataset.cases, +s.dataset.proportion])"
    )
    assert drawn
    for region, cases, proportion in drawn:
        assert (cases, proportion) == shares.get(region, (0, 0.0)), region

    responses = api.get("/api/v1/stats/treatment-responses/", params).json()["agents"]
    rows = page.locator("#treatment-responses svg g[data-row]")
    expect(rows).to_have_count(len(responses))
    for agent, title in zip(responses, rows.locator("title").all_text_contents(), strict=True):
        assert title.startswith(f"{agent['label']}: {agent['responders']} responders of {agent['assessed']} ")
        assert f"{agent['courses']} courses in all" in title

    tests = api.get("/api/v1/stats/serology/", params).json()["tests"]
    for test in tests:
        bar = page.locator("#serology svg rect[data-series]", has=page.locator("title", has_text=test["label"]))
        counted = dict(bar.evaluate_all("rs => rs.map(r => [r.dataset.series, +r.dataset.count])"))
        assert counted.get("Positive", 0) == test["positive"] and counted.get("Negative", 0) == test["negative"]
        assert counted.get("Not recorded", 0) == test["not_recorded"]

    sets = api.get("/api/v1/stats/criteria/", params).json()["sets"]
    met = page.locator("#criteria svg rect[data-series='Met']").evaluate_all("rs => rs.map(r => +r.dataset.count)")
    assert sorted(met) == sorted(s["met"] for s in sets if s["met"])
    assert page.errors == []


def test_the_heat_map_darkens_with_the_share_and_answers_the_keyboard(open_page, cohort, curator):  # noqa: F811
    page = open_cohort(open_page, curator, {})
    shapes = page.locator("#body-map svg [data-region][data-view='front']").evaluate_all(
        "shapes => shapes.map(s => [+s.dataset.proportion, getComputedStyle(s).fill])"
    )
    shares = sorted({(share, luminance(fill)) for share, fill in shapes})
    # One shade per share, each darker than the one of a smaller share (viridis reversed; none is lightest).
    assert len({share for share, _ in shares}) == len(shares) >= 3
    lightness = [light for _, light in shares]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(lightness)

    elbow = page.locator("#body-map svg [data-region='elbow'][data-view='front']").first
    elbow.focus()
    expect(elbow).to_be_focused()
    expect(page.locator("#heat-readout")).to_have_text("Elbow: 1 of 4 cases (25%)")
    page.keyboard.press("Tab")
    expect(page.locator("#heat-readout")).not_to_have_text("Elbow: 1 of 4 cases (25%)")


def test_a_chart_downloads_its_numbers_and_its_picture(open_page, cohort, researcher, tmp_path):  # noqa: F811
    page = open_cohort(open_page, researcher, SSC_SCL70)
    figure = page.locator("#serology")
    with page.expect_download() as csv_download:
        figure.get_by_role("link", name="numbers (CSV)").click()
    path = tmp_path / "serology.csv"
    csv_download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    api = client_with_token(researcher).get("/api/v1/stats/serology/", SSC_SCL70).json()["tests"]
    assert [(r["test"], int(r["positive"]), int(r["not_recorded"])) for r in rows] == [
        (t["test"], t["positive"], t["not_recorded"]) for t in api
    ]
    assert csv_download.value.suggested_filename == "cohort-serology.csv"

    with page.expect_download() as svg_download:
        figure.get_by_role("link", name="picture (SVG)").click()
    path = tmp_path / "serology.svg"
    svg_download.value.save_as(path)
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<title" in svg and "Anti-Scl-70" in svg
    # The picture stands alone: opened as a file, it shows the same chart.
    picture = open_page()
    picture.goto(path.as_uri())
    expect(picture.locator("svg title").first).to_have_text("Antibodies: cases positive, negative and not recorded")


def test_each_chart_draws_a_picture(open_page, cohort, curator):  # noqa: F811
    """The figures the README shows (docs/screenshots/take_screenshots.py takes them from the demo) draw."""
    page = open_cohort(open_page, curator, {})
    page.set_viewport_size({"width": 1360, "height": 1100})
    for key in ("body-map", "treatment-responses"):
        shot = page.locator(f"#{key}").screenshot()
        assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 10_000
