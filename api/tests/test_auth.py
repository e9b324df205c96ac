"""Tokens for scripts (hashed, expiring, revocable) and sessions with CSRF for the browsable API."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, digest
from conftest import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def login(username, password=PASSWORD):
    return APIClient().post(TOKEN, {"username": username, "password": password}, format="json")


def test_a_token_for_a_username_and_password(researcher):
    response = login("researcher1")

    assert response.status_code == 200
    key, expires = response.json()["token"], response.json()["expires"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/cases/").status_code == 200
    token = ApiToken.objects.get(user=researcher)
    assert token.expires_at.isoformat() == expires
    assert token.expires_at - timezone.now() == pytest.approx(timedelta(hours=24 * 7), abs=timedelta(minutes=1))


def test_only_a_digest_of_the_token_is_stored(researcher):
    key = login("researcher1").json()["token"]
    stored = ApiToken.objects.get(user=researcher)
    assert stored.key_digest == digest(key) and key not in (stored.key_digest, stored.prefix)


def test_wrong_credentials_get_no_token(researcher):
    response = login("researcher1", "wrong password")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with these credentials."]}
    assert login("nobody").status_code == 400
    assert APIClient().post(TOKEN, {"username": "researcher1"}, format="json").json() == {
        "password": ["This field is required."]
    }
    assert not ApiToken.objects.exists()


def test_repeated_failures_lock_the_username_out(researcher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("researcher1", "guess")
    assert login("researcher1").status_code == 429  # even the right password, for a while


def test_an_expired_token_is_refused(researcher):
    key = login("researcher1").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_logout_revokes_the_token(researcher):
    key = login("researcher1").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/cases/").status_code == 401
    assert not ApiToken.objects.exists()


NEW_PASSWORD = "a-brand-new-passphrase-42"


def token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def change_on_the_password_page(user):
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302


def change_in_the_admin(user):
    superuser = UserFactory(username="admin1", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(superuser)
    response = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302


def change_in_a_shell(user):
    user.set_password(NEW_PASSWORD)
    user.save()


@pytest.mark.parametrize("change", [change_on_the_password_page, change_in_the_admin, change_in_a_shell])
def test_a_new_password_revokes_every_token_of_the_account(researcher, change):
    keys = [login("researcher1").json()["token"] for _ in range(2)]
    assert token_client(keys[0]).get("/api/v1/cases/").status_code == 200

    change(get_user_model().objects.get(pk=researcher.pk))

    refused = token_client(keys[0]).get("/api/v1/cases/")
    assert refused.status_code == 401 and "password changed" in refused.json()["detail"]
    assert not ApiToken.objects.exists()  # the first refusal cleared them all
    assert token_client(keys[1]).get("/api/v1/cases/").status_code == 401
    assert token_client(login("researcher1", NEW_PASSWORD).json()["token"]).get("/api/v1/cases/").status_code == 200


def test_deactivating_an_account_in_the_admin_revokes_its_tokens(researcher):
    key = login("researcher1").json()["token"]
    superuser = UserFactory(username="admin1", is_superuser=True, is_staff=True)
    admin = Client()
    admin.force_login(superuser)
    form = {
        "username": "researcher1",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        # "is_active" left out: the box unticked
    }
    response = admin.post(f"/admin/auth/user/{researcher.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()
    assert not ApiToken.objects.filter(user=researcher).exists()
    # Ticking the box again does not bring the old token back.
    get_user_model().objects.filter(pk=researcher.pk).update(is_active=True)
    assert token_client(key).get("/api/v1/cases/").status_code == 401


def test_logout_all_revokes_every_token_of_the_caller_and_only_theirs(researcher, curator):
    first, second = (login("researcher1").json()["token"] for _ in range(2))
    curators = login("curator1").json()["token"]

    assert token_client(first).post("/api/v1/auth/logout-all/").status_code == 204

    assert token_client(first).get("/api/v1/cases/").status_code == 401
    assert token_client(second).get("/api/v1/cases/").status_code == 401
    assert token_client(curators).get("/api/v1/cases/").status_code == 200
    assert APIClient().post("/api/v1/auth/logout-all/").status_code == 401


def test_a_browser_session_can_revoke_all_its_tokens_too(researcher):
    key = login("researcher1").json()["token"]
    session = APIClient()
    session.force_login(researcher)
    assert session.post("/api/v1/auth/logout-all/").status_code == 204
    assert token_client(key).get("/api/v1/cases/").status_code == 401
    assert session.get("/api/v1/cases/").status_code == 200  # the session itself goes on


def test_the_last_use_of_a_token_is_written_at_most_once_a_minute(researcher):
    key = login("researcher1").json()["token"]
    token = ApiToken.objects.get()
    assert token.last_used_at is None

    client = token_client(key)
    client.get("/api/v1/vocabularies/")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use == pytest.approx(timezone.now(), abs=timedelta(seconds=5))

    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/vocabularies/")
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.update(last_used_at=first_use - timedelta(minutes=1))
    client.get("/api/v1/vocabularies/")
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_no_credentials_or_a_bad_token_is_a_401(db):
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/cases/").status_code == 401


def test_a_browser_session_works_and_writes_need_the_csrf_token(clinician_a):
    from conftest import case_document

    client = APIClient(enforce_csrf_checks=True)
    client.login(username="clin-a", password=PASSWORD)
    assert client.get("/api/v1/cases/").status_code == 200
    assert client.get("/api/v1/cases/", HTTP_ACCEPT="text/html").status_code == 200  # the browsable API

    refused = client.post("/api/v1/cases/", case_document(), format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]

    client.get("/api/v1/cases/", HTTP_ACCEPT="text/html")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/cases/", case_document(), format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201


def test_the_schema_and_the_docs(api):
    client = api("researcher")
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{registry_id}/",
        "/api/v1/cases/{registry_id}/history/",
        "/api/v1/cases/{registry_id}/verify/",
        "/api/v1/export/cases.csv",
        "/api/v1/export/tables.zip",
        "/api/v1/stats/serology/",
        "/api/v1/vocabularies/{name}/",
        "/api/v1/auth/token/",
        "/api/v1/auth/logout-all/",
    ):
        assert path in schema["paths"], path
    assert "204" in schema["paths"]["/api/v1/auth/logout-all/"]["post"]["responses"]
    names = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"condition", "agent", "response", "updated_since", "ordering", "cursor", "page_size"} <= names
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
