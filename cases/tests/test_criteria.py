"""The four classification criteria sets, computed from case documents: every item of the published point
tables, each domain's "highest only" rule, the thresholds at their edges, unknown against absent, the entry
and exclusion rules, and the two founding cases as clinical-v2 §8 states them.

The points below are copied from the published tables (domain.md §3), not from the definitions, so a wrong
weight in a definition fails here.
"""

from decimal import Decimal

import pytest

from cases.criteria import SETS, evaluate, evaluate_set

SSC, SJOGREN, SLE, IIM = "acr_eular_2013_ssc", "acr_eular_2016_sjogren", "eular_acr_2019_sle", "eular_acr_2017_iim"
D = Decimal


# Case documents, in the API's shape --------------------------------------------------------------------


def present(*codes, **extra):
    return {"features": [{"feature": code, "status": "present", **extra} for code in codes]}


def absent(*codes):
    return {"features": [{"feature": code, "status": "absent"} for code in codes]}


def unknown(*codes):
    return {"features": [{"feature": code, "status": "unknown"} for code in codes]}


def serology(test, result="positive", **extra):
    return {"serology": [{"test": test, "result": result, **extra}]}


def negative(*tests):
    return {"serology": [{"test": test, "result": "negative"} for test in tests]}


def lab(test, value=None, interpretation="", laterality=None):
    return {
        "labs": [{"test": test, "value_canonical": value, "interpretation": interpretation, "laterality": laterality}]
    }


def biopsy(tissue, *findings, focus_score=None):
    return {"biopsies": [{"tissue": tissue, "findings": list(findings), "focus_score": focus_score}]}


def diagnosis(condition="dm", age_at_onset=None, is_primary=True):
    return {"diagnoses": [{"condition": condition, "is_primary": is_primary, "age_at_onset": age_at_onset}]}


def case(*parts):
    """One document from fragments. A later feature, serology or lab row of the same code replaces an
    earlier one, and later diagnoses replace earlier ones, so a fragment can turn one item of an all-absent
    case present."""
    keys = {"features": "feature", "serology": "test", "labs": "test"}
    document = {"diagnoses": [], "features": [], "serology": [], "labs": [], "biopsies": []}
    for part in parts:
        for name, rows in part.items():
            if name == "diagnoses":
                document[name] = []
            elif name in keys:
                replaced = {row[keys[name]] for row in rows}
                document[name] = [row for row in document[name] if row[keys[name]] not in replaced]
            document[name] = document[name] + rows
    return document


def item(result, code):
    return next(row for row in result["items"] if row["item"] == code)


def rule(result, code):
    return next(row for row in result["entry"] if row["rule"] == code)


# Every item of each set recorded absent, for the threshold edges.
SSC_FEATURES = (
    "skin_thickening_proximal_mcp", "puffy_fingers", "sclerodactyly", "digital_tip_ulcers", "pitting_scars",
    "telangiectasia", "abnormal_nailfold_capillaries", "pah", "ild", "raynaud",
)  # fmt: skip
# The ANA too: a centromere pattern on it would be the anticentromere item.
SSC_NONE = case(absent(*SSC_FEATURES), negative("anti_centromere", "anti_scl70", "anti_rnapol3", "ana"))
SLE_CLINICAL_FEATURES = (
    "fever", "leukopenia", "thrombocytopenia", "autoimmune_haemolysis", "delirium", "psychosis", "seizure",
    "alopecia_nonscarring", "oral_ulcers", "subacute_cutaneous_lupus", "discoid_lupus", "acute_cutaneous_lupus",
    "pleural_effusion", "pericardial_effusion", "acute_pericarditis", "arthritis",
)  # fmt: skip
SLE_NO_CLINICAL = case(absent(*SLE_CLINICAL_FEATURES), lab("urine_protein_24h", "0.2"), biopsy("kidney"))
SLE_NO_IMMUNOLOGY = case(
    negative("anticardiolipin", "anti_b2gp1", "lupus_anticoagulant", "anti_dsdna", "anti_sm"),
    lab("c3", interpretation="normal"),
    lab("c4", interpretation="normal"),
)
ANA_1_80 = serology("ana", titer=80, pattern="ac1")
SJOGREN_NONE = case(
    biopsy("labial_salivary_gland", focus_score="0"),
    negative("anti_ro_ssa"),
    lab("ocular_staining_score", "2"),
    lab("schirmer", "15"),
    lab("salivary_flow_unstimulated", "0.5"),
)
SICCA_3_MONTHS = present("dry_eyes_3_months")
IIM_FEATURES = (
    "proximal_weakness_upper", "proximal_weakness_lower", "neck_flexor_weakness", "proximal_gt_distal_weakness_legs",
    "heliotrope_rash", "gottron_papules", "gottron_sign", "dysphagia", "esophageal_dysmotility",
)  # fmt: skip
# Onset at 12 scores nothing, so the age is recorded and absent from the score.
IIM_NONE = case(
    diagnosis("jdm", age_at_onset=12),
    absent(*IIM_FEATURES),
    negative("anti_jo1"),
    *(lab(test, interpretation="normal") for test in ("ck", "ldh", "ast", "alt")),
)
MUSCLE_BIOPSY = biopsy("muscle")


# Every item of the published tables gives its points --------------------------------------------------

