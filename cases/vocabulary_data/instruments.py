"""instrument (clinical-v2.md §2): the scores an assessment records, with their range and step.

``higher_is_worse``: how a score reads over time (only the MMT8 rises as the patient improves).
"""

INSTRUMENT = [
    (code, label, None, {"minimum": low, "maximum": high, "step": step, "higher_is_worse": worse})
    for code, label, low, high, step, worse in [
        ("mrss", "Modified Rodnan skin score", "0", "51", "1", True),
        ("pain_nrs", "Pain (numeric rating scale)", "0", "10", "1", True),
        ("patient_global", "Patient global assessment", "0", "10", "0.1", True),
        ("physician_global", "Physician global assessment", "0", "10", "0.1", True),
        ("haq_di", "HAQ disability index", "0", "3", "0.125", True),
        ("chfs", "Cochin hand function scale", "0", "90", "1", True),
        ("cdasi_activity", "CDASI activity", "0", "100", "1", True),
        ("cdasi_damage", "CDASI damage", "0", "32", "1", True),
        ("mmt8", "Manual muscle testing (MMT8)", "0", "80", "1", False),
        ("essdai", "ESSDAI", "0", "123", "1", True),
        ("esspri", "ESSPRI", "0", "10", "0.1", True),
        ("sledai_2k", "SLEDAI-2K", "0", "105", "1", True),
        ("sctc_hand_simple", "SCTC hand radiograph score, simple (0 none – 3 severe)", "0", "3", "1", True),
    ]
]
