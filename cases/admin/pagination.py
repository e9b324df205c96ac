"""Changelist paging that stays fast at 100,000 cases.

Two rules. Count no further than ``cap`` rows (``cases.paging``, shared with the browser's list). And find a page's cases by id
before reading their computed columns: asked for the columns (an EXISTS per
case and check) in the query that also finds the page, PostgreSQL plans them
for every case of the table, and often hashes whole child tables to do so,
though it returns 100 rows; asked for 100 known ids, it computes 100 rows.
"""

from django.contrib.admin.views.main import ChangeList

from cases.paging import CappedCountPaginator

__all__ = ["CappedCountPaginator", "TwoStepChangeList"]


class TwoStepChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        if not self.multi_page or self.show_all:
            # Django reads a list that fits on one page (or "show all") without the paginator's page();
            # such a list is at most list_max_show_all rows, far below the cap, so first_ids holds it all.
            self.result_list = self.paginator.rows_of(self.paginator.first_ids[: self.list_max_show_all])
