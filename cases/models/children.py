"""The clinical rows of a case: diagnoses, features, serology, labs and biopsies.

The calcinosis itself (sites and treatments) is in ``calcinosis.py``, its follow-up in ``follow_up.py``.
Every table keeps a trigger-written audit trail.
"""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cases.models.base import audited, choices_check
from cases.models.case import Case
from cases.models.choices import (
    BiopsyTissue,
    Certainty,
    Criteria,
    DurationBasis,
    EyeLaterality,
    FeatureStatus,
    LabInterpretation,
    SerologyMethod,
    SerologyOutcome,
    Timing,
)
from cases.models.vocabularies import AnaPattern, Condition, Feature, LabTest, SerologyTest


@audited()
class Diagnosis(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="diagnoses")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="+")
    is_primary = models.BooleanField(default=False)
    certainty = models.CharField(max_length=10, choices=Certainty.choices, default=Certainty.CONFIRMED)
    age_at_onset = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text="Age at the first symptom (for SSc the first symptom other than Raynaud's).",
    )
    age_at_diagnosis = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(120)])
    duration_years = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
        help_text="Years of disease at presentation, counted as duration_basis says.",
    )
    duration_basis = models.CharField(max_length=16, choices=DurationBasis.choices, default=DurationBasis.UNSTATED)
    criteria_stated = ArrayField(
        models.CharField(max_length=30, choices=Criteria.choices),
        blank=True,
        default=list,
        help_text="The classification criteria the source says were met (none: an empty list).",
    )
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "diagnoses"
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(is_primary=True), name="diagnosis_one_primary_per_case"
            ),
            models.CheckConstraint(
                condition=Q(age_at_diagnosis__isnull=True) | Q(age_at_diagnosis__lte=120),
                name="diagnosis_age_range",
            ),
            models.CheckConstraint(
                condition=Q(age_at_onset__isnull=True) | Q(age_at_onset__lte=120), name="diagnosis_onset_range"
            ),
            models.CheckConstraint(
                condition=Q(duration_years__isnull=True) | Q(duration_years__gte=0, duration_years__lte=120),
                name="diagnosis_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(criteria_stated__contained_by=Criteria.values), name="diagnosis_criteria_stated_valid"
            ),
            choices_check("certainty", Certainty.choices),
            choices_check("duration_basis", DurationBasis.choices),
        ]
        indexes = [
            # condition=… and primary_condition=… filters: EXISTS on (condition, case).
            models.Index(fields=["condition", "case"], name="diagnosis_condition_case_idx"),
        ]

    def __str__(self):
        return f"{self.condition_id}{' (primary)' if self.is_primary else ''}"


@audited()
class ClinicalFeature(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="features")
    feature = models.ForeignKey(Feature, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=FeatureStatus.choices)
    timing = models.CharField(
        max_length=10, choices=Timing.choices, default=Timing.UNKNOWN, help_text="Current at presentation, or past."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "feature"], name="clinicalfeature_one_per_case"),
            choices_check("status", FeatureStatus.choices),
            choices_check("timing", Timing.choices),
        ]
        indexes = [
            # feature=… / feature_absent=… filters.
            models.Index(fields=["feature", "status", "case"], name="feature_lookup_idx"),
        ]

    def __str__(self):
        return f"{self.feature_id}: {self.status}"


@audited()
class SerologyResult(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="serology")
    test = models.ForeignKey(SerologyTest, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=10, choices=SerologyOutcome.choices)
    method = models.CharField(max_length=10, choices=SerologyMethod.choices, default=SerologyMethod.UNKNOWN)
    titer = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Denominator of the end-point titre: 320 means 1:320.",
    )
    pattern = models.ForeignKey(
        AnaPattern, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="ANA only."
    )
    value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    unit = models.CharField("unit (UCUM)", max_length=30, blank=True)
    tested_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(titer__isnull=True) | Q(titer__gt=0), name="serology_titer_positive"),
            models.CheckConstraint(condition=Q(pattern__isnull=True) | Q(test="ana"), name="serology_pattern_only_ana"),
            choices_check("result", SerologyOutcome.choices),
            choices_check("method", SerologyMethod.choices),
        ]
        indexes = [
            # positive=… / negative=… filters.
            models.Index(fields=["test", "result", "case"], name="serology_lookup_idx"),
        ]

    def __str__(self):
        return f"{self.test_id} {self.result}"

    def clean(self):
        errors = {}
        if self.pattern_id and self.test_id != "ana":
            errors["pattern"] = "A pattern is recorded for ANA only."
        if self.titer and self.result == SerologyOutcome.NOT_DONE:
            errors["titer"] = "A test that was not done has no titre."
        if self.value is not None and not self.unit:
            errors["unit"] = "A value needs its unit (UCUM, e.g. [IU]/mL)."
        if errors:
            raise ValidationError(errors)


