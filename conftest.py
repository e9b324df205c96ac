"""Personas and builders shared by every test: the five people of the access rules."""

import os
import threading

import factory
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group

from cases import access
from cases.models import Membership, Site
from cases.services import case_create

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    # Each run gets a database of its own, so two runs on one machine never collide.
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_{name}_{os.getpid()}"


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    wants = {"transactional_db", "live_server"} & set(request.fixturenames)
    return bool(wants) or bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _vocabularies_for_transactional_tests(request):
    # A transactional test (live server, real concurrency) ends with a flush that empties
    # every table, the migration-loaded vocabularies too; put them back before each one.
    if _is_transactional(request):
        from django.apps import apps

        from cases.vocabulary_loader import sync_vocabularies

        request.getfixturevalue("transactional_db")
        sync_vocabularies(lambda name: apps.get_model("cases", name))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Personas are created for every test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"site-{n}")
    name = factory.LazyAttribute(lambda o: f"Clinic {o.code}")
    country = "CH"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def post_save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def _member(user, site):
    Membership.objects.create(user=user, site=site)
    return user


def _in_group(user, name):
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def site_a(db):
    return SiteFactory(code="clinic-a", name="Clinic A")


@pytest.fixture
def site_b(db):
    return SiteFactory(code="clinic-b", name="Clinic B")


@pytest.fixture
def clinician_a(site_a):
    return _member(UserFactory(username="clin-a"), site_a)


@pytest.fixture
def clinician_b(site_b):
    return _member(UserFactory(username="clin-b"), site_b)


@pytest.fixture
def researcher(db):
    return _in_group(UserFactory(username="researcher1"), access.RESEARCHER)


@pytest.fixture
def curator(db):
    user = _in_group(UserFactory(username="curator1"), access.CURATOR)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def anonymous():
    return AnonymousUser()


def case_document(site="clinic-a", **overrides) -> dict:
    """A small, valid clinic case; tests change what they are about."""
    doc = {
        "site": site,
        "source": "clinic",
        "sex": "female",
        "age_at_presentation": 50,
        "consent": "written",
        "calcinosis_etiology": "dystrophic",
        "calcinosis_extent": "localized",
        "status": "submitted",
        "summary": "Calcinosis of the fingertips.",
        "diagnoses": [{"condition": "ssc_limited", "is_primary": True, "duration_years": 8}],
        "features": [{"feature": "raynaud", "status": "present"}],
        "serology": [{"test": "anti_centromere", "result": "positive"}],
        "labs": [{"test": "calcium", "interpretation": "normal"}],
        "calcinosis_sites": [{"region": "finger_2", "laterality": "left", "methods": ["radiograph"]}],
        "treatments": [
            {
                "agent": "diltiazem",
                "route": "oral",
                "indication": "calcinosis",
                "response": "partial",
                "site_indexes": [0],
            }
        ],
    }
    doc.update(overrides)
    return doc


@pytest.fixture
def make_case(curator, site_a):
    def make(user=None, **overrides):
        return case_create(user=user or curator, data=case_document(**overrides))

    return make


def at_the_same_moment(*actions):
    """Run each callable in its own thread (its own database connection), released together.

    Returns what each returned, in order; for tests of simultaneous saves.
    """
    from django.db import connection

    start = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            results[index] = action()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
