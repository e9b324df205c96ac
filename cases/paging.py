"""Paging that stays fast at a million cases: a count that stops at a cap.

The admin's changelist, the browser's case list and the cohort page count the
same way, so the cap is one setting (``CASE_COUNT_CAP``) and one class.
"""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class _CapSetting:
    # Read at each use, not at import: a test lowers the setting with pytest-django's ``settings``.
    def __get__(self, instance, owner) -> int:
        return settings.CASE_COUNT_CAP


class CappedCountPaginator(Paginator):
    """One bounded query gives the count and the first pages' ids.

    Past ``cap`` rows, the unfiltered table is counted by PostgreSQL's own
    estimate (no rows read; close after ANALYZE); a filtered list is "more
    than ``cap``", because the planner's guess for EXISTS filters can be
    several times off, and its paging stops there.
    """

    cap = _CapSetting()
    count_is_estimate = False
    count_is_lower_bound = False

    @cached_property
    def first_ids(self) -> list:
        """The ids of the first ``cap + 1`` rows, in the list's order (the only query of a small list)."""
        return list(self.object_list.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self):
        if len(self.first_ids) <= self.cap:
            return len(self.first_ids)
        rows = self.object_list.order_by().values("pk")
        if not rows.query.where:
            self.count_is_estimate = True
            return max(self._planner_estimate(rows), self.cap + 1)
        self.count_is_lower_bound = True
        return self.cap + 1

    @property
    def count_words(self) -> str:
        """The count as a page says it: "27", "about 1,002,113", "more than 10,000"."""
        count = self.count
        if self.count_is_lower_bound:
            return f"more than {self.cap:,}"
        return f"about {count:,}" if self.count_is_estimate else f"{count:,}"

    def _planner_estimate(self, rows) -> int:
        plan = json.loads(rows.explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top <= len(self.first_ids) or len(self.first_ids) <= self.cap:
            ids = self.first_ids[bottom:top]
        else:  # a page past the cap of an unfiltered list
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.rows_of(ids), number, self)

    def rows_of(self, ids):
        """The listed rows with their computed columns, for these ids only, in the list's order."""
        return self.object_list.filter(pk__in=ids)
