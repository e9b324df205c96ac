"""Curators verify cases, send them back with a reason, and export them, from the changelist."""

import csv
import io

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from cases.history import case_history
from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def changelist():
    return reverse("admin:cases_case_changelist")


def act(client, action, cases, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [c.pk for c in cases], **extra}
    return client.post(changelist(), data)


def test_a_curator_verifies_cases_and_the_history_records_who_and_when(curator_client, curator, make_case):
    first, second = make_case(), make_case()
    response = act(curator_client, "verify_cases", [first, second])
    assert response.status_code == 302
    for case in (first, second):
        case.refresh_from_db()
        assert case.status == "verified" and case.verified_by == curator and case.verified_at is not None
    entry = next(e for e in case_history(first) if e.operation == "case_verify")
    assert entry.user == curator.username
    assert entry.changes["status"] == ["submitted", "verified"]
    history = curator_client.get(reverse("admin:cases_case_history", args=[first.pk])).content.decode()
    # In words: the operation and the status labels, not the service name and the codes.
    assert (
        "<td>Verified</td>" in history
        and "Case changed" in history
        and curator.username in history
        and "Submitted → Verified" in history
    )


def test_verifying_again_keeps_the_first_verification(curator_client, make_case, curator):
    case = make_case()
    act(curator_client, "verify_cases", [case])
    case.refresh_from_db()
    first = (case.verified_at, case.version)
    response = act(curator_client, "verify_cases", [case])
    case.refresh_from_db()
    assert (case.verified_at, case.version) == first
    assert "already verified" in curator_client.get(response["Location"]).content.decode()


def test_send_back_asks_for_a_reason_then_keeps_it(curator_client, make_case, curator):
    case = make_case()
    act(curator_client, "verify_cases", [case])
    asked = act(curator_client, "send_back_cases", [case])
    assert asked.status_code == 200
    assert "Reason" in asked.content.decode() and case.registry_id in asked.content.decode()
    case.refresh_from_db()
    assert case.status == "verified"  # nothing happens before a reason is given

    empty = act(curator_client, "send_back_cases", [case], apply="1", reason="   ")
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]

    done = act(curator_client, "send_back_cases", [case], apply="1", reason="The ANA titre is missing.")
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.status_reason, case.verified_by) == ("submitted", "The ANA titre is missing.", None)
    entry = next(e for e in case_history(case) if e.operation == "case_send_back")
    assert entry.user == curator.username
    assert entry.changes["status_reason"] == ["", "The ANA titre is missing."]
    page = curator_client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert "The ANA titre is missing." in page


def test_send_back_applies_to_every_case_of_a_select_all(curator_client, make_case):
    cases = [make_case() for _ in range(3)]
    data = {
        "action": "send_back_cases",
        helpers.ACTION_CHECKBOX_NAME: [cases[0].pk],
        "select_across": "1",
        "apply": "1",
        "reason": "Recheck the sites.",
    }
    assert curator_client.post(changelist(), data).status_code == 302
    assert set(Case.objects.values_list("status_reason", flat=True)) == {"Recheck the sites."}


def test_the_export_is_the_api_s_csv_of_the_selected_cases(curator_client, make_case, curator):
    from cases.exports import stream_cases_csv

    chosen = make_case(local_reference="A-1")
    make_case()  # not selected, so not exported
    response = act(curator_client, "export_cases_csv", [chosen])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["registry_id"] for row in rows] == [chosen.registry_id]
    assert rows[0]["local_reference"] == "A-1" and rows[0]["primary_condition"] == "ssc_limited"
    assert text == b"".join(stream_cases_csv(curator, Case.objects.filter(pk=chosen.pk))).decode()


def test_deleting_selected_cases_goes_through_the_service(curator_client, make_case):
    doomed, kept = make_case(), make_case()
    response = act(curator_client, "delete_selected", [doomed], post="yes")
    assert response.status_code == 302
    assert list(Case.objects.values_list("pk", flat=True)) == [kept.pk]
    assert any(e.operation == "case_delete" for e in case_history(doomed))
