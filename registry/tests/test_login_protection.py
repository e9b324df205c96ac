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


# ---- the client's address behind a reverse proxy (TRUSTED_PROXY_COUNT) ----------------------------

PROXY = "10.0.0.1"
CLIENT_X, CLIENT_Y = "203.0.113.5", "198.51.100.7"


def lock_out(client, username, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser_login(client, username, "guess")


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing_for_the_lockout(clinician_a, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"):
        browser_login(Client(HTTP_X_FORWARDED_FOR=forged), "clin-a", "guess")
    # Every failure counted for the one address the request came from, whatever the header claimed.
    assert browser_login(Client(HTTP_X_FORWARDED_FOR="192.0.2.99"), "clin-a", PASSWORD).status_code == 429
    assert browser_login(Client(REMOTE_ADDR="192.0.2.200"), "clin-a", PASSWORD).status_code == 302


def test_behind_one_proxy_the_lockout_is_per_client_not_per_proxy(clinician_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_X), "clin-a", settings)
    assert (
        browser_login(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_X), "clin-a", PASSWORD).status_code == 429
    )
    # The proxy appends the address it saw: what the client put in front of it does not unlock it.
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT_Y}, {CLIENT_X}")
    assert browser_login(forged, "clin-a", PASSWORD).status_code == 429
    # Another person behind the same proxy logs in: the guesser did not lock the account out for everyone.
    assert (
        browser_login(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_Y), "clin-a", PASSWORD).status_code == 302
    )


def token_requests(count, **client_kwargs):
    api = APIClient(**client_kwargs)
    body = {"username": "nobody", "password": "guess"}
    return [api.post("/api/v1/auth/token/", body, format="json").status_code for _ in range(count)]


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_rate_limit(db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.API_RATE_LIMIT = "3/min"
    cache.clear()
    try:
        statuses = [token_requests(1, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")[0] for n in range(4)]
        assert statuses == [400, 400, 400, 429]
        assert token_requests(1, REMOTE_ADDR="192.0.2.200") == [400]
    finally:
        cache.clear()


def test_behind_one_proxy_the_rate_limit_counts_each_client(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_RATE_LIMIT = "3/min"
    cache.clear()
    try:
        assert token_requests(4, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_X) == [400, 400, 400, 429]
        forged = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{CLIENT_Y}, {CLIENT_X}"}
        assert token_requests(1, **forged) == [429]
        assert token_requests(1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_Y) == [400]
    finally:
        cache.clear()


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, "192.0.2.9", PROXY),  # no proxy of ours: the header is the client's own claim
        (1, f"192.0.2.9, {CLIENT_X}", CLIENT_X),  # the entry our proxy appended
        (2, f"192.0.2.9, {CLIENT_X}, 10.0.0.2", CLIENT_X),  # two proxies: the second entry from the right
        (2, CLIENT_X, PROXY),  # fewer entries than proxies: not through all of them, so REMOTE_ADDR
        (1, "", PROXY),
    ],
)
def test_the_client_address(rf, settings, proxies, forwarded_for, expected):
    from registry.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected
