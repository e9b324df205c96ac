"""Every fact of both founding cases, as clinical-v2.md §8 corrects them, read back through the API.

The seeds (``../shared/seeds/``) read from a rheumatologist's point of view: each assertion names the fact
of the report or of §8 it holds. The documents also go back and forth through the API unchanged.
"""

import pytest
from django.contrib.auth import get_user_model
from pghistory.models import Events

from api.tests.conftest import client_with_token
from cases.demo import load_demo
from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def founding():
    load_demo(password="demo-password-for-tests")
    curator = get_user_model().objects.get(username="curator")
    client = client_with_token(curator)
    docs = {}
    for case in Case.objects.filter(site__code="literature"):
        docs[case.local_reference] = client.get(f"/api/v1/cases/{case.registry_id}/").json()
    return docs


def by(rows, key):
    return {row[key]: row for row in rows}


def features(doc, status):
    return {f["feature"] for f in doc["features"] if f["status"] == status}


def test_case_1_systemic_sclerosis_universalis(founding):
    doc = founding["founding-ssc-universalis"]
    assert (doc["site"], doc["source"], doc["publication"]["doi"]) == (
        "literature",
        "literature",
        "10.5336/caserep.2019-65627",
    )
    assert (doc["sex"], doc["age_at_presentation"], doc["country"]) == ("female", 44, "TR")
    assert (doc["consent"], doc["consent_scope"]) == ("verbal", ["publication"])
    assert (doc["calcinosis_etiology"], doc["calcinosis_extent"]) == ("dystrophic", "universalis")

    [diagnosis] = doc["diagnoses"]
    # "suffering diffuse cutaneous Scl for 25 years" at 44: 19 is the age at onset, not at diagnosis (§8).
    assert diagnosis["condition"] == "ssc_diffuse" and diagnosis["is_primary"]
    assert (diagnosis["age_at_onset"], diagnosis["age_at_diagnosis"]) == (19, None)
    assert (diagnosis["duration_years"], diagnosis["duration_basis"]) == (25, "since_onset")
    assert (diagnosis["certainty"], diagnosis["criteria_stated"]) == ("confirmed", [])

    assert features(doc, "present") == {
        "raynaud", "fatigue", "arthralgia", "puffy_fingers", "skin_thickening", "skin_thickening_proximal_mcp",
        "pigmentation_changes", "telangiectasia", "microstomia", "digital_ulcers", "flexion_contractures",
        "acro_osteolysis", "muscle_atrophy", "muscle_weakness", "gerd", "esophageal_dysmotility", "dysphagia", "ild",
        # §8: sclerodactyly (Fig. 1a); healed digital tip ulcers; heel ulcers; exertional dyspnoea; osteoporosis.
        "sclerodactyly", "digital_tip_ulcers", "non_digital_ulcers", "dyspnoea", "osteoporosis",
    }  # fmt: skip
    assert features(doc, "absent") == set()
    feature = by(doc["features"], "feature")
    assert feature["digital_tip_ulcers"]["timing"] == "past"
    assert "heels" in feature["non_digital_ulcers"]["notes"].lower()
    assert "hands and forearms" in feature["skin_thickening_proximal_mcp"]["notes"].lower()

    serology = {s["test"]: (s["result"], s["titer"], s["pattern"]) for s in doc["serology"]}
    assert serology == {
        "ana": ("positive", 320, "nucleolar"),
        "rf": ("positive", None, None),
        "anti_scl70": ("positive", None, None),
        "anti_centromere": ("negative", None, None),
        "anti_dsdna": ("negative", None, None),
        "anti_sm": ("negative", None, None),
        "anti_u1rnp": ("negative", None, None),
    }
    assert doc["labs"] == [] and doc["biopsies"] == [] and doc["assessments"] == []

    sites = sorted((s["region"], s["laterality"], tuple(s["methods"]), s["palpable"]) for s in doc["calcinosis_sites"])
    assert sites == sorted(
        (region, side, ("radiograph",), False)
        for region, side in [
            ("hand", "bilateral"),
            ("elbow", "bilateral"),
            ("hip", "left"),  # the left femoral neck, under the lower limb (§3)
            ("symphysis_pubis", "midline"),
            ("toe", "bilateral"),
            ("sole", "bilateral"),
            ("sternoclavicular", "bilateral"),
            ("costochondral", "bilateral"),
            ("ischial_tuberosity", "unknown"),
        ]
    )
    assert by(doc["calcinosis_sites"], "region")["elbow"]["morphology"] == "tumoral"

    courses = by(doc["treatments"], "agent")
    # §8: what each drug was given for; the one outcome of the six belongs to their regimen, not to any of them.
    assert {agent: course["indication"] for agent, course in courses.items()} == {
        "corticosteroid": "underlying_disease",
        "aspirin": "unclear",
        "ccb": "raynaud_vasculopathy",
        "antacid": "gerd",
        "bisphosphonate": "calcinosis",
        "analgesic": "symptomatic",
    }
    for course in courses.values():
        assert (course["regimen"], course["response_scope"]) == ("A", "regimen")
        assert (course["response"], course["response_basis"]) == ("none", "unstated")
    assert courses["corticosteroid"]["dose"] == "low dose"
    assert doc["quality_issues"] == []


