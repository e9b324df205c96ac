"""Chromium: /cases/import/ — upload a tables.zip, read the dry run's report as a table, confirm (issue 14.3).

The screenshot of the report is the README's (docs/screenshots/import-dry-run.png).
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from api.tests.test_import import replace_cell, rewritten
from cases.demo import load_demo
from cases.exports.files import stream_tables_zip
from cases.models import Case
from cases.tests.browser.entry import log_in
from conftest import PASSWORD

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "import-dry-run.png"


@pytest.fixture
def exported(transactional_db):
    """The founding cases' tables.zip with one unknown code in case 2, the registry emptied."""
    load_demo(password=PASSWORD)
    curator = get_user_model().objects.get(username="curator")
    cases = Case.objects.filter(site__code="literature")
    keys = {case.local_reference: case.registry_id for case in cases}
    data = b"".join(stream_tables_zip(curator, cases.order_by("registry_id"), {}))
    Case.objects.all().delete()
    return rewritten(data, {"treatments.csv": replace_cell("agent", "tretinoin", "xyz")}), keys


def test_upload_check_then_confirm(open_page, exported):
    data, keys = exported
    page = open_page()
    log_in(page, "curator")
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import cases")).to_be_visible()

    page.get_by_label("File").set_input_files(
        files=[{"name": "tables.zip", "mimeType": "application/zip", "buffer": data}]
    )
    page.get_by_label("Enter the cases for the site").select_option("literature")
    page.get_by_label("Import the valid cases even if others are refused").check()
    page.get_by_role("button", name="Check the file").click()

    expect(page.locator("#import-summary")).to_contain_text("1 of 2 cases can be imported into literature")
    error_row = page.locator("#import-errors tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row.locator("td")).to_have_text(
        ["treatments.csv", re.compile(r"^\d+$"), keys["founding-sjogren-digital"], "agent", "Unknown code 'xyz'."]
    )
    assert not Case.objects.exists()  # a check stores nothing
    page.set_viewport_size({"width": 1100, "height": 760})
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="Import 1 case").click()

    page.wait_for_url(re.compile(r"/cases/$"))
    expect(page.get_by_text("1 of 2 cases imported into literature.")).to_be_visible()
    assert list(Case.objects.values_list("local_reference", flat=True)) == ["founding-ssc-universalis"]
    assert page.errors == []
