"""The shape of a criteria set, as its published table reads: domains of items with points, a threshold,
entry rules and exclusions. The four sets are written in it (``ssc_2013.py`` …); ``engine.py`` reads it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

# What an item or a rule reads from a case: its state (present / absent / unknown) and the evidence strings
# that say where the answer came from. See ``evidence.py``.
Reader = Callable[..., tuple[str, tuple[str, ...]]]
Points = int | Decimal


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    # The published weight; for IIM the column without muscle biopsy (None: the item has no weight there).
    points: Points | None
    reads: Reader
    # IIM only: the column with muscle biopsy.
    points_with_biopsy: Decimal | None = None


@dataclass(frozen=True)
class Domain:
    code: str
    label: str
    items: tuple[Item, ...]
    # False: only the highest item present counts (SSc, Sjögren's, SLE, and IIM's exclusive age bands);
    # True: the items present add up (the other IIM domains).
    adds_up: bool = False


def own_domain(item: Item) -> Domain:
    """An item that is a domain of its own (it adds to every other)."""
    return Domain(item.code, item.label, (item,))


@dataclass(frozen=True)
class Rule:
    """An entry (inclusion) rule or an exclusion.

    Its state is present when ``reads`` (on the case) or any of ``from_items`` (the states of the set's items)
    is present, absent when all of them are absent, unknown otherwise.
    """

    code: str
    label: str
    reads: Reader | None = None
    from_items: tuple[str, ...] = ()
    # False: the record can satisfy the rule but never fail it (IIM's muscle biopsy: "not done" is no row).
    can_fail: bool = True
    # Shown beside the rule on the case page: what the registry records of a longer published rule.
    note: str = ""


@dataclass(frozen=True)
class CriteriaSet:
    code: str
    label: str
    reference: str
    domains: tuple[Domain, ...]
    # Met from this score up (for IIM: the lower bound of "probable").
    threshold: Points
    entry: tuple[Rule, ...] = ()
    exclusions: tuple[Rule, ...] = ()
    # IIM only: a case for which ``biopsy_recorded`` reads present is weighed with the biopsy column.
    biopsy_recorded: Reader | None = None
    threshold_with_biopsy: Decimal | None = None
    # IIM only: (upper bound, category) in increasing order; a score at or above the last bound is
    # ``top_category``.
    bands: tuple[tuple[Decimal, str], ...] = ()
    bands_with_biopsy: tuple[tuple[Decimal, str], ...] = ()
    top_category: str | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for domain in self.domains for item in domain.items)
