"""The stored criteria results: written with every case write, the same as the document computes, recomputed
on demand (issue 12)."""

import json

import pytest
from django.core.management import call_command

from cases.criteria import SETS
from cases.demo import load_demo
from cases.document import case_document
from cases.models import Case, CriteriaResult
from cases.services import CaseValidationError, case_create, case_update
from cases.services.criteria import recompute
from cases.tests.criteria_cases import SSC, SSC_INDETERMINATE, SSC_MET, SSC_NOT_MET, ssc_case

pytestmark = pytest.mark.django_db


def stored(case) -> dict:
    return {r.criteria_set: (r.status, r.score, r.max_possible, r.category) for r in case.criteria_results.all()}


def computed(case) -> dict:
    doc = case_document(Case.objects.for_detail().get(pk=case.pk))
    return {r["set"]: (r["status"], r["score"], r["max_possible"], r["category"]) for r in doc["criteria_computed"]}


def test_the_founding_cases_compute_as_clinical_v2_says():
    load_demo(password="demo-password-for-tests")
    ssc = Case.objects.get(local_reference="founding-ssc-universalis")
    sjogren = Case.objects.get(local_reference="founding-sjogren-digital")
    assert ssc.criteria_results.get(criteria_set="acr_eular_2013_ssc").status == "met"
    result = sjogren.criteria_results.get(criteria_set="acr_eular_2016_sjogren")
    # anti-Ro 3 + Schirmer 1 = 4, the threshold.
    assert (result.status, result.score) == ("met", 4)


@pytest.mark.parametrize(
    ("evidence", "status"), [(SSC_MET, "met"), (SSC_INDETERMINATE, "indeterminate"), (SSC_NOT_MET, "not_met")]
)
def test_a_new_case_has_all_four_results_as_its_document_computes_them(curator, site_a, evidence, status):
    case = case_create(user=curator, data=ssc_case(evidence))
    results = stored(case)
    assert list(results) == sorted(SETS)  # the model's order: by set code
    assert results[SSC][0] == status
    assert {code: (s, float(score), float(top), cat) for code, (s, score, top, cat) in results.items()} == computed(
        case
    )


def stored_entries(case) -> list:
    by_set = {r.criteria_set: json.loads(r.document_entry) for r in case.criteria_results.all()}
    return [by_set[code] for code in SETS]


def test_the_stored_entries_are_the_documents_criteria_item_by_item_after_every_write(curator, site_a):
    """A page of documents reads the stored entries (cases.document.plain): they must be what a single
    document computes, items, entry rules and hints included, and follow each write."""
    case = case_create(user=curator, data=ssc_case(SSC_INDETERMINATE))
    document = case_document(Case.objects.for_detail().get(pk=case.pk))
    assert stored_entries(case) == document["criteria_computed"]
    case = case_update(user=curator, case=case, data=ssc_case(SSC_MET), version=case.version)
    document = case_document(Case.objects.for_detail().get(pk=case.pk))
    assert stored_entries(case) == document["criteria_computed"]
    assert stored_entries(case)[0]["status"] == "met"


def test_an_update_changes_the_stored_result_in_the_same_write(curator, site_a):
    case = case_create(user=curator, data=ssc_case(SSC_INDETERMINATE))
    assert stored(case)[SSC][0] == "indeterminate"
    case = case_update(user=curator, case=case, data=ssc_case(SSC_MET), version=case.version)
    assert stored(case)[SSC][:2] == ("met", 10)
    case = case_update(user=curator, case=case, data=ssc_case(SSC_NOT_MET), version=case.version)
    assert stored(case)[SSC][0] == "not_met"


def test_a_partial_update_of_the_evidence_recomputes_and_one_of_other_fields_keeps_it(curator, site_a):
    case = case_create(user=curator, data=ssc_case(SSC_INDETERMINATE))
    case = case_update(user=curator, case=case, data={"summary": "Changed."}, version=case.version, partial=True)
    assert stored(case)[SSC][0] == "indeterminate"
    features = SSC_MET["features"]
    case = case_update(user=curator, case=case, data={"features": features}, version=case.version, partial=True)
    assert stored(case)[SSC][:2] == ("met", 10)


def test_a_refused_write_leaves_the_stored_results_as_they_were(curator, site_a):
    case = case_create(user=curator, data=ssc_case(SSC_INDETERMINATE))
    before = stored(case)
    bad = ssc_case(SSC_MET, age_at_presentation=400)
    with pytest.raises(CaseValidationError):
        case_update(user=curator, case=case, data=bad, version=case.version)
    assert stored(case) == before


def test_deleting_a_case_deletes_its_results(curator, site_a):
    from cases.services import case_delete

    case = case_create(user=curator, data=ssc_case(SSC_MET))
    case_delete(user=curator, case=case)
    assert not CriteriaResult.objects.filter(case_id=case.pk).exists()


def _tamper(case):
    # What a rule change or a bulk load without the results leaves behind.
    CriteriaResult.objects.filter(case=case, criteria_set=SSC).update(status="not_met", score=0)
    CriteriaResult.objects.filter(case=case, criteria_set="eular_acr_2017_iim").delete()


def test_recompute_restores_every_case(curator, site_a):
    cases = [case_create(user=curator, data=ssc_case(evidence)) for evidence in (SSC_MET, SSC_NOT_MET, SSC_MET)]
    expected = {case.pk: stored(case) for case in cases}
    for case in cases:
        _tamper(case)
    # Ranges of two ids: the three cases span two of them.
    assert sum(recompute(batch=2)) == 3
    assert {case.pk: stored(case) for case in cases} == expected


@pytest.mark.django_db(transaction=True)
def test_the_command_recomputes_with_worker_processes(curator, site_a, capsys):
    cases = [case_create(user=curator, data=ssc_case(evidence)) for evidence in (SSC_MET, SSC_INDETERMINATE)]
    expected = {case.pk: stored(case) for case in cases}
    for case in cases:
        _tamper(case)
    call_command("recompute_criteria", "--workers", "2", "--batch-size", "1", "--no-progress")
    assert "Recomputed the criteria of 2 cases" in capsys.readouterr().out
    assert {case.pk: stored(case) for case in cases} == expected


def test_the_synthetic_loader_stores_the_results_the_documents_compute():
    from cases.synthetic.loader import load

    load(seed=7, count=60)
    cases = list(Case.objects.for_detail())
    assert len(cases) == 60
    statuses = set()
    for case in cases:
        expected = {
            r["set"]: (r["status"], r["score"], r["max_possible"], r["category"])
            for r in case_document(case)["criteria_computed"]
        }
        got = {code: (s, float(score), float(top), cat) for code, (s, score, top, cat) in stored(case).items()}
        assert got == expected, case.registry_id
        statuses |= {status for status, *_ in got.values()}
    # A synthetic registry has cases of each status, so that the filters have something to select.
    assert statuses == {"met", "not_met", "indeterminate"}
