"""case_create / case_update: whole documents, stored all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import CalcinosisSite, Case, Diagnosis, Publication, SerologyResult, TreatmentCourse
from cases.services import CaseValidationError, StaleVersion, case_create, case_delete, case_update
from conftest import case_document

pytestmark = pytest.mark.django_db


def stored_rows():
    return (
        Case.objects.count(),
        Diagnosis.objects.count(),
        SerologyResult.objects.count(),
        CalcinosisSite.objects.count(),
        TreatmentCourse.objects.count(),
        Publication.objects.count(),
    )


BAD_INPUT = [
    pytest.param(
        {"diagnoses": [{"condition": "ssc", "is_primary": True}, {"condition": "sle", "is_primary": True}]},
        "diagnoses.1.is_primary",
        id="two-primary-diagnoses",
    ),
    pytest.param({"age_at_presentation": 200}, "age_at_presentation", id="age-200"),
    pytest.param({"serology": [{"test": "anti_xyz", "result": "positive"}]}, "serology.0.test", id="unknown-code"),
    pytest.param({"source": "literature"}, "publication", id="literature-without-publication"),
    pytest.param(
        {"treatments": [{"agent": "warfarin", "started_on": "2020-05-01", "stopped_on": "2020-01-01"}]},
        "treatments.0.stopped_on",
        id="stopped-before-started",
    ),
    pytest.param(
        {"calcinosis_sites": [{"region": "elbow", "methods": ["radiograph"], "size_mm": -3}]},
        "calcinosis_sites.0.size_mm",
        id="negative-size",
    ),
    pytest.param({"serology": [{"test": "ana", "result": "positive", "titer": 0}]}, "serology.0.titer", id="titer-0"),
    pytest.param({"sex": "f"}, "sex", id="unknown-choice"),
    pytest.param(
        {"calcinosis_sites": [{"region": "elbow", "methods": ["radiograph"], "digit_segment": "distal"}]},
        "calcinosis_sites.0.digit_segment",
        id="digit-segment-on-elbow",
    ),
    pytest.param(
        {"serology": [{"test": "rf", "result": "positive", "pattern": "nuclear"}]},
        "serology.0.pattern",
        id="pattern-on-non-ana",
    ),
    pytest.param({"labs": [{"test": "calcium"}]}, "labs.0.value", id="lab-without-value-or-reading"),
    pytest.param(
        {"features": [{"feature": "raynaud", "status": "present"}, {"feature": "raynaud", "status": "absent"}]},
        "features.1.feature",
        id="feature-twice",
    ),
    pytest.param(
        {"treatments": [{"agent": "warfarin", "site_indexes": [3]}]},
        "treatments.0.site_ids",
        id="treatment-targets-missing-site",
    ),
    pytest.param({"summary": "nul\x00byte"}, "summary", id="nul-character"),
    pytest.param({"summary": "lone \ud800 surrogate"}, "summary", id="lone-surrogate"),
    pytest.param(
        {"serology": [{"test": "ana\ud800", "result": "positive"}]}, "serology.0.test", id="lone-surrogate-in-a-code"
    ),
    pytest.param({"age_at_presentation": [44]}, "age_at_presentation", id="list-for-a-number"),
    pytest.param({"diagnoses": "ssc"}, "diagnoses", id="children-not-a-list"),
    pytest.param({"publication": {"doi": "not-a-doi"}, "source": "literature"}, "publication.doi", id="bad-doi"),
    pytest.param({"colour": "blue"}, "colour", id="unknown-field"),
]


@pytest.mark.parametrize("change, field", BAD_INPUT)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(curator, site_a, change, field):
    before = stored_rows()
    with pytest.raises(CaseValidationError) as refused:
        case_create(user=curator, data=case_document(**change))
    assert field in refused.value.message_dict, refused.value.message_dict
    assert isinstance(refused.value, ValidationError)
    assert stored_rows() == before


def test_errors_are_nested_like_the_document(curator, site_a):
    serology = [{"test": "ana", "result": "positive"}, {"test": "anti_xyz", "result": "positive"}]
    with pytest.raises(CaseValidationError) as refused:
        case_create(user=curator, data=case_document(serology=serology, age_at_presentation=200))
    nested = refused.value.nested
    assert nested["serology"] == [{}, {"test": ["Unknown code 'anti_xyz'."]}]
    assert "120" in nested["age_at_presentation"][0]


def test_every_error_is_reported_at_once(curator, site_a):
    with pytest.raises(CaseValidationError) as refused:
        case_create(user=curator, data=case_document(age_at_presentation=200, sex="x", serology=[{"test": "nope"}]))
    assert {"age_at_presentation", "sex", "serology.0.test"} <= set(refused.value.message_dict)


def test_create_stores_the_whole_case_with_a_registry_id(clinician_a):
    case = case_create(user=clinician_a, data=case_document())
    assert case.registry_id.startswith("CC-") and len(case.registry_id) == 9
    assert case.version == 1 and case.created_by == clinician_a
    treatment = case.treatments.get()
    assert [s.region_id for s in treatment.sites.all()] == ["finger_2"]


def test_registry_ids_are_never_reused(curator, make_case):
    first = make_case()
    case_delete(user=curator, case=first)
    second = make_case()
    assert int(second.registry_id[3:]) > int(first.registry_id[3:])


def test_a_clinician_cannot_enter_cases_for_another_site(clinician_a, site_b):
    with pytest.raises(CaseValidationError) as refused:
        case_create(user=clinician_a, data=case_document(site="clinic-b"))
    assert refused.value.message_dict == {"site": ["No site 'clinic-b' that you may enter cases for."]}
    assert Case.objects.count() == 0


def test_update_replaces_children_and_bumps_the_version(clinician_a):
    case = case_create(user=clinician_a, data=case_document())
    site_id = case.calcinosis_sites.get().pk
    data = case_document(
        age_at_presentation=51,
        calcinosis_sites=[
            {"id": site_id, "region": "finger_2", "laterality": "left", "methods": ["radiograph"], "size_mm": 4},
            {"region": "elbow", "laterality": "right", "methods": ["ct"]},
        ],
        treatments=[
            {
                "agent": "sodium_thiosulfate",
                "route": "intralesional",
                "indication": "calcinosis",
                "response": "complete",
                "site_ids": [site_id],
                "site_indexes": [1],
            }
        ],
        serology=[],
    )
    updated = case_update(user=clinician_a, case=case, data=data, version=1)
    assert updated.version == 2 and updated.age_at_presentation == 51
    assert case.calcinosis_sites.get(region="finger_2").pk == site_id  # kept in place, not re-created
    assert case.serology.count() == 0
    course = case.treatments.get()
    assert sorted(s.region_id for s in course.sites.all()) == ["elbow", "finger_2"]


def test_partial_update_changes_only_what_is_sent(clinician_a):
    case = case_create(user=clinician_a, data=case_document())
    case_update(user=clinician_a, case=case, data={"sex": "male", "labs": []}, version=1, partial=True)
    case.refresh_from_db()
    assert case.sex == "male" and case.age_at_presentation == 50
    assert case.labs.count() == 0 and case.serology.count() == 1


def test_a_stale_version_is_refused_and_changes_nothing(clinician_a):
    case = case_create(user=clinician_a, data=case_document())
    case_update(user=clinician_a, case=case, data=case_document(age_at_presentation=60), version=1)
    with pytest.raises(StaleVersion):
        case_update(user=clinician_a, case=case, data=case_document(age_at_presentation=70), version=1)
    case.refresh_from_db()
    assert (case.age_at_presentation, case.version) == (60, 2)


def test_an_update_needs_a_version(clinician_a):
    case = case_create(user=clinician_a, data=case_document())
    with pytest.raises(CaseValidationError) as refused:
        case_update(user=clinician_a, case=case, data=case_document(), version=None)
    assert "version" in refused.value.message_dict


def test_a_failed_update_leaves_the_case_as_it_was(clinician_a):
    case = case_create(user=clinician_a, data=case_document())
    bad = case_document(age_at_presentation=61, serology=[{"test": "ana", "result": "positive", "titer": 0}])
    with pytest.raises(CaseValidationError):
        case_update(user=clinician_a, case=case, data=bad, version=1)
    case.refresh_from_db()
    assert (case.age_at_presentation, case.version, case.serology.get().test_id) == (50, 1, "anti_centromere")


def test_a_publication_is_matched_by_doi(curator, site_a):
    data = case_document(source="literature", publication={"doi": "https://doi.org/10.5336/CaseRep.2019-65627"})
    first = case_create(user=curator, data=data)
    second = case_create(
        user=curator, data=case_document(source="literature", publication={"doi": "10.5336/caserep.2019-65627"})
    )
    assert first.publication_id == second.publication_id
    assert first.publication.doi == "10.5336/caserep.2019-65627"


def test_only_a_curator_verifies(clinician_a):
    case = case_create(user=clinician_a, data=case_document())
    with pytest.raises(CaseValidationError) as refused:
        case_update(user=clinician_a, case=case, data=case_document(status="verified"), version=1)
    assert "status" in refused.value.message_dict


def test_an_inactive_concept_is_refused_for_new_entries_but_kept_on_old_ones(clinician_a):
    from cases.models import Agent

    case = case_create(user=clinician_a, data=case_document())
    Agent.objects.filter(code="diltiazem").update(active=False)
    kept = case_update(user=clinician_a, case=case, data=case_document(), version=1)
    assert kept.treatments.get().agent_id == "diltiazem"
    with pytest.raises(CaseValidationError) as refused:
        case_create(user=clinician_a, data=case_document())
    assert "no longer in use" in refused.value.message_dict["treatments.0.agent"][0]


def test_a_create_issues_the_same_queries_for_5_or_30_child_rows(curator, site_a, django_assert_num_queries):
    def document(n):
        regions = ["finger_1", "finger_2", "elbow", "knee", "toe"]
        return case_document(
            serology=[{"test": "ana", "result": "negative"}] * n,
            calcinosis_sites=[{"region": regions[i % 5], "methods": ["ct"]} for i in range(n)],
            treatments=[{"agent": "warfarin", "site_indexes": [i]} for i in range(n)],
        )

    # site, groups of the user, 6 vocabularies, nextval, then per list: context + bulk insert
    # (pghistory prefixes each write with its context), the targets lookup and their insert; then the
    # criteria's evidence (one query per list they read) and the upsert of the four results.
    case_create(user=curator, data=document(1))  # warms the per-user role cache
    with django_assert_num_queries(25):
        case_create(user=curator, data=document(5))
    with django_assert_num_queries(25):
        case_create(user=curator, data=document(30))


def test_a_publication_without_doi_sent_back_unchanged_is_not_duplicated(curator, site_a):
    publication = {
        "title": "Calcinosis cutis in Sjögren's syndrome",
        "journal": "Dermatologie Praxis",
        "year": 2024,
        "citation": "Dermatologie Praxis 2024; 34(5): 50–51",
    }
    case = case_create(user=curator, data=case_document(source="literature", publication=publication))
    case_update(user=curator, case=case, data=case_document(source="literature", publication=publication), version=1)
    other = case_create(user=curator, data=case_document(source="literature", publication=publication))
    assert Publication.objects.count() == 1 and other.publication_id == case.publication_id
    changed = {**publication, "year": 2023}
    case_update(user=curator, case=case, data=case_document(source="literature", publication=changed), version=2)
    assert Publication.objects.count() == 2


def test_a_case_read_back_as_json_can_be_saved_as_it_was(curator, site_a):
    import json

    from cases.document import case_document as stored_document

    data = case_document(
        diagnoses=[{"condition": "dm", "is_primary": True, "duration_years": 6.7}],
        calcinosis_sites=[{"region": "elbow", "methods": ["ct"], "size_mm": 2.5}],
    )
    case = case_create(user=curator, data=data)
    assert str(case.diagnoses.get().duration_years) == "6.7"
    sent_back = json.loads(json.dumps(stored_document(Case.objects.for_detail().get(pk=case.pk))))
    saved = case_update(user=curator, case=case, data=sent_back, version=sent_back["version"])
    assert saved.version == 2 and str(case.calcinosis_sites.get().size_mm) == "2.5"
