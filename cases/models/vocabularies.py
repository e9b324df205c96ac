"""Controlled vocabularies: one table per vocabulary, codes as primary keys.

Codes are normative (researchers' scripts filter on them), so they never
change once created; labels may be improved. The hierarchy is materialised
in ``path`` ("upper_limb/hand/finger/finger_5/") so that "this code or any
descendant" is a single indexed prefix match.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from cases.models.base import audited
from cases.models.choices import Laterality, LateralityRule

code_validator = RegexValidator(r"^[a-z0-9_]+$", "A code is lower-case letters, digits and underscores.")


class ConceptQuerySet(models.QuerySet):
    def descendants_of(self, code: str) -> "ConceptQuerySet":
        """The concept itself and everything below it (empty if unknown)."""
        path = self.model.objects.filter(code=code).values_list("path", flat=True).first()
        return self.filter(path__startswith=path) if path else self.none()

    def codes_below(self, code: str) -> list[str]:
        return list(self.descendants_of(code).values_list("code", flat=True))

    def active(self) -> "ConceptQuerySet":
        return self.filter(active=True)


class Concept(models.Model):
    code = models.CharField(primary_key=True, max_length=64, validators=[code_validator])
    label = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=500, editable=False, db_index=False)
    snomed = models.CharField("SNOMED CT", max_length=20, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(
        default=True, help_text="Inactive concepts stay on old records but are refused for new entries."
    )
    synonyms = ArrayField(
        models.CharField(max_length=100),
        blank=True,
        default=list,
        help_text="Other names and abbreviations the entry form's search finds it by (JDM, ANA, thiosulphate).",
    )

    objects = ConceptQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.label} ({self.code})"

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = self.compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moving a concept moves its whole subtree.
            type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=models.functions.Concat(
                    models.Value(self.path),
                    models.functions.Substr("path", len(old_path) + 1),
                )
            )

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A concept cannot be its own ancestor."})
            ancestor = ancestor.parent

    def compute_path(self) -> str:
        return f"{self.parent.path if self.parent_id else ''}{self.code}/"

    @classmethod
    def path_index(cls, name: str) -> models.Index:
        # Serves every "code or below" filter: path LIKE 'upper_limb/hand/%'.
        return models.Index(fields=["path"], name=name, opclasses=["varchar_pattern_ops"])


@audited()
class Condition(Concept):
    icd10 = models.CharField("ICD-10", max_length=10, blank=True)

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("condition_path_idx")]


@audited()
class Feature(Concept):
    organ = models.CharField(max_length=40, help_text="Heading under which the checklist shows it.")

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("feature_path_idx")]


class LoincByKind(models.Model):
    """LOINC per kind of result: an exporter picks the code that matches what a row holds (clinical-v2.md §4)."""

    loinc_presence = models.CharField("LOINC (presence)", max_length=20, blank=True)
    loinc_titer = models.CharField("LOINC (titre)", max_length=20, blank=True)
    loinc_quantity = models.CharField("LOINC (quantity)", max_length=20, blank=True)

    class Meta:
        abstract = True


@audited()
class SerologyTest(Concept, LoincByKind):
    class Meta(Concept.Meta):
        indexes = [Concept.path_index("serologytest_path_idx")]


@audited()
class AnaPattern(Concept):
    class Meta(Concept.Meta):
        verbose_name = "ANA pattern"
        indexes = [Concept.path_index("anapattern_path_idx")]


@audited()
class LabTest(Concept, LoincByKind):
    units = models.JSONField(
        default=list,
        blank=True,
        help_text='The UCUM units accepted, the first canonical: [{"code": "mg/dL", "factor": "1"}, '
        '{"code": "mmol/L", "factor": "4.008"}] (a value times its factor is the canonical value).',
    )
    plausible_min = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    plausible_max = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="In the canonical unit: outside it, a value is a typing error (not a reference range).",
    )

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("labtest_path_idx")]

    def clean(self):
        super().clean()
        if not isinstance(self.units, list) or not all(
            isinstance(u, dict) and isinstance(u.get("code"), str) and _is_decimal(u.get("factor")) for u in self.units
        ):
            raise ValidationError({"units": 'A list of {"code": "<UCUM>", "factor": "<decimal>"}.'})

    @property
    def canonical_unit(self) -> str:
        return self.units[0]["code"] if self.units else ""

    @property
    def unit_codes(self) -> list[str]:
        return [u["code"] for u in self.units]

    def canonical(self, value: Decimal, unit: str) -> Decimal | None:
        """``value`` in ``unit`` as a value in the canonical unit (two decimals when converted), None if unknown."""
        factor = next((Decimal(u["factor"]) for u in self.units if u["code"] == unit), None)
        if factor is None or value is None:
            return None
        if factor == 1:
            return value
        return (value * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@audited()
class Region(Concept):
    # Fingers and toes (and everything below them), where a digit segment can be recorded.
    DIGIT_PATHS = ("upper_limb/hand/finger/", "lower_limb/foot/toe/")
    # The thumb and the great toe have two phalanges: no middle one.
    NO_MIDDLE_PHALANX = ("finger_1", "toe_1")
    SIDES = {
        LateralityRule.PAIRED: (Laterality.LEFT, Laterality.RIGHT, Laterality.BILATERAL, Laterality.UNKNOWN),
        LateralityRule.MIDLINE: (Laterality.MIDLINE, Laterality.UNKNOWN),
        LateralityRule.ANY: tuple(Laterality),
    }

    laterality_rule = models.CharField(
        max_length=10,
        choices=LateralityRule.choices,
        default=LateralityRule.ANY,
        help_text="Which sides a calcinosis site at this region can have.",
    )

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("region_path_idx")]

    @property
    def is_digit(self) -> bool:
        return self.path.startswith(self.DIGIT_PATHS)

    @property
    def sides(self) -> tuple[str, ...]:
        return tuple(str(side) for side in self.SIDES[LateralityRule(self.laterality_rule)])


@audited()
class Agent(Concept):
    atc = models.CharField("ATC", max_length=10, blank=True, help_text="WHO ATC code; empty where not verified.")

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("agent_path_idx")]


@audited()
class Instrument(Concept):
    """A score an assessment records (clinical-v2.md §2): its range and step bound every value."""

    minimum = models.DecimalField(max_digits=8, decimal_places=3)
    maximum = models.DecimalField(max_digits=8, decimal_places=3)
    step = models.DecimalField(max_digits=8, decimal_places=3)
    higher_is_worse = models.BooleanField(default=True)

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("instrument_path_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(minimum__lt=models.F("maximum")), name="instrument_range"),
            models.CheckConstraint(condition=models.Q(step__gt=0), name="instrument_step_positive"),
        ]

    def problem_with(self, value: Decimal) -> str | None:
        """Why ``value`` cannot be a score of this instrument, or None."""
        if not self.minimum <= value <= self.maximum:
            return f"{self.label} ({self.code}) takes {_plain(self.minimum)} to {_plain(self.maximum)}."
        if (value - self.minimum) % self.step:
            return f"{self.label} ({self.code}) moves in steps of {_plain(self.step)}."
        return None


@audited()
class BiopsyFinding(Concept):
    class Meta(Concept.Meta):
        indexes = [Concept.path_index("biopsyfinding_path_idx")]


def _is_decimal(value) -> bool:
    try:
        Decimal(str(value))
    except (ArithmeticError, ValueError):
        return False
    return value is not None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# The vocabularies by the names the API and the filters use.
VOCABULARIES: dict[str, type[Concept]] = {
    "condition": Condition,
    "feature": Feature,
    "serology_test": SerologyTest,
    "ana_pattern": AnaPattern,
    "lab_test": LabTest,
    "region": Region,
    "agent": Agent,
    "instrument": Instrument,
    "biopsy_finding": BiopsyFinding,
}
