"""The two published cases the registry was founded on, as case documents.

Each fact of the reports (see data-model.md, "The founding cases, as data")
is a field here; the loader stores them through ``case_create`` like any
other case. ``local_reference`` is the key that keeps loading idempotent.
"""

_RADIOGRAPH_NONPALPABLE = {"detected_by": "radiograph", "palpable": False}


def _site(region, laterality, **extra):
    return {"region": region, "laterality": laterality, **_RADIOGRAPH_NONPALPABLE, **extra}


def _present(*codes, notes=None):
    notes = notes or {}
    return [{"feature": code, "status": "present", "notes": notes.get(code, "")} for code in codes]


SSC_UNIVERSALIS = {
    "site": "literature",
    "source": "literature",
    "local_reference": "founding-ssc-universalis",
    "publication": {
        "doi": "10.5336/caserep.2019-65627",
        "title": "Calcinosis Cutis Universalis in a Patient with Systemic Sclerosis",
        "journal": "Türkiye Klinikleri Journal of Case Reports",
        "year": 2020,
        "authors": "Düzgün N",
        "citation": "Düzgün N. Calcinosis cutis universalis in a patient with systemic sclerosis. "
        "Turkiye Klinikleri J Case Rep. 2020. doi:10.5336/caserep.2019-65627",
    },
    "sex": "female",
    "age_at_presentation": 44,
    "country": "TR",
    "consent": "verbal",
    "calcinosis_etiology": "dystrophic",
    "calcinosis_extent": "universalis",
    "status": "submitted",
    "summary": (
        "44-year-old woman with diffuse cutaneous systemic sclerosis for 25 years, with skin, pulmonary, "
        "gastrointestinal and musculoskeletal involvement. First Raynaud's phenomenon, fatigue and "
        "polyarthralgia, then swelling of the fingers; after 8 years progressive skin thickening and "
        "pigmentation changes of face and hands, heartburn, dysphagia and exertional dyspnoea. Examination: "
        "skin thickening of hands, forearms and face with hypo- and hyperpigmentation, healed digital ischaemic "
        "ulcers on hands and heels, telangiectasia, microstomia, bilateral flexion contractures of the fingers, "
        "shortened distal fingers (acro-osteolysis), muscle atrophy and weakness of arms and thighs with "
        "significant disability; infected and ulcerated lesions on the heels. Plain radiographs showed "
        "severe, extensive, symmetrical, non-palpable soft-tissue calcinosis near the joints of both upper and "
        "lower limbs, the sternoclavicular and costochondral junctions, the ischial tuberosity, the left femoral "
        "neck and near the symphysis pubis. No significant response to low-dose corticosteroid, aspirin, a "
        "calcium channel blocker, antacids, a bisphosphonate and pain medication."
    ),
    "diagnoses": [
        {
            "condition": "ssc_diffuse",
            "is_primary": True,
            "age_at_diagnosis": 19,
            "duration_years": 25,
            "criteria": "none_stated",
            "notes": "Skin, pulmonary, gastrointestinal and musculoskeletal involvement.",
        },
    ],
    "features": _present(
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
        notes={
            "arthralgia": "Polyarthralgia at onset.",
            "puffy_fingers": "Swelling of the fingers early in the disease.",
            "skin_thickening": "Hands, forearms and face.",
            "skin_thickening_proximal_mcp": "Hands and forearms.",
            "pigmentation_changes": "Hypo- and hyperpigmented areas of face and hands.",
            "digital_ulcers": "Healed ischaemic ulcers on hands and heels.",
            "flexion_contractures": "Bilateral, fingers.",
            "acro_osteolysis": "Shortened distal fingers; resorption of the digital tufts on radiograph.",
            "muscle_atrophy": "Arms and thighs.",
            "muscle_weakness": "Arms and thighs.",
            "gerd": "On endoscopy.",
            "esophageal_dysmotility": "On endoscopy.",
            "ild": "On thorax CT.",
        },
    ),
    "serology": [
        {"test": "ana", "result": "positive", "titer": 320, "pattern": "nucleolar"},
        {"test": "rf", "result": "positive"},
        {"test": "anti_scl70", "result": "positive"},
        {"test": "anti_centromere", "result": "negative"},
        {"test": "anti_dsdna", "result": "negative", "notes": "Native DNA."},
        {"test": "anti_sm", "result": "negative"},
        {"test": "anti_u1rnp", "result": "negative"},
    ],
    "labs": [],
    "calcinosis_sites": [
        _site("hand", "bilateral", notes="Soft-tissue calcinosis on hand radiograph."),
        _site("elbow", "bilateral", morphology="tumoral"),
        _site("hip", "left", notes="Calcinosis masses at the left femoral neck."),
        _site("symphysis_pubis", "midline", notes="Calcinosis masses near the symphysis pubis."),
        _site("toe", "bilateral"),
        _site("sole", "bilateral", notes="Footpad."),
        _site("sternoclavicular", "bilateral"),
        _site("costochondral", "bilateral"),
        _site("ischial_tuberosity", "unknown"),
    ],
    "treatments": [
        {
            "agent": "corticosteroid",
            "route": "oral",
            "dose": "low dose",
            "indication": "calcinosis",
            "response": "none",
        },
        {"agent": "aspirin", "route": "oral", "indication": "calcinosis", "response": "none"},
        {"agent": "ccb", "route": "oral", "indication": "calcinosis", "response": "none"},
        {"agent": "antacid", "route": "oral", "indication": "calcinosis", "response": "none"},
        {"agent": "bisphosphonate", "route": "unknown", "indication": "calcinosis", "response": "none"},
        {
            "agent": "analgesic",
            "route": "unknown",
            "indication": "symptomatic",
            "response": "none",
            "notes": "Pain medication.",
        },
    ],
}