SSC_TABLE = [
    ("skin_thickening_proximal_mcp", present("skin_thickening_proximal_mcp"), 9),
    ("puffy_fingers", present("puffy_fingers"), 2),
    ("sclerodactyly", present("sclerodactyly"), 4),
    ("digital_tip_ulcers", present("digital_tip_ulcers"), 2),
    ("pitting_scars", present("pitting_scars"), 3),
    ("telangiectasia", present("telangiectasia"), 2),
    ("abnormal_nailfold_capillaries", present("abnormal_nailfold_capillaries"), 2),
    ("pah", present("pah"), 2),
    ("ild", present("ild"), 2),
    ("raynaud", present("raynaud"), 3),
    ("anti_centromere", serology("anti_centromere"), 3),
    ("anti_centromere", serology("ana", titer=640, pattern="ac3"), 3),
    ("anti_scl70", serology("anti_scl70"), 3),
    ("anti_rnapol3", serology("anti_rnapol3"), 3),
]
SJOGREN_TABLE = [
    (
        "labial_gland_focus_score",
        biopsy("labial_salivary_gland", "focal_lymphocytic_sialadenitis", focus_score="1"),
        3,
    ),
    ("anti_ro_ssa", serology("anti_ro_ssa"), 3),
    ("ocular_staining_score", lab("ocular_staining_score", "5", laterality="right"), 1),
    ("schirmer", lab("schirmer", "5", laterality="left"), 1),
    ("schirmer", lab("schirmer", interpretation="abnormal"), 1),
    ("unstimulated_salivary_flow", lab("salivary_flow_unstimulated", "0.1"), 1),
]
SLE_TABLE = [
    ("fever", present("fever"), 2),
    ("leukopenia", present("leukopenia"), 3),
    ("thrombocytopenia", present("thrombocytopenia"), 4),
    ("autoimmune_haemolysis", present("autoimmune_haemolysis"), 4),
    ("delirium", present("delirium"), 2),
    ("psychosis", present("psychosis"), 3),
    ("seizure", present("seizure"), 5),
    ("alopecia_nonscarring", present("alopecia_nonscarring"), 2),
    ("oral_ulcers", present("oral_ulcers"), 2),
    ("subacute_cutaneous_or_discoid_lupus", present("subacute_cutaneous_lupus"), 4),
    ("subacute_cutaneous_or_discoid_lupus", present("discoid_lupus"), 4),
    ("acute_cutaneous_lupus", present("acute_cutaneous_lupus"), 6),
    ("pleural_or_pericardial_effusion", present("pleural_effusion"), 5),
    ("pleural_or_pericardial_effusion", present("pericardial_effusion"), 5),
    ("acute_pericarditis", present("acute_pericarditis"), 6),
    ("joint_involvement", present("arthritis"), 6),
    ("proteinuria", lab("urine_protein_24h", "0.6"), 4),
    ("lupus_nephritis_class_2_or_5", biopsy("kidney", "lupus_nephritis_class_2"), 8),
    ("lupus_nephritis_class_2_or_5", biopsy("kidney", "lupus_nephritis_class_5"), 8),
    ("lupus_nephritis_class_3_or_4", biopsy("kidney", "lupus_nephritis_class_3"), 10),
    ("lupus_nephritis_class_3_or_4", biopsy("kidney", "lupus_nephritis_class_4"), 10),
    ("antiphospholipid_antibodies", serology("anticardiolipin", value="41", unit="[GPL'U]/mL"), 2),
    ("antiphospholipid_antibodies", serology("anti_b2gp1"), 2),
    ("antiphospholipid_antibodies", serology("lupus_anticoagulant"), 2),
    ("low_c3_or_c4", lab("c3", interpretation="low"), 3),
    ("low_c3_or_c4", lab("c4", interpretation="low"), 3),
    ("low_c3_and_c4", case(lab("c3", interpretation="low"), lab("c4", interpretation="low")), 4),
    ("anti_dsdna_or_anti_sm", serology("anti_dsdna"), 6),
    ("anti_dsdna_or_anti_sm", serology("anti_sm"), 6),
]
# (item, evidence present, points without muscle biopsy, points with muscle biopsy)
IIM_TABLE = [
    ("onset_age_18_to_40", diagnosis(age_at_onset=18), D("1.3"), D("1.5")),
    ("onset_age_18_to_40", diagnosis(age_at_onset=39), D("1.3"), D("1.5")),
    ("onset_age_40_or_more", diagnosis(age_at_onset=40), D("2.1"), D("2.2")),
    ("proximal_weakness_upper", present("proximal_weakness_upper"), D("0.7"), D("0.7")),
    ("proximal_weakness_lower", present("proximal_weakness_lower"), D("0.8"), D("0.5")),
    ("neck_flexor_weakness", present("neck_flexor_weakness"), D("1.9"), D("1.6")),
    ("proximal_gt_distal_weakness_legs", present("proximal_gt_distal_weakness_legs"), D("0.9"), D("1.2")),
    ("heliotrope_rash", present("heliotrope_rash"), D("3.1"), D("3.2")),
    ("gottron_papules", present("gottron_papules"), D("2.1"), D("2.7")),
    ("gottron_sign", present("gottron_sign"), D("3.3"), D("3.7")),
    ("dysphagia_or_esophageal_dysmotility", present("dysphagia"), D("0.7"), D("0.6")),
    ("dysphagia_or_esophageal_dysmotility", present("esophageal_dysmotility"), D("0.7"), D("0.6")),
    ("anti_jo1", serology("anti_jo1"), D("3.9"), D("3.8")),
    ("raised_muscle_enzymes", lab("ck", interpretation="high"), D("1.3"), D("1.4")),
    ("raised_muscle_enzymes", lab("ldh", interpretation="high"), D("1.3"), D("1.4")),
    ("raised_muscle_enzymes", lab("ast", interpretation="high"), D("1.3"), D("1.4")),
    ("raised_muscle_enzymes", lab("alt", interpretation="high"), D("1.3"), D("1.4")),
]
IIM_BIOPSY_TABLE = [
    ("endomysial_infiltrate", D("1.7")),
    ("perimysial_perivascular_infiltrate", D("1.2")),
    ("perifascicular_atrophy", D("1.9")),
    ("rimmed_vacuoles", D("3.1")),
]


