"""lab_test (data-model.md, clinical-v2.md §4): the units each test accepts and the values it can have.

``units``: the UCUM codes accepted, the first canonical, each with the factor that turns a value in that unit
into the canonical one (mass ↔ molar by molar mass: calcium 40.08 g/mol, phosphorus 30.97, creatinine 113.12,
25-OH vitamin D 400.6, intact PTH 9425 g/mol). ``plausible``: [low, high] in the canonical unit — not a
reference range, the bounds outside which a value is a typing error (a unit mistaken, a decimal point lost):
set wide, beyond the values a living patient has, by the registry (no source gives them; curators may
narrow them in the admin).
LOINC only where domain.md §1.2 marks it verified.
"""

from decimal import Decimal


def _units(*pairs) -> list[dict]:
    return [{"code": code, "factor": str(Decimal(factor))} for code, factor in pairs]


def _test(code, label, units, plausible, **extra):
    low, high = plausible
    return (code, label, None, {"units": units, "plausible_min": low, "plausible_max": high, **extra})


_ENZYME = _units(("U/L", "1"), ("[IU]/L", "1"))

LAB_TEST = [
    # Below 3 mg/dL (0.75 mmol/L) no one lives: 2.4 there is a value in mmol/L typed as mg/dL.
    _test(
        "calcium", "Calcium (serum)", _units(("mg/dL", "1"), ("mmol/L", "4.008")), ("3", "20"), loinc_quantity="17861-6"
    ),
    _test(
        "phosphate",
        "Phosphate (serum)",
        _units(("mg/dL", "1"), ("mmol/L", "3.097")),
        ("0.3", "25"),
        loinc_quantity="2777-1",
    ),
    _test(
        "creatinine",
        "Creatinine (serum)",
        _units(("mg/dL", "1"), ("umol/L", "0.01131")),
        ("0.05", "30"),
        loinc_quantity="2160-0",
    ),
    _test("ck", "Creatine kinase", _ENZYME, ("0", "500000"), loinc_quantity="2157-6", synonyms=["CK", "CPK"]),
    _test("alkaline_phosphatase", "Alkaline phosphatase", _ENZYME, ("0", "20000"), synonyms=["ALP"]),
    _test("ldh", "Lactate dehydrogenase", _ENZYME, ("0", "50000"), synonyms=["LDH"]),
    _test("ast", "Aspartate aminotransferase", _ENZYME, ("0", "50000"), synonyms=["AST", "GOT"]),
    _test("alt", "Alanine aminotransferase", _ENZYME, ("0", "50000"), synonyms=["ALT", "GPT"]),
    _test(
        "pth",
        "Parathyroid hormone",
        _units(("pg/mL", "1"), ("ng/L", "1"), ("pmol/L", "9.425")),
        ("0", "10000"),
        synonyms=["PTH"],
    ),
    _test("vitamin_d", "25-OH vitamin D", _units(("ng/mL", "1"), ("nmol/L", "0.4006")), ("0", "400")),
    _test("crp", "C-reactive protein", _units(("mg/L", "1"), ("mg/dL", "10")), ("0", "1000"), synonyms=["CRP"]),
    _test("esr", "Erythrocyte sedimentation rate", _units(("mm/h", "1")), ("0", "200"), synonyms=["ESR"]),
    _test("c3", "Complement C3", _units(("g/L", "1"), ("mg/dL", "0.01")), ("0", "10")),
    _test("c4", "Complement C4", _units(("g/L", "1"), ("mg/dL", "0.01")), ("0", "5")),
    _test("albumin", "Albumin (serum)", _units(("g/L", "1"), ("g/dL", "10")), ("5", "70")),
    _test("platelets", "Platelets", _units(("10*9/L", "1"), ("10*3/uL", "1")), ("0", "3000")),
    _test("egfr", "eGFR", _units(("mL/min/{1.73_m2}", "1")), ("0", "250"), synonyms=["GFR"]),
    _test(
        "urine_protein_24h",
        "Urine protein (24 h)",
        _units(("g/(24.h)", "1"), ("mg/(24.h)", "0.001")),
        ("0", "50"),
        synonyms=["proteinuria"],
    ),
    # Per eye (the row's laterality): a strip of 35 mm, read after 5 minutes.
    _test("schirmer", "Schirmer test (mm in 5 min)", _units(("mm", "1"), ("mm/(5.min)", "1")), ("0", "35")),
    _test("ocular_staining_score", "Ocular staining score", _units(("{score}", "1")), ("0", "12"), synonyms=["OSS"]),
    _test(
        "salivary_flow_unstimulated",
        "Unstimulated whole saliva flow",
        _units(("mL/min", "1")),
        ("0", "5"),
        synonyms=["saliva flow", "sialometry"],
    ),
]