_RIGHT_FINGER_SITES = [
    {
        "region": "finger_5",
        "laterality": "right",
        "digit_segment": "fingertip",
        "detected_by": "clinical_exam",
        "morphology": "punctate",
        "painful": False,
        "ulcerated": False,
        "notes": "Small yellowish-white nodules on the fingertip; painless, punctiform white subcutaneous nodules.",
    },
    {
        "region": "finger_1",
        "laterality": "right",
        "digit_segment": "distal",
        "detected_by": "radiograph",
        "notes": "Soft-tissue calcification, distal first finger.",
    },
    {
        "region": "finger_5",
        "laterality": "right",
        "digit_segment": "distal",
        "detected_by": "radiograph",
        "notes": "Soft-tissue calcification, distal fifth finger.",
    },
    {
        "region": "finger_1",
        "laterality": "right",
        "detected_by": "histology",
        "notes": "Earlier biopsy of a finger lesion: consistent with calcinosis.",
    },
    {
        "region": "finger_4",
        "laterality": "right",
        "detected_by": "histology",
        "notes": "Earlier biopsy of a finger lesion: consistent with calcinosis.",
    },
]
_ALL_FINGER_SITES = list(range(len(_RIGHT_FINGER_SITES)))

SJOGREN_DIGITAL = {
    "site": "literature",
    "source": "literature",
    "local_reference": "founding-sjogren-digital",
    "publication": {
        "title": "Calcinosis cutis in Sjögren's syndrome",
        "journal": "Dermatologie Praxis",
        "year": 2024,
        "citation": "Dermatologie Praxis 2024; 34(5): 50–51. After Akhila APV, et al. A case of calcinosis "
        "cutis in a patient with Sjögren syndrome. Annals of Internal Medicine: Clinical Cases 2024; 3(6). "
        "doi:10.7326/aimcc.2023.1411",
    },
    "sex": "female",
    "age_at_presentation": 56,
    "country": "",
    "consent": "not_recorded",
    "calcinosis_etiology": "dystrophic",
    "calcinosis_extent": "localized",
    "status": "submitted",
    "summary": (
        "56-year-old woman with Sjögren's syndrome diagnosed 20 years earlier (oral and ocular sicca, strongly "
        "positive anti-Ro, positive Schirmer test; no salivary gland biopsy documented), well controlled on "
        "hydroxychloroquine 200 mg daily. Course: asymptomatic CK elevation with negative myositis and muscular "
        "dystrophy panel and negative muscle biopsy; chronic stable autoimmune thrombocytopenia; history of "
        "Raynaud's phenomenon. Small yellowish-white nodules on the fingertip of the right little finger, "
        "painless punctiform white subcutaneous nodules. No lymphadenopathy, telangiectasia, skin or mucosal "
        "ulcers; joints fully mobile without synovitis; oral mucosa dry. Renal function, calcium and phosphate "
        "normal. Radiograph of the right hand: soft-tissue calcification of the distal first and fifth fingers; "
        "earlier biopsies of right thumb and fourth finger lesions consistent with calcinosis, no scleroderma. "
        "The finger lesions did not resolve with topical tretinoin and intradermal sodium thiosulfate; surgical "
        "curettage at the patient's request. Because calcinosis is rare in Sjögren's syndrome and she had "
        "Raynaud's phenomenon, she is monitored for signs of systemic sclerosis / CREST syndrome."
    ),
    "diagnoses": [
        {
            "condition": "sjogren",
            "is_primary": True,
            "age_at_diagnosis": 36,
            "duration_years": 20,
            "criteria": "none_stated",
            "notes": "Oral and ocular sicca, strongly positive anti-Ro and a positive Schirmer test at diagnosis.",
        },
    ],
    "features": _present(
        "dry_eyes",
        "dry_mouth",
        "thrombocytopenia",
        "raynaud",
        notes={
            "thrombocytopenia": "Chronic stable autoimmune thrombocytopenia.",
            "raynaud": "History of.",
            "dry_mouth": "Dry oral mucosa on examination.",
        },
    )
    + [
        {"feature": "telangiectasia", "status": "absent", "notes": ""},
        {"feature": "digital_ulcers", "status": "absent", "notes": "No skin or mucosal ulcers."},
        {
            "feature": "myositis",
            "status": "absent",
            "notes": "Asymptomatic CK elevation; negative myositis and muscular dystrophy panel and muscle biopsy.",
        },
        {
            "feature": "arthritis",
            "status": "absent",
            "notes": "Joints fully mobile, no redness, swelling or tenderness.",
        },
    ],
    "serology": [
        {"test": "ana", "result": "positive", "titer": 160, "pattern": "nuclear"},
        {"test": "anti_ro_ssa", "result": "positive", "notes": "Strongly positive."},
    ],
    "labs": [
        {"test": "calcium", "interpretation": "normal"},
        {"test": "phosphate", "interpretation": "normal"},
        {"test": "creatinine", "interpretation": "normal", "notes": "Renal function normal."},
        {"test": "crp", "interpretation": "normal", "notes": "Inflammatory markers normal."},
        {"test": "ck", "interpretation": "high", "notes": "Asymptomatic elevation."},
        {"test": "schirmer", "interpretation": "abnormal", "notes": "Positive Schirmer test at diagnosis."},
    ],
    "calcinosis_sites": _RIGHT_FINGER_SITES,
    "treatments": [
        {
            "agent": "hydroxychloroquine",
            "route": "oral",
            "dose": "200 mg daily",
            "indication": "underlying_disease",
            "response": "not_assessed",
            "notes": "Disease well controlled; continued unchanged.",
        },
        {
            "agent": "tretinoin",
            "route": "topical",
            "indication": "calcinosis",
            "response": "none",
            "site_indexes": _ALL_FINGER_SITES,
        },
        {
            "agent": "sodium_thiosulfate",
            "route": "intradermal",
            "indication": "calcinosis",
            "response": "none",
            "site_indexes": _ALL_FINGER_SITES,
        },
        {
            "agent": "curettage",
            "route": "procedure",
            "indication": "calcinosis",
            "response": "not_assessed",
            "site_indexes": _ALL_FINGER_SITES,
            "notes": "Surgical curettage at the patient's request.",
        },
    ],
}

FOUNDING_CASES = [SSC_UNIVERSALIS, SJOGREN_DIGITAL]
