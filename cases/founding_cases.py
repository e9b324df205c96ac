"""The two published cases the registry was founded on, as case documents (clinical-v2.md §8).

Each fact of the reports (``../shared/seeds/``, read as data-model.md's "The founding cases, as data" and
as clinical-v2.md §8 corrects it) is a field here; the loader stores them through ``case_create`` like any
other case. ``local_reference`` is the key that keeps loading idempotent.
"""


def _site(region, laterality, **extra):
    """A lesion seen on the plain radiographs of case 1, not palpable (the report says so of all of them)."""
    return {"region": region, "laterality": laterality, "methods": ["radiograph"], "palpable": False, **extra}


def _features(status, *codes, notes=None, timing=None):
    notes, timing = notes or {}, timing or {}
    return [
        {"feature": code, "status": status, "timing": timing.get(code, "unknown"), "notes": notes.get(code, "")}
        for code in codes
    ]


def _regimen_a(agent, indication, route="unknown", **extra):
    """Case 1's six drugs: the report gives one outcome for them together ("we did not observe a significant
    response"), so each carries it for the regimen, never as its own."""
    return {
        "agent": agent,
        "route": route,
        "indication": indication,
        "regimen": "A",
        "response": "none",
        "response_scope": "regimen",
        "response_basis": "unstated",
        **extra,
    }


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
    "consent_scope": ["publication"],
    "calcinosis_etiology": "dystrophic",
    "calcinosis_extent": "universalis",
    "status": "submitted",
    "summary": (
        "44-year-old woman with diffuse cutaneous systemic sclerosis for 25 years, with skin, pulmonary, "
        "gastrointestinal and musculoskeletal involvement. First Raynaud's phenomenon, fatigue and "
        "polyarthralgia, then swelling of the fingers; after 8 years progressive skin thickening and "
        "pigmentation changes of face and hands, heartburn, dysphagia and exertional dyspnoea. Examination: "
        "skin thickening of hands, forearms and face with hypo- and hyperpigmentation, sclerodactyly, healed "
        "digital ischaemic ulcers on hands and heels, telangiectasia, microstomia, bilateral flexion contractures "
        "of the fingers, shortened distal fingers (acro-osteolysis), muscle atrophy and weakness of arms and "
        "thighs with significant disability; infected and ulcerated lesions on the heels. Plain radiographs "
        "showed severe, extensive, symmetrical, non-palpable subcutaneous calcinosis near the joints of both "
        "upper and lower limbs, the sternoclavicular and costochondral junctions, the ischial tuberosity, the "
        "left femoral neck and near the symphysis pubis; the hand radiograph also showed osteoporosis. No "
        "significant response to low-dose corticosteroid, aspirin, a calcium channel blocker, antacids, a "
        "bisphosphonate and pain medication, given together."
    ),
    "diagnoses": [
        {
            "condition": "ssc_diffuse",
            "is_primary": True,
            "certainty": "confirmed",
            "age_at_onset": 19,
            "age_at_diagnosis": None,
            "duration_years": 25,
            "duration_basis": "since_onset",
            "criteria_stated": [],
            "notes": "Skin, pulmonary, gastrointestinal and musculoskeletal involvement; 25 years of disease at 44.",
        },
    ],
    "features": _features(
        "present",
        "raynaud",
        "fatigue",
        "arthralgia",
        "puffy_fingers",
        "sclerodactyly",
        "skin_thickening",
        "skin_thickening_proximal_mcp",
        "pigmentation_changes",
        "telangiectasia",
        "microstomia",
        "digital_ulcers",
        "digital_tip_ulcers",
        "non_digital_ulcers",
        "flexion_contractures",
        "acro_osteolysis",
        "muscle_atrophy",
        "muscle_weakness",
        "gerd",
        "esophageal_dysmotility",
        "dysphagia",
        "dyspnoea",
        "ild",
        "osteoporosis",
        notes={
            "arthralgia": "Polyarthralgia at onset.",
            "puffy_fingers": "Swelling of the fingers early in the disease.",
            "sclerodactyly": "Fig. 1a.",
            "skin_thickening": "Hands, forearms and face.",
            "skin_thickening_proximal_mcp": "Hands and forearms.",
            "pigmentation_changes": "Hypo- and hyperpigmented areas of face and hands.",
            "digital_ulcers": "Healed ischaemic ulcers on the hands.",
            "digital_tip_ulcers": "Healed digital ischaemic ulcers.",
            "non_digital_ulcers": "Ulcers of the heels: healed ischaemic ones, and infected, ulcerated lesions now.",
            "flexion_contractures": "Bilateral, fingers.",
            "acro_osteolysis": "Shortened distal fingers; resorption of the digital tufts on radiograph.",
            "muscle_atrophy": "Arms and thighs.",
            "muscle_weakness": "Arms and thighs.",
            "gerd": "Heartburn; reflux on endoscopy.",
            "esophageal_dysmotility": "On endoscopy.",
            "dyspnoea": "On exertion.",
            "ild": "On thorax CT.",
            "osteoporosis": "On the hand radiograph (Fig. 1b).",
        },
        timing={"digital_ulcers": "past", "digital_tip_ulcers": "past", "non_digital_ulcers": "current"},
    ),
    "serology": [
        {"test": "ana", "result": "positive", "titer": 320, "pattern": "nucleolar", "notes": "Titre 1/320."},
        {"test": "rf", "result": "positive"},
        {"test": "anti_scl70", "result": "positive"},
        {"test": "anti_centromere", "result": "negative"},
        {"test": "anti_dsdna", "result": "negative", "notes": "Native DNA."},
        {"test": "anti_sm", "result": "negative"},
        {"test": "anti_u1rnp", "result": "negative"},
    ],
    "labs": [],
    "biopsies": [],
    # "the symetrical distribution of the sub cutaneous calcinosis was radiologically revealed on the hands,
    # the extremities and the trunk, and they were nonpalpable"
    "calcinosis_sites": [
        _site("hand", "bilateral", depth="subcutaneous", notes="Soft-tissue calcinosis on hand radiograph."),
        _site("elbow", "bilateral", morphology="tumoral", depth="subcutaneous", notes="Tumoral calcification."),
        _site("hip", "left", notes="Calcinosis masses at the left femoral neck."),
        _site("symphysis_pubis", "midline", notes="Calcinosis masses near the symphysis pubis."),
        _site("toe", "bilateral", depth="subcutaneous"),
        _site("sole", "bilateral", depth="subcutaneous", notes="Footpad."),
        _site("sternoclavicular", "bilateral", depth="subcutaneous"),
        _site("costochondral", "bilateral", depth="subcutaneous"),
        _site("ischial_tuberosity", "unknown", notes="Tuberositas ischii; side not stated."),
    ],
    "treatments": [
        _regimen_a("corticosteroid", "underlying_disease", route="oral", dose="low dose"),
        _regimen_a("aspirin", "unclear", route="oral", notes="Acetylsalicylic acid; the report does not say why."),
        _regimen_a("ccb", "raynaud_vasculopathy", route="oral", notes="Calcium channel blocker."),
        _regimen_a("antacid", "gerd", route="oral", notes="For the heartburn and reflux."),
        _regimen_a("bisphosphonate", "calcinosis"),
        _regimen_a("analgesic", "symptomatic", notes="Pain medication."),
    ],
    "assessments": [],
}

