"""Only curators and superusers enter the admin; everyone else is sent to its login page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_pages(make_case):
    case = make_case()
    return [
        reverse("admin:index"),
        reverse("admin:cases_case_changelist"),
        reverse("admin:cases_case_add"),
        reverse("admin:cases_case_change", args=[case.pk]),
        reverse("admin:cases_case_history", args=[case.pk]),
        reverse("admin:cases_case_delete", args=[case.pk]),
        reverse("admin:cases_condition_changelist"),
        reverse("admin:cases_condition_change", args=["ssc"]),
        reverse("admin:cases_region_add"),
        reverse("admin:cases_publication_changelist"),
        reverse("admin:cases_site_changelist"),
        reverse("admin:autocomplete") + "?app_label=cases&model_name=diagnosis&field_name=condition&term=ss",
        reverse("admin:password_change"),
    ]


@pytest.mark.parametrize("persona", ["clinician_a", "researcher", "anonymous"])
def test_nobody_but_curators_reaches_an_admin_page(persona, admin_pages, client, request):
    user = request.getfixturevalue(persona)
    if user.is_authenticated:
        client.force_login(user)
    for url in admin_pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_a_staff_flag_alone_does_not_open_the_admin(clinician_a, client):
    clinician_a.is_staff = True
    clinician_a.save()
    client.force_login(clinician_a)
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 302


def test_a_clinician_cannot_log_in_to_the_admin(clinician_a, client):
    response = client.post(reverse("admin:login"), {"username": clinician_a.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "curator account" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_curator_logs_in_and_reaches_every_page(curator, admin_pages, client):
    response = client.post(reverse("admin:login"), {"username": curator.username, "password": PASSWORD})
    assert response.status_code == 302
    for url in admin_pages:
        assert client.get(url).status_code == 200, url


def test_a_superuser_enters(client, db):
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", PASSWORD)
    client.force_login(boss)
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_accounts_are_for_superusers_not_for_every_curator(curator, client):
    client.force_login(curator)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert b"auth/user" not in client.get(reverse("admin:index")).content
