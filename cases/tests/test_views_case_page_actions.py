"""The case page as a curator and a reader use it: treated sites by name, and Verify wherever it applies."""

import re

import pytest
from django.urls import reverse

from cases.models import Case
from cases.services import case_send_back, case_update, case_verify

pytestmark = pytest.mark.django_db


def case_page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.registry_id]))
    assert response.status_code == 200
    return response.content.decode()


def treated_sites(html: str) -> list[str]:
    cell = re.search(r'<td class="treated-sites">(.*?)</td>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", cell, re.S)]


def test_a_treatment_names_the_sites_it_treated_and_links_to_them(client, clinician_a, make_case):
    case = make_case(
        user=clinician_a,
        calcinosis_sites=[
            {"region": "finger_5", "laterality": "right", "methods": ["radiograph"]},
            {"region": "elbow", "laterality": "unknown", "methods": ["radiograph"]},
        ],
        treatments=[{"agent": "diltiazem", "response": "partial", "site_indexes": [0, 1]}],
    )
    html = case_page(client, clinician_a, case)
    assert treated_sites(html) == ["Little finger (finger 5), right", "Elbow, side not recorded"]
    assert 'href="#site-1"' in html and 'href="#site-2"' in html
    assert ">site 1<" not in html


def verify_button(html: str) -> bool:
    return bool(re.search(r"<button[^>]*>Verify case</button>", html))


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_a_curator_may_verify_every_case_not_yet_verified(client, curator, clinician_a, make_case, status):
    case = make_case(user=clinician_a, status=status)
    assert verify_button(case_page(client, curator, case))
    response = client.post(reverse("cases:verify", args=[case.registry_id]), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.VERIFIED
    assert not verify_button(case_page(client, curator, case))


def test_a_case_sent_back_or_edited_after_verification_can_be_verified_again(client, curator, clinician_a, make_case):
    case = make_case(user=clinician_a)
    case = case_verify(user=curator, case=case)
    case = case_send_back(user=curator, case=case, reason="Age missing")
    assert verify_button(case_page(client, curator, case))

    case = case_verify(user=curator, case=case)
    case = case_update(
        user=clinician_a, case=case, data={"summary": "Edited after verification."}, version=case.version, partial=True
    )
    assert case.status == Case.Status.SUBMITTED
    assert verify_button(case_page(client, curator, case))


def test_a_superuser_outside_the_curator_group_may_verify(client, clinician_a, make_case, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="x-long-enough-password")
    assert verify_button(case_page(client, boss, make_case(user=clinician_a)))


@pytest.mark.parametrize("persona", ["clinician_a", "researcher"])
def test_others_see_no_verify_button(client, request, make_case, clinician_a, persona):
    case = make_case(user=clinician_a)
    assert not verify_button(case_page(client, request.getfixturevalue(persona), case))


def test_two_sites_of_one_finger_are_told_apart_by_their_segment(client, clinician_a, make_case):
    case = make_case(
        user=clinician_a,
        calcinosis_sites=[
            {"region": "finger_5", "laterality": "right", "digit_segment": "fingertip", "methods": ["radiograph"]},
            {"region": "finger_5", "laterality": "right", "digit_segment": "distal", "methods": ["radiograph"]},
        ],
        treatments=[{"agent": "diltiazem", "site_indexes": [0, 1]}],
    )
    assert treated_sites(case_page(client, clinician_a, case)) == [
        "Little finger (finger 5), right, tip (pulp)",
        "Little finger (finger 5), right, distal phalanx",
    ]