# Case 2's lesions, each one row with every method that saw it (clinical-v2.md §8).
_RIGHT_FINGER_SITES = [
    {
        "region": "finger_5",
        "laterality": "right",
        "digit_segment": "fingertip",
        "methods": ["radiograph", "clinical_exam"],
        "morphology": "punctate",
        "depth": "subcutaneous",
        "painful": False,
        "ulcerated": False,
        "notes": "Small yellowish-white nodules on the fingertip; painless, punctiform white subcutaneous nodules; "
        "soft-tissue calcification of the distal fifth finger on radiograph.",
    },
    {
        "region": "finger_1",
        "laterality": "right",
        "digit_segment": "distal",
        "methods": ["radiograph", "histology"],
        "notes": "Soft-tissue calcification of the distal first finger on radiograph; an earlier biopsy of a thumb "
        "lesion consistent with calcinosis.",
    },
    {
        "region": "finger_4",
        "laterality": "right",
        "methods": ["histology"],
        "notes": "Earlier biopsy of a lesion of the fourth finger: consistent with calcinosis.",
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
        "summarises": {"doi": "10.7326/aimcc.2023.1411"},
    },
    "sex": "female",
    "age_at_presentation": 56,
    "country": "",
    "consent": "not_recorded",
    "consent_scope": [],
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
            "certainty": "confirmed",
            "age_at_diagnosis": 36,
            "duration_years": 20,
            "duration_basis": "since_diagnosis",
            "criteria_stated": [],
            "notes": "Oral and ocular sicca, strongly positive anti-Ro and a positive Schirmer test at diagnosis.",
        },
        {
            "condition": "ssc",
            "is_primary": False,
            "certainty": "suspected",
            "notes": "Monitored for signs of systemic sclerosis / CREST syndrome (calcinosis, Raynaud's history).",
        },
    ],
    "features": _features(
        "present",
        "dry_eyes",
        "dry_mouth",
        "dry_eyes_3_months",
        "dry_mouth_3_months",
        "thrombocytopenia",
        "raynaud",
        notes={
            "dry_eyes": "Ocular sicca.",
            "dry_mouth": "Oral sicca; dry oral mucosa on examination.",
            "dry_eyes_3_months": "Ocular sicca at diagnosis, 20 years ago.",
            "dry_mouth_3_months": "Oral sicca at diagnosis, 20 years ago.",
            "thrombocytopenia": "Chronic stable autoimmune thrombocytopenia.",
            "raynaud": "History of.",
        },
        timing={"raynaud": "past"},
    )
    + _features(
        "absent",
        "telangiectasia",
        "digital_ulcers",
        "non_digital_ulcers",
        "oral_ulcers",
        "lymphadenopathy",
        "myositis",
        "arthritis",
        notes={
            "digital_ulcers": "No skin or mucosal ulcers.",
            "non_digital_ulcers": "No skin ulcers.",
            "oral_ulcers": "No mucosal ulcers.",
            "myositis": "Asymptomatic CK elevation; negative myositis and muscular dystrophy panel and muscle biopsy.",
            "arthritis": "Joints fully mobile, no redness, swelling or tenderness.",
        },
    ),
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
    "biopsies": [
        {"tissue": "muscle", "findings": [], "notes": "Negative muscle biopsy."},
        {"tissue": "skin", "findings": ["no_scleroderma"], "notes": "Earlier skin biopsies: no scleroderma."},
        {
            "tissue": "calcinosis_lesion",
            "findings": ["calcification"],
            "notes": "Finger lesions of the right thumb and fourth finger: consistent with calcinosis.",
        },
    ],
    "calcinosis_sites": _RIGHT_FINGER_SITES,
    "treatments": [
        {
            "agent": "hydroxychloroquine",
            "route": "oral",
            "dose": "200 mg daily",
            "indication": "underlying_disease",
            "stop_reason": "ongoing",
            "response": "not_assessed",
            "notes": "Disease well controlled; continued unchanged.",
        },
        {
            "agent": "tretinoin",
            "route": "topical",
            "indication": "calcinosis",
            "response": "not_complete",
            "response_basis": "symptoms",
            "notes": "The symptoms in the finger area did not resolve.",
            "site_indexes": _ALL_FINGER_SITES,
        },
        {
            "agent": "sodium_thiosulfate",
            "route": "intradermal",
            "indication": "calcinosis",
            "response": "not_complete",
            "response_basis": "symptoms",
            "notes": "Injections; the symptoms in the finger area did not resolve.",
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
    "assessments": [],
}

FOUNDING_CASES = [SSC_UNIVERSALIS, SJOGREN_DIGITAL]
