"""What the calcinosis looks like, how it is treated and how it goes: the lesions, courses and follow-up.

Sources as in ``profiles``: hands and their fingers after Valenzuela 2020; responses after Balin 2012
(diltiazem 9/17 partial, surgery 22/28 complete) and the topical thiosulfate review (CR 19%, PR 60%, NR 21%);
indications after the founding cases (clinical-v2.md §8): a calcium channel blocker is most often given for
Raynaud's, hydroxychloroquine and immunosuppressants for the disease, antacids for reflux. Weights that no
series gives are plausible guesses, kept coarse on purpose.
"""

# Hand lesions: fingers thumb-first (Valenzuela 2020), a finger not named, the palm, the hand as a whole.
HAND_REGIONS = {
    "finger_1": 19,
    "finger_2": 16,
    "finger_3": 13,
    "finger_4": 10,
    "finger_5": 8,
    "finger": 14,
    "palm": 4,
    "hand": 16,
}
SITES_BY_EXTENT = {"localized": (1, 2), "multiple": (2, 6), "universalis": (6, 14), "unknown": (1, 3)}

# The side of a lesion, by the region's laterality rule (vocabulary region): a digit is rarely "unknown".
LATERALITY = {
    "paired": {"left": 33, "right": 35, "bilateral": 27, "unknown": 5},
    "midline": {"midline": 85, "unknown": 15},
    "any": {"midline": 45, "left": 15, "right": 15, "bilateral": 10, "unknown": 15},
}
LATERALITY_DIGIT = {"left": 40, "right": 40, "bilateral": 20}
DIGIT_SEGMENTS = {"fingertip": 45, "distal": 35, "middle": 12, "proximal": 8}

# How a lesion was seen: the first method, then each further one (a radiograph beside the examination …).
METHODS = {
    "radiograph": 52,
    "clinical_exam": 26,
    "ultrasound": 7,
    "ct": 6,
    "histology": 5,
    "mri": 2,
    "scintigraphy": 2,
}
FURTHER_METHOD = 0.35  # the chance of a second method, and again of a third
# Depth by morphology: tumoral deposits sit around joints, sheets along fascia and muscle.
DEPTH_RECORDED = 0.6
DEPTH = {
    "tumoral": {"periarticular": 40, "subcutaneous": 25, "fascial": 10, "intramuscular": 5, "unknown": 20},
    "sheet": {"fascial": 40, "intramuscular": 25, "subcutaneous": 15, "unknown": 20},
    "plate": {"subcutaneous": 40, "fascial": 20, "dermal": 10, "unknown": 30},
    "linear": {"intramuscular": 30, "fascial": 30, "tendon": 10, "subcutaneous": 10, "unknown": 20},
    "punctate": {"dermal": 50, "subcutaneous": 30, "unknown": 20},
    "other": {"subcutaneous": 55, "dermal": 15, "periarticular": 5, "fascial": 3, "intramuscular": 2, "unknown": 20},
}

# Courses per case: how many.
COURSES = {0: 18, 1: 30, 2: 25, 3: 15, 4: 7, 5: 3, 6: 2}

_CALCINOSIS = {"calcinosis": 88, "unclear": 12}
_PROCEDURE = {"calcinosis": 97, "unclear": 3}
_DISEASE = {"underlying_disease": 88, "unclear": 12}
_CCB = {"raynaud_vasculopathy": 85, "calcinosis": 5, "unclear": 10}
_BIOLOGIC = {"underlying_disease": 52, "calcinosis": 38, "unclear": 10}

