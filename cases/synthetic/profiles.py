"""What a synthetic registry looks like: proportions taken from published calcinosis series.

Sources (domain.md §4.1, §4.4, §5): Balin 2012 (78 CTD patients with calcinosis:
dermatomyositis 30, limited SSc 24, overlap 6, UCTD 6, lupus panniculitis 4, MCTD 4,
SLE 2; 82% female), Valenzuela 2020 (SSc: hands in 70% of patients with calcinosis,
thumbs 19% falling to fifth fingers 8%; tenderness 29%, extrusion 20%, infection 2%),
Traineau 2020 and Boulman 2005 for treatments, Balin for responses (diltiazem 9/17
partial, surgery 22/28 complete) and the topical thiosulfate review (CR 19%, PR 60%,
NR 21%). Where no series gives a number the weights are plausible guesses, kept
coarse on purpose: the registry is for benchmarks and demos, not for epidemiology.
The lesions, treatments and follow-up are in ``calcinosis_profiles``.

Every code here is a normative vocabulary code (data-model.md, clinical-v2.md); the
tests check that each exists.
"""

from dataclasses import dataclass, field

# Primary condition → weight. DM and limited SSc lead, then diffuse SSc, lupus, overlap, Sjögren's.
PRIMARY_CONDITIONS = {
    "dm": 21,
    "jdm": 6,
    "amyopathic_dm": 1,
    "ssc_limited": 26,
    "ssc_diffuse": 12,
    "ssc_sine": 1,
    "ssc": 1,
    "sle": 6,
    "lupus_panniculitis": 3,
    "cle": 1,
    "overlap": 6,
    "sjogren": 2,
    "sjogren_primary": 2,
    "sjogren_secondary": 1,
    "mctd": 4,
    "uctd": 4,
    "pm": 1,
    "ra": 1,
    "other": 1,
}


@dataclass(frozen=True)
class Profile:
    """How one disease family presents: who, which antibodies, which sites, which treatments."""

    female: float
    age: tuple[float, float, int, int]  # mean, sd, min, max at presentation
    duration: tuple[float, float]  # median and spread (log-normal) of disease years at presentation
    criteria: dict[tuple[str, ...], int]  # the sets the source says were met (an empty tuple: none stated)
    # Secondary diagnoses: code → probability.
    secondary: dict[str, float]
    # Feature → probability present; when not present, it is recorded absent or left unrecorded.
    features: dict[str, float]
    # Mutually exclusive disease-specific antibodies: code → weight ("" = none of them).
    specific_antibody: dict[str, int]
    # Other antibodies: code → (probability tested, probability positive when tested).
    other_antibodies: dict[str, tuple[float, float]]
    ana_positive: float
    extent: dict[str, int]
    hands: float  # probability that a case has at least one hand lesion
    regions: dict[str, int]  # non-hand regions, the long tail
    morphology: dict[str, int]
    agents: dict[str, int]
    labs: dict[str, float] = field(default_factory=dict)  # extra lab tests → probability measured
    labs_high: dict[str, float] = field(default_factory=dict)  # lab test → probability high when measured
    labs_low: dict[str, float] = field(default_factory=dict)  # lab test → probability low when measured
    # The disease's own scores at follow-up: instrument → (mean, sd) at presentation.
    instruments: dict[str, tuple[float, float]] = field(default_factory=dict)
    biopsies: dict[str, float] = field(default_factory=dict)  # tissue → probability a biopsy is reported


_SSC_FEATURES_COMMON = {
    "raynaud": 0.95,
    "abnormal_nailfold_capillaries": 0.5,
    "esophageal_dysmotility": 0.5,
    "gerd": 0.55,
    "dysphagia": 0.25,
    "fatigue": 0.3,
    "arthralgia": 0.3,
    "dyspnoea": 0.3,
    "osteoporosis": 0.15,
    "non_digital_ulcers": 0.08,
}
_SSC_TREATMENTS = {
    "diltiazem": 18,
    "nifedipine": 8,
    "amlodipine": 5,
    "ccb": 3,
    "sodium_thiosulfate": 14,
    "alendronate": 4,
    "pamidronate": 3,
    "zoledronate": 2,
    "etidronate": 2,
    "bisphosphonate": 2,
    "colchicine": 6,
    "minocycline": 4,
    "warfarin": 3,
    "aluminium_hydroxide": 3,
    "probenecid": 2,
    "aspirin": 2,
    "triamcinolone": 2,
    "rituximab": 3,
    "ivig": 2,
    "surgical_excision": 9,
    "curettage": 4,
    "debridement": 2,
    "co2_laser": 2,
    "eswl": 2,
    "analgesic": 5,
    "antibiotic": 3,
    "antacid": 3,
    "mycophenolate": 3,
    "methotrexate": 2,
    "cyclophosphamide": 1,
    "prednisone": 2,
}
_SSC_REGIONS = {
    "elbow": 14,
    "forearm": 9,
    "wrist": 7,
    "knee": 8,
    "shoulder": 4,
    "upper_arm": 3,
    "lower_leg": 4,
    "ankle": 3,
    "foot": 2,
    "heel": 2,
    "sole": 1,
    "toe": 0.6,
    "toe_1": 0.6,
    "toe_2": 0.2,
    "toe_3": 0.2,
    "toe_4": 0.2,
    "toe_5": 0.2,
    "thigh": 2,
    "hip": 2,
    "buttock": 1,
    "ischial_tuberosity": 1,
    "symphysis_pubis": 1,
    "sacrum": 1,
    "face": 2,
    "neck": 1,
    "scalp": 1,
    "sternoclavicular": 1,
    "costochondral": 1,
    "chest_wall": 1,
    "axilla": 1,
    "abdomen": 1,
    "back": 1,
}
_SSC_MORPHOLOGY = {
    "stone": 30,
    "nodular": 20,
    "punctate": 12,
    "mousse": 6,
    "plate": 4,
    "net": 3,
    "linear": 2,
    "tumoral": 3,
    "unspecified": 20,
}

