"""Every page tried by each persona: who sees, who edits, and what a researcher is not shown."""

import pytest
from django.urls import reverse

from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(make_case, clinician_a):
    return make_case(
        user=clinician_a,
        local_reference="A-17",
        age_at_presentation=93,
        summary="Seen in clinic after a fall.",
        serology=[{"test": "anti_centromere", "result": "positive", "tested_on": "2019-03-14", "notes": "Local lab."}],
    )


def pages(case):
    rid = case.registry_id
    return {
        "list": reverse("cases:list"),
        "detail": reverse("cases:detail", args=[rid]),
        "edit": reverse("cases:edit", args=[rid]),
        "new": reverse("cases:new"),
    }


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("clinician_a", {"list": 200, "detail": 200, "edit": 200, "new": 200}),
        ("clinician_b", {"list": 200, "detail": 404, "edit": 404, "new": 200}),
        ("researcher", {"list": 200, "detail": 200, "edit": 403, "new": 403}),
        ("curator", {"list": 200, "detail": 200, "edit": 200, "new": 200}),
    ],
)
def test_who_reaches_which_page(request, client, case_a, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    got = {name: client.get(url).status_code for name, url in pages(case_a).items()}
    assert got == expected


def test_anonymous_visitors_are_sent_to_the_login(client, case_a):
    for url in pages(case_a).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"{reverse('login')}?next=")


def test_a_case_of_another_site_is_not_listed_and_cannot_be_verified(client, clinician_b, case_a):
    client.force_login(clinician_b)
    assert case_a.registry_id not in client.get(reverse("cases:list")).content.decode()
    assert client.post(reverse("cases:verify", args=[case_a.registry_id])).status_code == 404
    response = client.post(reverse("cases:edit", args=[case_a.registry_id]), {"summary": "x"})
    assert response.status_code == 404
    assert Case.objects.get(pk=case_a.pk).version == 1


def test_researchers_read_a_de_identified_case(client, researcher, case_a):
    client.force_login(researcher)
    html = client.get(reverse("cases:detail", args=[case_a.registry_id])).content.decode()
    assert "A-17" not in html  # local reference
    assert "90+ years" in html and "93 years" not in html
    assert "after a fall" not in html and "Local lab." not in html  # a clinic case's narrative
    assert "2019-03-14" not in html and "2019" in html  # dates as years only
    assert "Edit case" not in html and 'id="history-heading"' not in html
    listed = client.get(reverse("cases:list")).content.decode()
    assert "90+" in listed and "A-17" not in listed


def test_the_case_site_sees_identifiers_and_history(client, clinician_a, case_a):
    client.force_login(clinician_a)
    html = client.get(reverse("cases:detail", args=[case_a.registry_id])).content.decode()
    assert "A-17" in html and "93 years" in html and "after a fall" in html and "2019-03-14" in html
    assert 'id="history-heading"' in html and "Edit case" in html
    assert "Verify case" not in html


def test_only_curators_verify(client, clinician_a, curator, case_a):
    url = reverse("cases:verify", args=[case_a.registry_id])
    client.force_login(clinician_a)
    assert client.post(url, {"version": case_a.version}).status_code == 403
    client.force_login(curator)
    page = client.get(reverse("cases:detail", args=[case_a.registry_id])).content.decode()
    assert "Verify case" in page
    response = client.post(url, {"version": case_a.version}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case_a.registry_id])
    case = Case.objects.get(pk=case_a.pk)
    assert (case.status, case.verified_by) == ("verified", curator)
    assert "Verified by curator1" in response.content.decode()


def test_login_logout_and_password_change(client, clinician_a):
    from conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "clin-a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    new = "a-much-longer-new-passphrase"
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("password_change_done")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("cases:list")).status_code == 302
    assert client.post(reverse("login"), {"username": "clin-a", "password": new}).status_code == 302


def test_a_wrong_password_is_said_on_the_login_page(client, clinician_a):
    response = client.post(reverse("login"), {"username": "clin-a", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
