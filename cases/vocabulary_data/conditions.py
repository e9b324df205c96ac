"""condition (data-model.md): SNOMED CT and ICD-10 where domain.md §1.1 marks them verified."""

CONDITION = [
    ("ssc", "Systemic sclerosis", None, {"snomed": "89155008", "icd10": "M34.9", "synonyms": ["SSc", "scleroderma"]}),
    ("ssc_diffuse", "Diffuse cutaneous systemic sclerosis", "ssc", {"icd10": "M34.0", "synonyms": ["dcSSc"]}),
    (
        "ssc_limited",
        "Limited cutaneous systemic sclerosis (incl. CREST)",
        "ssc",
        {"icd10": "M34.1", "synonyms": ["lcSSc", "CREST"]},
    ),
    ("ssc_sine", "Systemic sclerosis sine scleroderma", "ssc", {}),
    (
        "sjogren",
        "Sjögren's syndrome",
        None,
        {"snomed": "83901003", "icd10": "M35.0", "synonyms": ["Sjogren", "SjS", "sicca syndrome"]},
    ),
    ("sjogren_primary", "Primary Sjögren's syndrome", "sjogren", {"synonyms": ["pSS"]}),
    ("sjogren_secondary", "Secondary Sjögren's syndrome", "sjogren", {}),
    (
        "sle",
        "Systemic lupus erythematosus",
        None,
        {"snomed": "55464009", "icd10": "M32.9", "synonyms": ["SLE", "lupus"]},
    ),
    ("cle", "Cutaneous lupus erythematosus", None, {"synonyms": ["CLE"]}),
    ("lupus_panniculitis", "Lupus panniculitis", "cle", {"synonyms": ["lupus profundus"]}),
    ("dm", "Dermatomyositis", None, {"snomed": "396230008", "icd10": "M33.1", "synonyms": ["DM"]}),
    ("jdm", "Juvenile dermatomyositis", "dm", {"icd10": "M33.0", "synonyms": ["JDM"]}),
    ("amyopathic_dm", "Amyopathic dermatomyositis", "dm", {"synonyms": ["CADM"]}),
    ("pm", "Polymyositis", None, {"icd10": "M33.2", "synonyms": ["PM"]}),
    ("mctd", "Mixed connective tissue disease", None, {"icd10": "M35.1", "synonyms": ["MCTD"]}),
    ("uctd", "Undifferentiated connective tissue disease", None, {"synonyms": ["UCTD"]}),
    ("overlap", "Overlap syndrome", None, {}),
    ("ra", "Rheumatoid arthritis", None, {"icd10": "M06.9", "synonyms": ["RA"]}),
    ("other", "Other", None, {}),
]
