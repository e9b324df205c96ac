"""Controlled vocabularies: one table per vocabulary, codes as primary keys.

Codes are normative (researchers' scripts filter on them), so they never
change once created; labels may be improved. The hierarchy is materialised
in ``path`` ("upper_limb/hand/finger/finger_5/") so that "this code or any
descendant" is a single indexed prefix match.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from cases.models.base import audited

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


@audited()
class SerologyTest(Concept):
    loinc = models.CharField("LOINC", max_length=20, blank=True)

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("serologytest_path_idx")]


@audited()
class AnaPattern(Concept):
    class Meta(Concept.Meta):
        verbose_name = "ANA pattern"
        indexes = [Concept.path_index("anapattern_path_idx")]


@audited()
class LabTest(Concept):
    loinc = models.CharField("LOINC", max_length=20, blank=True)
    unit = models.CharField("usual unit (UCUM)", max_length=30, blank=True)

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("labtest_path_idx")]


@audited()
class Region(Concept):
    # Fingers and toes (and everything below them), where a digit segment can be recorded.
    DIGIT_PATHS = ("upper_limb/hand/finger/", "lower_limb/foot/toe/")

    class Meta(Concept.Meta):
        indexes = [Concept.path_index("region_path_idx")]

    @property
    def is_digit(self) -> bool:
        return self.path.startswith(self.DIGIT_PATHS)


@audited()
class Agent(Concept):
    class Meta(Concept.Meta):
        indexes = [Concept.path_index("agent_path_idx")]


# The vocabularies by the names the API and the filters use.
VOCABULARIES: dict[str, type[Concept]] = {
    "condition": Condition,
    "feature": Feature,
    "serology_test": SerologyTest,
    "ana_pattern": AnaPattern,
    "lab_test": LabTest,
    "region": Region,
    "agent": Agent,
}