@audited()
class LabResult(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="labs")
    test = models.ForeignKey(LabTest, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    unit = models.CharField("unit (UCUM)", max_length=30, blank=True)
    # Written by the registry from value and unit: every value of a test in the one canonical unit.
    value_canonical = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True, editable=False)
    unit_canonical = models.CharField(max_length=30, blank=True, editable=False)
    interpretation = models.CharField(max_length=10, choices=LabInterpretation.choices, blank=True)
    # NULL: no eye at all (a blood test), which is not an eye unknown.
    laterality = models.CharField(  # noqa: DJ001
        max_length=10, choices=EyeLaterality.choices, null=True, blank=True, help_text="Per-eye tests: which eye."
    )
    measured_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interpretation="") | Q(interpretation__in=LabInterpretation.values),
                name="labresult_interpretation_valid",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(interpretation=""), name="labresult_has_value_or_reading"
            ),
            models.CheckConstraint(
                condition=Q(laterality__isnull=True) | Q(laterality__in=EyeLaterality.values),
                name="labresult_laterality_valid",
            ),
        ]

    def __str__(self):
        return f"{self.test_id} {self.value if self.value is not None else self.interpretation}"

    def clean(self):
        if self.value is None and not self.interpretation:
            raise ValidationError({"value": "Give a value, an interpretation (e.g. normal), or both."})
        self.value_canonical, self.unit_canonical = None, ""
        if self.value is None or not self.test_id:
            return
        test = self.test
        accepted = ", ".join(test.unit_codes)
        if not self.unit:
            # No silent default: 2.4 without a unit is not 2.4 mg/dL.
            raise ValidationError({"unit": f"A value needs its unit ({accepted or 'UCUM'})."})
        if test.units and self.unit not in test.unit_codes:
            raise ValidationError({"unit": f"{test.label} is recorded in {accepted}, not '{self.unit}'."})
        canonical = test.canonical(self.value, self.unit)
        if canonical is None:
            return
        low, high = test.plausible_min, test.plausible_max
        if (low is not None and canonical < low) or (high is not None and canonical > high):
            span = f"{_plain(low)} to {_plain(high)} {test.canonical_unit}"
            raise ValidationError({"value": f"{test.label}: a plausible value is {span}; check the value and unit."})
        self.value_canonical, self.unit_canonical = canonical, test.canonical_unit


@audited()
class Biopsy(models.Model):
    """A biopsy and what its report says (clinical-v2.md §5); "not done" is no row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="biopsies")
    tissue = models.CharField(max_length=25, choices=BiopsyTissue.choices)
    findings = ArrayField(
        models.CharField(max_length=64),
        blank=True,
        default=list,
        help_text="Codes of the vocabulary biopsy_finding; none listed: nothing of them was reported.",
    )
    focus_score = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Foci per 4 mm² (labial salivary gland only).",
    )
    performed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "biopsies"
        constraints = [
            choices_check("tissue", BiopsyTissue.choices),
            models.CheckConstraint(
                condition=Q(focus_score__isnull=True) | Q(tissue="labial_salivary_gland", focus_score__gte=0),
                name="biopsy_focus_score_salivary",
            ),
        ]

    def __str__(self):
        return f"{self.tissue} biopsy"

    def clean(self):
        if self.focus_score is not None and self.tissue != BiopsyTissue.LABIAL_SALIVARY_GLAND:
            raise ValidationError({"focus_score": "A focus score belongs to a labial salivary gland biopsy."})


def _plain(value) -> str:
    return "?" if value is None else format(value.normalize(), "f")