@pytest.mark.parametrize(
    ("code", "table"),
    [
        (SSC, SSC_TABLE),
        (SJOGREN, SJOGREN_TABLE),
        (SLE, SLE_TABLE),
        (IIM, IIM_TABLE + IIM_BIOPSY_TABLE),
    ],
)
def test_the_tables_cover_every_item_of_the_set(code, table):
    assert {row[0] for row in table} == {item.code for item in SETS[code].items}


@pytest.mark.parametrize(
    ("code", "item_code", "evidence", "points"),
    [(SSC, *row) for row in SSC_TABLE]
    + [(SJOGREN, *row) for row in SJOGREN_TABLE]
    + [(SLE, *row) for row in SLE_TABLE],
)
def test_an_item_present_gives_its_points(code, item_code, evidence, points):
    result = evaluate_set(code, case(evidence))
    assert item(result, item_code)["state"] == "present"
    assert item(result, item_code)["points"] == points
    assert result["score"] == points


@pytest.mark.parametrize(("item_code", "evidence", "without_biopsy", "with_biopsy"), IIM_TABLE)
def test_an_iim_item_present_gives_its_points_without_and_with_muscle_biopsy(
    item_code, evidence, without_biopsy, with_biopsy
):
    without = evaluate_set(IIM, case(IIM_NONE, evidence))
    assert (item(without, item_code)["state"], item(without, item_code)["points"]) == ("present", without_biopsy)
    assert without["score"] == without_biopsy
    with_ = evaluate_set(IIM, case(IIM_NONE, evidence, MUSCLE_BIOPSY))
    assert (item(with_, item_code)["points"], with_["score"]) == (with_biopsy, with_biopsy)


@pytest.mark.parametrize(("finding", "points"), IIM_BIOPSY_TABLE)
def test_a_muscle_biopsy_finding_gives_its_points(finding, points):
    result = evaluate_set(IIM, case(IIM_NONE, biopsy("muscle", finding)))
    assert item(result, finding)["state"] == "present"
    assert item(result, finding)["evidence"] == ["biopsy:muscle"]
    assert result["score"] == points


def test_without_a_muscle_biopsy_the_biopsy_items_have_no_weight():
    result = evaluate_set(IIM, IIM_NONE)
    assert not {row["item"] for row in result["items"]} & {finding for finding, _ in IIM_BIOPSY_TABLE}
    assert (result["threshold"], result["max_possible"]) == (D("5.5"), D("0"))
    recorded = evaluate_set(IIM, case(IIM_NONE, MUSCLE_BIOPSY))
    assert {item(recorded, finding)["state"] for finding, _ in IIM_BIOPSY_TABLE} == {"absent"}
    assert recorded["threshold"] == D("6.7")


