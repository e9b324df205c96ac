"""Every fact of both founding cases, as data-model.md lists them, is stored."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from pghistory.models import Events

from cases.demo import load_demo
from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def founding():
    load_demo(password="demo-password-for-tests")
    cases = Case.objects.for_detail().filter(site__code="literature")
    return {c.local_reference: c for c in cases}


def features(case):
    return {f.feature_id: f.status for f in case.features.all()}


def serology(case):
    return {s.test_id: (s.result, s.titer, s.pattern_id) for s in case.serology.all()}


def sorted_rows(rows):
    return sorted(rows, key=str)


def sites(case):
    return sorted_rows(
        (s.region_id, s.laterality, s.digit_segment, s.detected_by, s.morphology, s.palpable, s.painful)
        for s in case.calcinosis_sites.all()
    )


def treatments(case):
    return {t.agent_id: (t.route, t.dose, t.indication, t.response) for t in case.treatments.all()}


def test_systemic_sclerosis_universalis(founding):
    case = founding["founding-ssc-universalis"]
    assert case.site.code == "literature" and case.source == "literature"
    assert case.publication.doi == "10.5336/caserep.2019-65627"
    assert (case.sex, case.age_at_presentation, case.consent) == ("female", 44, "verbal")
    assert case.calcinosis_extent == "universalis"
    primary = case.diagnoses.get(is_primary=True)
    assert (primary.condition_id, primary.duration_years) == ("ssc_diffuse", Decimal("25"))
    assert len(case.diagnoses.all()) == 1
    assert features(case) == dict.fromkeys(
        [
            "raynaud",
            "fatigue",
            "arthralgia",
            "puffy_fingers",
            "skin_thickening",
            "skin_thickening_proximal_mcp",
            "pigmentation_changes",
            "telangiectasia",
            "microstomia",
            "digital_ulcers",
            "flexion_contractures",
            "acro_osteolysis",
            "muscle_atrophy",
            "muscle_weakness",
            "gerd",
            "esophageal_dysmotility",
            "dysphagia",
            "ild",
        ],
        "present",
    )
    assert "hands and forearms" in case.features.get(feature="skin_thickening_proximal_mcp").notes.lower()
    assert serology(case) == {
        "ana": ("positive", 320, "nucleolar"),
        "rf": ("positive", None, None),
        "anti_scl70": ("positive", None, None),
        "anti_centromere": ("negative", None, None),
        "anti_dsdna": ("negative", None, None),
        "anti_sm": ("negative", None, None),
        "anti_u1rnp": ("negative", None, None),
    }
    assert case.serology.get(test="ana").titer == 320  # 1:320
    assert sites(case) == sorted_rows(
        [
            ("hand", "bilateral", None, "radiograph", "unspecified", False, None),
            ("elbow", "bilateral", None, "radiograph", "tumoral", False, None),
            ("hip", "left", None, "radiograph", "unspecified", False, None),
            ("symphysis_pubis", "midline", None, "radiograph", "unspecified", False, None),
            ("toe", "bilateral", None, "radiograph", "unspecified", False, None),
            ("sole", "bilateral", None, "radiograph", "unspecified", False, None),
            ("sternoclavicular", "bilateral", None, "radiograph", "unspecified", False, None),
            ("costochondral", "bilateral", None, "radiograph", "unspecified", False, None),
            ("ischial_tuberosity", "unknown", None, "radiograph", "unspecified", False, None),
        ]
    )
    courses = treatments(case)
    assert set(courses) == {"corticosteroid", "aspirin", "ccb", "antacid", "bisphosphonate", "analgesic"}
    assert {response for *_, response in courses.values()} == {"none"}
    assert courses["corticosteroid"][1] == "low dose"


def test_sjogren_digital(founding):
    case = founding["founding-sjogren-digital"]
    assert case.site.code == "literature" and case.source == "literature"
    assert "Dermatologie Praxis 2024; 34(5): 50–51" in case.publication.citation
    assert "Akhila" in case.publication.citation
    assert (case.sex, case.age_at_presentation) == ("female", 56)
    primary = case.diagnoses.get(is_primary=True)
    assert (primary.condition_id, primary.duration_years) == ("sjogren", Decimal("20"))
    assert features(case) == {
        "dry_eyes": "present",
        "dry_mouth": "present",
        "thrombocytopenia": "present",
        "raynaud": "present",
        "telangiectasia": "absent",
        "digital_ulcers": "absent",
        "myositis": "absent",
        "arthritis": "absent",
    }
    assert "autoimmune" in case.features.get(feature="thrombocytopenia").notes
    assert "biopsy" in case.features.get(feature="myositis").notes
    assert serology(case) == {"ana": ("positive", 160, "nuclear"), "anti_ro_ssa": ("positive", None, None)}
    labs = {lab.test_id: (lab.value, lab.interpretation) for lab in case.labs.all()}
    assert labs == {
        "calcium": (None, "normal"),
        "phosphate": (None, "normal"),
        "creatinine": (None, "normal"),
        "crp": (None, "normal"),
        "ck": (None, "high"),
        "schirmer": (None, "abnormal"),
    }
    assert sites(case) == sorted_rows(
        [
            ("finger_5", "right", "fingertip", "clinical_exam", "punctate", None, False),
            ("finger_1", "right", "distal", "radiograph", "unspecified", None, None),
            ("finger_5", "right", "distal", "radiograph", "unspecified", None, None),
            ("finger_1", "right", None, "histology", "unspecified", None, None),
            ("finger_4", "right", None, "histology", "unspecified", None, None),
        ]
    )
    assert all(
        "consistent with calcinosis" in s.notes for s in case.calcinosis_sites.all() if s.detected_by == "histology"
    )
    assert treatments(case) == {
        "hydroxychloroquine": ("oral", "200 mg daily", "underlying_disease", "not_assessed"),
        "tretinoin": ("topical", "", "calcinosis", "none"),
        "sodium_thiosulfate": ("intradermal", "", "calcinosis", "none"),
        "curettage": ("procedure", "", "calcinosis", "not_assessed"),
    }
    curettage = case.treatments.get(agent="curettage")
    assert {s.region_id for s in curettage.sites.all()} == {"finger_1", "finger_4", "finger_5"}
    assert "CREST" in case.summary and "systemic sclerosis" in case.summary


def test_loading_twice_changes_nothing(founding):
    before = (Case.objects.count(), Events.objects.count(), get_user_model().objects.count())
    load_demo(password="demo-password-for-tests")
    assert (Case.objects.count(), Events.objects.count(), get_user_model().objects.count()) == before


def test_demo_accounts_have_their_roles(founding):
    from cases.models import Case as C

    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["clinician"].check_password("demo-password-for-tests")
    assert C.objects.visible_to(users["clinician"]).count() == 2
    assert C.objects.visible_to(users["clinician-b"]).count() == 0
    assert C.objects.visible_to(users["researcher"]).count() == 2
    assert C.objects.editable_by(users["researcher"]).count() == 0
    assert users["curator"].is_staff and C.objects.editable_by(users["curator"]).count() == 2
