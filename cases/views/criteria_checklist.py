"""The case page's classification criteria: each set as a checklist of its items, the points each gives, what
the record answers and where the answer came from, and which unknown items could change the status.

Read from the document's ``criteria_computed`` (``cases.criteria``, clinical-v2.md §6); evidence such as
``feature:raynaud`` or ``serology:ana(1:320,ac3)`` is put into the words of the case page.
"""

import re

from cases.criteria import SETS

STATUS_WORDS = {"met": "met", "not_met": "not met", "indeterminate": "indeterminate"}
CATEGORY_WORDS = {
    "definite": "definite IIM",
    "probable": "probable IIM",
    "possible": "possible IIM",
    "not_iim": "not IIM",
}
STATE_WORDS = {"present": "present", "absent": "absent", "unknown": "not recorded"}
# evidence kind → (heading, the labels that name its code)
_EVIDENCE = {
    "feature": ("Feature", "feature"),
    "serology": ("Serology", "serology_test"),
    "lab": ("Lab", "lab_test"),
    "biopsy": ("Biopsy", "biopsies.tissue"),
    "diagnosis": ("Diagnosis", None),
}
_PARTS = re.compile(r"(?P<kind>[a-z_]+):(?P<code>[a-z0-9_]+)(?:\((?P<details>[^)]*)\))?")


def evidence_words(evidence: str, labels) -> str:
    """``serology:ana(1:320,ac3)`` → "Serology: ANA (1:320, ac3)"."""
    found = _PARTS.fullmatch(evidence)
    if found is None or found["kind"] not in _EVIDENCE:
        return evidence
    heading, table = _EVIDENCE[found["kind"]]
    name = labels(table, found["code"]) if table else found["code"].replace("_", " ")
    details = f" ({found['details'].replace(',', ', ')})" if found["details"] else ""
    return f"{heading}: {name}{details}"


def _hint(changes: list[dict]) -> list[str]:
    lines = []
    for change in changes:
        became = " or ".join(STATUS_WORDS[status] for status in change["could_become"])
        lines.append(f"Recording “{change['label']}” could make this {became}.")
    return lines


def checklist(doc: dict, labels) -> list[dict]:
    """One entry per set, in the order of the rules."""
    out = []
    for result in doc["criteria_computed"]:
        definition = SETS[result["set"]]
        out.append(
            {
                **result,
                "label": definition.label,
                "reference": definition.reference,
                "status_words": STATUS_WORDS[result["status"]],
                "category_words": CATEGORY_WORDS.get(result["category"], ""),
                "items": [
                    {
                        **item,
                        "state_words": STATE_WORDS[item["state"]],
                        "sources": [evidence_words(e, labels) for e in item["evidence"]],
                    }
                    for item in result["items"]
                ],
                "rules": [
                    {
                        **rule,
                        "state_words": STATE_WORDS[rule["state"]],
                        "sources": [evidence_words(e, labels) for e in rule["evidence"]],
                    }
                    for rule in result["entry"]
                ],
                "hints": _hint(result["could_change"]),
            }
        )
    return out
