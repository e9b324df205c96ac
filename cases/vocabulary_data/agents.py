"""agent (data-model.md): classes with their members. A class is a valid entry when the report names no drug.

ATC codes (clinical-v2.md §1): the list in its sources was written from memory and is not verified, so the
column ships empty; curators fill it in the admin from the WHO ATC index.
"""

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
_SYNONYMS = {
    "ccb": ["CCB"],
    "sodium_thiosulfate": ["STS", "thiosulphate", "sodium thiosulphate"],
    "aluminium_hydroxide": ["aluminum hydroxide"],
    "aspirin": ["ASA", "acetylsalicylic acid"],
    "hydroxychloroquine": ["HCQ"],
    "mycophenolate": ["MMF", "mycophenolate mofetil"],
    "methotrexate": ["MTX"],
    "ivig": ["IVIG", "IVIg"],
    "tnf_inhibitor": ["anti-TNF"],
    "d_penicillamine": ["penicillamine"],
    "co2_laser": ["CO2 laser"],
    "eswl": ["ESWL", "shock wave lithotripsy"],
    "analgesic": ["pain medication", "painkiller"],
}


def _extra(code: str) -> dict:
    return {"synonyms": _SYNONYMS[code]} if code in _SYNONYMS else {}


AGENT = [
    entry
    for code, label, members in _AGENT_CLASSES
    for entry in [(code, label, None, _extra(code))]
    + [(m, _AGENT_LABELS.get(m, m.replace("_", " ").capitalize()), code, _extra(m)) for m in members]
]