# Only the highest item of a domain counts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "evidence", "score"),
    [
        (SSC, present("puffy_fingers", "sclerodactyly"), 4),
        (SSC, present("digital_tip_ulcers", "pitting_scars"), 3),
        (SSC, present("pah", "ild"), 2),
        (SSC, case(serology("anti_centromere"), serology("anti_scl70"), serology("anti_rnapol3")), 3),
        (SLE, present("leukopenia", "thrombocytopenia", "autoimmune_haemolysis"), 4),
        (SLE, present("delirium", "psychosis", "seizure"), 5),
        (SLE, present("alopecia_nonscarring", "oral_ulcers", "discoid_lupus", "acute_cutaneous_lupus"), 6),
        (SLE, present("pleural_effusion", "pericardial_effusion", "acute_pericarditis"), 6),
        (
            SLE,
            case(lab("urine_protein_24h", "3"), biopsy("kidney", "lupus_nephritis_class_5", "lupus_nephritis_class_4")),
            10,
        ),
        (SLE, case(serology("anticardiolipin", value="80"), serology("lupus_anticoagulant")), 2),
        (SLE, case(lab("c3", interpretation="low"), lab("c4", interpretation="low")), 4),
        (SLE, case(serology("anti_dsdna"), serology("anti_sm")), 6),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_only_the_highest_item_of_a_domain_counts(code, evidence, score):
    assert evaluate_set(code, case(evidence))["score"] == score


def test_ssc_skin_proximal_to_the_mcps_is_a_domain_of_its_own_and_the_maximum_is_28():
    result = evaluate_set(SSC, case(present("skin_thickening_proximal_mcp", "sclerodactyly")))
    assert result["score"] == 13
    everything = case(present(*SSC_FEATURES), serology("anti_centromere"), serology("anti_scl70"))
    assert evaluate_set(SSC, everything)["score"] == 28
    assert evaluate_set(SSC, {})["max_possible"] == 28


def test_sjogren_items_each_count_and_the_maximum_is_9():
    everything = case(*(evidence for _, evidence, _ in SJOGREN_TABLE))
    assert evaluate_set(SJOGREN, everything)["score"] == 9
    assert evaluate_set(SJOGREN, {})["max_possible"] == 9


def test_iim_items_add_up_but_the_age_bands_exclude_each_other():
    weakness = present("proximal_weakness_upper", "proximal_weakness_lower", "neck_flexor_weakness")
    assert evaluate_set(IIM, case(IIM_NONE, weakness))["score"] == D("3.4")
    unknown_age = evaluate_set(IIM, case(IIM_NONE, diagnosis("dm", age_at_onset=None)))
    assert {item(unknown_age, code)["state"] for code in ("onset_age_18_to_40", "onset_age_40_or_more")} == {"unknown"}
    assert unknown_age["max_possible"] == D("2.1")


# Thresholds at their edges ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "document", "score", "status"),
    [
        (SSC, case(SSC_NONE, present("sclerodactyly", "telangiectasia", "abnormal_nailfold_capillaries")), 8, "not_met"),
        (SSC, case(SSC_NONE, present("raynaud", "sclerodactyly", "telangiectasia")), 9, "met"),
        (SSC, case(SSC_NONE, present("skin_thickening_proximal_mcp")), 9, "met"),
        (SJOGREN, case(SJOGREN_NONE, SICCA_3_MONTHS, serology("anti_ro_ssa")), 3, "not_met"),
        (SJOGREN, case(SJOGREN_NONE, SICCA_3_MONTHS, serology("anti_ro_ssa"), lab("schirmer", "4")), 4, "met"),
        (SLE, case(SLE_NO_CLINICAL, SLE_NO_IMMUNOLOGY, ANA_1_80, present("arthritis"), lab("c3", interpretation="low")), 9, "not_met"),
        (
            SLE,
            case(SLE_NO_CLINICAL, SLE_NO_IMMUNOLOGY, ANA_1_80, present("arthritis"),
                 lab("c3", interpretation="low"), lab("c4", interpretation="low")),
            10,
            "met",
        ),
    ],
)  # fmt: skip
def test_the_threshold_is_met_at_its_edge_and_not_below(code, document, score, status):
    result = evaluate_set(code, document)
    assert (result["score"], result["max_possible"], result["status"]) == (score, score, status)
    assert result["threshold"] == {SSC: 9, SJOGREN: 4, SLE: 10}[code]


def iim_case(*present_items, age=None, findings=None):
    """An IIM case with every item recorded, present only for ``present_items``."""
    codes = [code for code in present_items if code in IIM_FEATURES]
    parts = [IIM_NONE, present(*codes)]
    if age is not None:
        parts.append(diagnosis("dm", age_at_onset=age))
    if "anti_jo1" in present_items:
        parts.append(serology("anti_jo1"))
    if "enzymes" in present_items:
        parts.append(lab("ck", interpretation="high"))
    if findings is not None:
        parts.append(biopsy("muscle", *findings))
    return case(*parts)


@pytest.mark.parametrize(
    ("document", "score", "category", "status"),
    [
        (iim_case("heliotrope_rash", age=45), D("5.2"), "not_iim", "not_met"),
        (iim_case("heliotrope_rash", "proximal_gt_distal_weakness_legs", age=25), D("5.3"), "possible", "not_met"),
        (
            iim_case("heliotrope_rash", "proximal_weakness_upper", "proximal_gt_distal_weakness_legs", "dysphagia"),
            D("5.4"),
            "possible",
            "not_met",
        ),
        (
            iim_case("heliotrope_rash", "proximal_weakness_upper", "proximal_weakness_lower", "proximal_gt_distal_weakness_legs"),
            D("5.5"),
            "probable",
            "met",
        ),
        (iim_case("heliotrope_rash", "gottron_papules", "proximal_gt_distal_weakness_legs", age=30), D("7.4"), "probable", "met"),
        # 2.1 + 0.7 + 1.9 + 2.1 + 0.7: in binary floats 7.499999999999999, which would read "probable".
        (
            iim_case("gottron_papules", "proximal_weakness_upper", "neck_flexor_weakness", "dysphagia", age=40),
            D("7.5"),
            "definite",
            "met",
        ),
    ],
)  # fmt: skip
def test_iim_bands_without_muscle_biopsy(document, score, category, status):
    result = evaluate_set(IIM, document)
    assert (result["score"], result["category"], result["status"], result["threshold"]) == (
        score,
        category,
        status,
        D("5.5"),
    )
    assert isinstance(result["score"], Decimal) and isinstance(result["max_possible"], Decimal)


