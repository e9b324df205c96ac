"""Two registry processes behind one balancer: one rate limit with a shared Redis (REDIS_URL), one lockout always.

Each process is gunicorn with one worker, as a second worker or a second host
would be; the requests alternate between them, so the count that refuses the
request over the limit had to be kept where both processes see it.
"""

import pytest
import requests
from django.db import connections

from api.models import ApiToken
from registry.tests.servers import RedisServer, Registry

pytestmark = pytest.mark.django_db(transaction=True)
LIMIT = 4  # API requests per user and minute in these tests


@pytest.fixture
def redis_server():
    with RedisServer() as server:
        yield server


@pytest.fixture
def two_registries(transactional_db):
    started = []

    def start(**env) -> list[Registry]:
        pair = [Registry(connections["default"].settings_dict, API_RATE_LIMIT=f"{LIMIT}/min", **env) for _ in range(2)]
        started.extend(pair)
        for registry in pair:  # both import Django at the same time
            registry.start()
        return [registry.wait() for registry in pair]

    yield start
    for registry in started:
        registry.stop()


def alternately(registries, requests_count: int, send) -> list[int]:
    return [send(registries[number % 2]).status_code for number in range(requests_count)]


def test_two_processes_sharing_redis_count_one_rate_limit(two_registries, redis_server, researcher):
    first, second = two_registries(REDIS_URL=redis_server.url)
    _, key = ApiToken.issue(researcher)
    statuses = alternately(
        [first, second],
        2 * LIMIT,
        lambda r: requests.get(f"{r.base}/api/v1/", headers={"Authorization": f"Token {key}"}),
    )
    # The fifth request goes to the first process, the sixth to the second: each refuses it.
    assert statuses == [200] * LIMIT + [429] * LIMIT


def test_without_redis_each_process_counts_alone_but_the_login_lockout_is_one(two_registries, researcher):
    first, second = two_registries(AXES_FAILURE_LIMIT="3")
    _, key = ApiToken.issue(researcher)
    statuses = alternately(
        [first, second],
        2 * LIMIT + 2,
        lambda r: requests.get(f"{r.base}/api/v1/", headers={"Authorization": f"Token {key}"}),
    )
    assert statuses == [200] * (2 * LIMIT) + [429, 429]  # each process let LIMIT through: twice the limit

    # Failed logins are counted in PostgreSQL (axes' database handler), which both processes share.
    answers = []
    for number in range(4):
        registry = (first, second)[number % 2]
        wrong = {"username": researcher.username, "password": "not-the-password"}
        answers.append(requests.post(f"{registry.base}/api/v1/auth/token/", json=wrong))
    assert [a.status_code for a in answers] == [400, 400, 429, 429]
    assert all("failed logins" in a.json()["detail"] for a in answers[2:])