_SSC_LIMITED = Profile(
    female=0.88,
    age=(56, 12, 18, 95),
    duration=(10, 0.6),
    criteria={
        ("acr_eular_2013_ssc",): 45,
        ("acr_eular_2013_ssc", "acr_1980_ssc"): 7,
        ("leroy_2001_ssc",): 3,
        (): 40,
        ("other",): 5,
    },
    secondary={"sjogren_secondary": 0.06, "ra": 0.02},
    features={
        **_SSC_FEATURES_COMMON,
        "sclerodactyly": 0.7,
        "puffy_fingers": 0.4,
        "skin_thickening": 0.8,
        "telangiectasia": 0.6,
        "digital_ulcers": 0.4,
        "digital_tip_ulcers": 0.3,
        "pitting_scars": 0.3,
        "acro_osteolysis": 0.2,
        "ild": 0.25,
        "pah": 0.12,
        "digital_gangrene": 0.03,
    },
    specific_antibody={
        "anti_centromere": 55,
        "anti_scl70": 12,
        "anti_rnapol3": 4,
        "anti_pmscl": 5,
        "anti_th_to": 3,
        "": 21,
    },
    other_antibodies={"rf": (0.4, 0.2), "anti_ro_ssa": (0.4, 0.15), "anti_u1rnp": (0.4, 0.04)},
    ana_positive=0.95,
    extent={"localized": 55, "multiple": 35, "universalis": 3, "unknown": 7},
    hands=0.70,
    regions=_SSC_REGIONS,
    morphology=_SSC_MORPHOLOGY,
    agents=_SSC_TREATMENTS,
    instruments={"mrss": (8, 5), "chfs": (15, 12), "sctc_hand_simple": (1, 1)},
    biopsies={"skin": 0.04, "calcinosis_lesion": 0.05},
)
_SSC_DIFFUSE = Profile(
    female=0.80,
    age=(50, 13, 16, 92),
    duration=(9, 0.6),
    criteria={
        ("acr_eular_2013_ssc",): 50,
        ("acr_eular_2013_ssc", "acr_1980_ssc"): 8,
        ("acr_1980_ssc",): 2,
        (): 36,
        ("other",): 4,
    },
    secondary={"myositis_overlap": 0.05, "sjogren_secondary": 0.04},
    features={
        **_SSC_FEATURES_COMMON,
        "skin_thickening": 0.95,
        "skin_thickening_proximal_mcp": 0.9,
        "sclerodactyly": 0.8,
        "puffy_fingers": 0.5,
        "digital_ulcers": 0.5,
        "digital_tip_ulcers": 0.35,
        "pitting_scars": 0.35,
        "telangiectasia": 0.45,
        "ild": 0.5,
        "pah": 0.15,
        "renal_crisis": 0.05,
        "flexion_contractures": 0.35,
        "muscle_weakness": 0.15,
        "acro_osteolysis": 0.25,
        "pigmentation_changes": 0.25,
        "microstomia": 0.3,
    },
    specific_antibody={
        "anti_scl70": 45,
        "anti_rnapol3": 20,
        "anti_centromere": 6,
        "anti_fibrillarin": 5,
        "anti_pmscl": 4,
        "": 20,
    },
    other_antibodies={"rf": (0.4, 0.2), "anti_ro_ssa": (0.4, 0.12), "anti_u1rnp": (0.4, 0.05)},
    ana_positive=0.96,
    extent={"localized": 35, "multiple": 45, "universalis": 12, "unknown": 8},
    hands=0.70,
    regions=_SSC_REGIONS,
    morphology={**_SSC_MORPHOLOGY, "sheet": 5},
    agents=_SSC_TREATMENTS,
    instruments={"mrss": (22, 9), "chfs": (25, 15), "sctc_hand_simple": (1.5, 1)},
    biopsies={"skin": 0.06, "calcinosis_lesion": 0.05},
)
_DM_FEATURES = {
    "heliotrope_rash": 0.6,
    "gottron_papules": 0.7,
    "muscle_weakness": 0.75,
    "myositis": 0.6,
    "dysphagia": 0.2,
    "ild": 0.2,
    "raynaud": 0.2,
    "arthralgia": 0.25,
    "fatigue": 0.4,
    "muscle_atrophy": 0.15,
    "gottron_sign": 0.4,
    "proximal_weakness_upper": 0.55,
    "proximal_weakness_lower": 0.6,
    "neck_flexor_weakness": 0.3,
    "proximal_gt_distal_weakness_legs": 0.35,
    "dyspnoea": 0.15,
    "fever": 0.1,
}
_DM_TREATMENTS = {
    "ivig": 10,
    "rituximab": 6,
    "infliximab": 3,
    "etanercept": 1,
    "adalimumab": 1,
    "methotrexate": 9,
    "mycophenolate": 4,
    "azathioprine": 3,
    "prednisone": 9,
    "methylprednisolone": 3,
    "hydroxychloroquine": 3,
    "alendronate": 5,
    "pamidronate": 5,
    "etidronate": 2,
    "diltiazem": 10,
    "sodium_thiosulfate": 8,
    "aluminium_hydroxide": 4,
    "probenecid": 3,
    "colchicine": 3,
    "warfarin": 2,
    "surgical_excision": 8,
    "curettage": 2,
    "analgesic": 3,
    "antibiotic": 3,
}
_DM_REGIONS = {
    "elbow": 10,
    "upper_arm": 10,
    "thigh": 11,
    "buttock": 9,
    "knee": 9,
    "shoulder": 6,
    "forearm": 5,
    "axilla": 3,
    "abdomen": 4,
    "back": 3,
    "hip": 4,
    "lower_leg": 4,
    "ankle": 2,
    "face": 2,
    "neck": 2,
    "chest_wall": 2,
    "foot": 1,
    "heel": 1,
    "wrist": 2,
    "sacrum": 2,
    "scalp": 1,
}
_DM_MORPHOLOGY = {
    "tumoral": 20,
    "plate": 12,
    "sheet": 10,
    "nodular": 20,
    "stone": 6,
    "punctate": 6,
    "net": 3,
    "linear": 4,
    "unspecified": 19,
}
_DM = Profile(
    female=0.70,
    age=(50, 14, 18, 94),
    duration=(4, 0.7),
    criteria={
        ("eular_acr_2017_iim",): 40,
        ("bohan_peter_1975",): 12,
        ("eular_acr_2017_iim", "bohan_peter_1975"): 6,
        (): 40,
        ("other",): 2,
    },
    secondary={"sle": 0.02, "ssc_limited": 0.02},
    features=_DM_FEATURES,
    specific_antibody={
        "anti_nxp2": 25,
        "anti_mda5": 15,
        "anti_tif1g": 15,
        "anti_mi2": 10,
        "anti_jo1": 7,
        "anti_sae": 4,
        "": 24,
    },
    other_antibodies={"anti_ro52": (0.5, 0.2), "anti_pmscl": (0.4, 0.05), "anti_ku": (0.3, 0.03)},
    ana_positive=0.6,
    extent={"localized": 35, "multiple": 40, "universalis": 15, "unknown": 10},
    hands=0.30,
    regions=_DM_REGIONS,
    morphology=_DM_MORPHOLOGY,
    agents=_DM_TREATMENTS,
    labs={"ck": 0.8, "ldh": 0.5, "ast": 0.5, "alt": 0.5},
    labs_high={"ck": 0.5, "ldh": 0.5, "ast": 0.4, "alt": 0.35},
    instruments={"cdasi_activity": (14, 9), "cdasi_damage": (6, 4), "mmt8": (68, 9)},
    biopsies={"muscle": 0.3, "skin": 0.08, "calcinosis_lesion": 0.06},
)
_JDM = Profile(
    female=0.62,
    age=(10, 3.5, 2, 17),
    duration=(3, 0.6),
    criteria={("eular_acr_2017_iim",): 45, ("bohan_peter_1975",): 10, (): 45},
    secondary={},
    features=_DM_FEATURES,
    specific_antibody={"anti_nxp2": 40, "anti_tif1g": 20, "anti_mda5": 10, "anti_mi2": 5, "": 25},
    other_antibodies={"anti_ro52": (0.4, 0.1)},
    ana_positive=0.6,
    extent={"localized": 30, "multiple": 40, "universalis": 20, "unknown": 10},
    hands=0.25,
    regions=_DM_REGIONS,
    morphology=_DM_MORPHOLOGY,
    agents={**_DM_TREATMENTS, "infliximab": 6, "etanercept": 2, "adalimumab": 2, "warfarin": 0},
    labs={"ck": 0.85, "ldh": 0.5, "ast": 0.5, "alt": 0.5},
    labs_high={"ck": 0.5, "ldh": 0.5, "ast": 0.4, "alt": 0.35},
    instruments={"cdasi_activity": (12, 8), "cdasi_damage": (5, 4), "mmt8": (70, 8)},
    biopsies={"muscle": 0.2, "calcinosis_lesion": 0.05},
)
_LUPUS_REGIONS = {
    "lower_leg": 14,
    "thigh": 10,
    "buttock": 8,
    "upper_arm": 8,
    "face": 5,
    "knee": 5,
    "ankle": 4,
    "elbow": 4,
    "forearm": 3,
    "abdomen": 3,
    "back": 2,
    "foot": 2,
    "shoulder": 2,
    "hip": 2,
    "neck": 1,
}
_LUPUS_TREATMENTS = {
    "hydroxychloroquine": 12,
    "prednisone": 8,
    "mycophenolate": 5,
    "azathioprine": 4,
    "methotrexate": 2,
    "rituximab": 4,
    "sodium_thiosulfate": 14,
    "diltiazem": 7,
    "warfarin": 3,
    "alendronate": 3,
    "surgical_excision": 6,
    "debridement": 2,
    "colchicine": 2,
    "minocycline": 2,
    "analgesic": 3,
    "antibiotic": 3,
}
_SLE = Profile(
    female=0.9,
    age=(42, 13, 12, 90),
    duration=(10, 0.6),
    criteria={
        ("eular_acr_2019_sle",): 40,
        ("slicc_2012_sle",): 10,
        ("acr_1997_sle",): 5,
        ("eular_acr_2019_sle", "slicc_2012_sle"): 5,
        (): 38,
        ("other",): 2,
    },
    secondary={"sjogren_secondary": 0.08, "lupus_panniculitis": 0.05},
    features={
        "arthritis": 0.55,
        "arthralgia": 0.5,
        "raynaud": 0.4,
        "fatigue": 0.5,
        "thrombocytopenia": 0.15,
        "leukopenia": 0.3,
        "dry_eyes": 0.15,
        "dry_mouth": 0.15,
        "fever": 0.3,
        "oral_ulcers": 0.3,
        "alopecia_nonscarring": 0.25,
        "acute_cutaneous_lupus": 0.35,
        "subacute_cutaneous_lupus": 0.1,
        "discoid_lupus": 0.15,
        "pleural_effusion": 0.12,
        "pericardial_effusion": 0.08,
        "acute_pericarditis": 0.08,
        "autoimmune_haemolysis": 0.06,
        "seizure": 0.04,
        "psychosis": 0.02,
        "delirium": 0.02,
        "lymphadenopathy": 0.15,
    },
    specific_antibody={"anti_dsdna": 45, "anti_sm": 15, "": 40},
    other_antibodies={
        "anti_u1rnp": (0.7, 0.3),
        "anti_ro_ssa": (0.7, 0.35),
        "anti_la_ssb": (0.6, 0.15),
        "anticardiolipin": (0.5, 0.2),
        "anti_b2gp1": (0.4, 0.15),
        "lupus_anticoagulant": (0.4, 0.1),
    },
    ana_positive=0.99,
    extent={"localized": 50, "multiple": 35, "universalis": 5, "unknown": 10},
    hands=0.2,
    regions=_LUPUS_REGIONS,
    morphology={"nodular": 30, "plate": 10, "sheet": 8, "punctate": 10, "stone": 10, "tumoral": 5, "unspecified": 27},
    agents=_LUPUS_TREATMENTS,
    labs={"c3": 0.6, "c4": 0.6, "urine_protein_24h": 0.25, "albumin": 0.4},
    labs_high={"urine_protein_24h": 0.5},
    labs_low={"c3": 0.4, "c4": 0.4, "platelets": 0.15, "albumin": 0.2},
    instruments={"sledai_2k": (6, 4)},
    biopsies={"kidney": 0.08, "skin": 0.06, "calcinosis_lesion": 0.06},
)
_SJOGREN = Profile(
    female=0.93,
    age=(56, 12, 20, 92),
    duration=(12, 0.6),
    criteria={
        ("acr_eular_2016_sjogren",): 48,
        ("aecg_2002_sjogren",): 8,
        ("acr_eular_2016_sjogren", "aecg_2002_sjogren"): 4,
        (): 38,
        ("other",): 2,
    },
    secondary={"ssc_limited": 0.03},
    features={
        "dry_eyes": 0.9,
        "dry_mouth": 0.9,
        "dry_eyes_3_months": 0.85,
        "dry_mouth_3_months": 0.85,
        "sicca_exclusion": 0.01,
        "lymphadenopathy": 0.12,
        "salivary_gland_swelling": 0.3,
        "raynaud": 0.35,
        "fatigue": 0.5,
        "arthralgia": 0.4,
        "thrombocytopenia": 0.08,
    },
    specific_antibody={"anti_ro_ssa": 75, "": 25},
    other_antibodies={"anti_la_ssb": (0.8, 0.45), "rf": (0.6, 0.5), "anti_centromere": (0.3, 0.1)},
    ana_positive=0.9,
    extent={"localized": 65, "multiple": 25, "universalis": 2, "unknown": 8},
    hands=0.45,
    regions=_SSC_REGIONS,
    morphology=_SSC_MORPHOLOGY,
    agents={
        "hydroxychloroquine": 14,
        "sodium_thiosulfate": 12,
        "tretinoin": 3,
        "diltiazem": 8,
        "curettage": 4,
        "surgical_excision": 6,
        "colchicine": 2,
        "alendronate": 2,
        "analgesic": 2,
    },
    labs={"schirmer": 0.5, "ocular_staining_score": 0.2, "salivary_flow_unstimulated": 0.25},
    instruments={"essdai": (6, 5), "esspri": (5.5, 2)},
    biopsies={"labial_salivary_gland": 0.35, "calcinosis_lesion": 0.06},
)
_OVERLAP = Profile(
    female=0.82,
    age=(50, 13, 15, 90),
    duration=(8, 0.6),
    criteria={
        (): 60,
        ("acr_eular_2013_ssc",): 20,
        ("eular_acr_2017_iim",): 12,
        ("acr_eular_2013_ssc", "eular_acr_2017_iim"): 8,
    },
    secondary={"ssc_diffuse": 0.45, "ssc_limited": 0.25, "dm": 0.3, "pm": 0.2, "sle": 0.1},
    features={
        **_SSC_FEATURES_COMMON,
        "skin_thickening": 0.7,
        "sclerodactyly": 0.5,
        "myositis": 0.6,
        "muscle_weakness": 0.6,
        "ild": 0.4,
        "arthritis": 0.2,
        "digital_ulcers": 0.3,
        "digital_tip_ulcers": 0.2,
        "proximal_weakness_upper": 0.4,
        "proximal_weakness_lower": 0.45,
    },
    specific_antibody={"anti_pmscl": 30, "anti_ku": 10, "anti_u1rnp": 15, "anti_scl70": 15, "": 30},
    other_antibodies={"anti_ro52": (0.5, 0.25), "anti_centromere": (0.6, 0.08), "anti_jo1": (0.4, 0.05)},
    ana_positive=0.95,
    extent={"localized": 35, "multiple": 40, "universalis": 15, "unknown": 10},
    hands=0.5,
    regions=_SSC_REGIONS,
    morphology={**_SSC_MORPHOLOGY, "sheet": 10, "plate": 8},
    agents={**_SSC_TREATMENTS, "ivig": 6, "rituximab": 5, "methotrexate": 4},
    labs={"ck": 0.7, "ldh": 0.3},
    labs_high={"ck": 0.4, "ldh": 0.3},
    instruments={"mrss": (12, 8), "mmt8": (66, 10)},
    biopsies={"muscle": 0.2, "calcinosis_lesion": 0.05},
)
_MCTD = Profile(
    female=0.85,
    age=(45, 13, 14, 90),
    duration=(9, 0.6),
    criteria={(): 70, ("alarcon_segovia_mctd",): 15, ("kasukawa_mctd",): 10, ("other",): 5},
    secondary={},
    features={
        "raynaud": 0.9,
        "dyspnoea": 0.2,
        "puffy_fingers": 0.6,
        "arthritis": 0.5,
        "myositis": 0.3,
        "sclerodactyly": 0.3,
        "esophageal_dysmotility": 0.3,
        "ild": 0.25,
        "pah": 0.1,
    },
    specific_antibody={"anti_u1rnp": 95, "": 5},
    other_antibodies={"anti_sm": (0.5, 0.05), "anti_dsdna": (0.5, 0.05), "rf": (0.4, 0.3)},
    ana_positive=0.99,
    extent={"localized": 50, "multiple": 40, "universalis": 3, "unknown": 7},
    hands=0.55,
    regions=_SSC_REGIONS,
    morphology=_SSC_MORPHOLOGY,
    agents=_SSC_TREATMENTS,
    instruments={"mrss": (5, 4)},
    biopsies={"calcinosis_lesion": 0.05},
)
_UNDIFFERENTIATED = Profile(
    female=0.8,
    age=(50, 15, 10, 95),
    duration=(6, 0.8),
    criteria={(): 85, ("other",): 15},
    secondary={},
    features={"raynaud": 0.5, "arthralgia": 0.4, "fatigue": 0.4, "dry_eyes": 0.15, "dry_mouth": 0.15},
    specific_antibody={"": 100},
    other_antibodies={
        "anti_ro_ssa": (0.5, 0.15),
        "anti_u1rnp": (0.5, 0.08),
        "rf": (0.5, 0.2),
        "anti_ccp": (0.3, 0.05),
        "anti_centromere": (0.4, 0.05),
    },
    ana_positive=0.7,
    extent={"localized": 55, "multiple": 30, "universalis": 3, "unknown": 12},
    hands=0.4,
    regions=_SSC_REGIONS,
    morphology=_SSC_MORPHOLOGY,
    agents={
        "diltiazem": 8,
        "colchicine": 4,
        "sodium_thiosulfate": 8,
        "surgical_excision": 6,
        "hydroxychloroquine": 6,
        "prednisone": 4,
        "alendronate": 3,
        "analgesic": 3,
        "minocycline": 2,
    },
    biopsies={"calcinosis_lesion": 0.05},
)
_RA = Profile(
    female=0.75,
    age=(60, 12, 25, 95),
    duration=(14, 0.5),
    criteria={(): 65, ("acr_eular_2010_ra",): 30, ("other",): 5},
    secondary={"sjogren_secondary": 0.1},
    features={
        "arthritis": 0.95,
        "arthralgia": 0.7,
        "flexion_contractures": 0.2,
        "fatigue": 0.4,
        "osteoporosis": 0.15,
    },
    specific_antibody={"rf": 40, "anti_ccp": 40, "": 20},
    other_antibodies={"anti_ro_ssa": (0.3, 0.1)},
    ana_positive=0.4,
    extent={"localized": 60, "multiple": 30, "unknown": 10},
    hands=0.5,
    regions=_SSC_REGIONS,
    morphology=_SSC_MORPHOLOGY,
    agents={
        "methotrexate": 10,
        "adalimumab": 3,
        "etanercept": 3,
        "prednisolone": 4,
        "surgical_excision": 6,
        "diltiazem": 4,
        "sodium_thiosulfate": 4,
        "colchicine": 2,
    },
    biopsies={"calcinosis_lesion": 0.04},
)

