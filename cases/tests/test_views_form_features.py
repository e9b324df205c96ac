"""The feature checklist grouped by organ: each group closed until opened, its summary counting what is
recorded; a group with recorded features or an error opens by itself."""

import re

import pytest
from django.urls import reverse

from cases.tests.form_pages import fill, page_form
from conftest import case_document as clinic_document

pytestmark = pytest.mark.django_db


def groups(html: str) -> dict[str, tuple[bool, str]]:
    """organ → (open?, the summary's text)."""
    found = {}
    for attrs, summary in re.findall(r'<details class="organ"([^>]*)>\s*<summary>(.*?)</summary>', html, re.S):
        name = re.search(r'data-organ="([^"]+)"', attrs).group(1)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary)).strip()
        found[name] = (" open" in attrs, text)
    return found


def test_a_new_case_shows_every_organ_closed_with_nothing_recorded(client, clinician_a):
    client.force_login(clinician_a)
    found = groups(client.get(reverse("cases:new")).content.decode())
    assert {"Vascular", "Skin and mucosa", "Lung and heart", "General"} <= set(found)
    assert all(not is_open for is_open, _ in found.values())
    assert found["Vascular"][1] == "Vascular 0 present, 0 absent"


def test_groups_with_recorded_features_open_and_count_them(client, clinician_a, make_case):
    case = make_case(
        user=clinician_a,
        features=[
            {"feature": "raynaud", "status": "present"},
            {"feature": "digital_ulcers", "status": "absent"},
            {"feature": "ild", "status": "absent"},
        ],
    )
    client.force_login(clinician_a)
    found = groups(client.get(reverse("cases:edit", args=[case.registry_id])).content.decode())
    assert found["Vascular"] == (True, "Vascular 1 present, 1 absent")
    assert found["Lung and heart"] == (True, "Lung and heart 0 present, 1 absent")
    assert found["Skin and mucosa"] == (False, "Skin and mucosa 0 present, 0 absent")


def test_a_group_with_an_error_opens_by_itself(client, clinician_a, site_a):
    client.force_login(clinician_a)
    values = fill(page_form(client, reverse("cases:new")), clinic_document(features=[]))
    values["features-ild__notes"] = ["CT\x00 done"]  # a null character: refused beside the feature
    response = client.post(reverse("cases:new"), values)
    assert response.status_code == 400
    found = groups(response.content.decode())
    assert found["Lung and heart"][0] is True
    assert found["Vascular"][0] is False
