"""The calcinosis of a case: its sites (lesions, as first documented) and the treatments given.

Every table keeps a trigger-written audit trail.
"""

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cases.models.base import audited, choices_check
from cases.models.case import Case
from cases.models.choices import (
    RESPONSE_DEFINITIONS,
    Depth,
    DetectedBy,
    DigitSegment,
    Indication,
    Laterality,
    Morphology,
    Response,
    ResponseBasis,
    ResponseScope,
    Route,
    StopReason,
)
from cases.models.vocabularies import Agent, Region

# The definitions of the response codes, shown beside the field in the forms and the OpenAPI schema.
RESPONSE_HELP = "; ".join(f"{code}: {meaning}" for code, meaning in RESPONSE_DEFINITIONS.items())


@audited()
class CalcinosisSite(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="calcinosis_sites")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    laterality = models.CharField(max_length=10, choices=Laterality.choices, default=Laterality.UNKNOWN)
    # NULL (not '') for "not a digit" keeps the document's null and the CHECK below as they are.
    digit_segment = models.CharField(max_length=10, choices=DigitSegment.choices, null=True, blank=True)  # noqa: DJ001
    methods = ArrayField(
        models.CharField(max_length=15, choices=DetectedBy.choices),
        help_text="How the lesion was seen: one or more (examination, radiograph and biopsy: one row, three methods).",
    )
    morphology = models.CharField(max_length=12, choices=Morphology.choices, default=Morphology.UNSPECIFIED)
    depth = models.CharField(max_length=15, choices=Depth.choices, default=Depth.UNKNOWN)
    count = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Deposits at this site."
    )
    # yes / no / unknown: None is "not recorded", never "no".
    palpable = models.BooleanField(null=True, blank=True)
    ulcerated = models.BooleanField(null=True, blank=True)
    infected = models.BooleanField(null=True, blank=True)
    painful = models.BooleanField(null=True, blank=True)
    extruding = models.BooleanField(null=True, blank=True, help_text="Chalky discharge.")
    pain_nrs = models.PositiveSmallIntegerField(
        "pain (NRS)", null=True, blank=True, validators=[MaxValueValidator(10)], help_text="0 to 10."
    )
    size_mm = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="The largest diameter.",
    )
    size_short_mm = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="The diameter across the largest one (no larger than it).",
    )
    observed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(size_mm__isnull=True) | Q(size_mm__gt=0), name="site_size_positive"),
            models.CheckConstraint(
                condition=Q(size_short_mm__isnull=True)
                | Q(size_short_mm__gt=0, size_short_mm__lte=models.F("size_mm")),
                name="site_short_axis_within_size",
            ),
            models.CheckConstraint(condition=Q(pain_nrs__isnull=True) | Q(pain_nrs__lte=10), name="site_pain_range"),
            models.CheckConstraint(condition=Q(count__isnull=True) | Q(count__gte=1), name="site_count_positive"),
            models.CheckConstraint(
                condition=Q(methods__len__gte=1) & Q(methods__contained_by=DetectedBy.values), name="site_methods_valid"
            ),
            choices_check("laterality", Laterality.choices),
            choices_check("morphology", Morphology.choices),
            choices_check("depth", Depth.choices),
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
        errors = {}
        region = self.region if self.region_id else None
        if region is not None and self.laterality not in region.sides:
            errors["laterality"] = f"{region.label} ({region.code}) takes {', '.join(region.sides)}."
        if self.digit_segment and region is not None and not region.is_digit:
            errors["digit_segment"] = "A digit segment is recorded for fingers and toes only."
        elif (
            self.digit_segment == DigitSegment.MIDDLE and region is not None and region.code in region.NO_MIDDLE_PHALANX
        ):
            errors["digit_segment"] = f"The {region.label.lower()} has no middle phalanx."
        if not self.methods:
            errors["methods"] = "Give at least one method the lesion was seen by."
        if self.size_short_mm is not None and (self.size_mm is None or self.size_short_mm > self.size_mm):
            errors["size_short_mm"] = "The short axis is no larger than the largest diameter (size_mm)."
        if errors:
            raise ValidationError(errors)


@audited()
class TreatmentCourse(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="treatments")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=15, choices=Route.choices, default=Route.UNKNOWN)
    dose = models.CharField(max_length=200, blank=True, help_text='As written, e.g. "200 mg daily".')
    indication = models.CharField(
        max_length=20,
        choices=Indication.choices,
        blank=True,
        help_text="What the course was given for; unclear when the source does not say.",
    )
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    duration_months = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    stop_reason = models.CharField(max_length=15, choices=StopReason.choices, default=StopReason.UNKNOWN)
    regimen = models.CharField(
        max_length=20,
        blank=True,
        help_text="A short label (A, B …) shared by the courses the source evaluated together.",
    )
    response = models.CharField(
        max_length=15, choices=Response.choices, default=Response.NOT_ASSESSED, help_text=RESPONSE_HELP
    )
    response_scope = models.CharField(
        max_length=10,
        choices=ResponseScope.choices,
        default=ResponseScope.AGENT,
        help_text="regimen: the source reports one outcome for the courses sharing this course's regimen label.",
    )
    response_basis = models.CharField(max_length=10, choices=ResponseBasis.choices, default=ResponseBasis.UNSTATED)
    size_change_pct = models.DecimalField(
        "size change (%)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(-100), MaxValueValidator(1000)],
        help_text="Negative: shrinkage (−100 … +1000).",
    )
    response_at_months = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Months after the start at which the response was judged.",
    )
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
            models.CheckConstraint(
                condition=Q(size_change_pct__isnull=True) | Q(size_change_pct__gte=-100, size_change_pct__lte=1000),
                name="treatment_size_change_range",
            ),
            models.CheckConstraint(
                condition=Q(response_at_months__isnull=True) | Q(response_at_months__gte=0),
                name="treatment_response_at_nonnegative",
            ),
            models.CheckConstraint(
                condition=~Q(response_scope="regimen") | ~Q(regimen=""), name="treatment_regimen_scope_has_regimen"
            ),
            choices_check("route", Route.choices),
            choices_check("response", Response.choices),
            choices_check("response_scope", ResponseScope.choices),
            choices_check("response_basis", ResponseBasis.choices),
            choices_check("stop_reason", StopReason.choices),
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
        errors = {}
        if self.started_on and self.stopped_on and self.stopped_on < self.started_on:
            errors["stopped_on"] = "The stop date is before the start date."
        if self.response_scope == ResponseScope.REGIMEN and not self.regimen.strip():
            errors["regimen"] = "A response for the regimen needs the regimen's label, shared by its other courses."
        if errors:
            raise ValidationError(errors)


@audited()
class TreatmentTarget(models.Model):
    """Which calcinosis sites a treatment course was aimed at (same case only)."""

    treatment = models.ForeignKey(TreatmentCourse, on_delete=models.CASCADE, related_name="targets")
    site = models.ForeignKey(CalcinosisSite, on_delete=models.CASCADE, related_name="targeted_by")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["treatment", "site"], name="treatment_target_unique")]

    def __str__(self):
        return f"treatment {self.treatment_id} → site {self.site_id}"
