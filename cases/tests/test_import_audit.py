"""An imported case's audit trail: the triggers stand aside for an import batch and its events are written per
table (``cases.services.audit``); they must be the very rows the triggers write for a case typed in."""

import pghistory
import pytest
from django.db import connection, transaction

from cases.document.schema import ALL_LISTS
from cases.models import Case, TreatmentTarget
from cases.services import case_create
from cases.services.batch import AUDITED, cases_create
from conftest import case_document

pytestmark = pytest.mark.django_db

# A case with a row in every list, and in the lists inside rows (a visit's scores and lesion findings).
EVERY_LIST = {
    "consent_scope": ["registry", "data_sharing"],
    "diagnoses": [
        {"condition": "ssc_limited", "is_primary": True, "duration_years": 8},
        {"condition": "sle", "is_primary": False},
    ],
    "labs": [{"test": "calcium", "value": "2.4", "unit": "mmol/L", "interpretation": "normal"}],
    "calcinosis_sites": [
        {"region": "finger_2", "laterality": "left", "methods": ["radiograph", "clinical_exam"], "size_mm": "4"},
        {"region": "finger_3", "laterality": "right", "methods": ["radiograph"]},
    ],
    "treatments": [
        {
            "agent": "diltiazem",
            "route": "oral",
            "indication": "calcinosis",
            "response": "partial",
            "site_indexes": [0, 1],
        },
        {"agent": "surgical_excision", "indication": "calcinosis", "response": "complete", "site_indexes": [1]},
    ],
    "biopsies": [{"tissue": "skin", "findings": ["calcification"]}],
    "assessments": [
        {
            "months_from_presentation": 3,
            "scores": [{"instrument": "pain_nrs", "value": 4}],
            "site_findings": [{"site_index": 0, "change": "smaller"}, {"site_index": 1, "change": "resolved"}],
        }
    ],
}
# What differs between two stored cases whatever the path: their ids, registry ids, references and times.
NOT_COMPARED = {
    "pgh_id",
    "pgh_created_at",
    "pgh_context_id",
    "registry_id",
    "local_reference",
    "created_at",
    "updated_at",
}


def _rows_of(case) -> dict:
    """Audited model → the ids of the case's rows in it, in the order they were stored."""
    found = {Case: [case.pk]}
    for child in ALL_LISTS:
        owner = {"case": case} if child.parent == "case" else {f"{child.parent}__case": case}
        found[child.model] = list(child.model.objects.filter(**owner).order_by("pk").values_list("pk", flat=True))
    found[TreatmentTarget] = list(
        TreatmentTarget.objects.filter(treatment__case=case).order_by("pk").values_list("pk", flat=True)
    )
    assert set(found) == set(AUDITED)
    return found


def events_of(case) -> dict:
    """Per audited table, the case's insert events in event order, the ids of its own rows as positions."""
    rows = _rows_of(case)
    position = {model: {pk: i for i, pk in enumerate(ids)} for model, ids in rows.items()}
    out = {}
    for model, ids in rows.items():
        own_keys = {
            f.attname: f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in position and f.related_model is not model
        }
        events = []
        for event in (
            model.pgh_event_model.objects.filter(pgh_obj_id__in=ids, pgh_label="insert").order_by("pgh_id").values()
        ):
            event = {k: v for k, v in event.items() if k not in NOT_COMPARED}
            event["pgh_obj_id"] = position[model][event["pgh_obj_id"]]
            event["id"] = position[model][event["id"]]
            for name, related in own_keys.items():
                event[name] = position[related][event[name]]
            events.append(event)
        assert len(events) == len(ids), f"{model.__name__}: one insert event per row"
        out[model.__name__] = events
    return out


def contexts_of(case) -> set:
    return {
        (event.pgh_context.metadata.get("user"), event.pgh_context.metadata.get("operation"))
        for model in AUDITED
        for event in model.pgh_event_model.objects.filter(pgh_obj_id__in=_rows_of(case)[model])
    }


def test_an_imported_case_has_the_events_the_triggers_write_for_a_case_entered(curator, site_a):
    entered = case_create(user=curator, data=case_document(local_reference="entered", **EVERY_LIST))
    [imported] = cases_create(user=curator, documents=[case_document(local_reference="imported", **EVERY_LIST)])

    assert all(events_of(entered).values())  # every list holds a row, so every table's events are compared
    assert events_of(imported) == events_of(entered)
    assert contexts_of(entered) == {(curator.pk, "case_create")}
    assert contexts_of(imported) == {(curator.pk, "case_import")}


def test_the_triggers_write_again_after_an_import_in_the_same_transaction(curator, site_a):
    with transaction.atomic():
        cases_create(user=curator, documents=[case_document(local_reference="imported", **EVERY_LIST)])
        entered = case_create(user=curator, data=case_document(local_reference="entered", **EVERY_LIST))
        with pghistory.context(operation="raw"), connection.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET summary = 'Changed by hand.' WHERE id = %s", [entered.pk])
    assert all(events_of(entered).values())
    assert Case.pgh_event_model.objects.filter(pgh_obj_id=entered.pk, pgh_label="update").count() == 1


def test_cases_citing_a_publication_new_in_the_batch_are_stored_together_as_imported(curator, site_a):
    paper = {"source": "literature", "publication": {"doi": "10.1000/new-in-batch", "title": "New"}}
    stored = cases_create(
        user=curator,
        documents=[case_document(local_reference="a", **paper), case_document(local_reference="b", **paper)],
    )
    assert [case.publication.doi for case in Case.objects.filter(pk__in=[c.pk for c in stored])] == [
        "10.1000/new-in-batch"
    ] * 2
    # Both in the batch, none stored again one by one after a conflict (which history would call "entered").
    assert contexts_of(stored[0]) == contexts_of(stored[1]) == {(curator.pk, "case_import")}
