"""Vocabularies: descendant matching, hierarchy moves, and concepts in use that cannot be deleted."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from cases.models import Agent, Case, Condition, Region

pytestmark = pytest.mark.django_db


def ids(queryset):
    return set(queryset.values_list("registry_id", flat=True))


def test_a_code_reaches_its_descendants(make_case):
    diffuse = make_case(
        diagnoses=[{"condition": "ssc_diffuse", "is_primary": True}],
        calcinosis_sites=[{"region": "finger_5", "laterality": "right", "methods": ["radiograph"]}],
        treatments=[{"agent": "alendronate", "response": "none"}],
    )
    lupus = make_case(
        diagnoses=[{"condition": "sle", "is_primary": True}],
        calcinosis_sites=[{"region": "knee", "laterality": "left", "methods": ["ct"]}],
        treatments=[],
    )
    assert ids(Case.objects.with_condition("ssc")) == {diffuse.registry_id}
    assert ids(Case.objects.with_region("hand")) == {diffuse.registry_id}
    assert ids(Case.objects.with_region("upper_limb")) == {diffuse.registry_id}
    assert ids(Case.objects.with_region("lower_limb")) == {lupus.registry_id}
    assert ids(Case.objects.with_agent("bisphosphonate")) == {diffuse.registry_id}
    assert ids(Case.objects.with_condition("dm")) == set()


def test_the_shipped_hierarchy(db):
    assert set(Condition.objects.codes_below("ssc")) == {"ssc", "ssc_diffuse", "ssc_limited", "ssc_sine"}
    assert "finger_5" in Region.objects.codes_below("hand")
    assert Condition.objects.get(code="ssc").snomed == "89155008"
    assert Agent.objects.codes_below("no_such_code") == []


def test_moving_a_concept_moves_its_subtree(db):
    finger = Region.objects.get(code="finger")
    finger.parent = Region.objects.get(code="upper_limb")
    finger.save()
    assert Region.objects.get(code="finger_5").path == "upper_limb/finger/finger_5/"
    assert "finger_5" not in Region.objects.codes_below("hand")


def test_a_concept_in_use_cannot_be_deleted(make_case):
    make_case()
    with pytest.raises(ProtectedError):
        Agent.objects.get(code="diltiazem").delete()
    # Not even around the ORM: the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_agent WHERE code = 'diltiazem'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert Agent.objects.filter(code="diltiazem").exists()


def test_codes_are_unique(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.bulk_create([Region(code="hand", label="Another hand", path="hand/")])
