"""Evaluates one criteria set (``model.py``) on an indexed case (``evidence.py``), as clinical-v2 §6 says:

- ``score``: the points of the items present, the highest item per domain (IIM: items add up);
- ``max_possible``: the score if every unknown or unrecorded item were present;
- ``status``: ``met`` when the score reaches the threshold and every entry rule holds on recorded data;
  ``not_met`` when even ``max_possible`` cannot reach it, an entry rule fails on recorded data, or an
  exclusion is recorded present; otherwise ``indeterminate``. An exclusion recorded unknown does not block
  ``met``: reports rarely document the absence of hepatitis C.
- ``could_change``: the unknown items and rules whose answer alone would change the status, for the case
  page's hint ("recording Schirmer could make this met").
"""

from cases.criteria.evidence import ABSENT, PRESENT, UNKNOWN, CaseIndex, either
from cases.criteria.model import CriteriaSet

MET, NOT_MET, INDETERMINATE = "met", "not_met", "indeterminate"


def _status(score, max_possible, threshold, entry_states, exclusion_states):
    if PRESENT in exclusion_states or ABSENT in entry_states or max_possible < threshold:
        return NOT_MET
    if score >= threshold and all(state == PRESENT for state in entry_states):
        return MET
    return INDETERMINATE


def _rule_answer(rule, own, answers):
    """A rule's state and evidence from its own reading and the answers of the items it reads."""
    parts = [answers[code] for code in rule.from_items]
    if own is not None:
        parts.append(own)
    return either(parts)


def _category(score, bands, top):
    for bound, category in bands:
        if score < bound:
            return category
    return top


