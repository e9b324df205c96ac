"""Two clients save the same case at the same moment, through the API and through the browser form.

Real threads, each with its own database connection, released together: exactly
one save wins, the other is refused with 409, and the stored case is the winner's.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases.document import case_document as stored_document
from cases.models import Case
from cases.tests.test_views_form import page_form
from conftest import at_the_same_moment, case_document

pytestmark = pytest.mark.django_db(transaction=True)


def stored(case):
    return stored_document(Case.objects.for_detail().get(pk=case.pk))


@pytest.mark.parametrize("attempt", range(2))
def test_two_api_clients_put_the_same_case(clinician_a, curator, make_case, attempt):
    case = make_case(user=clinician_a)
    url = f"/api/v1/cases/{case.registry_id}/"
    documents = [
        case_document(
            version=1, age_at_presentation=61, serology=[{"test": "ana", "result": "positive", "titer": 640}]
        ),
        case_document(version=1, age_at_presentation=72, serology=[{"test": "rf", "result": "negative"}]),
    ]
    clients = []
    for user in (clinician_a, curator):
        client = APIClient()
        client.force_authenticate(user)
        clients.append(client)
    responses = at_the_same_moment(
        *[lambda c=c, d=d: c.put(url, d, format="json") for c, d in zip(clients, documents, strict=True)]
    )
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [200, 409], [r.content[:300] for r in responses]
    winner = documents[statuses.index(200)]
    now = stored(case)
    assert now["version"] == 2 and now["age_at_presentation"] == winner["age_at_presentation"]
    assert [(s["test"], s["result"]) for s in now["serology"]] == [(s["test"], s["result"]) for s in winner["serology"]]
    assert responses[statuses.index(200)].json() == now  # the winner was told what is stored


def test_two_browser_saves_of_the_same_case(clinician_a, make_case):
    case = make_case(user=clinician_a)
    url = reverse("cases:edit", args=[case.registry_id])
    forms = []
    for summary in ("Seen by Dr A.", "Seen by Dr B."):
        client = Client()
        client.force_login(clinician_a)
        values = page_form(client, url)  # both opened the form at version 1
        values.pop("_templates")
        values["summary"] = [summary]
        forms.append((client, values))
    responses = at_the_same_moment(*[lambda c=c, v=v: c.post(url, v) for c, v in forms])
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [302, 409]
    refused = responses[statuses.index(409)].content.decode()
    assert "changed by someone else" in refused
    winner = forms[statuses.index(302)][1]["summary"][0]
    loser = forms[statuses.index(409)][1]["summary"][0]
    assert loser in refused  # what the refused clinician typed is still on their page
    case.refresh_from_db()
    assert (case.summary, case.version) == (winner, 2)
