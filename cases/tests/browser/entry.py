"""Typing a case document into the entry page the way a clinician does: by the labels on the screen."""

import re

from cases.document.schema import CHILDREN, Kind
from cases.forms.rows import INNER_FORMSETS, ROW_FORMS
from conftest import PASSWORD

CASE_LABELS = {
    "site": "Site",
    "source": "Source",
    "local_reference": "Local reference",
    "status": "Status",
    "sex": "Sex",
    "age_at_presentation": "Age at presentation (years)",
    "calcinosis_onset_age": "Age at calcinosis onset (years)",
    "country": "Country",
    "consent": "Consent",
    "consent_scope": "Consent scope",
    "consent_on": "Consent given on",
    "ethics_reference": "Ethics reference",
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
    "summarises": "Summarises (its DOI)",
}
# Each list: what one row is called on its "Add" button, and the label of each input as the page shows it.
ROW_LABELS = {
    key: (CHILDREN[key].noun, {name: field.label for name, field in form.base_fields.items() if field.label})
    for key, form in ROW_FORMS.items()
}
INNER_LABELS = {
    key: (formset.form.child.noun, {name: f.label for name, f in formset.form.base_fields.items() if f.label})
    for key, formset in INNER_FORMSETS.items()
}
TRISTATE = {True: "yes", False: "no", None: ""}
FEATURE_ANSWERS = {"present": "Present", "absent": "Absent", "unknown": "Not recorded"}
TIMINGS = {"current": "Current", "past": "Past", "unknown": "Timing not recorded"}


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


def tick(group, codes: list):
    """A list of codes: exactly these boxes of the group ticked."""
    for box in group.locator("input[type=checkbox]").all():
        box.set_checked(box.get_attribute("value") in codes)


def enter_case(page, doc: dict, *, region_labels: dict | None = None):
    """Type ``doc`` into the entry form; regions are typed by their label when ``region_labels`` is given."""
    for name, label in CASE_LABELS.items():
        if name not in doc:
            continue
        if isinstance(doc[name], list):
            tick(page.get_by_role("group", name=label, exact=True), doc[name])
        else:
            set_value(page.get_by_label(label, exact=True), doc[name])
    for name, value in (doc.get("publication") or {}).items():
        if isinstance(value, dict):  # the primary publication of a summary, by its DOI
            value = value["doi"]
        set_value(page.locator("#section-publication").get_by_label(PUBLICATION_LABELS[name], exact=True), value)
    for row in doc.get("features", []):
        fieldset = page.locator(f"fieldset[data-feature='{row['feature']}']")
        open_organ(page, row["feature"])
        fieldset.get_by_label(FEATURE_ANSWERS[row["status"]], exact=True).check()
        if row.get("timing", "unknown") != "unknown":
            fieldset.locator("select").select_option(label=TIMINGS[row["timing"]])
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
        page.locator(f"#section-{key}").get_by_role("button", name=f"+ Add {noun}", exact=True).click()
    type_row(fieldset, CHILDREN[key], labels, row, region_labels=region_labels)
    for inner in CHILDREN[key].children:
        for inner_index, inner_row in enumerate(row.get(inner.key, [])):
            enter_inner_row(page, f"{key}-{index}-{inner.key}", inner, inner_index, inner_row)


def enter_inner_row(page, prefix: str, inner, index: int, row: dict):
    """A score or a lesion finding of a visit: in an empty slot, or in one more added with its button."""
    noun, labels = INNER_LABELS[inner.key]
    fieldset = page.locator(f"#{prefix}-row-{index}")
    if not fieldset.count():
        page.locator(f"#{prefix}-section").get_by_role("button", name=f"+ Add {noun}", exact=True).click()
    type_row(fieldset, inner, labels, row)


def type_row(fieldset, child, labels: dict, row: dict, *, region_labels=None):
    inner = {c.key for c in child.children}
    for name, value in row.items():
        if name in inner:
            continue
        if name == "site_indexes":
            for site in value:
                site_tick(fieldset, site).check()
            continue
        if name in ("site_id", "site_index"):  # a new case's site, by its position: picked by its name
            lesion = fieldset.get_by_label("Lesion", exact=True)
            option = lesion.locator("option").filter(has_text=re.compile(rf"^\s*Site {value + 1}:"))
            lesion.select_option(value=option.get_attribute("value"))
            continue
        f = child.field(name)
        if f.kind is Kind.CODE_LIST:
            tick(fieldset.get_by_role("group", name=labels[name], exact=True), value)
            continue
        if f.kind is Kind.TRISTATE:
            value = TRISTATE[value]
        if name == "region" and region_labels:
            value = region_labels[value]  # searched by its label; the form keeps the code
        control = fieldset.get_by_label(labels[name], exact=True)
        # A visit's own inputs come before the scores and findings inside it ("Notes" is in both).
        set_value(control.first if child.children else control, value)


def site_tick(fieldset, site: int):
    return (
        fieldset.locator("fieldset.targets label")
        .filter(has_text=re.compile(rf"^\s*Site {site + 1}:"))
        .locator("input")
    )


def form_values(page) -> list:
    """Every control of the entry form with what it holds now, in page order."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '#case-form input, #case-form select, #case-form textarea'))
        .filter(e => !e.closest('template') && e.name !== 'csrfmiddlewaretoken')
        .map(e => [e.name, (e.type === 'checkbox' || e.type === 'radio') ? e.checked : e.value])""")