@pytest.mark.parametrize(
    ("document", "score", "category", "status"),
    [
        # The bands without biopsy do not apply: 5.5 with a muscle biopsy is not IIM.
        (iim_case("heliotrope_rash", "proximal_weakness_upper", "proximal_gt_distal_weakness_legs", findings=[]), D("5.1"), "not_iim", "not_met"),
        (iim_case("heliotrope_rash", age=25, findings=["endomysial_infiltrate"]), D("6.4"), "not_iim", "not_met"),
        (iim_case("heliotrope_rash", "neck_flexor_weakness", findings=["endomysial_infiltrate"]), D("6.5"), "possible", "not_met"),
        (iim_case("heliotrope_rash", age=25, findings=["perifascicular_atrophy"]), D("6.6"), "possible", "not_met"),
        (iim_case("heliotrope_rash", "neck_flexor_weakness", findings=["perifascicular_atrophy"]), D("6.7"), "probable", "met"),
        (iim_case("heliotrope_rash", "neck_flexor_weakness", "anti_jo1", findings=[]), D("8.6"), "probable", "met"),
        (iim_case("heliotrope_rash", "anti_jo1", findings=["endomysial_infiltrate"]), D("8.7"), "definite", "met"),
        # No rash: the muscle biopsy is what the published rule asks for.
        (iim_case("anti_jo1", "enzymes", age=25, findings=[]), D("6.7"), "probable", "met"),
    ],
)  # fmt: skip
def test_iim_bands_with_muscle_biopsy(document, score, category, status):
    result = evaluate_set(IIM, document)
    assert (result["score"], result["category"], result["status"], result["threshold"]) == (
        score,
        category,
        status,
        D("6.7"),
    )


def test_iim_probable_without_rash_or_muscle_biopsy_is_at_most_indeterminate():
    # Anti-Jo-1 3.9 + weakness 0.7 + 0.9: probable (5.5), no rash, no biopsy.
    document = iim_case("anti_jo1", "proximal_weakness_upper", "proximal_gt_distal_weakness_legs")
    result = evaluate_set(IIM, document)
    assert (result["score"], result["category"], result["status"]) == (D("5.5"), "probable", "indeterminate")
    assert rule(result, "rash_or_muscle_biopsy")["state"] == "unknown"
    assert {
        "rule": "rash_or_muscle_biopsy",
        "label": rule(result, "rash_or_muscle_biopsy")["label"],
        "could_become": ["met"],
    } in result["could_change"]


def test_iim_decimal_weights_add_exactly():
    document = iim_case("gottron_papules", "proximal_weakness_upper", "neck_flexor_weakness", "dysphagia", age=52)
    assert evaluate_set(IIM, document)["score"] == D("7.5")
    assert str(evaluate_set(IIM, document)["score"]) == "7.5"


def test_iim_reads_the_age_at_onset_of_the_myositis_diagnosis():
    def age_item(*diagnoses):
        result = evaluate_set(IIM, {"diagnoses": list(diagnoses)})
        return [row["item"] for row in result["items"] if row["state"] == "present" and row["item"].startswith("onset")]

    primary_ssc = {"condition": "ssc", "is_primary": True, "age_at_onset": 19}
    dm_later = {"condition": "dm", "is_primary": False, "age_at_onset": 50}
    assert age_item(primary_ssc, dm_later) == ["onset_age_40_or_more"]
    assert age_item(primary_ssc) == ["onset_age_18_to_40"]
    assert age_item({"condition": "pm", "is_primary": True, "age_at_onset": "17"}, dm_later) == []
    assert age_item({"condition": "jdm", "is_primary": False, "age_at_onset": 8}, dm_later) == []


# Unknown is not absent -----------------------------------------------------------------------------------


def test_ssc_unrecorded_items_leave_it_indeterminate_recorded_absent_makes_it_not_met():
    just_raynaud = evaluate_set(SSC, case(present("raynaud")))
    assert (just_raynaud["score"], just_raynaud["max_possible"], just_raynaud["status"]) == (3, 28, "indeterminate")
    recorded = evaluate_set(SSC, case(SSC_NONE, present("raynaud")))
    assert (recorded["score"], recorded["max_possible"], recorded["status"]) == (3, 3, "not_met")
    recorded_unknown = evaluate_set(SSC, case(SSC_NONE, present("raynaud"), unknown("skin_thickening_proximal_mcp")))
    assert recorded_unknown["status"] == "indeterminate"
    assert item(recorded_unknown, "skin_thickening_proximal_mcp")["evidence"] == [
        "feature:skin_thickening_proximal_mcp"
    ]


def test_ssc_any_digital_ulcer_is_not_evidence_of_digital_tip_ulcers():
    result = evaluate_set(SSC, case(present("digital_ulcers")))
    assert (item(result, "digital_tip_ulcers")["state"], result["score"]) == ("unknown", 0)


@pytest.mark.parametrize(
    ("pattern", "state"),
    [("ac3", "present"), ("nuclear", "unknown"), ("", "unknown"), ("ac8", "absent"), ("nucleolar", "absent")],
)
def test_ssc_centromere_pattern_on_ana(pattern, state):
    result = evaluate_set(SSC, case(negative("anti_centromere"), serology("ana", titer=320, pattern=pattern)))
    assert item(result, "anti_centromere")["state"] == state


@pytest.mark.parametrize(
    ("rows", "state"),
    [
        ([lab("schirmer", "8", laterality="left")], "unknown"),  # the right eye may still be ≤ 5 mm
        ([lab("schirmer", "8", laterality="left"), lab("schirmer", "9", laterality="right")], "absent"),
        ([lab("schirmer", "8", laterality="left"), lab("schirmer", "5", laterality="right")], "present"),
        ([lab("schirmer", 12)], "absent"),
        ([lab("schirmer", 4.5, laterality="unknown")], "present"),
        ([lab("schirmer", interpretation="normal")], "absent"),
        ([lab("schirmer", interpretation="")], "unknown"),
    ],
)
def test_sjogren_schirmer_is_read_per_eye(rows, state):
    # The case() helper would merge two schirmer rows into one: these rows are laid side by side.
    document = {"labs": [row for part in rows for row in part["labs"]]}
    assert item(evaluate_set(SJOGREN, document), "schirmer")["state"] == state


