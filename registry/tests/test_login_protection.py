"""Guessing passwords, flooding the API and forgotten sessions all run into a limit that says so."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def browser_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_repeated_failed_browser_logins_lock_out_and_say_so(clinician_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert browser_login(client, "clin-a", "not my password").status_code == 200
    assert browser_login(client, "clin-a", "not my password").status_code == 429
    locked = browser_login(client, "clin-a", PASSWORD)  # even the right password, for a while
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode() and "15 minutes" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    assert Client().get("/cases/").status_code == 302  # and no session was opened


def test_a_locked_out_token_request_gets_json(researcher, settings):
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/token/", {"username": "researcher1", "password": "guess"}, format="json")
    locked = api.post("/api/v1/auth/token/", {"username": "researcher1", "password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.json()["detail"]


def test_another_user_is_not_locked_out_by_someone_elses_failures(clinician_a, clinician_b, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser_login(client, "clin-a", "guess")
    assert browser_login(client, "clin-b", PASSWORD).status_code == 302


def test_the_api_rate_limit_answers_429_per_user(researcher, curator, settings):
    settings.API_RATE_LIMIT = "3/min"
    cache.clear()
    try:
        client = APIClient()
        client.force_authenticate(researcher)
        statuses = [client.get("/api/v1/vocabularies/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert int(client.get("/api/v1/vocabularies/")["Retry-After"]) > 0
        other = APIClient()
        other.force_authenticate(curator)
        assert other.get("/api/v1/vocabularies/").status_code == 200
    finally:
        cache.clear()


def test_a_session_ends_after_inactivity(clinician_a, settings):
    client = Client()
    assert browser_login(client, "clin-a", PASSWORD).status_code == 302
    assert client.get("/cases/").status_code == 200
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE == 30 * 60
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # half an hour idle
    assert client.get("/cases/").status_code == 302


def test_a_weak_password_is_refused(clinician_a):
    client = Client()
    client.force_login(clinician_a)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "short1",
            "new_password2": "short1",
        },
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
