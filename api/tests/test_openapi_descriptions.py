"""The OpenAPI schema says what everything is: every property, parameter and operation has a description.

The schema is what researchers' tools and the interactive docs (``/api/v1/docs/``) show, so a property
without one is a field a reader must guess (issue 17.2). The descriptions come from the declarations
themselves (the document schema's help, the models' help_text, the serializers' help_text, the filters'
labels), so this walks the live schema as a user fetches it, not a list kept beside it.
"""

import pytest

pytestmark = pytest.mark.django_db

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def undescribed_properties(schema: dict, where: str) -> list[str]:
    """Every property in ``schema`` (and in the objects inside it) without a description."""
    missing = []
    for name, value in schema.get("properties", {}).items():
        if not (value.get("description") or "").strip():
            missing.append(f"{where}.{name}")
        missing += undescribed_properties(value, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        missing += undescribed_properties(schema["items"], f"{where}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        missing += undescribed_properties(schema["additionalProperties"], f"{where}{{}}")
    for combined in ("allOf", "oneOf", "anyOf"):
        for index, part in enumerate(schema.get(combined, [])):
            missing += undescribed_properties(part, f"{where}<{combined} {index}>")
    return missing


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


@pytest.fixture
def openapi(api):
    response = api("researcher").get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_property_has_a_description(openapi):
    missing = []
    for name, component in openapi["components"]["schemas"].items():
        missing += undescribed_properties(component, name)
    # Inline shapes of requests and responses (not components) have properties too.
    for where, operation in operations(openapi):
        bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
        for body in bodies:
            for media, content in body.get("content", {}).items():
                missing += undescribed_properties(content.get("schema", {}), f"{where} {media}")
    assert missing == []


def test_every_parameter_has_a_description(openapi):
    missing = [
        f"{where} {parameter['in']}:{parameter['name']}"
        for where, operation in operations(openapi)
        for parameter in operation.get("parameters", [])
        if not (parameter.get("description") or "").strip()
    ]
    assert missing == []


def test_every_operation_has_a_summary_and_a_description(openapi):
    missing = [
        f"{where} {part}"
        for where, operation in operations(openapi)
        for part in ("summary", "description")
        if not (operation.get(part) or "").strip()
    ]
    assert missing == []


def test_the_walk_finds_what_it_looks_for(openapi):
    # A walk that reached no property would pass whatever the schema says.
    case = openapi["components"]["schemas"]["CaseOut"]
    assert undescribed_properties(case, "CaseOut") == []
    assert undescribed_properties({"properties": {"a": {"type": "string"}}}, "X") == ["X.a"]
    assert undescribed_properties({"items": {"properties": {"b": {}}}}, "Y") == ["Y[].b"]
    assert len(list(operations(openapi))) >= 30
