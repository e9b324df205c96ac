"""Classification criteria computed from a case document (clinical-v2 §6).

Pure Python, no Django: the write services call it on every save, a management command on every case.
``evaluate(document)`` gives the four results in the order of ``SETS``, always all four; ``evaluate_set``
one of them. The document is a plain dict in the shape of the API's case document (api.md, second edition),
of which only the lists of ``READS`` are read. ``summarise`` is ``evaluate`` without the items, the rules and
the hints, for the stored table.
"""

from cases.criteria.engine import INDETERMINATE, MET, NOT_MET
from cases.criteria.engine import evaluate as _evaluate
from cases.criteria.engine import summarise as _summarise
from cases.criteria.evidence import CaseIndex
from cases.criteria.iim_2017 import IIM_2017
from cases.criteria.model import CriteriaSet
from cases.criteria.sjogren_2016 import SJOGREN_2016
from cases.criteria.sle_2019 import SLE_2019
from cases.criteria.ssc_2013 import SSC_2013

SETS: dict[str, CriteriaSet] = {
    definition.code: definition for definition in (SSC_2013, SJOGREN_2016, SLE_2019, IIM_2017)
}
STATUSES = (MET, NOT_MET, INDETERMINATE)
# The lists of a case document the items read.
READS = ("diagnoses", "features", "serology", "labs", "biopsies")

__all__ = ["READS", "SETS", "STATUSES", "evaluate", "evaluate_set", "summarise"]


def evaluate(document: dict) -> list[dict]:
    """The four sets' results for one case, in the order of ``SETS``."""
    case = CaseIndex(document)
    return [_evaluate(definition, case) for definition in SETS.values()]


def evaluate_set(code: str, document: dict) -> dict:
    """One set's result; a code not in ``SETS`` is a KeyError."""
    return _evaluate(SETS[code], CaseIndex(document))


def summarise(document: dict) -> list[dict]:
    """The four sets' status, score, max_possible, threshold and category, in the order of ``SETS``."""
    case = CaseIndex(document)
    return [_summarise(definition, case) for definition in SETS.values()]
