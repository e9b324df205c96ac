"""The production configuration: no warnings from Django's deploy check, no start without secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # Only what production would have: no DEBUG, no secrets, no test-only switches of other tests.
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "registry.example.org"}


def test_the_deploy_check_reports_nothing_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0 and "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_the_placeholder_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": "change-me-to-a-long-random-string"})
    assert result.returncode != 0 and "placeholder" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_every_page_carries_the_security_headers(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_trusted_proxy_count_must_be_a_whole_number_not_below_zero():
    for value, message in (("-1", "0 or more"), ("two", "must be an integer")):
        result = manage("check", **{**PRODUCTION, "TRUSTED_PROXY_COUNT": value})
        assert result.returncode != 0 and "TRUSTED_PROXY_COUNT" in result.stderr and message in result.stderr