# Primary condition → its family profile.
PROFILES: dict[str, Profile] = {
    "ssc_limited": _SSC_LIMITED,
    "ssc_sine": _SSC_LIMITED,
    "ssc": _SSC_LIMITED,
    "ssc_diffuse": _SSC_DIFFUSE,
    "dm": _DM,
    "amyopathic_dm": _DM,
    "pm": _DM,
    "jdm": _JDM,
    "sle": _SLE,
    "lupus_panniculitis": _SLE,
    "cle": _SLE,
    "sjogren": _SJOGREN,
    "sjogren_primary": _SJOGREN,
    "sjogren_secondary": _SJOGREN,
    "overlap": _OVERLAP,
    "mctd": _MCTD,
    "uctd": _UNDIFFERENTIATED,
    "other": _UNDIFFERENTIATED,
    "ra": _RA,
}
# "myositis_overlap" in a secondary list means an inflammatory myopathy beside the SSc.
SECONDARY_ALIASES = {"myositis_overlap": "pm"}

CONSENT_CLINIC = {"written": 70, "verbal": 10, "waived": 10, "not_recorded": 10}
CONSENT_LITERATURE = {"not_recorded": 60, "written": 30, "waived": 10}
# What a clinic patient's consent covers besides the registry itself: scope → probability.
CONSENT_SCOPE_CLINIC = {"data_sharing": 0.5, "recontact": 0.3, "publication": 0.1}
STATUS_CLINIC = {"verified": 35, "submitted": 55, "draft": 10}
STATUS_LITERATURE = {"verified": 60, "submitted": 37, "draft": 3}
ETIOLOGY = {"dystrophic": 92, "unknown": 4, "metastatic": 1, "idiopathic": 1, "iatrogenic": 1, "calciphylaxis": 1}
CALCINOSIS_ONSET_RECORDED = 0.35

