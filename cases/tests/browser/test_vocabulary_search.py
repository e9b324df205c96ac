"""Chromium: a vocabulary box finds a concept by what a clinician types (an abbreviation, another spelling,
the beginnings of its words), exactly as the server does for a page used without the script; a region offers
only the sides and digit segments it has."""

import pytest

from cases.forms.lookup import ConceptIndex
from cases.tests.browser.entry import log_in

pytestmark = pytest.mark.browser

# (list, its input's name, vocabulary)
BOXES = {
    "diagnoses": ("condition", "condition"),
    "serology": ("test", "serology_test"),
    "treatments": ("agent", "agent"),
    "calcinosis_sites": ("region", "region"),
}


def box(page, key: str):
    """The code box of the first row of ``key``, added with its button if the page has none yet."""
    name, _ = BOXES[key]
    found = page.locator(f"#id_{key}-0-{name}")
    if not found.count():
        page.locator(f"button[data-add='{key}']").click()
    return found


def typed(control, text: str) -> str:
    """Type ``text``, leave the box as a clinician does (Tab), and read what it holds then."""
    control.fill(text)
    control.press("Tab")
    return control.input_value()


@pytest.mark.parametrize(
    ("key", "text", "code"),
    [
        ("diagnoses", "JDM", "jdm"),
        ("serology", "ANA", "ana"),
        ("serology", "NXP2", "anti_nxp2"),
        ("treatments", "thiosulphate", "sodium_thiosulfate"),
        ("treatments", "sodium thio", "sodium_thiosulfate"),
    ],
)
def test_typing_another_name_picks_the_right_code(open_page, clinician_a, key, text, code):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    control = box(page, key)
    assert typed(control, text) == code
    label = page.locator(f"#{control.get_attribute('id')}-codelabel")
    assert label.text_content() and "not in the list" not in label.text_content()
    assert page.errors == []


TEXTS = [
    "JDM",
    "jdm",
    "dm",
    "Sjögren",
    "sjogren",
    "lupus",
    "scler",
    "ssc",
    "ANA",
    "anti ro",
    "ro52",
    "NXP-2",
    "scl",
    "centromere",
    "thiosulphate",
    "sodium thio",
    "STS",
    "CO2 laser",
    "hcq",
    "mmf",
    "bisphos",
    "little finger",
    "thumb",
    "finger 5",
    "great toe",
    "elbow",
    "xyz",
]


def test_the_script_and_the_server_find_the_same_code_for_every_text(open_page, clinician_a):
    """The deliberate second copy (``findConcept`` in case_form.js, ``cases/forms/lookup.py``), held to the first."""
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    concepts = ConceptIndex()
    differences = []
    for key, (_, vocabulary) in BOXES.items():
        control = box(page, key)
        for text in TEXTS:
            in_browser = typed(control, text)
            on_server = concepts.code_for(vocabulary, text)
            if in_browser != on_server:
                differences.append((vocabulary, text, in_browser, on_server))
    assert differences == []
    assert page.errors == []


def enabled(select) -> list[str]:
    return select.evaluate("s => Array.from(s.options).filter(o => !o.disabled).map(o => o.value)")


def test_a_region_offers_only_its_sides_and_digit_segments(open_page, clinician_a):
    page = open_page()
    log_in(page, clinician_a.username)
    page.goto("/cases/new/")
    region = box(page, "calcinosis_sites")
    side = page.locator("#id_calcinosis_sites-0-laterality")
    segment = page.locator("#id_calcinosis_sites-0-digit_segment")

    side.select_option("left")
    typed(region, "sacrum")
    assert enabled(side) == ["midline", "unknown"]
    assert side.input_value() == "unknown"  # "left" is no side of the sacrum
    assert "Sacrum: midline, unknown" in page.locator("#id_calcinosis_sites-0-laterality-rule").text_content()
    assert enabled(segment) == [""]  # not a finger or a toe

    typed(region, "thumb")
    assert enabled(side) == ["left", "right", "bilateral", "unknown"]  # "both sides" stays one bilateral row
    assert enabled(segment) == ["", "proximal", "distal", "fingertip"]  # the thumb has no middle phalanx
    typed(region, "finger 5")
    assert enabled(segment) == ["", "proximal", "middle", "distal", "fingertip"]
    typed(region, "abdomen")
    assert enabled(side) == ["left", "right", "bilateral", "midline", "unknown"]
    assert page.errors == []
