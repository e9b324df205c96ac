"""``GET /api/v1/``: where a script starts, the endpoints by name with their absolute URLs."""

import pytest

from api.tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_the_root_lists_every_endpoint_as_an_absolute_url(api, persona):
    response = api(persona).get("/api/v1/")
    assert response.status_code == 200
    endpoints = response.json()
    assert endpoints["cases"] == "http://testserver/api/v1/cases/"
    assert endpoints["export/cases.csv"] == "http://testserver/api/v1/export/cases.csv"
    assert endpoints["stats/serology"] == "http://testserver/api/v1/stats/serology/"
    assert endpoints["vocabularies"] == "http://testserver/api/v1/vocabularies/"
    assert endpoints["docs"] == "http://testserver/api/v1/docs/"
    assert endpoints["schema"] == "http://testserver/api/v1/schema/"
    for name in ("auth/token", "auth/logout", "diagnoses", "treatments", "calcinosis-sites", "export/tables.zip"):
        assert endpoints[name].startswith("http://testserver/api/v1/")
    # Every listed address answers (the auth ones and the import only to a POST); the import's template is for
    # who may enter cases.
    client = api(persona)
    for name, url in endpoints.items():
        if name.startswith("auth/") or name == "import":
            assert client.get(url).status_code == 405, name
        elif name.startswith("import/") and persona == "researcher":
            assert client.get(url).status_code == 403, name
        else:
            assert client.get(url).status_code == 200, name


def test_anonymous_gets_401_at_the_root(api):
    assert api("anonymous").get("/api/v1/").status_code == 401


def test_the_root_is_in_the_openapi_schema(api):
    schema = api("researcher").get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "get" in schema["paths"]["/api/v1/"]


def test_every_path_without_an_argument_is_listed():
    from django.urls import URLPattern, get_resolver

    from api.views.root import endpoint_paths

    listed = set(endpoint_paths())
    paths = set()
    for pattern in get_resolver("api.urls").url_patterns:
        inner = getattr(pattern, "url_patterns", [pattern])
        for p in inner:
            if isinstance(p, URLPattern) and "<" not in str(p.pattern) and "(" not in str(p.pattern):
                if p.name not in ("root", "not-found"):
                    paths.add(str(p.pattern).removeprefix("^").removesuffix("$"))
    assert paths == listed