@pytest.mark.parametrize(
    ("evidence", "state"),
    [
        (biopsy("labial_salivary_gland", "focal_lymphocytic_sialadenitis", focus_score="0.9"), "absent"),
        (biopsy("labial_salivary_gland", "focal_lymphocytic_sialadenitis", focus_score=3), "present"),
        (biopsy("labial_salivary_gland", "focal_lymphocytic_sialadenitis"), "unknown"),
        (biopsy("labial_salivary_gland", focus_score="2"), "unknown"),
        (biopsy("labial_salivary_gland"), "absent"),
        (biopsy("muscle", "focal_lymphocytic_sialadenitis", focus_score="2"), "unknown"),
    ],
)
def test_sjogren_focus_score_item(evidence, state):
    assert item(evaluate_set(SJOGREN, case(evidence)), "labial_gland_focus_score")["state"] == state


@pytest.mark.parametrize(
    ("evidence", "state"),
    [
        (serology("anticardiolipin", value="40.1"), "present"),
        (serology("anticardiolipin", value=40), "absent"),  # low titre
        (serology("anticardiolipin"), "unknown"),  # positive, titre not recorded
        (negative("anticardiolipin"), "absent"),
        ({}, "unknown"),
    ],
)
def test_sle_antiphospholipid_item(evidence, state):
    others_negative = negative("anti_b2gp1", "lupus_anticoagulant")
    result = evaluate_set(SLE, case(others_negative, evidence))
    assert item(result, "antiphospholipid_antibodies")["state"] == state


@pytest.mark.parametrize(
    ("evidence", "state"),
    [
        (case(*(lab(test, interpretation="normal") for test in ("ck", "ldh", "ast", "alt"))), "absent"),
        (case(*(lab(test, interpretation="normal") for test in ("ck", "ldh", "ast"))), "unknown"),
        (lab("ck", value="900", interpretation=""), "unknown"),  # no reference range is stored
        (lab("alt", interpretation="high"), "present"),
    ],
)
def test_iim_muscle_enzymes_item(evidence, state):
    assert item(evaluate_set(IIM, case(evidence)), "raised_muscle_enzymes")["state"] == state


def test_sle_joint_involvement_is_arthritis_not_arthralgia():
    result = evaluate_set(SLE, case(present("arthralgia")))
    assert item(result, "joint_involvement")["state"] == "unknown"


# Entry and exclusion rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ana_rows", "entry", "status"),
    [
        ([{"test": "ana", "result": "positive", "titer": 80}], "present", "met"),
        ([{"test": "ana", "result": "positive", "titer": "1280", "pattern": "ac1"}], "present", "met"),
        ([{"test": "ana", "result": "positive", "titer": 40}], "absent", "not_met"),
        ([{"test": "ana", "result": "negative"}], "absent", "not_met"),
        ([{"test": "ana", "result": "positive", "titer": 40}, {"test": "ana", "result": "positive", "titer": 160}], "present", "met"),
        ([{"test": "ana", "result": "positive", "titer": 40}, {"test": "ana", "result": "negative"}], "absent", "not_met"),
        ([{"test": "ana", "result": "positive"}], "unknown", "indeterminate"),
        ([{"test": "ana", "result": "not_done"}], "unknown", "indeterminate"),
        ([], "unknown", "indeterminate"),
    ],
)  # fmt: skip
def test_sle_needs_ana_at_1_80_or_more(ana_rows, entry, status):
    document = case(present("arthritis"), serology("anti_dsdna"))  # 12 points
    document["serology"] += ana_rows
    result = evaluate_set(SLE, document)
    assert result["score"] == 12
    assert (rule(result, "ana_1_80")["state"], result["status"]) == (entry, status)


def test_sle_needs_at_least_one_clinical_item():
    immunology_only = case(ANA_1_80, serology("anti_dsdna"), serology("lupus_anticoagulant"),
                           lab("c3", interpretation="low"), lab("c4", interpretation="low"))  # fmt: skip
    unrecorded = evaluate_set(SLE, immunology_only)
    assert (unrecorded["score"], rule(unrecorded, "clinical_item")["state"], unrecorded["status"]) == (
        12,
        "unknown",
        "indeterminate",
    )
    none_present = evaluate_set(SLE, case(immunology_only, SLE_NO_CLINICAL))
    assert (rule(none_present, "clinical_item")["state"], none_present["status"]) == ("absent", "not_met")
    with_fever = evaluate_set(SLE, case(immunology_only, present("fever")))
    assert (rule(with_fever, "clinical_item")["state"], with_fever["status"]) == ("present", "met")


SJOGREN_FOUR_POINTS = case(serology("anti_ro_ssa"), lab("schirmer", interpretation="abnormal"))


@pytest.mark.parametrize(
    ("inclusion", "status"),
    [
        (present("dry_eyes_3_months"), "met"),
        (present("dry_mouth_3_months"), "met"),
        (case(absent("dry_eyes_3_months"), unknown("dry_mouth_3_months")), "indeterminate"),
        (absent("dry_eyes_3_months", "dry_mouth_3_months"), "not_met"),
        (present("dry_eyes", "dry_mouth"), "indeterminate"),  # no duration: not the inclusion item
    ],
)
def test_sjogren_inclusion(inclusion, status):
    assert evaluate_set(SJOGREN, case(SJOGREN_FOUR_POINTS, inclusion))["status"] == status