# Diagnoses: how the duration was counted, how long from onset to diagnosis, how sure a secondary one is.
DURATION_BASIS = {"since_onset": 40, "since_diagnosis": 35, "unstated": 25}
DIAGNOSIS_DELAY_YEARS = (1.0, 0.9)  # median and spread (log-normal), no longer than the disease itself
SECONDARY_SUSPECTED = 0.15

# A feature present that says another is present too (three months of dry eyes are dry eyes).
FEATURE_IMPLIES = {
    "dry_eyes_3_months": "dry_eyes",
    "dry_mouth_3_months": "dry_mouth",
    "digital_tip_ulcers": "digital_ulcers",
    "sclerodactyly": "skin_thickening",
    "skin_thickening_proximal_mcp": "skin_thickening",
    "proximal_weakness_upper": "muscle_weakness",
    "proximal_weakness_lower": "muscle_weakness",
    "neck_flexor_weakness": "muscle_weakness",
    "proximal_gt_distal_weakness_legs": "muscle_weakness",
}
# Timing of a present feature: past (healed, resolved) with this probability, else current or not said.
FEATURE_PAST = {
    "digital_tip_ulcers": 0.4,
    "digital_ulcers": 0.35,
    "digital_gangrene": 0.5,
    "non_digital_ulcers": 0.3,
    "renal_crisis": 0.6,
    "acute_pericarditis": 0.5,
    "pleural_effusion": 0.4,
    "pericardial_effusion": 0.4,
    "seizure": 0.6,
    "psychosis": 0.5,
    "delirium": 0.6,
    "fever": 0.4,
    "oral_ulcers": 0.4,
    "autoimmune_haemolysis": 0.5,
}
FEATURE_PAST_OTHER = 0.05
FEATURE_TIMING_CURRENT = 0.55  # of the present features not in the past: said to be current


