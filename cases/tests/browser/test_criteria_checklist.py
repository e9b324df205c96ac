"""Chromium: the founding cases' classification criteria on their case pages, as clinical-v2.md §8 says —
case 1 meets ACR/EULAR 2013 SSc, case 2 ACR/EULAR 2016 Sjögren's — each set a checklist of its items with
the answer and where it came from (issue 12)."""

import pytest
from playwright.sync_api import expect

from cases.demo import load_demo
from cases.models import Case
from cases.tests.browser.entry import log_in
from conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def founding(transactional_db):
    load_demo(password=PASSWORD)
    return {case.local_reference: case.registry_id for case in Case.objects.filter(site__code="literature")}


def criteria_set(page, code):
    return page.locator(f"#criteria details[data-set='{code}']")


def item_row(page, code, item):
    return criteria_set(page, code).locator(f"tr[data-item='{item}']")


def test_the_founding_cases_show_their_criteria_as_checklists(open_page, founding, tmp_path):
    page = open_page()
    log_in(page, "researcher")

    page.goto(f"/cases/{founding['founding-ssc-universalis']}/")
    ssc = criteria_set(page, "acr_eular_2013_ssc")
    expect(ssc).to_have_attribute("open", "")  # a set met is open
    expect(ssc.locator("summary .tag")).to_have_text("met")
    expect(item_row(page, "acr_eular_2013_ssc", "raynaud").locator("td").nth(1)).to_have_text("present")
    expect(item_row(page, "acr_eular_2013_ssc", "raynaud").locator("td").nth(2)).to_have_text(
        "Feature: Raynaud phenomenon"
    )
    expect(item_row(page, "acr_eular_2013_ssc", "pitting_scars").locator("td").nth(1)).to_have_text("not recorded")
    sjogren = criteria_set(page, "acr_eular_2016_sjogren")
    expect(sjogren.locator("summary .tag")).to_have_text("indeterminate")
    expect(sjogren.locator("table")).to_be_hidden()
    sjogren.locator("summary").click()  # opened by the reader, it says what could decide it
    expect(sjogren.locator(".criteria-hints li").first).to_contain_text("could make this")

    page.goto(f"/cases/{founding['founding-sjogren-digital']}/")
    sjogren = criteria_set(page, "acr_eular_2016_sjogren")
    expect(sjogren.locator("summary .tag")).to_have_text("met")
    expect(sjogren.locator("summary")).to_contain_text("score 4 of 9 possible · threshold 4")
    expect(item_row(page, "acr_eular_2016_sjogren", "anti_ro_ssa").locator("td").nth(2)).to_contain_text("Serology")
    expect(item_row(page, "acr_eular_2016_sjogren", "schirmer").locator("td").nth(1)).to_have_text("present")
    expect(sjogren.locator("li[data-rule='sicca_symptoms']")).to_contain_text("present")
    screenshot = tmp_path / "case-page-criteria.png"
    page.locator("#criteria").screenshot(path=screenshot)
    assert screenshot.stat().st_size > 10_000
    assert page.errors == []
