"""The filter panel in Chromium: a refused filter is brought into view and focused; the URL keeps only
the filters that were set; the export links carry them."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from cases.tests.browser.entry import log_in

pytestmark = pytest.mark.browser


def query(page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query, keep_blank_values=True)


def test_a_refused_filter_is_scrolled_to_and_focused(open_page, clinician_a, make_case):
    make_case(user=clinician_a)
    page = open_page()
    log_in(page, clinician_a.username)
    page.get_by_label("Age from", exact=True).fill("200")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"age_min=200"))
    age = page.get_by_label("Age from", exact=True)
    expect(age).to_be_focused()
    expect(age).to_be_in_viewport()
    expect(page.locator("#id_age_min-error")).to_be_in_viewport()
    expect(page.locator("#case-count")).to_contain_text("correct the filters")
    assert page.errors == []


def test_a_refused_filter_under_more_filters_is_found_too(open_page, clinician_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.get_by_text("More filters").click()
    page.get_by_label("Publication year from", exact=True).fill("1500")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"publication_year_min=1500"))
    year = page.get_by_label("Publication year from", exact=True)
    expect(year).to_be_focused()
    expect(year).to_be_in_viewport()


def test_apply_puts_only_the_filters_set_in_the_url(open_page, clinician_a, make_case):
    case = make_case(user=clinician_a)
    page = open_page()
    log_in(page, clinician_a.username)
    page.get_by_label("Calcinosis region (incl. sub-regions)", exact=True).select_option("finger")
    page.get_by_label("Sex", exact=True).select_option("female")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"region=finger"))
    assert sorted(query(page)) == [("region", "finger"), ("sex", "female")]
    expect(page.locator(f"tr[data-registry-id='{case.registry_id}']")).to_have_count(1)
    # Nothing focused or scrolled away when the filters were accepted.
    expect(page.get_by_label("Sex", exact=True)).not_to_be_focused()
    export = page.get_by_role("link", name="CSV, one row per case")
    expect(export).to_have_attribute("href", re.compile(r"^/api/v1/export/cases\.csv\?region=finger&sex=female$"))


def test_without_javascript_the_panel_still_filters(browser, live_server, clinician_a, make_case):
    case = make_case(user=clinician_a)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, clinician_a.username)
        page.get_by_label("Sex", exact=True).select_option("female")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"sex=female"))
        expect(page.locator(f"tr[data-registry-id='{case.registry_id}']")).to_have_count(1)
    finally:
        context.close()