# ANA pattern by the antibody that explains it.
ANA_PATTERN_BY_ANTIBODY = {
    "anti_centromere": {"ac3": 85, "nuclear": 15},
    "anti_scl70": {"ac29": 40, "speckled": 30, "ac1": 15, "nuclear": 15},
    "anti_rnapol3": {"ac5": 40, "speckled": 30, "nucleolar": 30},
    "anti_pmscl": {"ac8": 60, "nucleolar": 40},
    "anti_th_to": {"ac8": 60, "nucleolar": 40},
    "anti_fibrillarin": {"ac9": 70, "nucleolar": 30},
    "anti_dsdna": {"ac1": 70, "nuclear": 30},
    "anti_sm": {"ac5": 60, "speckled": 40},
    "anti_u1rnp": {"ac5": 70, "speckled": 30},
    "anti_ro_ssa": {"ac4": 60, "speckled": 40},
    "anti_mi2": {"ac4": 50, "speckled": 50},
    "anti_tif1g": {"ac4": 50, "speckled": 50},
    "anti_ku": {"ac4": 50, "speckled": 50},
    "anti_jo1": {"ac20": 60, "cytoplasmic": 40},
}
ANA_PATTERN_OTHER = {"speckled": 35, "nuclear": 25, "ac4": 15, "ac1": 10, "ac2": 10, "cytoplasmic": 5}
ANA_TITERS = {80: 10, 160: 25, 320: 28, 640: 20, 1280: 12, 2560: 5}
ANA_MIXED = 0.08  # a positive ANA read with a second pattern at its own titre (mixed patterns)
ANA_NEGATIVE_AC0 = 0.1  # a negative ANA reported as AC-0

