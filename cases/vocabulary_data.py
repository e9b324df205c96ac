"""The registry's starting vocabularies (data-model.md, domain.md).

Loaded by a data migration and re-applied by ``load_vocabularies``: missing
concepts are added, existing ones keep whatever curators made of them.
Standard codes are filled only where domain.md marks them verified;
an unverified code is left empty rather than guessed.

Each entry: (code, label, parent code or None, {extra fields}).
"""

CONDITION = [
    ("ssc", "Systemic sclerosis", None, {"snomed": "89155008", "icd10": "M34.9"}),
    ("ssc_diffuse", "Diffuse cutaneous systemic sclerosis", "ssc", {"icd10": "M34.0"}),
    ("ssc_limited", "Limited cutaneous systemic sclerosis (incl. CREST)", "ssc", {"icd10": "M34.1"}),
    ("ssc_sine", "Systemic sclerosis sine scleroderma", "ssc", {}),
    ("sjogren", "Sjögren's syndrome", None, {"snomed": "83901003", "icd10": "M35.0"}),
    ("sjogren_primary", "Primary Sjögren's syndrome", "sjogren", {}),
    ("sjogren_secondary", "Secondary Sjögren's syndrome", "sjogren", {}),
    ("sle", "Systemic lupus erythematosus", None, {"snomed": "55464009", "icd10": "M32.9"}),
    ("cle", "Cutaneous lupus erythematosus", None, {}),
    ("lupus_panniculitis", "Lupus panniculitis", "cle", {}),
    ("dm", "Dermatomyositis", None, {"snomed": "396230008", "icd10": "M33.1"}),
    ("jdm", "Juvenile dermatomyositis", "dm", {"icd10": "M33.0"}),
    ("amyopathic_dm", "Amyopathic dermatomyositis", "dm", {}),
    ("pm", "Polymyositis", None, {"icd10": "M33.2"}),
    ("mctd", "Mixed connective tissue disease", None, {"icd10": "M35.1"}),
    ("uctd", "Undifferentiated connective tissue disease", None, {}),
    ("overlap", "Overlap syndrome", None, {}),
    ("ra", "Rheumatoid arthritis", None, {"icd10": "M06.9"}),
    ("other", "Other", None, {}),
]

# Grouped by organ: the entry form shows the checklist under these headings.
_FEATURES_BY_ORGAN = {
    "Vascular": [
        ("raynaud", "Raynaud phenomenon", {"snomed": "266261006"}),
        ("digital_ulcers", "Digital ulcers", {}),
        ("pitting_scars", "Digital pitting scars", {}),
        ("digital_gangrene", "Digital gangrene", {}),
        ("telangiectasia", "Telangiectasia", {}),
        ("abnormal_nailfold_capillaries", "Abnormal nailfold capillaries", {}),
    ],
    "Skin": [
        ("puffy_fingers", "Puffy fingers", {}),
        ("sclerodactyly", "Sclerodactyly", {}),
        ("skin_thickening", "Skin thickening (any extent)", {}),
        ("skin_thickening_proximal_mcp", "Skin thickening proximal to the MCPs", {}),
        ("pigmentation_changes", "Pigmentation changes", {}),
        ("microstomia", "Microstomia", {}),
        ("heliotrope_rash", "Heliotrope rash", {}),
        ("gottron_papules", "Gottron papules", {}),
    ],
    "Lung and heart": [
        ("ild", "Interstitial lung disease", {"snomed": "233703007"}),
        ("pah", "Pulmonary arterial hypertension", {}),
    ],
    "Gastrointestinal": [
        ("esophageal_dysmotility", "Oesophageal dysmotility", {}),
        ("gerd", "Gastro-oesophageal reflux", {}),
        ("dysphagia", "Dysphagia", {}),
    ],
    "Kidney": [
        ("renal_crisis", "Scleroderma renal crisis", {}),
    ],
    "Musculoskeletal": [
        ("acro_osteolysis", "Acro-osteolysis", {}),
        ("flexion_contractures", "Flexion contractures", {}),
        ("arthralgia", "Arthralgia", {}),
        ("arthritis", "Arthritis", {}),
        ("muscle_weakness", "Muscle weakness", {}),
        ("muscle_atrophy", "Muscle atrophy", {}),
        ("myositis", "Myositis", {}),
    ],
    "Glands (sicca)": [
        ("dry_eyes", "Dry eyes", {}),
        ("dry_mouth", "Dry mouth", {}),
        ("salivary_gland_swelling", "Salivary gland swelling", {}),
    ],
    "Blood": [
        ("thrombocytopenia", "Thrombocytopenia", {}),
        ("leukopenia", "Leukopenia", {}),
    ],
    "General": [
        ("fatigue", "Fatigue", {}),
    ],
}
FEATURE = [
    (code, label, None, {"organ": organ, **extra})
    for organ, rows in _FEATURES_BY_ORGAN.items()
    for code, label, extra in rows
]

