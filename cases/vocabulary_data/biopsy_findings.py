"""biopsy_finding (clinical-v2.md §5): what a biopsy report says that the registry (and the criteria) read."""

BIOPSY_FINDING = [
    ("focal_lymphocytic_sialadenitis", "Focal lymphocytic sialadenitis", None, {}),
    ("endomysial_infiltrate", "Endomysial infiltrate of mononuclear cells", None, {}),
    ("perimysial_perivascular_infiltrate", "Perimysial and/or perivascular infiltrate", None, {}),
    ("perifascicular_atrophy", "Perifascicular atrophy", None, {}),
    ("rimmed_vacuoles", "Rimmed vacuoles", None, {}),
    ("calcification", "Calcification (consistent with calcinosis)", None, {}),
    ("no_scleroderma", "No evidence of scleroderma", None, {}),
    ("lupus_nephritis_class_2", "Lupus nephritis, ISN/RPS class II", None, {}),
    ("lupus_nephritis_class_3", "Lupus nephritis, ISN/RPS class III", None, {}),
    ("lupus_nephritis_class_4", "Lupus nephritis, ISN/RPS class IV", None, {}),
    ("lupus_nephritis_class_5", "Lupus nephritis, ISN/RPS class V", None, {}),
]
