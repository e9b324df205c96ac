"""Schemathesis against the live OpenAPI schema, as each of the five personas.

The schema is fetched from the running application (through WSGI, in this
test's database transaction); every operation then gets a few generated
requests that fit the schema and one that does not, as every persona. No
response may be a server error, every response must match what the schema
says of it (status code, content type, headers, body), and a request that
does not fit the schema must be refused.

Bounded to about 350 requests (EXAMPLES below) so ``make test`` stays quick on
two cores; raise SCHEMATHESIS_EXAMPLES to look harder.
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from cases.demo import load_demo
from cases.models import Case
from cases.services import case_create
from conftest import case_document

pytestmark = pytest.mark.django_db

# Generated requests per operation and persona: this many fitting the schema, one not.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# A malformed If-Match (412) is a refusal too.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 409, 412, 415, 429]}}}
)
PERSONAS = ["clinician_a", "clinician_b", "researcher", "curator", "anonymous"]


@pytest.fixture
def wsgi_app():
    # As Django's test client does: keep the request cycle from closing the test's
    # connection, whose open transaction holds this test's data.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def registry(make_case, clinician_a):
    load_demo(password="demo-password-for-schemathesis")  # the founding cases: literature, children of every kind
    return make_case(
        site="clinic-a",
        local_reference="A-1",
        age_at_presentation=93,
        serology=[
            {"test": "ana", "result": "positive", "titer": 320, "pattern": "nucleolar", "tested_on": "2020-01-02"}
        ],
    )


def token_header(user) -> dict:
    if not user.is_authenticated:
        return {}
    _, key = ApiToken.issue(user)
    return {"Authorization": f"Token {key}"}


def run_operation(operation, mode, headers_for, path_parameters, examples):
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case):
        # A fresh token each time: the logout operation revokes the one it is sent with.
        response = case.call(headers=headers_for())
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_keeps_to_its_schema(request, wsgi_app, registry, curator, persona):
    user = request.getfixturevalue(persona)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app, headers=token_header(curator), config=CONFIG)

    for result in schema.get_all_operations():
        operation = result.ok()
        has_case = "{registry_id}" in operation.path
        if has_case and not Case.objects.filter(pk=registry.pk).exists():
            registry = case_create(user=curator, data=case_document())  # the curator's DELETE got the last one
        # A real case of site A: visible (or, for a clinician of site B, a 404) rather than a random id.
        path_parameters = {"registry_id": registry.registry_id} if has_case else None
        modes = [(GenerationMode.POSITIVE, EXAMPLES)]
        # Something to send wrong: a parameter, a header or a body (the path is fixed above).
        can_be_wrong = (
            len(operation.query)
            or len(operation.headers)
            or len(operation.body)
            or (len(operation.path_parameters) and not has_case)
        )
        if persona != "anonymous" and can_be_wrong:
            modes.append((GenerationMode.NEGATIVE, 1))
        for mode, examples in modes:
            try:
                run_operation(operation, mode, lambda: token_header(user), path_parameters, examples)
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE, operation.label  # nothing of it could be made invalid