SEROLOGY_TEST = [
    ("ana", "Antinuclear antibodies (ANA)", None, {"loinc": "5048-4"}),
    ("anti_scl70", "Anti-Scl-70 (anti-topoisomerase I)", None, {}),
    ("anti_centromere", "Anticentromere", None, {"loinc": "16570-4"}),
    ("anti_rnapol3", "Anti-RNA polymerase III", None, {}),
    ("anti_pmscl", "Anti-PM/Scl", None, {}),
    ("anti_th_to", "Anti-Th/To", None, {}),
    ("anti_fibrillarin", "Anti-fibrillarin (U3-RNP)", None, {}),
    ("anti_ku", "Anti-Ku", None, {}),
    ("anti_ro_ssa", "Anti-Ro/SSA", None, {"loinc": "8093-7"}),
    ("anti_ro52", "Anti-Ro52", None, {}),
    ("anti_la_ssb", "Anti-La/SSB", None, {"loinc": "8094-5"}),
    ("anti_dsdna", "Anti-dsDNA", None, {"loinc": "5130-0"}),
    ("anti_sm", "Anti-Sm", None, {}),
    ("anti_u1rnp", "Anti-U1-RNP", None, {}),
    ("anti_jo1", "Anti-Jo-1", None, {}),
    ("anti_mda5", "Anti-MDA5", None, {}),
    ("anti_nxp2", "Anti-NXP2", None, {}),
    ("anti_tif1g", "Anti-TIF1-γ", None, {}),
    ("anti_mi2", "Anti-Mi-2", None, {}),
    ("anti_sae", "Anti-SAE", None, {}),
    ("rf", "Rheumatoid factor", None, {"loinc": "11572-5"}),
    ("anti_ccp", "Anti-CCP", None, {}),
    ("anticardiolipin", "Anticardiolipin", None, {}),
    ("anti_b2gp1", "Anti-β2-glycoprotein I", None, {}),
    ("lupus_anticoagulant", "Lupus anticoagulant", None, {}),
]

ANA_PATTERN = [
    ("nuclear", "Nuclear (unresolved)", None, {}),
    ("ac1", "AC-1 Homogeneous", "nuclear", {}),
    ("ac2", "AC-2 Dense fine speckled", "speckled", {}),
    ("ac3", "AC-3 Centromere", "nuclear", {}),
    ("ac4", "AC-4 Fine speckled", "speckled", {}),
    ("ac5", "AC-5 Large/coarse speckled", "speckled", {}),
    ("ac6", "AC-6 Multiple nuclear dots", "nuclear", {}),
    ("ac7", "AC-7 Few nuclear dots", "nuclear", {}),
    ("ac8", "AC-8 Homogeneous nucleolar", "nucleolar", {}),
    ("ac9", "AC-9 Clumpy nucleolar", "nucleolar", {}),
    ("ac10", "AC-10 Punctate nucleolar", "nucleolar", {}),
    ("ac11", "AC-11 Smooth nuclear envelope", "nuclear", {}),
    ("ac12", "AC-12 Punctate nuclear envelope", "nuclear", {}),
    ("ac13", "AC-13 PCNA-like", "nuclear", {}),
    ("ac14", "AC-14 CENP-F-like", "nuclear", {}),
    ("ac29", "AC-29 Topo I-like", "nuclear", {}),
    ("speckled", "Speckled (unresolved)", "nuclear", {}),
    ("nucleolar", "Nucleolar (unresolved)", "nuclear", {}),
    ("cytoplasmic", "Cytoplasmic (unresolved)", None, {}),
]

LAB_TEST = [
    ("calcium", "Calcium (serum)", None, {"loinc": "17861-6", "unit": "mg/dL"}),
    ("phosphate", "Phosphate (serum)", None, {"loinc": "2777-1", "unit": "mg/dL"}),
    ("creatinine", "Creatinine (serum)", None, {"loinc": "2160-0", "unit": "mg/dL"}),
    ("ck", "Creatine kinase", None, {"loinc": "2157-6", "unit": "U/L"}),
    ("alkaline_phosphatase", "Alkaline phosphatase", None, {"unit": "U/L"}),
    ("pth", "Parathyroid hormone", None, {"unit": "pg/mL"}),
    ("vitamin_d", "25-OH vitamin D", None, {"unit": "ng/mL"}),
    ("crp", "C-reactive protein", None, {"unit": "mg/L"}),
    ("esr", "Erythrocyte sedimentation rate", None, {"unit": "mm/h"}),
    ("c3", "Complement C3", None, {"unit": "g/L"}),
    ("c4", "Complement C4", None, {"unit": "g/L"}),
    ("platelets", "Platelets", None, {"unit": "10*9/L"}),
    ("schirmer", "Schirmer test", None, {"unit": "mm/(5.min)"}),
    ("egfr", "eGFR", None, {"unit": "mL/min/{1.73_m2}"}),
]

