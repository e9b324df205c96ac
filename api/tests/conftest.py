"""API clients for the five personas, each authenticated the way a script is: with a token."""

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken

PERSONAS = ["clinician_a", "clinician_b", "researcher", "curator", "anonymous"]


def client_with_token(user) -> APIClient:
    client = APIClient()
    if user is not None and user.is_authenticated:
        _, key = ApiToken.issue(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(request, db):
    """``api("researcher")`` → a client holding that persona's token (none for ``anonymous``)."""

    def make(persona: str) -> APIClient:
        return client_with_token(request.getfixturevalue(persona))

    return make


def body(response):
    """The bytes of any response, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
