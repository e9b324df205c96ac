"""What DATABASE_REPLICA_URLS and REDIS_URL make of the settings, and the values they refuse."""

import json

from registry.tests.test_production_settings import manage

SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'replicas': {a: [s.DATABASES[a]['HOST'], s.DATABASES[a]['PORT'], s.DATABASES[a]['NAME'],"
    " s.DATABASES[a]['OPTIONS']] for a in s.REPLICA_DATABASES},"
    "'cache': s.CACHES['default']['BACKEND'], 'location': s.CACHES['default'].get('LOCATION'),"
    "'window': s.READ_YOUR_WRITES_SECONDS}))"
)


def shown(**env) -> dict:
    result = manage("shell", "-c", SHOW, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_the_settings_everything_is_on_the_primary_and_the_cache_in_memory():
    assert shown(DATABASE_REPLICA_URLS="", REDIS_URL="") == {
        "replicas": {},
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "location": None,
        "window": 10,
    }


def test_each_replica_url_is_a_database_and_redis_url_the_cache():
    settings = shown(
        DATABASE_REPLICA_URLS="postgres://registry:pw@replica-a:5432/registry, postgres://registry:pw@replica-b/registry",
        REDIS_URL="redis://cache:6379/0",
        READ_YOUR_WRITES_SECONDS="30",
    )
    assert settings == {
        "replicas": {
            "replica1": ["replica-a", 5432, "registry", {"options": "-c jit=off"}],
            "replica2": ["replica-b", "", "registry", {"options": "-c jit=off"}],
        },
        "cache": "django.core.cache.backends.redis.RedisCache",
        "location": "redis://cache:6379/0",
        "window": 30,
    }


def test_a_replica_or_a_cache_that_is_not_what_it_should_be_stops_the_start():
    for name, value, message in (
        ("DATABASE_REPLICA_URLS", "sqlite:///replica.db", "replica 1 must be a postgres://"),
        ("REDIS_URL", "memcached://cache:11211", "REDIS_URL must be a redis://"),
        ("READ_YOUR_WRITES_SECONDS", "-5", "READ_YOUR_WRITES_SECONDS must be 0 or more"),
    ):
        result = manage("check", DEBUG="1", **{name: value})
        assert result.returncode != 0 and message in result.stderr, result.stderr