# Agent → (routes with weights, indications with weights, typical doses).
AGENT_USE: dict[str, tuple[dict[str, int], dict[str, int], tuple[str, ...]]] = {
    # Diltiazem is the calcium channel blocker tried for calcinosis itself; still mostly given for Raynaud's.
    "diltiazem": (
        {"oral": 1},
        {"raynaud_vasculopathy": 55, "calcinosis": 35, "unclear": 10},
        ("120 mg daily", "180 mg daily", "240 mg daily", "360 mg daily"),
    ),
    "nifedipine": ({"oral": 1}, _CCB, ("30 mg daily", "60 mg daily")),
    "amlodipine": ({"oral": 1}, _CCB, ("5 mg daily", "10 mg daily")),
    "ccb": ({"oral": 1}, _CCB, ("",)),
    "sodium_thiosulfate": (
        {"topical": 40, "intralesional": 35, "iv": 20, "intradermal": 5},
        {"calcinosis": 95, "unclear": 5},
        ("20% ointment twice daily", "250 mg/mL monthly", "150 mg/mL", "12.5 g three times weekly"),
    ),
    "alendronate": ({"oral": 1}, {"calcinosis": 80, "other": 8, "unclear": 12}, ("70 mg weekly", "10 mg daily")),
    "risedronate": ({"oral": 1}, {"calcinosis": 80, "other": 8, "unclear": 12}, ("35 mg weekly",)),
    "etidronate": ({"oral": 1}, _CALCINOSIS, ("400 mg daily for 14 days every 3 months",)),
    "pamidronate": ({"iv": 1}, _CALCINOSIS, ("60 mg every 3 months", "1 mg/kg monthly")),
    "zoledronate": ({"iv": 1}, {"calcinosis": 80, "other": 8, "unclear": 12}, ("5 mg yearly",)),
    "bisphosphonate": ({"oral": 60, "iv": 40}, _CALCINOSIS, ("",)),
    "colchicine": ({"oral": 1}, _CALCINOSIS, ("0.5 mg twice daily", "1 mg daily")),
    "minocycline": ({"oral": 1}, _CALCINOSIS, ("50 mg daily", "100 mg daily")),
    "warfarin": ({"oral": 1}, {"calcinosis": 80, "other": 5, "unclear": 15}, ("1 mg daily", "low dose")),
    "aluminium_hydroxide": (
        {"oral": 1},
        {"calcinosis": 80, "gerd": 8, "unclear": 12},
        ("1.8 g daily", "600 mg three times daily"),
    ),
    "antacid": ({"oral": 1}, {"gerd": 90, "unclear": 10}, ("",)),
    "probenecid": ({"oral": 1}, _CALCINOSIS, ("500 mg twice daily",)),
    "aspirin": (
        {"oral": 1},
        {"raynaud_vasculopathy": 40, "calcinosis": 25, "unclear": 35},
        ("81 mg daily", "100 mg daily"),
    ),
    "triamcinolone": ({"intralesional": 1}, _CALCINOSIS, ("20 mg/mL", "10 mg/mL")),
    "prednisone": ({"oral": 1}, _DISEASE, ("5 mg daily", "10 mg daily", "1 mg/kg daily")),
    "prednisolone": ({"oral": 1}, _DISEASE, ("5 mg daily", "7.5 mg daily")),
    "methylprednisolone": ({"iv": 1}, _DISEASE, ("1 g pulses for 3 days",)),
    "hydroxychloroquine": ({"oral": 1}, _DISEASE, ("200 mg daily", "400 mg daily")),
    "methotrexate": ({"oral": 60, "sc": 40}, _DISEASE, ("15 mg weekly", "20 mg weekly")),
    "mycophenolate": ({"oral": 1}, _DISEASE, ("1 g twice daily", "1.5 g twice daily")),
    "azathioprine": ({"oral": 1}, _DISEASE, ("100 mg daily", "150 mg daily")),
    "cyclophosphamide": ({"iv": 1}, _DISEASE, ("500 mg/m2 monthly",)),
    "rituximab": ({"iv": 1}, _BIOLOGIC, ("1 g twice, two weeks apart", "375 mg/m2 weekly x4")),
    "ivig": ({"iv": 1}, _BIOLOGIC, ("2 g/kg monthly",)),
    "infliximab": ({"iv": 1}, _BIOLOGIC, ("5 mg/kg every 8 weeks",)),
    "etanercept": ({"sc": 1}, _DISEASE, ("50 mg weekly",)),
    "adalimumab": ({"sc": 1}, _DISEASE, ("40 mg every 2 weeks",)),
    "tretinoin": ({"topical": 1}, _CALCINOSIS, ("0.05% cream daily",)),
    "surgical_excision": ({"procedure": 1}, _PROCEDURE, ("",)),
    "curettage": ({"procedure": 1}, _PROCEDURE, ("",)),
    "debridement": ({"procedure": 1}, _PROCEDURE, ("",)),
    "co2_laser": ({"procedure": 1}, _PROCEDURE, ("",)),
    "eswl": ({"procedure": 1}, _PROCEDURE, ("3 sessions",)),
    "analgesic": ({"oral": 1}, {"symptomatic": 90, "unclear": 10}, ("as needed",)),
    "antibiotic": ({"oral": 70, "iv": 30}, {"infection": 90, "unclear": 10}, ("",)),
}
# A published report leaves the reason unsaid more often: this share of its courses become "unclear".
LITERATURE_UNCLEAR = 0.08
# Agents given at particular lesions (the course names the sites it targeted).
LOCAL_AGENTS = {
    "sodium_thiosulfate",
    "triamcinolone",
    "tretinoin",
    "surgical_excision",
    "curettage",
    "debridement",
    "co2_laser",
    "eswl",
}
# A systemic course for the calcinosis names every lesion as its target this often.
SYSTEMIC_TARGETS_ALL = 0.4

