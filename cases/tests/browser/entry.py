"""Typing a case document into the entry page the way a clinician does: by the labels on the screen."""

import re

from conftest import PASSWORD

CASE_LABELS = {
    "site": "Site",
    "source": "Source",
    "local_reference": "Local reference",
    "status": "Status",
    "sex": "Sex",
    "age_at_presentation": "Age at presentation (years)",
    "country": "Country",
    "consent": "Consent",
    "calcinosis_etiology": "Calcinosis etiology",
    "calcinosis_extent": "Calcinosis extent",
    "summary": "Summary",
}
PUBLICATION_LABELS = {
    "doi": "DOI",
    "pmid": "PMID",
    "title": "Title",
    "journal": "Journal",
    "year": "Year",
    "authors": "Authors",
    "citation": "Citation",
}
ROW_LABELS = {
    "diagnoses": (
        "diagnosis",
        {
            "condition": "Condition",
            "is_primary": "Primary diagnosis",
            "age_at_diagnosis": "Age at diagnosis (years)",
            "duration_years": "Duration at presentation (years)",
            "criteria": "Classification criteria",
            "notes": "Notes",
        },
    ),
    "serology": (
        "serology result",
        {
            "test": "Test",
            "result": "Result",
            "titer": "Titre 1:",
            "pattern": "ANA pattern",
            "value": "Value",
            "unit": "Unit (UCUM)",
            "tested_on": "Tested on",
            "notes": "Notes",
        },
    ),
    "labs": (
        "laboratory result",
        {
            "test": "Test",
            "value": "Value",
            "unit": "Unit (UCUM)",
            "interpretation": "Interpretation",
            "measured_on": "Measured on",
            "notes": "Notes",
        },
    ),
    "calcinosis_sites": (
        "calcinosis site",
        {
            "region": "Region",
            "laterality": "Side",
            "digit_segment": "Digit segment (fingers and toes)",
            "detected_by": "Detected by",
            "morphology": "Morphology",
            "palpable": "Palpable",
            "ulcerated": "Ulcerated",
            "infected": "Infected",
            "painful": "Painful",
            "size_mm": "Size (mm)",
            "observed_on": "Observed on",
            "notes": "Notes",
        },
    ),
    "treatments": (
        "treatment",
        {
            "agent": "Agent",
            "route": "Route",
            "dose": "Dose",
            "indication": "Indication",
            "started_on": "Started on",
            "stopped_on": "Stopped on",
            "duration_months": "Duration (months)",
            "response": "Response",
            "response_assessed_on": "Response assessed on",
            "notes": "Notes",
        },
    ),
}
TRISTATE = {True: "yes", False: "no", None: ""}
FEATURE_ANSWERS = {"present": "Present", "absent": "Absent", "unknown": "Not recorded"}


def log_in(page, username: str, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/cases/$"))


def set_value(control, value):
    """Fill a text box, pick from a select or tick a box, whichever the labelled control is."""
    kind = control.evaluate("e => e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase()")
    if kind == "select":
        control.select_option(value="" if value is None else str(value))
    elif kind == "checkbox":
        control.set_checked(bool(value))
    else:
        control.fill("" if value is None else str(value))
        control.dispatch_event("change")


def enter_case(page, doc: dict, *, region_labels: dict | None = None):
    """Type ``doc`` into the entry form; regions are typed by their label when ``region_labels`` is given."""
    for name, label in CASE_LABELS.items():
        if name in doc:
            set_value(page.get_by_label(label, exact=True), doc[name])
    for name, value in (doc.get("publication") or {}).items():
        set_value(page.locator("#section-publication").get_by_label(PUBLICATION_LABELS[name], exact=True), value)
    for row in doc.get("features", []):
        fieldset = page.locator(f"fieldset[data-feature='{row['feature']}']")
        open_organ(page, row["feature"])
        fieldset.get_by_label(FEATURE_ANSWERS[row["status"]], exact=True).check()
        if row.get("notes"):
            fieldset.get_by_role("textbox").fill(row["notes"])
    for key in ROW_LABELS:
        for index, row in enumerate(doc.get(key, [])):
            enter_row(page, key, index, row, region_labels=region_labels)


def open_organ(page, feature: str):
    """The checklist is grouped by organ, each group closed until opened: open the one holding ``feature``."""
    group = page.locator("details.organ").filter(has=page.locator(f"fieldset[data-feature='{feature}']"))
    if not group.evaluate("details => details.open"):
        group.locator("summary").click()


def enter_row(page, key: str, index: int, row: dict, *, region_labels=None):
    noun, labels = ROW_LABELS[key]
    fieldset = page.locator(f"#{key}-row-{index}")
    if not fieldset.count():
        page.get_by_role("button", name=f"+ Add {noun}").click()
    for name, value in row.items():
        if name == "site_indexes":
            for site in value:
                fieldset.locator("fieldset.targets label").filter(
                    has_text=re.compile(rf"^\s*Site {site + 1}:")
                ).locator("input").check()
            continue
        if name in ("palpable", "ulcerated", "infected", "painful"):
            value = TRISTATE[value]
        if name == "region" and region_labels:
            value = region_labels[value]  # searched by its label; the form keeps the code
        set_value(fieldset.get_by_label(labels[name], exact=True), value)


def form_values(page) -> list:
    """Every control of the entry form with what it holds now, in page order."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '#case-form input, #case-form select, #case-form textarea'))
        .filter(e => !e.closest('template') && e.name !== 'csrfmiddlewaretoken')
        .map(e => [e.name, (e.type === 'checkbox' || e.type === 'radio') ? e.checked : e.value])""")
