"""Case documents whose computed criteria a test knows in advance (conftest.case_document changed)."""

from conftest import case_document

SSC = "acr_eular_2013_ssc"
# Raynaud 3 + sclerodactyly 4 + anticentromere 3 = 10: met.
SSC_MET = {
    "features": [{"feature": "raynaud", "status": "present"}, {"feature": "sclerodactyly", "status": "present"}],
    "serology": [{"test": "anti_centromere", "result": "positive"}],
}
# Raynaud 3 + anticentromere 3 = 6, with 22 points unknown: indeterminate.
SSC_INDETERMINATE: dict = {}
# Everything worth 3 or more recorded absent or negative: at most 6 (telangiectasia, capillaries, PAH/ILD).
SSC_NOT_MET = {
    "features": [
        {"feature": code, "status": "absent"}
        for code in (
            "skin_thickening_proximal_mcp",
            "puffy_fingers",
            "sclerodactyly",
            "raynaud",
            "digital_tip_ulcers",
            "pitting_scars",
        )
    ],
    "serology": [
        {"test": test, "result": "negative"} for test in ("ana", "anti_centromere", "anti_scl70", "anti_rnapol3")
    ],
}


def ssc_case(evidence: dict, **overrides) -> dict:
    return case_document(**{**evidence, **overrides})