class _Evaluation:
    """One set on one case: the answers, the tallies, and the status they give."""

    def __init__(self, definition: CriteriaSet, case: CaseIndex):
        self.definition = definition
        reads_biopsy = definition.biopsy_recorded
        self.with_biopsy = reads_biopsy is not None and reads_biopsy(case)[0] == PRESENT
        self.threshold = definition.threshold_with_biopsy if self.with_biopsy else definition.threshold
        self.zero = type(self.threshold)(0)
        self.answers = {}
        self.items = []
        # Per domain: (domain, [(item, points, state)], score, max_possible).
        self.domains = []
        self.score = self.max_possible = self.zero
        for domain in definition.domains:
            scored = []
            # The domain's score (items present) and max_possible (items not absent): their sum, or the
            # highest of them.
            adds_up, score, best = domain.adds_up, self.zero, self.zero
            for item in domain.items:
                points = item.points_with_biopsy if self.with_biopsy else item.points
                if points is None:
                    continue
                state, evidence = self.answers[item.code] = item.reads(case)
                scored.append((item, points, state))
                if state != ABSENT:
                    best = best + points if adds_up else max(best, points)
                    if state == PRESENT:
                        score = score + points if adds_up else max(score, points)
                self.items.append(
                    {
                        "item": item.code,
                        "label": item.label,
                        "points": points,
                        "state": state,
                        "evidence": list(evidence),
                    }
                )
            self.domains.append((domain, scored, score, best))
            self.score += score
            self.max_possible += best
        # Per rule: (rule, its own reading of the case or None, state, evidence, how many of its answers
        # are unknown).
        self.entry = [self._rule(rule, case) for rule in definition.entry]
        self.exclusions = [self._rule(rule, case) for rule in definition.exclusions]
        self.status = self._status_with()

    def _rule(self, rule, case):
        own = rule.reads(case) if rule.reads is not None else None
        state, evidence = _rule_answer(rule, own, self.answers)
        open_answers = sum(self.answers[code][0] == UNKNOWN for code in rule.from_items)
        open_answers += own is not None and own[0] == UNKNOWN
        return rule, own, state, evidence, open_answers

    def _status_with(self, score=None, max_possible=None, entry_states=None, exclusion_states=None):
        return _status(
            self.score if score is None else score,
            self.max_possible if max_possible is None else max_possible,
            self.threshold,
            [state for _, _, state, _, _ in self.entry] if entry_states is None else entry_states,
            [state for _, _, state, _, _ in self.exclusions] if exclusion_states is None else exclusion_states,
        )

    def could_change(self):
        # not_met rests on recorded answers (an exclusion, a failed entry rule, or a max_possible that already
        # counts every unknown as present): no single answer changes it. A met case stays met whatever its
        # unknown items turn out to be; only an exclusion recorded present would change it.
        if self.status == NOT_MET:
            return []
        changes = []
        if self.status == INDETERMINATE:
            for domain, scored, score, best in self.domains:
                for position, (item, _, state) in enumerate(scored):
                    if state == UNKNOWN:
                        became = self._item_could_become(domain, scored, score, best, position)
                        if became:
                            changes.append({"item": item.code, "label": item.label, "could_become": became})
        for kind, rules in (("entry", self.entry), ("exclusion", self.exclusions)):
            for position, (rule, _, state, _, _) in enumerate(rules):
                if state == UNKNOWN and rule.reads is not None:
                    became = self._rule_could_become(kind, position, rule)
                    if became:
                        changes.append({"rule": rule.code, "label": rule.label, "could_become": became})
        return changes

    def _item_could_become(self, domain, scored, score, best, position):
        """What answering one unknown item would make of an indeterminate status (which has no exclusion
        present, no entry rule failed, and a max_possible at or above the threshold)."""
        item, points, _ = scored[position]
        became = []
        # Answered present: the score rises, max_possible stays, and the rules reading the item hold.
        raised = self.score - score + (score + points if domain.adds_up else max(score, points))
        if raised >= self.threshold and all(
            state == PRESENT or item.code in rule.from_items for rule, _, state, _, _ in self.entry
        ):
            became.append(MET)
        # Answered absent: max_possible may fall below the threshold, and a rule for which this item was the
        # last open answer fails.
        if domain.adds_up:
            lowered = best - points
        elif points < best:
            lowered = best
        else:
            lowered = max(
                (other for at, (_, other, state) in enumerate(scored) if at != position and state != ABSENT),
                default=self.zero,
            )
        if self.max_possible - best + lowered < self.threshold or any(
            state == UNKNOWN and open_answers == 1 and item.code in rule.from_items
            for rule, _, state, _, open_answers in self.entry
        ):
            became.append(NOT_MET)
        return became

    def _rule_could_become(self, kind, position, rule):
        rules = self.entry if kind == "entry" else self.exclusions
        answers = (PRESENT, ABSENT) if rule.can_fail else (PRESENT,)
        became = []
        for answer in answers:
            answered = _rule_answer(rule, (answer, ()), self.answers)[0]
            states = [answered if at == position else state for at, (_, _, state, _, _) in enumerate(rules)]
            status = self._status_with(**{f"{kind}_states": states})
            if status != self.status and status not in became:
                became.append(status)
        return became

    def summary(self) -> dict:
        definition = self.definition
        bands = definition.bands_with_biopsy if self.with_biopsy else definition.bands
        return {
            "set": definition.code,
            "status": self.status,
            "score": self.score,
            "max_possible": self.max_possible,
            "threshold": self.threshold,
            "category": _category(self.score, bands, definition.top_category) if bands else None,
        }

    def result(self) -> dict:
        return {
            **self.summary(),
            "items": self.items,
            "entry": [
                {
                    "rule": rule.code,
                    "label": rule.label,
                    "kind": kind,
                    "state": state,
                    "evidence": list(evidence),
                    "note": rule.note,
                }
                for kind, rules in (("entry", self.entry), ("exclusion", self.exclusions))
                for rule, _, state, evidence, _ in rules
            ],
            "could_change": self.could_change(),
        }


def evaluate(definition: CriteriaSet, case: CaseIndex) -> dict:
    return _Evaluation(definition, case).result()


def summarise(definition: CriteriaSet, case: CaseIndex) -> dict:
    """The result without items, rules and hints: what the stored table keeps."""
    return _Evaluation(definition, case).summary()
