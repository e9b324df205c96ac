"""The audit trail: written by database triggers, with the acting user, whatever wrote the change."""

import pghistory
import pytest
from django.db import connection

from cases.history import case_history
from cases.models import Case, ClinicalFeature
from cases.services import case_delete, case_update
from conftest import case_document

pytestmark = pytest.mark.django_db


def case_events(case, action, table="case"):
    return [e for e in case_history(case) if e.action == action and e.table == table]


def test_create_is_recorded_with_the_user(clinician_a, make_case):
    case = make_case(user=clinician_a)
    [created] = case_events(case, "insert")
    assert created.user == clinician_a.username and created.operation == "case_create"
    assert case_events(case, "insert", "serology result")[0].changes["test_id"] == [None, "anti_centromere"]


def test_update_is_recorded_with_old_and_new_values(clinician_a, make_case):
    case = make_case(user=clinician_a)
    case_update(user=clinician_a, case=case, data=case_document(age_at_presentation=52), version=1)
    [updated] = case_events(case, "update")
    assert updated.user == clinician_a.username
    assert updated.changes["age_at_presentation"] == [50, 52]


def test_delete_is_recorded_and_kept(curator, make_case):
    case = make_case()
    case_delete(user=curator, case=case)
    [deleted] = case_events(case, "delete")
    assert deleted.user == curator.username
    assert case_events(case, "delete", "clinical feature")


def test_bulk_and_raw_sql_changes_are_recorded(curator, make_case):
    case = make_case()
    with pghistory.context(user=curator.pk):
        ClinicalFeature.objects.filter(case=case).update(status="absent")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET summary = 'changed by SQL' WHERE id = %s", [case.pk])
    feature_update = case_events(case, "update", "clinical feature")[0]
    assert feature_update.changes["status"] == ["present", "absent"] and feature_update.user == curator.username
    sql_update = case_events(case, "update")[0]
    assert sql_update.changes["summary"][1] == "changed by SQL" and sql_update.user == curator.username


@pytest.mark.django_db(transaction=True)
def test_even_a_change_outside_the_application_is_recorded(make_case):
    case = make_case()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET sex = 'male' WHERE id = %s", [case.pk])
    [update] = case_events(case, "update")
    assert update.changes["sex"] == ["female", "male"] and update.user is None
    assert Case.objects.get(pk=case.pk).sex == "male"


def test_reference_data_edited_in_the_admin_is_audited_too(client, curator, site_a):
    """Sites, memberships, publications and vocabulary concepts are curated by hand: their changes are kept."""
    from django.urls import reverse
    from pghistory.models import Events

    from cases.models import Condition, Membership, Publication, Site

    client.force_login(curator)
    client.post(
        reverse("admin:cases_site_change", args=[site_a.pk]),
        {"code": site_a.code, "name": "Clinic A, renamed", "country": "CH"},
    )
    Condition.objects.filter(code="ssc").update(label="Systemic sclerosis (any)")  # even outside the admin
    publication = Publication.objects.create(title="A report")
    Membership.objects.create(user=curator, site=site_a)

    def events(model, obj):
        return Events.objects.filter(pgh_model=f"cases.{model.__name__}Event", pgh_obj_id=str(obj.pk))

    assert [e.pgh_diff["name"] for e in events(Site, site_a) if e.pgh_label == "update"] == [
        ["Clinic A", "Clinic A, renamed"]
    ]
    assert [e.pgh_label for e in events(Condition, Condition.objects.get(code="ssc"))] == ["update"]
    assert [e.pgh_label for e in events(Publication, publication)] == ["insert"]
    assert events(Membership, Membership.objects.get(user=curator)).count() == 1
