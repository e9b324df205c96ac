"""The entry form in Chromium: nothing typed is thrown away without asking; the checklist opens by organ."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from cases.tests.browser.entry import log_in, open_organ

pytestmark = pytest.mark.browser


class Dialogs(list):
    """The dialogs the page opened, as (type, message); each is answered with ``self.answer``."""

    def __init__(self, page, answer: bool):
        super().__init__()
        self.answer = answer
        page.on("dialog", self.handle)

    def handle(self, dialog):
        self.append((dialog.type, dialog.message))
        if self.answer:
            dialog.accept()
        else:
            dialog.dismiss()


def dialogs(page, answer: bool) -> Dialogs:
    return Dialogs(page, answer)


def test_cancel_on_an_untouched_form_leaves_without_asking(open_page, clinician_a, site_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    seen = dialogs(page, answer=False)
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(re.compile(r"/cases/$"))
    assert seen == []


def test_cancel_on_a_changed_form_asks_first(open_page, clinician_a, site_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    page.get_by_label("Age at presentation (years)", exact=True).fill("61")
    seen = dialogs(page, answer=False)
    page.get_by_role("link", name="Cancel").click()
    assert [kind for kind, _ in seen] == ["confirm"]
    assert "Discard" in seen[0][1]
    expect(page).to_have_url(re.compile(r"/cases/new/$"))
    expect(page.get_by_label("Age at presentation (years)", exact=True)).to_have_value("61")

    seen.answer = True
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(re.compile(r"/cases/$"))


def test_leaving_a_changed_form_by_another_link_asks(open_page, clinician_a, site_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    open_organ(page, "raynaud")
    page.locator("fieldset[data-feature='raynaud']").get_by_label("Present", exact=True).check()
    seen = dialogs(page, answer=False)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.locator("#case-form")).to_be_visible()
    assert [kind for kind, _ in seen] == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/cases/new/$"))


def test_a_successful_save_leaves_without_asking(open_page, clinician_a, site_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    page.get_by_label("Site", exact=True).select_option("clinic-a")
    page.get_by_label("Age at presentation (years)", exact=True).fill("61")
    seen = dialogs(page, answer=False)
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url(re.compile(r"/cases/CC-\d+/$"))
    assert seen == []
    assert Case.objects.filter(age_at_presentation=61).exists()


def test_the_checklist_is_closed_by_organ_and_counts_what_is_ticked(open_page, clinician_a, site_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    raynaud = page.locator("fieldset[data-feature='raynaud']")
    expect(raynaud).to_be_hidden()  # the vascular group is closed
    vascular = page.locator("details.organ[data-organ='Vascular']")
    expect(vascular.locator("summary")).to_have_text(re.compile(r"Vascular\s+0 present, 0 absent"))
    vascular.locator("summary").click()
    raynaud.get_by_label("Present", exact=True).check()
    page.locator("fieldset[data-feature='digital_ulcers']").get_by_label("Absent", exact=True).check()
    expect(vascular.locator("summary")).to_have_text(re.compile(r"Vascular\s+1 present, 1 absent"))
    assert page.errors == []
