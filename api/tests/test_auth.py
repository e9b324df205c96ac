"""Tokens for scripts (hashed, expiring, revocable) and sessions with CSRF for the browsable API."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, digest
from conftest import PASSWORD

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
    ):
        assert path in schema["paths"], path
    names = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"condition", "agent", "response", "updated_since", "ordering", "cursor", "page_size"} <= names
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
