"""The computed classification criteria, kept as a table so that ``criteria_met`` is an indexed lookup.

Derived data: written by the case services in the transaction of every case write, and by
``manage.py recompute_criteria`` after a rule change; never entered, so not audited (the evidence it is
computed from is). The rules themselves are ``cases.criteria`` (clinical-v2.md §6).
"""

from django.db import models
from django.db.models import Q

from cases.criteria import SETS, STATUSES
from cases.models.base import choices_check
from cases.models.case import Case

CRITERIA_SET_CHOICES = [(code, definition.label) for code, definition in SETS.items()]
CRITERIA_STATUS_CHOICES = [(status, status.replace("_", " ")) for status in STATUSES]
# The IIM categories (EULAR/ACR 2017); null for the other sets.
CRITERIA_CATEGORY_CHOICES = [
    ("definite", "definite"),
    ("probable", "probable"),
    ("possible", "possible"),
    ("not_iim", "not IIM"),
]


class CriteriaResult(models.Model):
    # Not one of the case's lists: ``case_lists`` leaves out what the registry derives.
    derived = True

    # No index of its own: the unique (case, criteria_set) index leads with the case and serves its lookups.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="criteria_results", db_index=False)
    criteria_set = models.CharField(max_length=30, choices=CRITERIA_SET_CHOICES)
    status = models.CharField(max_length=15, choices=CRITERIA_STATUS_CHOICES)
    # Whole points for SSc, Sjögren's and SLE; tenths for IIM.
    score = models.DecimalField(max_digits=5, decimal_places=1)
    max_possible = models.DecimalField(max_digits=5, decimal_places=1)
    category = models.CharField(max_length=10, choices=CRITERIA_CATEGORY_CHOICES, null=True, blank=True)  # noqa: DJ001
    # The whole result as the case document gives it (``criteria_computed``: items, entry rules, hints), so that
    # a page of 500 documents reads it instead of running the rules 2,000 times (issue 16). JSON text, not
    # jsonb: jsonb would reorder the keys of what is sent as it is, and nothing ever queries inside it.
    document_entry = models.TextField(default="", editable=False)

    class Meta:
        ordering = ["case_id", "criteria_set"]
        constraints = [
            # Status carried in the index: the statistics count a selection's results from the index alone,
            # without reading rows that are mostly the document's stored entry (~1.6 KB each).
            models.UniqueConstraint(
                fields=["case", "criteria_set"], include=["status"], name="criteriaresult_one_per_set"
            ),
            choices_check("criteria_set", CRITERIA_SET_CHOICES),
            choices_check("status", CRITERIA_STATUS_CHOICES),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(category__in=[c for c, _ in CRITERIA_CATEGORY_CHOICES]),
                name="criteriaresult_category_valid",
            ),
        ]
        indexes = [
            # criteria_met / criteria_status: the cases of one set and status, already in case order.
            models.Index(fields=["criteria_set", "status", "case"], name="criteriaresult_set_status_idx"),
        ]

    def __str__(self):
        return f"{self.criteria_set}: {self.status} ({self.score}/{self.max_possible})"