def test_case_2_sjogren_digital(founding):
    doc = founding["founding-sjogren-digital"]
    publication = doc["publication"]
    assert "Dermatologie Praxis 2024; 34(5): 50–51" in publication["citation"] and "Akhila" in publication["citation"]
    # §7/§8: a secondary summary keeps its primary publication.
    assert publication["summarises"] == {"doi": "10.7326/aimcc.2023.1411"}
    assert (doc["sex"], doc["age_at_presentation"], doc["consent"]) == ("female", 56, "not_recorded")

    diagnoses = by(doc["diagnoses"], "condition")
    assert diagnoses["sjogren"]["is_primary"] and diagnoses["sjogren"]["certainty"] == "confirmed"
    assert (diagnoses["sjogren"]["duration_years"], diagnoses["sjogren"]["age_at_diagnosis"]) == (20, 36)
    # §8: monitored for SSc/CREST — a suspected diagnosis, not the primary one.
    assert not diagnoses["ssc"]["is_primary"] and diagnoses["ssc"]["certainty"] == "suspected"

    assert features(doc, "present") == {
        "dry_eyes", "dry_mouth", "dry_eyes_3_months", "dry_mouth_3_months", "thrombocytopenia", "raynaud",
    }  # fmt: skip
    assert {"lymphadenopathy", "telangiectasia", "digital_ulcers", "myositis", "arthritis"} <= features(doc, "absent")
    assert by(doc["features"], "feature")["raynaud"]["timing"] == "past"  # "a history of Raynaud's phenomenon"

    serology = {s["test"]: (s["result"], s["titer"], s["pattern"]) for s in doc["serology"]}
    assert serology == {"ana": ("positive", 160, "nuclear"), "anti_ro_ssa": ("positive", None, None)}
    labs = {lab["test"]: (lab["value"], lab["interpretation"], lab["laterality"]) for lab in doc["labs"]}
    assert labs == {
        "calcium": (None, "normal", None),
        "phosphate": (None, "normal", None),
        "creatinine": (None, "normal", None),
        "crp": (None, "normal", None),
        "ck": (None, "high", None),
        "schirmer": (None, "abnormal", None),  # §8: stays abnormal, without a value or an eye
    }
    biopsies = {(b["tissue"], tuple(b["findings"])) for b in doc["biopsies"]}
    assert biopsies == {("muscle", ()), ("skin", ("no_scleroderma",)), ("calcinosis_lesion", ("calcification",))}

    # §8: each lesion one row with every method that saw it.
    sites = sorted(
        (s["region"], s["laterality"], s["digit_segment"], tuple(sorted(s["methods"])), s["depth"])
        for s in doc["calcinosis_sites"]
    )
    assert sites == [
        ("finger_1", "right", "distal", ("histology", "radiograph"), "unknown"),
        ("finger_4", "right", None, ("histology",), "unknown"),
        ("finger_5", "right", "fingertip", ("clinical_exam", "radiograph"), "subcutaneous"),
    ]
    fingertip = next(s for s in doc["calcinosis_sites"] if s["region"] == "finger_5")
    assert (fingertip["morphology"], fingertip["painful"], fingertip["ulcerated"]) == ("punctate", False, False)

    courses = by(doc["treatments"], "agent")
    assert (courses["hydroxychloroquine"]["indication"], courses["hydroxychloroquine"]["dose"]) == (
        "underlying_disease",
        "200 mg daily",
    )
    # "did not resolve": not complete, which is not "none" (§1, §8).
    assert courses["tretinoin"]["response"] == courses["sodium_thiosulfate"]["response"] == "not_complete"
    assert (courses["tretinoin"]["route"], courses["sodium_thiosulfate"]["route"]) == ("topical", "intradermal")
    assert courses["curettage"]["route"] == "procedure" and courses["curettage"]["response"] == "not_assessed"
    all_sites = sorted(s["id"] for s in doc["calcinosis_sites"])
    assert courses["curettage"]["site_ids"] == all_sites
    assert "CREST" in doc["summary"] and "systemic sclerosis" in doc["summary"]


@pytest.mark.parametrize("reference", ["founding-ssc-universalis", "founding-sjogren-digital"])
def test_each_founding_case_goes_back_and_forth_through_the_api_unchanged(founding, reference):
    doc = founding[reference]
    client = client_with_token(get_user_model().objects.get(username="curator"))
    url = f"/api/v1/cases/{doc['registry_id']}/"
    response = client.put(url, doc, format="json")
    assert response.status_code == 200, response.content
    again = response.json()
    unchanged = {"version", "updated_at"}
    assert {k: v for k, v in again.items() if k not in unchanged} == {
        k: v for k, v in doc.items() if k not in unchanged
    }


def test_loading_twice_changes_nothing(founding):
    before = (Case.objects.count(), Events.objects.count(), get_user_model().objects.count())
    load_demo(password="demo-password-for-tests")
    assert (Case.objects.count(), Events.objects.count(), get_user_model().objects.count()) == before


def test_demo_accounts_have_their_roles(founding):
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["clinician"].check_password("demo-password-for-tests")
    assert Case.objects.visible_to(users["clinician"]).count() == 2
    assert Case.objects.visible_to(users["clinician-b"]).count() == 0
    assert Case.objects.visible_to(users["researcher"]).count() == 2
    assert Case.objects.editable_by(users["researcher"]).count() == 0
    assert users["curator"].is_staff and Case.objects.editable_by(users["curator"]).count() == 2
