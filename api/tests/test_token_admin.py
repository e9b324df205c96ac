"""Curators see every API token in the admin, never its secret, and can revoke or delete it; nobody adds one."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken

pytestmark = pytest.mark.django_db

TOKENS = "/admin/api/apitoken/"


@pytest.fixture
def tokens(researcher, clinician_a):
    """Two tokens of the researcher (one expired) and one of clinician A, with their plain keys."""
    issued = {name: ApiToken.issue(user) for name, user in (("r1", researcher), ("r2", researcher), ("a", clinician_a))}
    ApiToken.objects.filter(pk=issued["r2"][0].pk).update(expires_at=timezone.now() - timedelta(hours=1))
    return issued


@pytest.fixture
def curator_admin(curator):
    client = Client()
    client.force_login(curator)
    return client


def uses(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/vocabularies/").status_code


def listed(response):
    return {token.pk: token for token in response.context["cl"].result_list}


def test_the_list_shows_whose_token_and_when_but_never_the_secret(curator_admin, tokens):
    response = curator_admin.get(TOKENS)
    assert response.status_code == 200
    html = response.content.decode()
    for token, key in tokens.values():
        assert token.prefix in html
        assert key not in html and token.key_digest not in html and token.session_auth_hash not in html
    for heading in ("User", "Prefix", "Created", "Expires", "Last used", "Current"):
        assert f">{heading}<" in html, heading
    shown = listed(response)
    assert {pk: shown[pk].user.username for pk in shown} == {
        tokens["r1"][0].pk: "researcher1",
        tokens["r2"][0].pk: "researcher1",
        tokens["a"][0].pk: "clin-a",
    }


def test_the_list_says_which_tokens_still_work(curator_admin, tokens, clinician_a):
    clinician_a.set_password("a-brand-new-passphrase-42")
    clinician_a.save()
    html = curator_admin.get(TOKENS).content.decode()
    rows = {token.pk: html[html.index(token.prefix) :] for token, _ in tokens.values()}
    current = {pk: row[: row.index("</tr>")].count('alt="True"') == 1 for pk, row in rows.items()}
    # Only the researcher's unexpired token: the other expired, the clinician's password changed.
    assert current == {tokens["r1"][0].pk: True, tokens["r2"][0].pk: False, tokens["a"][0].pk: False}


def test_the_list_is_filtered_by_user(curator_admin, tokens, clinician_a):
    response = curator_admin.get(TOKENS, {"user__id__exact": clinician_a.pk})
    assert list(listed(response)) == [tokens["a"][0].pk]
    assert curator_admin.get(TOKENS, {"q": "researcher1"}).context["cl"].result_count == 2


def test_revoke_stops_the_selected_tokens_at_once(curator_admin, tokens):
    chosen = tokens["r1"][0]
    response = curator_admin.post(TOKENS, {"action": "revoke", "_selected_action": [chosen.pk]}, follow=True)
    assert "1 token revoked." in response.content.decode()
    assert uses(tokens["r1"][1]) == 401
    assert uses(tokens["a"][1]) == 200
    chosen.refresh_from_db()
    assert not chosen.is_current  # kept in the list, marked no longer current


def test_a_curator_deletes_a_token(curator_admin, tokens):
    token, key = tokens["a"]
    response = curator_admin.post(f"{TOKENS}{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert uses(key) == 401


def test_nobody_adds_or_edits_a_token_in_the_admin(curator_admin, tokens, researcher):
    assert curator_admin.get(f"{TOKENS}add/").status_code == 403
    token = tokens["r1"][0]
    page = curator_admin.get(f"{TOKENS}{token.pk}/change/")
    assert page.status_code == 200 and 'name="expires_at"' not in page.content.decode()  # read-only
    later = (timezone.now() + timedelta(days=365)).strftime("%Y-%m-%d")
    refused = curator_admin.post(f"{TOKENS}{token.pk}/change/", {"expires_at_0": later, "expires_at_1": "00:00:00"})
    assert refused.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).expires_at == token.expires_at


@pytest.mark.parametrize("persona", ["clinician_a", "researcher"])
def test_only_curators_see_the_tokens(request, tokens, persona):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    response = client.get(TOKENS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
