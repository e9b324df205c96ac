"""``GET /api/v1/stats/follow-up/``: visits per calcinosis course and score quartiles in bands of months."""

import pytest

from api.serializers import FollowUpBand
from api.tests.conftest import client_with_token
from cases.statistics import FOLLOW_UP_BANDS
from conftest import UserFactory

pytestmark = pytest.mark.django_db

PATH = "/api/v1/stats/follow-up/"


def visit(months, course, **scores):
    return {
        "months_from_presentation": months,
        "calcinosis_course": course,
        "scores": [{"instrument": code, "value": value} for code, value in scores.items()],
    }


@pytest.fixture
def registry(make_case, site_b):
    followed = make_case(
        assessments=[
            visit(0, "stable", pain_nrs=6),
            visit("0.5", "improved", pain_nrs=4),
            visit(6, "improved", pain_nrs=3, haq_di="0.5"),
            visit("6.5", "resolved", pain_nrs=1),
        ]
    )
    long_followed = make_case(
        assessments=[visit(0, "worse", pain_nrs=8), visit(12, "stable", pain_nrs=5), visit(30, "worse", pain_nrs=7)]
    )
    make_case(assessments=[])
    make_case(site="clinic-b", assessments=[visit(0, "resolved", pain_nrs=0)])
    return {"followed": followed, "long_followed": long_followed}


def bands(stats):
    return {band["band"]: band for band in stats["bands"]}


def instrument(stats, code):
    return {band["band"]: band for band in {i["instrument"]: i for i in stats["instruments"]}[code]["bands"]}


def test_visits_per_course_in_bands_of_months(api, registry):
    stats = api("clinician_a").get(PATH).json()
    assert stats["cases"] == 3
    assert [band["band"] for band in stats["bands"]] == ["0", "1-6", "7-12", "13-24", ">24"]
    found = bands(stats)

    assert (found["0"]["assessments"], found["0"]["cases"]) == (2, 2)
    assert found["0"]["calcinosis_course"] == {"resolved": 0, "improved": 0, "stable": 1, "worse": 1, "not_assessed": 0}
    # Month 0.5 is follow-up, not presentation; month 6 closes 1-6 and 6.5 opens 7-12.
    assert (found["1-6"]["assessments"], found["1-6"]["cases"]) == (2, 1)
    assert found["1-6"]["calcinosis_course"]["improved"] == 2
    assert found["7-12"]["calcinosis_course"] == {
        "resolved": 1,
        "improved": 0,
        "stable": 1,
        "worse": 0,
        "not_assessed": 0,
    }
    assert found["13-24"]["assessments"] == 0 and set(found["13-24"]["calcinosis_course"].values()) == {0}
    assert found[">24"]["calcinosis_course"]["worse"] == 1
    assert (found["1-6"]["above_months"], found["1-6"]["up_to_months"]) == (0, 6)
    assert (found["0"]["above_months"], found[">24"]["up_to_months"]) == (None, None)


def test_median_and_quartiles_per_instrument_and_band(api, registry):
    stats = api("clinician_a").get(PATH).json()
    pain = instrument(stats, "pain_nrs")

    assert pain["0"] == {"band": "0", "scores": 2, "cases": 2, "median": 7.0, "q1": 6.5, "q3": 7.5}
    assert pain["1-6"] == {"band": "1-6", "scores": 2, "cases": 1, "median": 3.5, "q1": 3.25, "q3": 3.75}
    assert (pain["7-12"]["median"], pain["7-12"]["q1"], pain["7-12"]["q3"]) == (3.0, 2.0, 4.0)
    assert pain["13-24"] == {"band": "13-24", "scores": 0, "cases": 0, "median": None, "q1": None, "q3": None}
    assert (pain[">24"]["median"], pain[">24"]["q1"]) == (7.0, 7.0)

    haq = instrument(stats, "haq_di")
    assert haq["1-6"]["median"] == 0.5 and haq["0"]["scores"] == 0
    assert [i["instrument"] for i in stats["instruments"]] == ["pain_nrs", "haq_di"]  # the vocabulary's order
    assert {i["instrument"]: i["higher_is_worse"] for i in stats["instruments"]} == {"pain_nrs": True, "haq_di": True}


def test_the_case_filters_select_the_cases(api, registry):
    client = api("curator")
    resolved = client.get(PATH, {"calcinosis_course": "resolved"}).json()
    assert resolved["cases"] == 2  # the followed case and clinic B's
    assert bands(resolved)["0"]["calcinosis_course"] == {
        "resolved": 1,
        "improved": 0,
        "stable": 1,
        "worse": 0,
        "not_assessed": 0,
    }
    later = client.get(PATH, {"has_follow_up": "false"}).json()
    assert (
        later["cases"] == 2
        and bands(later)["0"]["assessments"] == 1
        and later["instruments"][0]["bands"][0]["median"] == 0
    )
    bad = client.get(PATH, {"calcinosis_course": "better"})
    assert bad.status_code == 400 and "calcinosis_course" in bad.json()


def test_each_reader_counts_the_cases_they_may_read(api, registry):
    assert api("clinician_b").get(PATH).json()["cases"] == 1
    assert api("researcher").get(PATH).json()["cases"] == 4
    assert api("anonymous").get(PATH).status_code == 401
    nobody = client_with_token(UserFactory(username="no-role")).get(PATH)
    assert nobody.status_code == 200
    assert nobody.json()["cases"] == 0 and nobody.json()["instruments"] == []
    assert {band["assessments"] for band in nobody.json()["bands"]} == {0}


def test_the_same_queries_for_any_number_of_cases(api, make_case, django_assert_num_queries):
    client = api("researcher")
    client.get("/api/v1/vocabularies/")  # a token's first use writes its last_used_at: done before counting

    def answer():
        # The token with its user and the user's groups; count(*) of the cases; the visits per band and
        # course; the quartiles per instrument and band; the instruments' labels.
        with django_assert_num_queries(5):
            return client.get(PATH).json()

    make_case(assessments=[visit(3, "improved", pain_nrs=2)])
    assert bands(answer())["1-6"]["assessments"] == 1
    for number in range(15):
        make_case(assessments=[visit(3, "improved", pain_nrs=number % 10), visit(0, "stable", mrss=number)])
    assert bands(answer())["1-6"]["assessments"] == 16


def test_the_schema_names_the_bands_the_statistic_gives():
    assert list(FollowUpBand().fields["band"].choices) == [name for name, _ in FOLLOW_UP_BANDS]