# How antibodies were measured: ANA mostly by immunofluorescence on HEp-2, the rest by immunoassays.
METHOD_ANA = {"iif_hep2": 80, "elisa": 5, "clia": 5, "unknown": 10}
METHOD_OTHER = {"elisa": 35, "line_blot": 20, "clia": 15, "bead": 10, "unknown": 20}
METHOD_DSDNA = {"elisa": 40, "clia": 25, "iif_hep2": 5, "other": 15, "unknown": 15}
# An antibody that comes with another: anti-Sm with anti-dsDNA in most lupus (probability positive together).
ANTIBODY_COMPANIONS = {"anti_sm": {"anti_dsdna": 0.75}}
# An antibody found only beside another: anti-La without anti-Ro is not reported positive.
ANTIBODY_REQUIRES = {"anti_la_ssb": "anti_ro_ssa"}

# Lab test → (probability measured in any case, low, high, decimals): the normal range in the canonical unit
# (the vocabulary's first), with the decimals a report gives in it.
LAB_TESTS: dict[str, tuple[float, float, float, int]] = {
    "calcium": (0.7, 8.5, 10.5, 1),
    "phosphate": (0.6, 2.5, 4.5, 1),
    "creatinine": (0.5, 0.5, 1.2, 2),
    "ck": (0.25, 30, 200, 0),
    "alkaline_phosphatase": (0.2, 40, 130, 0),
    "ldh": (0.08, 120, 250, 0),
    "ast": (0.12, 10, 40, 0),
    "alt": (0.12, 7, 45, 0),
    "pth": (0.2, 15, 65, 0),
    "vitamin_d": (0.2, 30, 100, 0),
    "crp": (0.45, 0, 5, 1),
    "esr": (0.3, 0, 20, 0),
    "c3": (0.05, 0.9, 1.8, 2),
    "c4": (0.05, 0.1, 0.4, 2),
    "albumin": (0.2, 35, 50, 0),
    "platelets": (0.2, 150, 400, 0),
    "egfr": (0.2, 90, 120, 0),
    "urine_protein_24h": (0.02, 0.02, 0.15, 2),
    # Per eye, or one reading: see SCHIRMER_* (≤ 5 mm in 5 minutes is a positive, abnormal test).
    "schirmer": (0.02, 10, 30, 0),
    "ocular_staining_score": (0.0, 0, 3, 0),
    "salivary_flow_unstimulated": (0.0, 0.25, 0.6, 2),
}
LABS_LOW = {"vitamin_d": 0.3}  # low in any disease with this probability when measured
# How far out of range an abnormal value goes, in spans of the normal range (most go half a span or less).
LAB_HIGH_SPANS = {"ck": 3.0, "urine_protein_24h": 30.0, "ldh": 2.0, "ast": 2.0, "alt": 2.0}
# Units besides the canonical one: test → (US unit and its decimals, SI unit and its decimals). Calcium is
# reported in mg/dL in the United States, in mmol/L in most other countries; both go into the registry.
LAB_UNITS = {
    "calcium": (("mg/dL", 1), ("mmol/L", 2)),
    "phosphate": (("mg/dL", 1), ("mmol/L", 2)),
    "creatinine": (("mg/dL", 2), ("umol/L", 0)),
    "pth": (("pg/mL", 0), ("pmol/L", 1)),
    "vitamin_d": (("ng/mL", 0), ("nmol/L", 0)),
    "crp": (("mg/dL", 2), ("mg/L", 1)),
    "c3": (("mg/dL", 0), ("g/L", 2)),
    "c4": (("mg/dL", 0), ("g/L", 2)),
    "albumin": (("g/dL", 1), ("g/L", 0)),
    "platelets": (("10*3/uL", 0), ("10*9/L", 0)),
    "urine_protein_24h": (("mg/(24.h)", 0), ("g/(24.h)", 2)),
    "ck": (("U/L", 0), ("[IU]/L", 0)),
}
US_UNIT_COUNTRIES = {"US"}
US_UNITS_ELSEWHERE = 0.2  # a report from elsewhere in US units (and one from the US in SI units: 10%)
SCHIRMER_PER_EYE = 0.7  # the rest: one row "abnormal" without eye or value, as many reports give it
SCHIRMER_ABNORMAL = {"sjogren": 0.7, "other": 0.2}
OCULAR_STAINING_ABNORMAL = 0.45  # ≥ 5 of 12
SALIVARY_FLOW_LOW = 0.5  # ≤ 0.1 mL/min