@pytest.mark.parametrize(
    ("exclusion", "status"),
    [(present("sicca_exclusion"), "not_met"), (unknown("sicca_exclusion"), "met"), (absent("sicca_exclusion"), "met"), ({}, "met")],
)  # fmt: skip
def test_sjogren_exclusion_recorded_present_is_not_met_unknown_does_not_block(exclusion, status):
    result = evaluate_set(SJOGREN, case(SJOGREN_FOUR_POINTS, SICCA_3_MONTHS, exclusion))
    assert result["status"] == status
    assert rule(result, "sicca_exclusion")["kind"] == "exclusion"


# What could change the status ------------------------------------------------------------------------


def test_could_change_names_the_unknown_items_that_could_make_it_met():
    result = evaluate_set(SJOGREN, case(SICCA_3_MONTHS, serology("anti_ro_ssa"), absent("sicca_exclusion")))
    assert (result["score"], result["status"]) == (3, "indeterminate")
    assert {change["item"]: change["could_become"] for change in result["could_change"]} == {
        "labial_gland_focus_score": ["met"],
        "ocular_staining_score": ["met"],
        "schirmer": ["met"],
        "unstimulated_salivary_flow": ["met"],
    }


def test_could_change_names_the_last_unknown_item_either_way():
    result = evaluate_set(SSC, case(SSC_NONE, present("sclerodactyly", "telangiectasia"), unknown("raynaud")))
    assert (result["score"], result["max_possible"], result["status"]) == (6, 9, "indeterminate")
    assert result["could_change"] == [
        {"item": "raynaud", "label": "Raynaud phenomenon", "could_become": ["met", "not_met"]}
    ]


def test_a_met_case_could_change_only_by_an_exclusion():
    result = evaluate_set(SJOGREN, case(SJOGREN_FOUR_POINTS, SICCA_3_MONTHS))
    assert [change["rule"] for change in result["could_change"]] == ["sicca_exclusion"]
    assert evaluate_set(SSC, case(present("skin_thickening_proximal_mcp")))["could_change"] == []


# The result's shape ------------------------------------------------------------------------------------


def test_evaluate_gives_all_four_sets_in_order_even_for_an_empty_case():
    results = evaluate({})
    assert [result["set"] for result in results] == [SSC, SJOGREN, SLE, IIM]
    assert [result["status"] for result in results] == ["indeterminate"] * 4
    for result in results:
        assert set(result) == {
            "set", "status", "score", "max_possible", "threshold", "category", "items", "entry", "could_change",
        }  # fmt: skip
        assert result == evaluate_set(result["set"], {})


def test_numbers_are_ints_except_for_iim():
    results = {result["set"]: result for result in evaluate(case(present("raynaud", "heliotrope_rash")))}
    for code in (SSC, SJOGREN, SLE):
        assert {type(results[code][key]) for key in ("score", "max_possible", "threshold")} == {int}
        assert results[code]["category"] is None
    assert {type(results[IIM][key]) for key in ("score", "max_possible", "threshold")} == {Decimal}
    assert results[IIM]["category"] == "not_iim"


def test_evidence_names_where_the_answer_came_from():
    document = case(
        present("raynaud"),
        serology("ana", titer=320, pattern="ac3"),
        lab("schirmer", interpretation="abnormal"),
        biopsy("labial_salivary_gland", "focal_lymphocytic_sialadenitis", focus_score="1.5"),
        diagnosis("dm", age_at_onset=45),
    )
    results = {result["set"]: result for result in evaluate(document)}
    assert item(results[SSC], "raynaud")["evidence"] == ["feature:raynaud"]
    assert item(results[SSC], "anti_centromere")["evidence"] == ["serology:ana(1:320,ac3)"]
    assert rule(results[SLE], "ana_1_80")["evidence"] == ["serology:ana(1:320,ac3)"]
    assert item(results[SJOGREN], "schirmer")["evidence"] == ["lab:schirmer"]
    assert item(results[SJOGREN], "labial_gland_focus_score")["evidence"] == ["biopsy:labial_salivary_gland"]
    assert item(results[IIM], "onset_age_40_or_more")["evidence"] == ["diagnosis:age_at_onset"]


def test_values_are_read_as_strings_or_numbers():
    as_strings = case(serology("ana", titer="160"), lab("urine_protein_24h", "0.51"), diagnosis(age_at_onset="41"))
    as_numbers = case(serology("ana", titer=160), lab("urine_protein_24h", 0.51), diagnosis(age_at_onset=41))
    assert evaluate(as_strings) == evaluate(as_numbers)
    assert item(evaluate_set(SLE, as_numbers), "proteinuria")["state"] == "present"


def test_an_unknown_set_is_refused():
    with pytest.raises(KeyError):
        evaluate_set("acr_1980_ssc", {})


# The founding cases (clinical-v2 §8, from the seed texts) ------------------------------------------------