REGION = [
    ("head_neck", "Head and neck", None),
    ("face", "Face", "head_neck"),
    ("scalp", "Scalp", "head_neck"),
    ("neck", "Neck", "head_neck"),
    ("trunk", "Trunk", None),
    ("chest_wall", "Chest wall", "trunk"),
    ("sternoclavicular", "Sternoclavicular joint", "chest_wall"),
    ("costochondral", "Costochondral junctions", "chest_wall"),
    ("axilla", "Axilla", "trunk"),
    ("abdomen", "Abdomen", "trunk"),
    ("back", "Back", "trunk"),
    ("pelvis", "Pelvis", None),
    ("hip", "Hip (peri-hip, femoral neck)", "pelvis"),
    ("ischial_tuberosity", "Ischial tuberosity", "pelvis"),
    ("symphysis_pubis", "Symphysis pubis", "pelvis"),
    ("buttock", "Buttock", "pelvis"),
    ("sacrum", "Sacrum", "pelvis"),
    ("upper_limb", "Upper limb", None),
    ("shoulder", "Shoulder", "upper_limb"),
    ("upper_arm", "Upper arm", "upper_limb"),
    ("elbow", "Elbow", "upper_limb"),
    ("forearm", "Forearm", "upper_limb"),
    ("wrist", "Wrist", "upper_limb"),
    ("hand", "Hand", "upper_limb"),
    ("palm", "Palm", "hand"),
    ("finger", "Finger", "hand"),
    ("finger_1", "Thumb (finger 1)", "finger"),
    ("finger_2", "Index finger (finger 2)", "finger"),
    ("finger_3", "Middle finger (finger 3)", "finger"),
    ("finger_4", "Ring finger (finger 4)", "finger"),
    ("finger_5", "Little finger (finger 5)", "finger"),
    ("lower_limb", "Lower limb", None),
    ("thigh", "Thigh", "lower_limb"),
    ("knee", "Knee", "lower_limb"),
    ("lower_leg", "Lower leg", "lower_limb"),
    ("ankle", "Ankle", "lower_limb"),
    ("foot", "Foot", "lower_limb"),
    ("heel", "Heel", "foot"),
    ("sole", "Sole", "foot"),
    ("toe", "Toe", "foot"),
]
REGION = [(code, label, parent, {}) for code, label, parent in REGION]

_AGENT_CLASSES = [
    ("ccb", "Calcium channel blocker", ["diltiazem", "nifedipine", "amlodipine"]),
    ("bisphosphonate", "Bisphosphonate", ["alendronate", "risedronate", "pamidronate", "zoledronate", "etidronate"]),
    ("sodium_thiosulfate", "Sodium thiosulfate", []),
    ("warfarin", "Warfarin", []),
    ("minocycline", "Minocycline", []),
    ("colchicine", "Colchicine", []),
    ("probenecid", "Probenecid", []),
    ("aluminium_hydroxide", "Aluminium hydroxide", []),
    ("antacid", "Antacid", []),
    ("aspirin", "Aspirin (acetylsalicylic acid)", []),
    ("corticosteroid", "Corticosteroid", ["prednisone", "prednisolone", "methylprednisolone", "triamcinolone"]),
    ("tretinoin", "Tretinoin", []),
    ("hydroxychloroquine", "Hydroxychloroquine", []),
    ("immunosuppressant", "Immunosuppressant", ["methotrexate", "mycophenolate", "azathioprine", "cyclophosphamide"]),
    ("rituximab", "Rituximab", []),
    ("ivig", "Intravenous immunoglobulin", []),
    ("tnf_inhibitor", "TNF inhibitor", ["infliximab", "etanercept", "adalimumab"]),
    ("d_penicillamine", "D-penicillamine", []),
    ("analgesic", "Analgesic", []),
    ("antibiotic", "Antibiotic", []),
    ("procedure", "Procedure", ["surgical_excision", "curettage", "debridement", "co2_laser", "eswl"]),
]
_AGENT_LABELS = {
    "co2_laser": "CO₂ laser",
    "eswl": "Extracorporeal shock-wave lithotripsy",
    "surgical_excision": "Surgical excision",
}
AGENT = [
    entry
    for code, label, members in _AGENT_CLASSES
    for entry in [(code, label, None, {})]
    + [(m, _AGENT_LABELS.get(m, m.replace("_", " ").capitalize()), code, {}) for m in members]
]

# Vocabulary name → rows, in the order the data must be loaded (parents first).
ALL = {
    "condition": CONDITION,
    "feature": FEATURE,
    "serology_test": SEROLOGY_TEST,
    "ana_pattern": ANA_PATTERN,
    "lab_test": LAB_TEST,
    "region": REGION,
    "agent": AGENT,
}
