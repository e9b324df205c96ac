"""Takes the screenshots of the README with Playwright and Debian's Chromium.

Against a registry with the demo loaded (``make run``), from another shell:

    .venv/bin/python docs/screenshots/take_screenshots.py --base-url http://127.0.0.1:8000

It logs in as the demo clinician and reads the case list, the entry form and the case page of the Sjögren
founding case (its classification criteria apart), and the cohort page of the SSc cases positive for anti-Scl-70. For the follow-up (the entry form's visits and the case page's timeline) it uses the first case
with follow-up; when there is none yet, it enters one through the entry form first (local reference
"demo-follow-up", at the demo clinic). The PNGs are written next to this file.
"""

import argparse
import os
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="clinician")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD") or "registry-demo")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=args.base_url, viewport={"width": 1360, "height": 900})
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(args.username)
        page.get_by_label("Password").fill(args.password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/cases/$"))

        page.goto("/cases/?ordering=registry_id")
        page.screenshot(path=HERE / "case-list.png")

        page.goto("/cases/?positive=anti_ro_ssa&region=finger&ordering=registry_id")
        registry_id = page.locator("tr[data-registry-id]").first.get_attribute("data-registry-id")

        page.goto(f"/cases/{registry_id}/")
        page.set_viewport_size({"width": 1360, "height": 1280})
        page.screenshot(path=HERE / "case-page.png")
        page.locator("#criteria").screenshot(path=HERE / "case-page-criteria.png")
        page.set_viewport_size({"width": 1360, "height": 900})

        page.goto(f"/cases/{registry_id}/edit/")
        page.screenshot(path=HERE / "case-entry.png")
        page.locator("#section-features").evaluate("e => e.scrollIntoView()")
        page.screenshot(path=HERE / "case-entry-features.png")
        page.locator("#section-treatments").evaluate("e => e.scrollIntoView()")
        page.screenshot(path=HERE / "case-entry-treatments.png")

        followed_up = case_with_follow_up(page)
        page.set_viewport_size({"width": 1360, "height": 1100})
        page.goto(f"/cases/{followed_up}/edit/")
        page.locator("#assessments-row-1").screenshot(path=HERE / "case-entry-follow-up.png")
        page.goto(f"/cases/{followed_up}/")
        page.locator("#follow-up").screenshot(path=HERE / "case-page-timeline.png")
        cohort_screenshots(page)
        browser.close()
    print(f"Screenshots of {registry_id}, {followed_up} and the list written to {HERE}")


def cohort_screenshots(page) -> None:
    """The cohort page of the SSc cases positive for anti-Scl-70: its head, the heat map, the forest plot."""
    page.set_viewport_size({"width": 1360, "height": 1000})
    page.goto("/cohort/?condition=ssc&positive=anti_scl70")
    page.screenshot(path=HERE / "cohort.png")
    page.locator("#body-map svg.cohort-chart").screenshot(path=HERE / "cohort-heat-map.png")
    page.locator("#treatment-responses svg.cohort-chart").screenshot(path=HERE / "cohort-treatments.png")


# Two lesions, three visits: (months, date, course, [(instrument, value)], [(lesion row, size mm, change)]).
VISITS = [
    ("0", "", "not_assessed", [("pain_nrs", "7"), ("patient_global", "6.5")], [(0, "12", ""), (1, "25", "")]),
    (
        "6",
        "2024-07-01",
        "improved",
        [("pain_nrs", "4"), ("patient_global", "4.5")],
        [(0, "8", "smaller"), (1, "25", "stable")],
    ),
    (
        "13.5",
        "",
        "improved",
        [("pain_nrs", "2"), ("patient_global", "2.5")],
        [(0, "", "resolved"), (1, "20", "smaller")],
    ),
]


def case_with_follow_up(page) -> str:
    """The first case with visits after presentation; one entered through the form when there is none."""
    page.goto("/cases/?has_follow_up=true&ordering=registry_id")
    found = page.locator("tr[data-registry-id]")
    if found.count():
        return found.first.get_attribute("data-registry-id")
    page.goto("/cases/new/")
    page.locator("#id_site").select_option("demo-clinic")
    page.locator("#id_local_reference").fill("demo-follow-up")
    page.locator("#id_sex").select_option("female")
    page.locator("#id_age_at_presentation").fill("47")
    page.locator("#id_diagnoses-0-condition").fill("dm")
    for index, (region, side, method) in enumerate([("elbow", "right", "clinical_exam"), ("buttock", "left", "ct")]):
        page.locator("button[data-add='calcinosis_sites']").click()
        page.locator(f"#id_calcinosis_sites-{index}-region").fill(region)
        page.locator(f"#id_calcinosis_sites-{index}-region").dispatch_event("change")
        page.locator(f"#id_calcinosis_sites-{index}-laterality").select_option(side)
        page.locator(f"input[name='calcinosis_sites-{index}-methods'][value='{method}']").check()
    for visit, (months, date, course, scores, findings) in enumerate(VISITS):
        page.locator("button[data-add='assessments']").click()
        prefix = f"assessments-{visit}"
        page.locator(f"#id_{prefix}-months_from_presentation").fill(months)
        if date:
            page.locator(f"#id_{prefix}-assessed_on").fill(date)
        page.locator(f"#id_{prefix}-calcinosis_course").select_option(course)
        for row, (instrument, value) in enumerate(scores):
            if row:
                page.locator(f"button[data-add='{prefix}-scores']").click()
            page.locator(f"#id_{prefix}-scores-{row}-instrument").select_option(instrument)
            page.locator(f"#id_{prefix}-scores-{row}-value").fill(value)
        for row, (lesion, size, change) in enumerate(findings):
            if row:
                page.locator(f"button[data-add='{prefix}-site_findings']").click()
            page.locator(f"#id_{prefix}-site_findings-{row}-lesion").select_option(str(lesion))
            page.locator(f"#id_{prefix}-site_findings-{row}-size_mm").fill(size)
            page.locator(f"#id_{prefix}-site_findings-{row}-change").select_option(change)
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url(re.compile(r"/cases/CC-\d+/$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


if __name__ == "__main__":
    main()
