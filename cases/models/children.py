"""The clinical rows of a case. Every table here keeps a trigger-written audit trail."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cases.models.base import audited, choices_check
from cases.models.case import Case
from cases.models.choices import (
    Criteria,
    DetectedBy,
    DigitSegment,
    FeatureStatus,
    Indication,
    LabInterpretation,
    Laterality,
    Morphology,
    Response,
    Route,
    SerologyOutcome,
)
from cases.models.vocabularies import Agent, AnaPattern, Condition, Feature, LabTest, Region, SerologyTest


@audited()
class Diagnosis(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="diagnoses")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="+")
    is_primary = models.BooleanField(default=False)
    age_at_diagnosis = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(120)])
    duration_years = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
        help_text="Years since diagnosis, at presentation.",
    )
    criteria = models.CharField(max_length=30, choices=Criteria.choices, default=Criteria.NONE_STATED)
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
                condition=Q(duration_years__isnull=True) | Q(duration_years__gte=0, duration_years__lte=120),
                name="diagnosis_duration_range",
            ),
            choices_check("criteria", Criteria.choices),
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
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "feature"], name="clinicalfeature_one_per_case"),
            choices_check("status", FeatureStatus.choices),
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
        if errors:
            raise ValidationError(errors)


@audited()
class LabResult(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="labs")
    test = models.ForeignKey(LabTest, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    unit = models.CharField("unit (UCUM)", max_length=30, blank=True)
    interpretation = models.CharField(max_length=10, choices=LabInterpretation.choices, blank=True)
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
        ]

    def __str__(self):
        return f"{self.test_id} {self.value if self.value is not None else self.interpretation}"

    def clean(self):
        if self.value is None and not self.interpretation:
            raise ValidationError({"value": "Give a value, an interpretation (e.g. normal), or both."})
        if self.value is not None and not self.unit and self.test_id and self.test.unit:
            self.unit = self.test.unit


@audited()
class CalcinosisSite(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="calcinosis_sites")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    laterality = models.CharField(max_length=10, choices=Laterality.choices, default=Laterality.UNKNOWN)
    # NULL (not '') for "not a digit" keeps the document's null and the CHECK below as they are.
    digit_segment = models.CharField(max_length=10, choices=DigitSegment.choices, null=True, blank=True)  # noqa: DJ001
    detected_by = models.CharField(max_length=15, choices=DetectedBy.choices)
    morphology = models.CharField(max_length=12, choices=Morphology.choices, default=Morphology.UNSPECIFIED)
    # yes / no / unknown: None is "not recorded", never "no".
    palpable = models.BooleanField(null=True, blank=True)
    ulcerated = models.BooleanField(null=True, blank=True)
    infected = models.BooleanField(null=True, blank=True)
    painful = models.BooleanField(null=True, blank=True)
    size_mm = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0.1)]
    )
    observed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(size_mm__isnull=True) | Q(size_mm__gt=0), name="site_size_positive"),
            choices_check("laterality", Laterality.choices),
            choices_check("detected_by", DetectedBy.choices),
            choices_check("morphology", Morphology.choices),
            models.CheckConstraint(
                condition=Q(digit_segment__isnull=True) | Q(digit_segment__in=DigitSegment.values),
                name="site_digit_segment_valid",
            ),
        ]
        indexes = [
            # region=… filter (EXISTS on region, case) and the calcinosis-sites statistic.
            models.Index(fields=["region", "case"], name="site_region_case_idx"),
        ]

    def __str__(self):
        return f"{self.region_id} ({self.laterality})"

    def clean(self):
        if self.digit_segment and self.region_id and not self.region.is_digit:
            raise ValidationError({"digit_segment": "A digit segment is recorded for fingers and toes only."})


@audited()
class TreatmentCourse(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="treatments")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=15, choices=Route.choices, default=Route.UNKNOWN)
    dose = models.CharField(max_length=200, blank=True, help_text='As written, e.g. "200 mg daily".')
    indication = models.CharField(max_length=20, choices=Indication.choices, blank=True)
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    duration_months = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    response = models.CharField(max_length=15, choices=Response.choices, default=Response.NOT_ASSESSED)
    response_assessed_on = models.DateField(null=True, blank=True)
    sites = models.ManyToManyField(CalcinosisSite, through="TreatmentTarget", blank=True, related_name="treatments")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(stopped_on__isnull=True)
                | Q(stopped_on__gte=models.F("started_on")),
                name="treatment_stops_after_start",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__isnull=True) | Q(duration_months__gte=0),
                name="treatment_duration_nonnegative",
            ),
            choices_check("route", Route.choices),
            choices_check("response", Response.choices),
            models.CheckConstraint(
                condition=Q(indication="") | Q(indication__in=Indication.values), name="treatment_indication_valid"
            ),
        ]
        indexes = [
            # agent=… (with response/route on the same course) and the treatment-responses statistic.
            models.Index(fields=["agent", "case"], name="treatment_agent_case_idx"),
        ]

    def __str__(self):
        return f"{self.agent_id} → {self.response}"

    def clean(self):
        if self.started_on and self.stopped_on and self.stopped_on < self.started_on:
            raise ValidationError({"stopped_on": "The stop date is before the start date."})


@audited()
class TreatmentTarget(models.Model):
    """Which calcinosis sites a treatment course was aimed at (same case only)."""

    treatment = models.ForeignKey(TreatmentCourse, on_delete=models.CASCADE, related_name="targets")
    site = models.ForeignKey(CalcinosisSite, on_delete=models.CASCADE, related_name="targeted_by")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["treatment", "site"], name="treatment_target_unique")]

    def __str__(self):
        return f"treatment {self.treatment_id} → site {self.site_id}"