# Calcinosis cutis universalis in diffuse cutaneous SSc (Türkiye Klinikleri J Case Rep, 2019).
FOUNDING_SSC = {
    "diagnoses": [
        {"condition": "ssc_diffuse", "is_primary": True, "certainty": "confirmed", "age_at_onset": 19,
         "age_at_diagnosis": None, "duration_years": 25, "duration_basis": "since_onset", "criteria_stated": []},
    ],
    "features": present(
        "raynaud", "fatigue", "arthralgia", "puffy_fingers", "skin_thickening", "skin_thickening_proximal_mcp",
        "sclerodactyly", "pigmentation_changes", "telangiectasia", "microstomia", "digital_ulcers", "non_digital_ulcers",
        "flexion_contractures", "acro_osteolysis", "muscle_atrophy", "muscle_weakness", "gerd", "esophageal_dysmotility",
        "dysphagia", "ild", "dyspnoea", "osteoporosis", timing="current",
    )["features"] + present("digital_tip_ulcers", timing="past")["features"],
    "serology": [
        {"test": "ana", "result": "positive", "method": "iif_hep2", "titer": 320, "pattern": "nucleolar"},
        {"test": "rf", "result": "positive"},
        {"test": "anti_scl70", "result": "positive"},
        {"test": "anti_centromere", "result": "negative"},
        {"test": "anti_dsdna", "result": "negative"},
        {"test": "anti_sm", "result": "negative"},
        {"test": "anti_u1rnp", "result": "negative"},
    ],
    "labs": [],
    "biopsies": [],
}  # fmt: skip

# Calcinosis cutis in Sjögren's syndrome (Dermatologie Praxis 2024, after Akhila et al. 2024).
FOUNDING_SJOGREN = {
    "diagnoses": [
        {"condition": "sjogren", "is_primary": True, "certainty": "confirmed", "age_at_onset": None,
         "age_at_diagnosis": 36, "duration_years": 20, "duration_basis": "since_diagnosis", "criteria_stated": []},
        {"condition": "ssc", "is_primary": False, "certainty": "suspected", "age_at_onset": None},
    ],
    "features": present("dry_eyes", "dry_mouth", "dry_eyes_3_months", "dry_mouth_3_months", "thrombocytopenia")["features"]
    + present("raynaud", timing="past")["features"]
    + absent("lymphadenopathy", "telangiectasia", "digital_ulcers", "myositis", "arthritis")["features"],
    "serology": [
        {"test": "ana", "result": "positive", "titer": 160, "pattern": "nuclear"},
        {"test": "anti_ro_ssa", "result": "positive"},
    ],
    "labs": [
        {"test": test, "value": None, "unit": "", "value_canonical": None, "unit_canonical": "", "interpretation": "normal"}
        for test in ("calcium", "phosphate", "creatinine", "crp")
    ] + [
        {"test": "ck", "value": None, "value_canonical": None, "interpretation": "high"},
        # Stays abnormal, without a value or an eye: a positive Schirmer test at diagnosis.
        {"test": "schirmer", "value": None, "value_canonical": None, "interpretation": "abnormal", "laterality": None},
    ],
    # No salivary gland biopsy documented; a negative muscle biopsy; skin without scleroderma; two finger
    # lesions consistent with calcinosis.
    "biopsies": [
        {"tissue": "muscle", "findings": [], "focus_score": None},
        {"tissue": "skin", "findings": ["no_scleroderma"], "focus_score": None},
        {"tissue": "calcinosis_lesion", "findings": ["calcification"], "focus_score": None},
        {"tissue": "calcinosis_lesion", "findings": ["calcification"], "focus_score": None},
    ],
}  # fmt: skip


def test_founding_case_1_meets_ssc_2013():
    result = evaluate_set(SSC, FOUNDING_SSC)
    assert result["status"] == "met"
    # §8's 16 from the stated items (Raynaud 3, sclerodactyly 4, digital tip ulcers 2, telangiectasia 2,
    # ILD 2, anti-Scl-70 3) ...
    stated = {"raynaud": 3, "sclerodactyly": 4, "digital_tip_ulcers": 2, "telangiectasia": 2, "ild": 2, "anti_scl70": 3}
    assert {code: (item(result, code)["state"], item(result, code)["points"]) for code in stated} == {
        code: ("present", points) for code, points in stated.items()
    }
    # ... plus the 9-point skin item, recorded present too ("hands and forearms"): 25, of at most 28
    # (pitting scars and nailfold capillaries are not recorded).
    assert (result["score"], result["max_possible"]) == (25, 28)
    without_skin_item = dict(FOUNDING_SSC, features=[
        row for row in FOUNDING_SSC["features"] if row["feature"] != "skin_thickening_proximal_mcp"
    ])  # fmt: skip
    assert (evaluate_set(SSC, without_skin_item)["score"], evaluate_set(SSC, without_skin_item)["status"]) == (
        16,
        "met",
    )


def test_founding_case_2_meets_sjogren_2016():
    result = evaluate_set(SJOGREN, FOUNDING_SJOGREN)
    assert (result["status"], result["score"]) == ("met", 4)
    assert [(row["item"], row["points"]) for row in result["items"] if row["state"] == "present"] == [
        ("anti_ro_ssa", 3),
        ("schirmer", 1),
    ]
    assert rule(result, "sicca_symptoms")["state"] == "present"
    assert rule(result, "sicca_exclusion")["state"] == "unknown"


def test_founding_cases_give_four_results_each():
    for document in (FOUNDING_SSC, FOUNDING_SJOGREN):
        assert [result["set"] for result in evaluate(document)] == list(SETS)
