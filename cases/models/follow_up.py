"""Follow-up: the visits after presentation, their scores and what each lesion did (clinical-v2.md §2).

Every table keeps a trigger-written audit trail.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cases.models.base import audited, choices_check
from cases.models.calcinosis import CalcinosisSite
from cases.models.case import Case
from cases.models.choices import CalcinosisCourse, LesionChange
from cases.models.vocabularies import Instrument


@audited()
class Assessment(models.Model):
    """One visit or time point after presentation (0 = at presentation)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    months_from_presentation = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(0)], help_text="0 is at presentation."
    )
    assessed_on = models.DateField(null=True, blank=True)
    calcinosis_course = models.CharField(
        max_length=15,
        choices=CalcinosisCourse.choices,
        default=CalcinosisCourse.NOT_ASSESSED,
        help_text="The whole picture of the calcinosis at this visit.",
    )
    new_sites = models.BooleanField(null=True, blank=True, help_text="New calcinosis sites since the last visit.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["months_from_presentation", "id"]
        constraints = [
            # Deferred: one save may move two visits past each other (months 3 and 6 swapped).
            models.UniqueConstraint(
                fields=["case", "months_from_presentation"],
                name="assessment_one_per_time_point",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(condition=Q(months_from_presentation__gte=0), name="assessment_months_nonnegative"),
            choices_check("calcinosis_course", CalcinosisCourse.choices),
        ]
        indexes = [
            # calcinosis_course=… and has_follow_up filters.
            models.Index(fields=["case", "calcinosis_course"], name="assessment_case_course_idx"),
        ]

    def __str__(self):
        return f"month {self.months_from_presentation}: {self.calcinosis_course}"


@audited()
class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=8, decimal_places=3)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instrument"],
                name="score_one_per_instrument",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self):
        return f"{self.instrument_id} {self.value}"

    def clean(self):
        if self.instrument_id and self.value is not None:
            problem = self.instrument.problem_with(self.value)
            if problem:
                raise ValidationError({"value": problem})


@audited()
class SiteFinding(models.Model):
    """One lesion (a calcinosis site of the same case) at one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="site_findings")
    site = models.ForeignKey(CalcinosisSite, on_delete=models.CASCADE, related_name="findings")
    size_mm = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(Decimal("0.1"))]
    )
    change = models.CharField(
        max_length=10, choices=LesionChange.choices, blank=True, help_text="Against the previous assessment."
    )
    ulcerated = models.BooleanField(null=True, blank=True)
    infected = models.BooleanField(null=True, blank=True)
    painful = models.BooleanField(null=True, blank=True)
    extruding = models.BooleanField(null=True, blank=True)
    pain_nrs = models.PositiveSmallIntegerField(
        "pain (NRS)", null=True, blank=True, validators=[MaxValueValidator(10)], help_text="0 to 10."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "site"], name="site_finding_one_per_visit", deferrable=models.Deferrable.DEFERRED
            ),
            models.CheckConstraint(condition=Q(size_mm__isnull=True) | Q(size_mm__gt=0), name="finding_size_positive"),
            models.CheckConstraint(condition=Q(pain_nrs__isnull=True) | Q(pain_nrs__lte=10), name="finding_pain_range"),
            models.CheckConstraint(
                condition=Q(change="") | Q(change__in=LesionChange.values), name="finding_change_valid"
            ),
        ]

    def __str__(self):
        return f"site {self.site_id}: {self.change or 'no change recorded'}"