# Biopsies: what each tissue's report says.
BIOPSY_LABIAL_POSITIVE = 0.75  # focal lymphocytic sialadenitis, focus score ≥ 1
BIOPSY_MUSCLE_FINDINGS = {
    "perimysial_perivascular_infiltrate": 50,
    "perifascicular_atrophy": 45,
    "endomysial_infiltrate": 30,
}
BIOPSY_MUSCLE_POSITIVE = 0.8
BIOPSY_KIDNEY_CLASSES = {
    "lupus_nephritis_class_3": 30,
    "lupus_nephritis_class_4": 40,
    "lupus_nephritis_class_5": 20,
    "lupus_nephritis_class_2": 10,
}
BIOPSY_NOTES = {
    "skin": ("Interface dermatitis.", "Dermal sclerosis.", "Calcium deposits in the dermis."),
    "calcinosis_lesion": ("Amorphous calcium deposits.", "Calcified deposits with foreign-body reaction."),
}

# Contributing centres; most are fictional clinics, ``literature`` holds published cases.
SITES = [
    ("syn-basel", "Rheumatology, University Hospital Basel (synthetic)", "CH", 9),
    ("syn-zurich", "Dermatology clinic Zurich (synthetic)", "CH", 7),
    ("syn-bern", "Inselspital rheumatology (synthetic)", "CH", 4),
    ("syn-ankara", "Immunology and rheumatology, Ankara (synthetic)", "TR", 8),
    ("syn-munich", "Rheumatology Munich (synthetic)", "DE", 8),
    ("syn-milan", "Scleroderma unit Milan (synthetic)", "IT", 7),
    ("syn-paris", "Internal medicine Paris (synthetic)", "FR", 7),
    ("syn-leeds", "Connective tissue disease clinic Leeds (synthetic)", "GB", 8),
    ("syn-boston", "Rheumatology Boston (synthetic)", "US", 10),
    ("syn-rochester", "Dermatology Rochester (synthetic)", "US", 9),
    ("syn-mexico", "Rheumatology Mexico City (synthetic)", "MX", 5),
    ("syn-tokyo", "Dermatology Tokyo (synthetic)", "JP", 6),
    ("syn-pune", "Rheumatology Pune (synthetic)", "IN", 4),
]
# Synthetic "published" cases have a site of their own, never the real literature site, so that no export can
# mix them with cases abstracted from real reports (issue 17).
LITERATURE_SITE = ("syn-literature", "Synthetic case reports (not real publications)", "")
LITERATURE_SHARE = 0.15
# Countries of published cases (first author's country).
LITERATURE_COUNTRIES = {
    "US": 22,
    "JP": 8,
    "CN": 8,
    "IN": 10,
    "TR": 7,
    "GB": 5,
    "DE": 4,
    "FR": 4,
    "IT": 5,
    "ES": 3,
    "BR": 4,
    "KR": 3,
    "MX": 3,
    "IR": 3,
    "CH": 1,
    "": 10,
}
JOURNALS = (
    "J Med Case Rep",
    "JAAD Case Rep",
    "BMJ Case Rep",
    "Clin Rheumatol",
    "Rheumatol Adv Pract",
    "Arch Dermatol",
    "J Surg Case Rep",
    "Dermatol Online J",
    "Cureus",
    "Mod Rheumatol Case Rep",
    "Case Rep Rheumatol",
    "Int J Rheum Dis",
)
AUTHOR_NAMES = (
    "Smith",
    "Müller",
    "Rossi",
    "Yilmaz",
    "Tanaka",
    "Kumar",
    "García",
    "Martin",
    "Nguyen",
    "Kim",
    "Silva",
    "Schmidt",
    "Dubois",
    "Sato",
    "Patel",
    "Novak",
    "Costa",
    "Ahmadi",
    "Chen",
    "Wang",
    "Andersen",
)
NOTE_PHRASES = (
    "Chalky material extruded from the lesion.",
    "Tender on palpation.",
    "Lesion recurred after six months.",
    "Reported by the patient as painful when pressed.",
    "Seen on follow-up radiograph.",
    "Size reduced on follow-up.",
    "Stopped because of gastrointestinal side effects.",
    "Secondary infection treated with antibiotics.",
    "Limited hand function.",
)