# Response weights of a course given for the calcinosis (or for a reason unsaid):
# complete, partial, none, progression, not assessed.
RESPONSES = ("complete", "partial", "none", "progression", "not_assessed")
_RESPONSE_WEIGHTS = {
    "surgical_excision": (70, 12, 5, 5, 8),
    "curettage": (55, 20, 10, 5, 10),
    "debridement": (35, 30, 15, 5, 15),
    "co2_laser": (30, 40, 15, 5, 10),
    "eswl": (10, 40, 35, 5, 10),
    "diltiazem": (5, 45, 38, 5, 7),
    "nifedipine": (3, 30, 50, 7, 10),
    "amlodipine": (3, 30, 50, 7, 10),
    "ccb": (3, 35, 45, 7, 10),
    "sodium_thiosulfate": (17, 52, 20, 3, 8),
    "triamcinolone": (10, 40, 35, 5, 10),
    "tretinoin": (2, 20, 60, 8, 10),
    "alendronate": (8, 32, 42, 8, 10),
    "risedronate": (8, 32, 42, 8, 10),
    "etidronate": (5, 30, 47, 8, 10),
    "pamidronate": (12, 38, 35, 5, 10),
    "zoledronate": (8, 32, 42, 8, 10),
    "bisphosphonate": (8, 32, 42, 8, 10),
    "warfarin": (1, 12, 70, 10, 7),
    "colchicine": (3, 22, 60, 5, 10),
    "minocycline": (8, 35, 42, 5, 10),
    "aluminium_hydroxide": (8, 30, 45, 7, 10),
    "probenecid": (5, 30, 50, 5, 10),
    "aspirin": (3, 25, 55, 7, 10),
    "rituximab": (10, 45, 30, 5, 10),
    "ivig": (12, 45, 28, 5, 10),
    "infliximab": (12, 40, 30, 8, 10),
    "analgesic": (0, 30, 15, 0, 55),  # partial: pain relieved
}
_DEFAULT_RESPONSE = (2, 15, 20, 5, 58)
_BY_AGENT = {agent: dict(zip(RESPONSES, weights, strict=True)) for agent, weights in _RESPONSE_WEIGHTS.items()}
_DEFAULT = dict(zip(RESPONSES, _DEFAULT_RESPONSE, strict=True))


def response_weights(agent: str) -> dict[str, int]:
    return _BY_AGENT.get(agent, _DEFAULT)


# A course given for something else than the calcinosis has no calcinosis outcome of its own.
NO_CALCINOSIS_OUTCOME = {"underlying_disease", "raynaud_vasculopathy", "gerd", "infection", "other"}
# A published report that says only that the lesions did not resolve: this share of partial and no responses.
LITERATURE_NOT_COMPLETE = 0.15

# Regimens: courses that the source evaluated together, one outcome for all of them.
REGIMEN_SHARE = 0.15  # of the cases with two courses or more
REGIMEN_SIZE = {2: 50, 3: 30, 4: 15, 5: 5}
REGIMEN_SCOPE = 0.85  # the rest share the label but report each course's own outcome

RESPONSE_BASIS = {"size": 30, "imaging": 20, "symptoms": 20, "global": 15, "unstated": 15}
RESPONSE_BASIS_LITERATURE = {"size": 20, "imaging": 20, "symptoms": 15, "global": 15, "unstated": 30}
# A size change is given with a size or imaging basis (mostly), rarely otherwise.
SIZE_CHANGE_WITH_SIZE = 0.9
SIZE_CHANGE_OTHERWISE = 0.1
# The size change each response allows (percent, negative = shrinkage): clinical-v2.md §1.
SIZE_CHANGE = {"complete": (-100, -100), "partial": (-90, -25), "none": (-10, 10), "progression": (26, 200)}
RESPONSE_AT_MONTHS = (1, 2, 3, 6, 9, 12, 18, 24)

STOP_REASONS_STOPPED = {
    "failed": {"ineffective": 50, "adverse_event": 20, "patient_choice": 10, "completed": 10, "unknown": 10},
    "worked": {"completed": 60, "adverse_event": 15, "patient_choice": 10, "unknown": 15},
    "other": {"unknown": 40, "completed": 30, "adverse_event": 15, "patient_choice": 15},
}
STOP_REASONS_RUNNING = {"ongoing": 55, "unknown": 45}

# Follow-up: about half of the clinic cases come back, at visits on this schedule (months from presentation).
FOLLOW_UP_SHARE = 0.5
VISITS = {1: 20, 2: 30, 3: 25, 4: 15, 5: 10}
VISIT_MONTHS = (0, 3, 6, 12, 18, 24, 36, 48, 60)
FIRST_VISIT_AT_PRESENTATION = 0.7
VISIT_OFF_SCHEDULE = 0.2  # a visit a month later than planned
# What a lesion does without a treatment that says otherwise: change in percent, reached over two years.
NATURAL_COURSE = {"stable": 60, "larger": 22, "smaller": 13, "resolved": 5}
NATURAL_CHANGE = {"stable": (-10, 10), "larger": (25, 100), "smaller": (-60, -25), "resolved": (-100, -100)}
FINDING_RECORDED = 0.85
# Scores every disease records (instrument → mean, sd at presentation), and how often a patient has each.
COMMON_INSTRUMENTS = {
    "pain_nrs": (4, 2.5),
    "haq_di": (0.9, 0.6),
    "patient_global": (4.5, 2),
    "physician_global": (3.5, 2),
}
INSTRUMENT_RECORDED = {"pain_nrs": 0.7, "haq_di": 0.5, "patient_global": 0.3, "physician_global": 0.3}
DISEASE_INSTRUMENT_RECORDED = 0.7
