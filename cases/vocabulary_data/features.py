"""feature (data-model.md, clinical-v2.md §5), grouped by organ: the entry form's checklist shows these headings.

The items the classification criteria read (clinical-v2.md §5–6) are features too, each present / absent /
not recorded like the rest.
"""

_FEATURES_BY_ORGAN = {
    "Vascular": [
        ("raynaud", "Raynaud phenomenon", {"snomed": "266261006", "synonyms": ["Raynaud's"]}),
        ("digital_ulcers", "Digital ulcers", {}),
        ("digital_tip_ulcers", "Digital tip ulcers (at or distal to the PIP joint)", {}),
        ("pitting_scars", "Digital pitting scars", {}),
        ("digital_gangrene", "Digital gangrene", {}),
        ("non_digital_ulcers", "Ulcers elsewhere than the fingers", {}),
        ("telangiectasia", "Telangiectasia", {}),
        ("abnormal_nailfold_capillaries", "Abnormal nailfold capillaries", {}),
    ],
    "Skin and mucosa": [
        ("puffy_fingers", "Puffy fingers", {}),
        ("sclerodactyly", "Sclerodactyly", {}),
        ("skin_thickening", "Skin thickening (any extent)", {}),
        (
            "skin_thickening_proximal_mcp",
            "Skin thickening of the fingers of both hands extending proximal to the MCP joints",
            {},
        ),
        ("pigmentation_changes", "Pigmentation changes", {}),
        ("microstomia", "Microstomia", {}),
        ("heliotrope_rash", "Heliotrope rash", {}),
        ("gottron_papules", "Gottron papules", {}),
        ("gottron_sign", "Gottron sign", {}),
        ("acute_cutaneous_lupus", "Acute cutaneous lupus", {"synonyms": ["ACLE", "malar rash"]}),
        ("subacute_cutaneous_lupus", "Subacute cutaneous lupus", {"synonyms": ["SCLE"]}),
        ("discoid_lupus", "Discoid lupus", {"synonyms": ["DLE"]}),
        ("alopecia_nonscarring", "Non-scarring alopecia", {}),
        ("oral_ulcers", "Oral ulcers", {}),
    ],
    "Lung and heart": [
        ("ild", "Interstitial lung disease", {"snomed": "233703007", "synonyms": ["ILD"]}),
        ("pah", "Pulmonary arterial hypertension", {"synonyms": ["PAH"]}),
        ("dyspnoea", "Dyspnoea", {"synonyms": ["dyspnea"]}),
        ("pleural_effusion", "Pleural effusion", {}),
        ("pericardial_effusion", "Pericardial effusion", {}),
        ("acute_pericarditis", "Acute pericarditis", {}),
    ],
    "Gastrointestinal": [
        ("esophageal_dysmotility", "Oesophageal dysmotility", {"synonyms": ["esophageal dysmotility"]}),
        ("gerd", "Gastro-oesophageal reflux", {"synonyms": ["GERD", "GORD", "reflux", "heartburn"]}),
        ("dysphagia", "Dysphagia", {}),
    ],
    "Kidney": [
        ("renal_crisis", "Scleroderma renal crisis", {}),
    ],
    "Muscles, joints and bones": [
        ("acro_osteolysis", "Acro-osteolysis", {}),
        ("flexion_contractures", "Flexion contractures", {}),
        ("arthralgia", "Arthralgia", {}),
        ("arthritis", "Arthritis", {"synonyms": ["synovitis"]}),
        ("muscle_weakness", "Muscle weakness", {}),
        ("proximal_weakness_upper", "Symmetric proximal weakness of the upper limbs", {}),
        ("proximal_weakness_lower", "Symmetric proximal weakness of the lower limbs", {}),
        ("neck_flexor_weakness", "Neck flexors weaker than neck extensors", {}),
        ("proximal_gt_distal_weakness_legs", "Legs: proximal muscles weaker than distal", {}),
        ("muscle_atrophy", "Muscle atrophy", {}),
        ("myositis", "Myositis", {}),
        ("osteoporosis", "Osteoporosis", {}),
    ],
    "Glands (sicca)": [
        ("dry_eyes", "Dry eyes", {}),
        ("dry_mouth", "Dry mouth", {"synonyms": ["xerostomia"]}),
        ("dry_eyes_3_months", "Daily, persistent dry eyes for more than 3 months", {}),
        ("dry_mouth_3_months", "Daily feeling of dry mouth for more than 3 months", {}),
        ("salivary_gland_swelling", "Salivary gland swelling", {}),
        (
            "sicca_exclusion",
            "Excludes Sjögren's classification: head-neck radiation, active HCV, AIDS, sarcoidosis, amyloidosis, "
            "GVHD or IgG4-related disease",
            {},
        ),
    ],
    "Blood": [
        ("thrombocytopenia", "Thrombocytopenia", {}),
        ("leukopenia", "Leukopenia", {}),
        ("autoimmune_haemolysis", "Autoimmune haemolysis", {"synonyms": ["hemolysis", "haemolytic anaemia"]}),
    ],
    "Nervous system": [
        ("delirium", "Delirium", {}),
        ("psychosis", "Psychosis", {}),
        ("seizure", "Seizure", {}),
    ],
    "General": [
        ("fatigue", "Fatigue", {}),
        ("fever", "Fever", {}),
        ("lymphadenopathy", "Lymphadenopathy", {}),
    ],
}

FEATURE = [
    (code, label, None, {"organ": organ, **extra})
    for organ, rows in _FEATURES_BY_ORGAN.items()
    for code, label, extra in rows
]
