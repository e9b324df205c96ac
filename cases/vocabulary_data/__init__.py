"""The registry's starting vocabularies (data-model.md, clinical-v2.md, domain.md).

Loaded by data migrations and re-applied by ``load_vocabularies``: missing
concepts are added, existing ones keep whatever curators made of them.
Standard codes (SNOMED CT, ICD-10, LOINC, ATC) are filled only where domain.md
marks them verified; an unverified code is left empty rather than guessed.

Each entry: (code, label, parent code or None, {extra columns}).
"""

from cases.vocabulary_data.agents import AGENT
from cases.vocabulary_data.biopsy_findings import BIOPSY_FINDING
from cases.vocabulary_data.conditions import CONDITION
from cases.vocabulary_data.features import FEATURE
from cases.vocabulary_data.instruments import INSTRUMENT
from cases.vocabulary_data.labs import LAB_TEST
from cases.vocabulary_data.regions import REGION
from cases.vocabulary_data.serology import ANA_PATTERN, SEROLOGY_TEST

# Vocabulary name → rows, in the order the data must be loaded (parents first within each).
ALL = {
    "condition": CONDITION,
    "feature": FEATURE,
    "serology_test": SEROLOGY_TEST,
    "ana_pattern": ANA_PATTERN,
    "lab_test": LAB_TEST,
    "region": REGION,
    "agent": AGENT,
    "instrument": INSTRUMENT,
    "biopsy_finding": BIOPSY_FINDING,
}

__all__ = [
    "AGENT",
    "ALL",
    "ANA_PATTERN",
    "BIOPSY_FINDING",
    "CONDITION",
    "FEATURE",
    "INSTRUMENT",
    "LAB_TEST",
    "REGION",
    "SEROLOGY_TEST",
]
