"""A clinician in Chromium: enters a whole case through the form, finds it, reads its body map; bad input and
a concurrent edit lose nothing; another site's clinician gets a 404; the keyboard alone completes the form."""

import re

import pytest
from playwright.sync_api import expect

from cases.founding_cases import SJOGREN_DIGITAL
from cases.models import Case
from cases.tests.browser.entry import enter_case, enter_row, form_values, log_in
from cases.tests.form_pages import assert_stored
from cases.vocabulary_data import REGION
from conftest import case_document

pytestmark = pytest.mark.browser

REGION_LABELS = {code: label for code, label, _, _ in REGION}


def saved_case(page) -> Case:
    page.wait_for_url(re.compile(r"/cases/CC-\d+/$"))
    return Case.objects.get(registry_id=page.url.rstrip("/").rsplit("/", 1)[-1])


def test_the_sjogren_case_entered_found_and_mapped(open_page, clinician_a, clinician_b, literature, make_case):
    other = make_case(
        user=clinician_a,
        serology=[{"test": "anti_ro_ssa", "result": "positive"}],
        calcinosis_sites=[{"region": "elbow", "laterality": "left", "methods": ["radiograph"]}],
        treatments=[],
    )
    page = open_page()
    log_in(page, clinician_a.username)
    page.get_by_role("link", name="New case").first.click()
    # Regions are searched by their label ("Little finger (finger 5)"); the form stores the code.
    enter_case(page, SJOGREN_DIGITAL, region_labels=REGION_LABELS)
    expect(page.locator("#id_calcinosis_sites-0-region")).to_have_value("finger_5")
    page.get_by_role("button", name="Save case").click()
    case = saved_case(page)
    expect(page.get_by_role("status").first).to_contain_text(f"{case.registry_id} is saved")
    assert_stored(case, SJOGREN_DIGITAL)

    # The list, filtered in its panel: anti-Ro positive with calcinosis of a finger.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_label("Antibody positive", exact=True).select_option("anti_ro_ssa")
    page.get_by_label("Calcinosis region (incl. sub-regions)", exact=True).select_option("finger")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"positive=anti_ro_ssa.*region=finger"))
    expect(page.locator("#case-count")).to_contain_text("1 matching case")
    expect(page.locator("tr[data-registry-id]")).to_have_count(1)
    assert other.registry_id not in page.content()
    page.get_by_role("link", name=case.registry_id).click()

    # The body map marks the right hand's fingers, and only those.
    body_map = page.locator("svg.body-map")
    for finger in ("finger_1", "finger_4", "finger_5"):
        expect(body_map.locator(f"[data-region='{finger}'][data-side='right']")).to_have_class(
            re.compile(r"\bmarked\b")
        )
    expect(body_map.locator(".region.marked")).to_have_count(3)
    expect(page.locator("figcaption")).to_contain_text("the patient's right is on your left")
    assert page.errors == []

    # A clinician of another site does not learn that the case exists.
    other_site = open_page()
    log_in(other_site, clinician_b.username)
    assert other_site.goto(f"/cases/{case.registry_id}/").status == 404
    assert other_site.goto(f"/cases/{case.registry_id}/edit/").status == 404


def test_age_200_is_refused_beside_the_age_and_everything_typed_stays(open_page, clinician_a, site_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    doc = case_document(
        age_at_presentation=200,
        local_reference="R-200",
        summary="Nodules on both elbows.",
        serology=[
            {"test": "ana", "result": "positive", "titer": 640, "pattern": "speckled"},
            {"test": "anti_scl70", "result": "negative"},
        ],
        calcinosis_sites=[
            {"region": "elbow", "laterality": "bilateral", "methods": ["radiograph"], "size_mm": 12, "painful": True}
        ],
        treatments=[
            {"agent": "diltiazem", "route": "oral", "dose": "240 mg daily", "response": "partial", "site_indexes": [0]}
        ],
    )
    enter_case(page, doc)
    typed = form_values(page)
    page.get_by_role("button", name="Save case").click()

    age = page.locator("#id_age_at_presentation-field")
    expect(age.locator(".error")).to_contain_text("less than or equal to 120")
    expect(page.get_by_label("Age at presentation (years)")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-errors")).to_be_focused()
    assert page.locator(".has-error").count() == 1
    assert form_values(page) == typed
    assert Case.objects.count() == 0
    assert page.errors == []


def test_a_second_save_on_an_older_version_is_refused_and_loses_nothing(open_page, clinician_a, curator, make_case):
    case = make_case(user=clinician_a)
    first, second = open_page(), open_page()
    log_in(first, curator.username)
    log_in(second, clinician_a.username)
    for page in (first, second):
        page.goto(f"/cases/{case.registry_id}/edit/")

    first.get_by_label("Age at presentation (years)").fill("51")
    first.get_by_role("button", name="Save case").click()
    first.wait_for_url(re.compile(rf"/cases/{case.registry_id}/$"))

    second.get_by_label("Summary").fill("Second clinician's summary, typed meanwhile.")
    enter_row(second, "serology", 1, {"test": "anti_scl70", "result": "negative", "notes": "Typed meanwhile."})
    typed = form_values(second)
    second.get_by_role("button", name="Save case").click()

    expect(second.locator("#stale-warning")).to_contain_text("someone else changed this case")
    expect(second.locator("#stale-warning")).to_contain_text(curator.username)
    assert form_values(second) == typed
    case.refresh_from_db()
    assert case.age_at_presentation == 51  # the first save stays
    assert case.summary == "Calcinosis of the fingertips." and case.serology.count() == 1


def test_the_entry_page_can_be_completed_with_the_keyboard_alone(open_page, clinician_a, site_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    keys = page.keyboard

    def tab_to(selector: str, limit: int = 300):
        for _ in range(limit):
            keys.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} cannot be reached with the Tab key")

    tab_to("#id_site")
    keys.type("Clinic A")
    tab_to("#id_sex")
    keys.type("Female")
    tab_to("#id_age_at_presentation")
    keys.type("61")
    tab_to("#id_diagnoses-0-condition")
    keys.type("ssc_limited")
    tab_to("details.organ[data-organ='Vascular'] > summary")  # the organs are closed until opened
    keys.press("Enter")
    tab_to("input[name='features-raynaud']")  # the radio group: one stop, arrows choose
    keys.press("ArrowLeft")
    keys.press("ArrowLeft")
    tab_to("button[data-add='calcinosis_sites']")
    keys.press("Enter")  # adds a row and puts the cursor in it
    assert page.evaluate("document.activeElement.id") == "id_calcinosis_sites-0-region"
    keys.type("finger_5")
    tab_to("#id_calcinosis_sites-0-laterality")
    keys.type("Right")
    tab_to("#id_calcinosis_sites-0-methods_5")  # seen by: clinical examination
    keys.press("Space")
    tab_to("button[data-add='treatments']")
    keys.press("Enter")
    keys.type("tretinoin")
    tab_to("#treatments-row-0 fieldset.targets input[type=checkbox]")
    keys.press("Space")
    tab_to("#save-case")
    keys.press("Enter")

    case = saved_case(page)
    assert (case.site.code, case.sex, case.age_at_presentation) == ("clinic-a", "female", 61)
    assert case.diagnoses.get(is_primary=True).condition_id == "ssc_limited"
    assert case.features.get().feature_id == "raynaud" and case.features.get().status == "present"
    site = case.calcinosis_sites.get()
    assert (site.region_id, site.laterality, site.methods) == ("finger_5", "right", ["clinical_exam"])
    assert [s.pk for s in case.treatments.get(agent="tretinoin").sites.all()] == [site.pk]
