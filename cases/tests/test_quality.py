"""Each data-quality check fires on a case that has the problem and stays silent on one that does not,
the same way in SQL (the admin's column and filter) and in Python (the case page and the API document)."""

import pytest

from cases import quality
from cases.document import case_document as stored_document
from cases.models import Case
from cases.tests.test_admin_support import count_queries

pytestmark = pytest.mark.django_db

TREATED = {"agent": "diltiazem", "indication": "calcinosis", "response": "partial"}


PROBLEMS = {
    "no_primary_diagnosis": (
        {"diagnoses": []},
        {},
    ),
    "literature_without_reference": (
        {"source": "literature", "publication": {"title": "A case with no identifiers"}},
        {"source": "literature", "publication": {"citation": "J Rare Dis 2020; 3: 1-2."}},
    ),
    "ana_positive_without_titer": (
        {"serology": [{"test": "ana", "result": "positive"}]},
        {
            "serology": [
                {"test": "ana", "result": "positive", "titer": 320},
                {"test": "rf", "result": "positive"},
                {"test": "ana", "result": "negative"},
            ]
        },
    ),
    "response_without_indication": (
        {"treatments": [{"agent": "warfarin", "response": "none"}]},
        {"treatments": [{"agent": "warfarin", "response": "not_assessed"}, TREATED]},
    ),
    "digit_site_without_laterality": (
        {"calcinosis_sites": [{"region": "toe", "methods": ["radiograph"]}], "treatments": []},
        {
            "calcinosis_sites": [
                {"region": "finger_5", "laterality": "right", "methods": ["radiograph"]},
                {"region": "elbow", "methods": ["radiograph"]},
            ],
            "treatments": [],
        },
    ),
    "no_calcinosis_site": (
        {"calcinosis_sites": [], "treatments": []},
        {},
    ),
    "likely_duplicate": (
        {"source": "literature", "publication": {"doi": "10.1000/twin"}, "sex": "female", "age_at_presentation": 44},
        {"source": "literature", "publication": {"doi": "10.1000/twin"}, "sex": "female", "age_at_presentation": 45},
    ),
}


def codes_in_python(case) -> set[str]:
    return {issue["code"] for issue in quality.quality_issues(Case.objects.for_detail().get(pk=case.pk))}


def codes_in_sql(case) -> set[str]:
    flagged = quality.annotate_flags(Case.objects.filter(pk=case.pk)).get()
    return {check.code for check in quality.CHECKS if getattr(flagged, check.flag)}


def test_every_check_is_covered_here():
    assert set(PROBLEMS) == {check.code for check in quality.CHECKS}
    assert all(check.message for check in quality.CHECKS)


@pytest.mark.parametrize("code", list(PROBLEMS))
def test_a_check_fires_on_a_case_with_the_problem_and_not_on_one_without(code, make_case):
    with_problem, without = PROBLEMS[code]
    if code == "likely_duplicate":
        make_case(**with_problem)  # the twin
    problem_case = make_case(**with_problem)
    clean_case = make_case(**without)
    check = quality.CHECKS_BY_CODE[code]
    for case, expected in ((problem_case, {code}), (clean_case, set())):
        assert codes_in_python(case) == expected, case
        assert codes_in_sql(case) == expected, case
        assert Case.objects.filter(pk=case.pk).filter(check.expression(Case)).exists() == bool(expected)
        assert Case.objects.filter(pk=case.pk).filter(quality.has_problems(Case)).exists() == bool(expected)
        counted = Case.objects.annotate(n=quality.problem_count(Case)).get(pk=case.pk).n
        assert counted == len(expected)


def test_a_duplicate_needs_a_publication_an_age_and_the_same_sex(make_case):
    paper = {"source": "literature", "publication": {"doi": "10.1000/pair"}}
    first = make_case(**paper, age_at_presentation=None)
    second = make_case(**paper, age_at_presentation=None)
    women = [make_case(**paper, sex="female"), make_case(**paper, sex="male")]
    clinic = [make_case(), make_case()]  # same sex and age, no publication
    for case in (first, second, *women, *clinic):
        assert "likely_duplicate" not in codes_in_python(case) | codes_in_sql(case)


def test_the_api_document_lists_the_problems(make_case):
    case = make_case(diagnoses=[], serology=[{"test": "ana", "result": "positive"}])
    document = stored_document(Case.objects.for_detail().get(pk=case.pk))
    assert document["quality_issues"] == [
        {"code": "no_primary_diagnosis", "message": "No diagnosis is marked as the primary one."},
        {"code": "ana_positive_without_titer", "message": "ANA is positive but no titre is recorded (e.g. 1:320)."},
    ]
    assert stored_document(Case.objects.for_detail().get(pk=make_case().pk))["quality_issues"] == []


def test_the_problems_of_a_loaded_case_cost_no_query(make_case):
    clinic = Case.objects.for_detail().get(pk=make_case(diagnoses=[]).pk)
    assert count_queries(lambda: quality.quality_issues(clinic)) == 0
    # A published case needs the other cases for the duplicate check: an annotation brings it along.
    paper = make_case(source="literature", publication={"doi": "10.1000/x"})
    flagged = quality.annotate_flags(Case.objects.for_detail(), ["likely_duplicate"]).get(pk=paper.pk)
    assert count_queries(lambda: quality.quality_issues(flagged)) == 0


def test_python_and_sql_agree_on_a_mixed_registry(make_case):
    cases = [make_case(**with_problem) for with_problem, _ in PROBLEMS.values()]
    cases += [make_case(**without) for _, without in PROBLEMS.values()]
    cases.append(
        make_case(
            diagnoses=[],
            calcinosis_sites=[],
            treatments=[{"agent": "aspirin", "response": "none"}],
            serology=[{"test": "ana", "result": "positive"}],
        )
    )
    for case in cases:
        assert codes_in_python(case) == codes_in_sql(case), case
