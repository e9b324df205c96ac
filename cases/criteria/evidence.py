"""What the items read from a case document, and the state they find there.

A case is indexed once per evaluation (``CaseIndex``: features by code, serology and labs by test, biopsies
by tissue), so that each reader looks up its own rows instead of scanning whole lists. A reader is a function
of the index returning ``(state, evidence)``: the state is present / absent / unknown, the evidence names the
recorded rows the answer came from (``feature:raynaud``, ``serology:ana(1:320,ac3)``, ``lab:schirmer`` …).
Nothing recorded is ``unknown`` with no evidence: *absent* is only ever an answer the record gives.
"""

import operator
from decimal import Decimal, InvalidOperation

PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"
NOT_RECORDED = (UNKNOWN, ())

MYOSITIS = frozenset({"dm", "jdm", "amyopathic_dm", "pm"})
# A serology row whose test was not done says nothing.
NOT_DONE = "not_done"
# Per-eye tests: a row without a side is taken as the report about the patient (both eyes).
SIDES = frozenset({"left", "right"})
COMPARISONS = {"<=": operator.le, ">=": operator.ge, ">": operator.gt, "<": operator.lt}


def as_decimal(value) -> Decimal | None:
    """A recorded number (a string, an int, a float or a Decimal) as a Decimal; None when there is none."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            # str() first: a float keeps the digits it was written with (0.1, not its binary expansion).
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


def _grouped(rows, key):
    groups = {}
    for row in rows or ():
        groups.setdefault(row.get(key), []).append(row)
    return groups


def _myositis_onset_age(diagnoses) -> Decimal | None:
    # The myositis diagnosis: the primary one when it is of the myositis family, else the first such,
    # else the primary diagnosis whatever it is (its onset is the patient's first symptom).
    primary = next((row for row in diagnoses if row.get("is_primary") is True), None)
    if primary is not None and primary.get("condition") in MYOSITIS:
        chosen = primary
    else:
        chosen = next((row for row in diagnoses if row.get("condition") in MYOSITIS), primary)
    return None if chosen is None else as_decimal(chosen.get("age_at_onset"))


class CaseIndex:
    """The parts of a case document the criteria read, indexed once."""

    __slots__ = ("features", "serology", "labs", "biopsies", "onset_age")

    def __init__(self, document: dict):
        self.features = {row.get("feature"): row.get("status") for row in document.get("features") or ()}
        self.serology = _grouped(document.get("serology"), "test")
        self.labs = _grouped(document.get("labs"), "test")
        self.biopsies = _grouped(document.get("biopsies"), "tissue")
        self.onset_age = _myositis_onset_age(document.get("diagnoses") or ())


def _unique(evidence) -> tuple[str, ...]:
    return tuple(dict.fromkeys(evidence))


def either(results) -> tuple[str, tuple[str, ...]]:
    """Present when any answer is present, absent when there are answers and all are absent, else unknown.

    Evidence: the present answers' when present, every answer's otherwise.
    """
    present, everything = [], []
    any_present, all_absent = False, bool(results)
    for state, evidence in results:
        if state == PRESENT:
            any_present = True
            present.extend(evidence)
        elif state != ABSENT:
            all_absent = False
        everything.extend(evidence)
    if any_present:
        return PRESENT, _unique(present)
    return (ABSENT if all_absent else UNKNOWN), _unique(everything)


def both(results) -> tuple[str, tuple[str, ...]]:
    """Present when every answer is present, absent when any is absent, else unknown."""
    states = [state for state, _ in results]
    if ABSENT in states:
        return ABSENT, _unique(e for state, evidence in results if state == ABSENT for e in evidence)
    state = PRESENT if all(state == PRESENT for state in states) else UNKNOWN
    return state, _unique(e for _, evidence in results for e in evidence)


def any_of(*readers):
    def read(case):
        return either([reader(case) for reader in readers])

    return read


def all_of(*readers):
    def read(case):
        return both([reader(case) for reader in readers])

    return read


# Clinical features -----------------------------------------------------------------------------------


def feature(code: str):
    """The feature recorded present / absent / unknown; no row is not recorded."""
    evidence = (f"feature:{code}",)

    def read(case):
        status = case.features.get(code)
        if status is None:
            return NOT_RECORDED
        return (status if status in (PRESENT, ABSENT) else UNKNOWN), evidence

    return read


# Serology ------------------------------------------------------------------------------------------------


def _rows_done(case, test):
    return [row for row in case.serology.get(test, ()) if row.get("result") != NOT_DONE]


def positive(test: str):
    """A positive result of the test (ever); negative when every result is negative."""
    evidence = (f"serology:{test}",)
    states = {"positive": PRESENT, "negative": ABSENT}

    def read(case):
        rows = _rows_done(case, test)
        if not rows:
            return NOT_RECORDED
        return either([(states.get(row.get("result"), UNKNOWN), evidence) for row in rows])

    return read


def ana_evidence(row) -> str:
    """``serology:ana(1:320,ac3)``: the titre and the pattern, where recorded."""
    titer, pattern = as_decimal(row.get("titer")), row.get("pattern")
    if titer is not None and titer == titer.to_integral_value():
        titer = int(titer)
    details = [f"1:{titer}" if titer is not None else "", pattern or ""]
    details = ",".join(detail for detail in details if detail)
    return f"serology:ana({details})" if details else "serology:ana"


def ana_titer_at_least(denominator: int):
    """An ANA positive at 1:denominator or more. Positive without a titre is unknown (it may be 1:40)."""
    minimum = Decimal(denominator)

    def row_state(row):
        result, titer = row.get("result"), as_decimal(row.get("titer"))
        if result == "negative":
            return ABSENT
        if result != "positive" or titer is None:
            return UNKNOWN
        return PRESENT if titer >= minimum else ABSENT

    def read(case):
        rows = _rows_done(case, "ana")
        return either([(row_state(row), (ana_evidence(row),)) for row in rows]) if rows else NOT_RECORDED

    return read


# Pattern families of the ana_pattern vocabulary that may hide an AC-3 (centromere) pattern: "nuclear" is
# its family; a positive ANA with no pattern says nothing either. A named AC code or another family
# (speckled, nucleolar, cytoplasmic, mitotic) rules it out for that row.
_MAY_BE_CENTROMERE = frozenset({"", None, "nuclear"})


def ana_pattern(code: str):
    """An ANA positive with this ICAP pattern."""

    def row_state(row):
        result, pattern = row.get("result"), row.get("pattern")
        if result == "negative":
            return ABSENT
        if result != "positive":
            return UNKNOWN
        if pattern == code:
            return PRESENT
        return UNKNOWN if pattern in _MAY_BE_CENTROMERE else ABSENT

    def read(case):
        rows = _rows_done(case, "ana")
        return either([(row_state(row), (ana_evidence(row),)) for row in rows]) if rows else NOT_RECORDED

    return read


def positive_above(test: str, limit: str):
    """A positive result with a value above ``limit`` (in the unit the assay reports); positive without a
    value is unknown, positive at or below the limit is absent."""
    evidence, bound = (f"serology:{test}",), Decimal(limit)

    def row_state(row):
        result = row.get("result")
        if result == "negative":
            return ABSENT
        value = as_decimal(row.get("value"))
        if result != "positive" or value is None:
            return UNKNOWN
        return PRESENT if value > bound else ABSENT

    def read(case):
        rows = _rows_done(case, test)
        return either([(row_state(row), evidence) for row in rows]) if rows else NOT_RECORDED

    return read


# Laboratory ------------------------------------------------------------------------------------------


def lab_flag(test: str, flag: str):
    """The lab result interpreted as ``flag`` (low / high). No reference ranges are stored, so a value alone,
    or an interpretation of ``abnormal`` without a direction, is unknown."""
    evidence = (f"lab:{test}",)
    absent = {"normal", "low", "high"} - {flag}

    def row_state(row):
        interpretation = row.get("interpretation")
        if interpretation == flag:
            return PRESENT
        return ABSENT if interpretation in absent else UNKNOWN

    def read(case):
        rows = case.labs.get(test)
        return either([(row_state(row), evidence) for row in rows]) if rows else NOT_RECORDED

    return read


def lab_value(test: str, comparison: str, limit: str, *, per_eye=False, abnormal_counts=False, normal_is_absent=False):
    """The canonical value compared with ``limit`` (``lab_value("schirmer", "<=", "5")``).

    Without a value: ``abnormal_counts`` takes an ``abnormal`` interpretation as meeting the limit,
    ``normal_is_absent`` a ``normal`` one as not meeting it; any other row without a value is unknown.
    ``per_eye``: met in at least one eye, so "absent" needs both eyes (or a row that names no side).
    """
    evidence, bound, compare = (f"lab:{test}",), Decimal(limit), COMPARISONS[comparison]

    def row_state(row):
        value = as_decimal(row.get("value_canonical"))
        if value is not None:
            return PRESENT if compare(value, bound) else ABSENT
        interpretation = row.get("interpretation")
        if abnormal_counts and interpretation == "abnormal":
            return PRESENT
        if normal_is_absent and interpretation == "normal":
            return ABSENT
        return UNKNOWN

    def read(case):
        rows = case.labs.get(test)
        if not rows:
            return NOT_RECORDED
        state, evidence_found = either([(row_state(row), evidence) for row in rows])
        if state == ABSENT and per_eye:
            sides = {row.get("laterality") for row in rows}
            if sides <= SIDES and sides != SIDES:
                # One eye answered; the other may still meet the limit.
                return UNKNOWN, evidence_found
        return state, evidence_found

    return read


# Biopsies and diagnoses ------------------------------------------------------------------------------


def biopsy_recorded(tissue: str):
    """A biopsy of this tissue is recorded ("not done" is no row, so never absent)."""
    evidence = (f"biopsy:{tissue}",)

    def read(case):
        return (PRESENT, evidence) if case.biopsies.get(tissue) else NOT_RECORDED

    return read


def biopsy_finding(tissue: str, *findings: str):
    """A biopsy of this tissue with any of these findings. A recorded biopsy lists what it showed, so a
    finding it does not list is absent."""
    evidence, wanted = (f"biopsy:{tissue}",), frozenset(findings)

    def read(case):
        rows = case.biopsies.get(tissue)
        if not rows:
            return NOT_RECORDED
        found = any(wanted.intersection(row.get("findings") or ()) for row in rows)
        return (PRESENT if found else ABSENT), evidence

    return read


def focus_score_at_least(limit: str, finding="focal_lymphocytic_sialadenitis"):
    """A labial salivary gland biopsy with focal lymphocytic sialadenitis and a focus score ≥ ``limit``."""
    evidence, bound = ("biopsy:labial_salivary_gland",), Decimal(limit)

    def row_state(row):
        score = as_decimal(row.get("focus_score"))
        if score is not None and score < bound:
            return ABSENT
        has_finding = finding in (row.get("findings") or ())
        if score is None:
            # The finding without its score is unknown; no finding and no score: the biopsy showed neither.
            return UNKNOWN if has_finding else ABSENT
        # A score at the limit without the finding named: the record does not say the foci were
        # lymphocytic sialadenitis, and the set asks for it.
        return PRESENT if has_finding else UNKNOWN

    def read(case):
        rows = case.biopsies.get("labial_salivary_gland")
        return either([(row_state(row), evidence) for row in rows]) if rows else NOT_RECORDED

    return read


def onset_age(at_least: int, below: int | None = None):
    """The age at onset of the myositis diagnosis in [at_least, below)."""
    evidence, low = ("diagnosis:age_at_onset",), Decimal(at_least)
    high = None if below is None else Decimal(below)

    def read(case):
        age = case.onset_age
        if age is None:
            return NOT_RECORDED
        return (PRESENT if age >= low and (high is None or age < high) else ABSENT), evidence

    return read
