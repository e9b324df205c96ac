"""Every filter of api.md finds the case it should and not the others; every bad value is a 400 naming it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.services import case_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_case, site_b, curator):
    ssc = make_case(
        site="clinic-a",
        sex="female",
        country="CH",
        consent="written",
        age_at_presentation=50,
        calcinosis_extent="localized",
        calcinosis_etiology="dystrophic",
        summary="Fingertip nodules.",
        diagnoses=[{"condition": "ssc_limited", "is_primary": True, "duration_years": 8}],
        features=[{"feature": "raynaud", "status": "present"}, {"feature": "ild", "status": "absent"}],
        serology=[{"test": "anti_scl70", "result": "positive"}, {"test": "anti_centromere", "result": "negative"}],
        calcinosis_sites=[
            {
                "region": "finger_2",
                "laterality": "left",
                "methods": ["radiograph", "clinical_exam"],
                "morphology": "punctate",
                "depth": "subcutaneous",
            }
        ],
        # Thiosulfate failed and the excision worked: agent=sodium_thiosulfate&response=complete must not match.
        treatments=[
            {"agent": "sodium_thiosulfate", "route": "intralesional", "response": "none", "indication": "calcinosis"},
            {"agent": "surgical_excision", "route": "procedure", "response": "complete", "indication": "calcinosis"},
        ],
        assessments=[
            {"months_from_presentation": 0, "calcinosis_course": "stable"},
            {"months_from_presentation": "6", "calcinosis_course": "improved"},
        ],
    )
    sjogren = make_case(
        site="clinic-b",
        source="literature",
        status="draft",
        sex="male",
        country="TR",
        consent="verbal",
        age_at_presentation=70,
        summary="Digital calcinosis.",
        publication={"doi": "10.1000/SJ", "title": "Sjogren calcinosis report", "year": 2020},
        diagnoses=[{"condition": "sjogren_primary", "is_primary": True, "duration_years": 20}],
        features=[{"feature": "dry_eyes", "status": "present"}],
        serology=[{"test": "anti_ro_ssa", "result": "positive"}],
        calcinosis_sites=[{"region": "toe", "laterality": "bilateral", "methods": ["radiograph"]}],
        treatments=[
            {
                "agent": "hydroxychloroquine",
                "route": "oral",
                "response": "not_assessed",
                "indication": "underlying_disease",
            },
            # One outcome for the two together: it belongs to regimen A, not to either drug.
            *(
                {
                    "agent": agent,
                    "indication": indication,
                    "regimen": "A",
                    "response_scope": "regimen",
                    "response": "partial",
                }
                for agent, indication in (("colchicine", "calcinosis"), ("diltiazem", "raynaud_vasculopathy"))
            ),
        ],
    )
    dm = make_case(
        site="clinic-a",
        sex="other",
        country="",
        age_at_presentation=30,
        calcinosis_extent="universalis",
        calcinosis_etiology="idiopathic",
        summary="Sheets of calcium.",
        diagnoses=[
            {"condition": "dm", "is_primary": True, "duration_years": 3},
            {"condition": "ssc_diffuse", "is_primary": False, "certainty": "suspected"},
        ],
        features=[{"feature": "raynaud", "status": "absent"}],
        serology=[{"test": "anti_centromere", "result": "positive"}, {"test": "anti_scl70", "result": "negative"}],
        calcinosis_sites=[
            {
                "region": "elbow",
                "laterality": "right",
                "methods": ["ct"],
                "morphology": "tumoral",
                "depth": "intramuscular",
            }
        ],
        treatments=[
            {"agent": "alendronate", "route": "oral", "response": "complete", "indication": "calcinosis"},
            {"agent": "sodium_thiosulfate", "route": "iv", "response": "complete", "indication": "calcinosis"},
        ],
        assessments=[{"months_from_presentation": 0, "calcinosis_course": "worse"}],
    )
    dm = case_verify(user=curator, case=dm)
    return {"ssc": ssc, "sjogren": sjogren, "dm": dm}


def found(api, cases, params, path="/api/v1/cases/"):
    response = api("curator").get(path, params)
    assert response.status_code == 200, response.json()
    names = {case.registry_id: name for name, case in cases.items()}
    return {names[doc["registry_id"]] for doc in response.json()["results"]}


SOON = (timezone.now() + timedelta(days=1)).isoformat()
LONG_AGO = (timezone.now() - timedelta(days=1)).isoformat()

FILTERS = [
    ({"site": "clinic-b"}, {"sjogren"}),
    ({"source": "literature"}, {"sjogren"}),
    ({"source": "clinic"}, {"ssc", "dm"}),
    ({"sex": "male"}, {"sjogren"}),
    ({"country": "TR"}, {"sjogren"}),
    ({"country": "tr"}, {"sjogren"}),
    ({"status": "draft"}, {"sjogren"}),
    ({"status": "verified"}, {"dm"}),
    ({"consent": "verbal"}, {"sjogren"}),
    ({"age_min": 60}, {"sjogren"}),
    ({"age_max": 40}, {"dm"}),
    ({"age_min": 40, "age_max": 60}, {"ssc"}),
    ({"condition": "ssc"}, {"ssc", "dm"}),  # a descendant, and a secondary diagnosis
    ({"condition": ["ssc", "dm"]}, {"dm"}),  # repeated: all of these
    ({"condition": "sjogren"}, {"sjogren"}),
    ({"primary_condition": "ssc"}, {"ssc"}),
    ({"duration_min": 10}, {"sjogren"}),
    ({"duration_max": 10}, {"ssc", "dm"}),
    ({"duration_min": 5, "duration_max": 10}, {"ssc"}),
    ({"positive": "anti_scl70"}, {"ssc"}),
    ({"negative": "anti_scl70"}, {"dm"}),
    ({"positive": "anti_scl70", "negative": "anti_centromere"}, {"ssc"}),
    ({"positive": "anti_centromere", "negative": "anti_centromere"}, set()),
    ({"feature": "raynaud"}, {"ssc"}),
    ({"feature_absent": "raynaud"}, {"dm"}),
    ({"feature_absent": "dry_eyes"}, set()),  # not recorded is not absent
    ({"region": "upper_limb"}, {"ssc", "dm"}),
    ({"region": "hand"}, {"ssc"}),
    ({"region": "lower_limb"}, {"sjogren"}),
    ({"laterality": "left"}, {"ssc"}),
    ({"detected_by": "ct"}, {"dm"}),
    ({"morphology": "tumoral"}, {"dm"}),
    ({"region": "upper_limb", "laterality": "right"}, {"dm"}),
    ({"region": "hand", "laterality": "right"}, set()),  # laterality of the same site
    ({"extent": "universalis"}, {"dm"}),
    ({"etiology": "idiopathic"}, {"dm"}),
    ({"agent": "bisphosphonate"}, {"dm"}),
    ({"agent": "sodium_thiosulfate"}, {"ssc", "dm"}),
    ({"agent": "sodium_thiosulfate", "response": "complete"}, {"dm"}),  # the same course
    ({"agent": "procedure", "response": "complete"}, {"ssc"}),
    ({"agent": "sodium_thiosulfate", "route": "iv"}, {"dm"}),
    ({"response": "not_assessed"}, {"sjogren"}),
    ({"route": "procedure"}, {"ssc"}),
    ({"publication_year_min": 2019}, {"sjogren"}),
    ({"publication_year_min": 2021}, set()),
    ({"publication_year_max": 2021}, {"sjogren"}),
    ({"publication_year_max": 2019}, set()),
    ({"doi": "https://doi.org/10.1000/sj"}, {"sjogren"}),
    ({"doi": "10.1000/other"}, set()),
    ({"updated_since": LONG_AGO}, {"ssc", "sjogren", "dm"}),
    ({"updated_since": SOON}, set()),
    ({"q": "fingertip"}, {"ssc"}),
    ({"q": "sjogren calcinosis"}, {"sjogren"}),  # the publication title
    ({"q": "nothing like this"}, set()),
    # ---- second edition (api.md "Filters (added)") ----
    ({"method": "radiograph"}, {"ssc", "sjogren"}),
    ({"method": "clinical_exam"}, {"ssc"}),
    ({"detected_by": "clinical_exam"}, {"ssc"}),  # the first edition's name
    ({"method": "radiograph", "detected_by": "clinical_exam"}, {"ssc"}),  # one lesion seen both ways
    ({"method": "ct", "detected_by": "radiograph"}, set()),
    ({"region": "toe", "method": "clinical_exam"}, set()),  # the method of the same site
    ({"region": "hand", "method": "clinical_exam"}, {"ssc"}),
    ({"depth": "subcutaneous"}, {"ssc"}),
    ({"depth": "intramuscular", "region": "upper_limb"}, {"dm"}),
    ({"depth": "intramuscular", "region": "hand"}, set()),
    ({"depth": "tendon"}, set()),
    ({"indication": "underlying_disease"}, {"sjogren"}),
    ({"indication": "calcinosis"}, {"ssc", "sjogren", "dm"}),
    ({"agent": "sodium_thiosulfate", "indication": "calcinosis"}, {"ssc", "dm"}),
    ({"agent": "hydroxychloroquine", "indication": "calcinosis"}, set()),  # the same course
    ({"agent": "ccb", "indication": "raynaud_vasculopathy"}, {"sjogren"}),
    ({"agent": "ccb", "indication": "calcinosis"}, set()),
    ({"response_scope": "regimen"}, {"sjogren"}),
    ({"response_scope": "agent"}, {"ssc", "sjogren", "dm"}),
    ({"agent": "colchicine", "response_scope": "regimen"}, {"sjogren"}),
    ({"agent": "colchicine", "response_scope": "agent"}, set()),
    ({"agent": "hydroxychloroquine", "response_scope": "regimen"}, set()),
    ({"agent": "colchicine", "response_scope": "regimen", "indication": "calcinosis"}, {"sjogren"}),
    ({"agent": "diltiazem", "response_scope": "regimen", "indication": "calcinosis"}, set()),
    ({"has_follow_up": "true"}, {"ssc"}),  # month 6; dm was seen at presentation only
    ({"has_follow_up": "false"}, {"sjogren", "dm"}),
    ({"calcinosis_course": "improved"}, {"ssc"}),
    ({"calcinosis_course": "worse"}, {"dm"}),
    ({"calcinosis_course": "resolved"}, set()),
    ({"calcinosis_course": "stable", "has_follow_up": "true"}, {"ssc"}),
    ({"certainty": "suspected"}, {"dm"}),
    ({"condition": "ssc", "certainty": "suspected"}, {"dm"}),  # the secondary ssc_diffuse
    ({"condition": "ssc", "certainty": "confirmed"}, {"ssc"}),
    ({"condition": "dm", "certainty": "suspected"}, set()),  # the certainty of the same diagnosis
    ({"primary_condition": "ssc", "certainty": "suspected"}, set()),
    ({"primary_condition": "dm", "certainty": "confirmed"}, {"dm"}),
    ({"certainty": "confirmed"}, {"ssc", "sjogren", "dm"}),
]


@pytest.mark.parametrize("params, expected", FILTERS, ids=[str(p) for p, _ in FILTERS])
def test_filter(api, cases, params, expected):
    assert found(api, cases, params) == expected


def test_each_filter_returns_the_same_cases_on_exports_and_statistics(api, cases):
    client = api("curator")
    params = {"agent": "sodium_thiosulfate", "response": "complete"}
    assert client.get("/api/v1/stats/serology/", params).json()["cases"] == 1
    csv_lines = b"".join(client.get("/api/v1/export/cases.csv", params).streaming_content).decode("utf-8-sig")
    assert [line.split(",")[0] for line in csv_lines.splitlines()[1:]] == [cases["dm"].registry_id]


@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("age_at_presentation", ["dm", "ssc", "sjogren"]),
        ("-age_at_presentation", ["sjogren", "ssc", "dm"]),
        ("registry_id", ["ssc", "sjogren", "dm"]),
        ("-registry_id", ["dm", "sjogren", "ssc"]),
        ("-updated_at", ["dm", "sjogren", "ssc"]),
    ],
)
def test_ordering(api, cases, ordering, expected):
    names = {case.registry_id: name for name, case in cases.items()}
    results = api("curator").get("/api/v1/cases/", {"ordering": ordering}).json()["results"]
    assert [names[doc["registry_id"]] for doc in results] == expected


BAD = [
    ({"condition": "sscc"}, "condition", "Unknown code 'sscc'."),
    ({"region": ["hand", "handd"]}, "region", "Unknown code 'handd'."),
    ({"agent": "aspirine"}, "agent", None),
    ({"positive": "anti_xyz"}, "positive", None),
    ({"feature": "raynauds"}, "feature", None),
    ({"site": "nowhere"}, "site", "Unknown site."),
    ({"sex": "f"}, "sex", None),
    ({"status": "done"}, "status", None),
    ({"response": "great"}, "response", None),
    ({"laterality": "up"}, "laterality", None),
    ({"age_min": "abc"}, "age_min", "Enter a whole number."),
    ({"age_max": "200"}, "age_max", None),
    ({"age_min": "4.5"}, "age_min", None),
    ({"duration_min": "ten"}, "duration_min", None),
    ({"duration_max": "NaN"}, "duration_max", None),
    ({"publication_year_min": "20x0"}, "publication_year_min", None),
    ({"updated_since": "yesterday"}, "updated_since", None),
    ({"updated_since": "2024-02-30T00:00:00Z"}, "updated_since", None),
    ({"country": "Turkey"}, "country", None),
    ({"ordering": "name"}, "ordering", None),
    ({"page_size": "0"}, "page_size", None),
    ({"page_size": "501"}, "page_size", None),
    ({"page_size": "many"}, "page_size", None),
    ({"cursor": "not-a-cursor"}, "cursor", None),
    ({"conditon": "ssc"}, "conditon", "Unknown parameter."),
    ({"q": "a\x00b"}, "q", None),
    (
        {"method": "xray"},
        "method",
        "Unknown value 'xray'; one of: radiograph, ct, mri, ultrasound, scintigraphy, clinical_exam, histology.",
    ),
    ({"detected_by": "xray"}, "detected_by", None),
    ({"depth": "deep"}, "depth", None),
    ({"indication": "cancer"}, "indication", None),
    ({"indication": "any"}, "indication", None),  # "any" is the treatment-responses statistic's own
    ({"response_scope": "course"}, "response_scope", None),
    ({"has_follow_up": "maybe"}, "has_follow_up", None),
    ({"calcinosis_course": "better"}, "calcinosis_course", None),
    ({"certainty": "probable"}, "certainty", "Unknown value 'probable'; one of: confirmed, suspected."),
]


@pytest.mark.parametrize("params, name, message", BAD, ids=[str(p) for p, _, _ in BAD])
def test_a_bad_filter_value_is_a_400_naming_the_parameter(api, cases, params, name, message):
    response = api("researcher").get("/api/v1/cases/", params)
    assert response.status_code == 400
    assert name in response.json()
    if message:
        assert message in response.json()[name]


def test_bad_values_are_400s_on_tables_exports_and_statistics_too(api, cases):
    client = api("researcher")
    for path in (
        "/api/v1/serology/",
        "/api/v1/export/cases.csv",
        "/api/v1/export/tables.zip",
        "/api/v1/stats/calcinosis-sites/",
    ):
        response = client.get(path, {"condition": "sscc"})
        assert response.status_code == 400 and response["Content-Type"] == "application/json", path
        assert response.json() == {"condition": ["Unknown code 'sscc'."]}
    assert client.get("/api/v1/diagnoses/", {"is_primary": "maybe"}).status_code == 400
    assert client.get("/api/v1/stats/serology/", {"cursor": "x"}).json() == {"cursor": ["Unknown parameter."]}


def test_another_clinics_site_is_as_unknown_to_a_clinician_as_a_site_that_does_not_exist(api, cases):
    # The cases fixture has cases at clinic-b; clinician A cannot see them, so cannot learn the code is used.
    client = api("clinician_a")
    for path in ("/api/v1/cases/", "/api/v1/serology/", "/api/v1/export/cases.csv", "/api/v1/stats/serology/"):
        answers = [client.get(path, {"site": code}) for code in ("clinic-b", "nowhere")]
        assert [a.status_code for a in answers] == [400, 400], path
        assert [a.json() for a in answers] == [{"site": ["Unknown site."]}] * 2, path
    assert client.get("/api/v1/cases/", {"site": "clinic-a"}).json()["count"] == 2
    # Who reads every case may filter by every site.
    assert api("researcher").get("/api/v1/cases/", {"site": "clinic-b"}).json()["count"] == 1


# ---- the long tables: case filters select the cases, their own columns the rows ----------------


def rows(api, path, params):
    response = api("curator").get(path, params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_treatment_rows_of_the_same_course(api, cases):
    found_rows = rows(api, "/api/v1/treatments/", {"agent": "sodium_thiosulfate", "response": "complete"})
    assert [(r["registry_id"], r["agent"], r["response"]) for r in found_rows] == [
        (cases["dm"].registry_id, "sodium_thiosulfate", "complete")
    ]
    classes = rows(api, "/api/v1/treatments/", {"agent": "bisphosphonate"})
    assert [r["agent"] for r in classes] == ["alendronate"]


def test_site_and_diagnosis_rows_match_below_their_code(api, cases):
    assert sorted(r["region"] for r in rows(api, "/api/v1/calcinosis-sites/", {"region": "upper_limb"})) == [
        "elbow",
        "finger_2",
    ]
    assert sorted(r["condition"] for r in rows(api, "/api/v1/diagnoses/", {"condition": "ssc"})) == [
        "ssc_diffuse",
        "ssc_limited",
    ]
    primaries = rows(api, "/api/v1/diagnoses/", {"is_primary": "true"})
    assert sorted(r["condition"] for r in primaries) == ["dm", "sjogren_primary", "ssc_limited"]


def test_feature_rows_say_present_or_absent_as_asked(api, cases):
    absent = rows(api, "/api/v1/features/", {"feature_absent": "raynaud"})
    assert [(r["registry_id"], r["status"]) for r in absent] == [(cases["dm"].registry_id, "absent")]
    present = rows(api, "/api/v1/features/", {"feature": "raynaud"})
    assert [(r["registry_id"], r["status"]) for r in present] == [(cases["ssc"].registry_id, "present")]
    assert len(rows(api, "/api/v1/features/", {"feature_status": "absent"})) == 2


def test_a_case_filter_selects_the_cases_of_a_table(api, cases):
    serology = rows(api, "/api/v1/serology/", {"primary_condition": "ssc"})
    assert {r["registry_id"] for r in serology} == {cases["ssc"].registry_id}
    assert len(serology) == 2
    centromere = rows(api, "/api/v1/serology/", {"test": "anti_centromere", "result": "positive"})
    assert [r["registry_id"] for r in centromere] == [cases["dm"].registry_id]
    assert len(rows(api, "/api/v1/labs/", {"test": "calcium", "interpretation": "normal"})) == 3


def test_site_rows_seen_by_the_method_and_at_the_depth_asked(api, cases, make_case):
    other = make_case(
        calcinosis_sites=[
            {"region": "finger_3", "laterality": "left", "methods": ["mri"], "depth": "dermal"},
            {"region": "knee", "laterality": "left", "methods": ["ct", "radiograph"], "depth": "subcutaneous"},
        ]
    )
    names = {**{case.registry_id: name for name, case in cases.items()}, other.registry_id: "other"}

    def found_rows(params):
        return sorted((names[r["registry_id"]], r["region"]) for r in rows(api, "/api/v1/calcinosis-sites/", params))

    assert found_rows({"method": "ct"}) == [("dm", "elbow"), ("other", "knee")]
    assert found_rows({"detected_by": "ct"}) == found_rows({"method": "ct"})
    assert found_rows({"method": "radiograph", "detected_by": "ct"}) == [("other", "knee")]
    assert found_rows({"depth": "subcutaneous"}) == [("other", "knee"), ("ssc", "finger_2")]
    assert found_rows({"region": "upper_limb", "method": "mri"}) == [("other", "finger_3")]


def test_treatment_rows_of_the_indication_and_scope_asked(api, cases):
    def agents(params):
        return sorted(r["agent"] for r in rows(api, "/api/v1/treatments/", params))

    assert agents({"indication": "raynaud_vasculopathy"}) == ["diltiazem"]
    assert agents({"response_scope": "regimen"}) == ["colchicine", "diltiazem"]
    assert agents({"agent": "ccb", "indication": "calcinosis"}) == []
    assert agents({"agent": "sodium_thiosulfate", "indication": "calcinosis"}) == [
        "sodium_thiosulfate",
        "sodium_thiosulfate",
    ]


def test_diagnosis_and_assessment_rows_of_the_certainty_and_course_asked(api, cases):
    suspected = rows(api, "/api/v1/diagnoses/", {"certainty": "suspected"})
    assert [(r["registry_id"], r["condition"]) for r in suspected] == [(cases["dm"].registry_id, "ssc_diffuse")]
    confirmed_ssc = rows(api, "/api/v1/diagnoses/", {"condition": "ssc", "certainty": "confirmed"})
    assert [r["condition"] for r in confirmed_ssc] == ["ssc_limited"]

    improved = rows(api, "/api/v1/assessments/", {"calcinosis_course": "improved"})
    assert [(r["registry_id"], float(r["months_from_presentation"])) for r in improved] == [
        (cases["ssc"].registry_id, 6)
    ]
    followed_up = rows(api, "/api/v1/assessments/", {"has_follow_up": "true"})
    assert [r["calcinosis_course"] for r in followed_up] == ["stable", "improved"]  # every visit of those cases


def test_an_empty_value_is_no_filter(api, cases):
    for name in ("method", "depth", "indication", "response_scope", "has_follow_up", "calcinosis_course", "certainty"):
        assert found(api, cases, {name: ""}) == {"ssc", "sjogren", "dm"}, name
