"""The case and its publication; the clinical rows are in ``children.py``."""

import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q

from cases import access, quality
from cases.models.base import audited, choices_check
from cases.models.choices import CaseConsent, CaseEtiology, CaseExtent, CaseSex, CaseSource, CaseStatus, ConsentScope
from cases.models.sites import UNKNOWN_COUNTRY, Site, country_choices
from cases.models.vocabularies import Agent, Condition, Region

REGISTRY_ID_SEQUENCE = "cases_registry_id_seq"
# The public key of a case: CC- and at least six digits (more once a million cases are passed).
REGISTRY_ID_PATTERN = r"CC-[0-9]{6,}"
_LOOSE_REGISTRY_ID = re.compile(r"(?:CC-)?0*([0-9]{1,9})", re.IGNORECASE)


def format_registry_id(number: int) -> str:
    """The public id of the case that took ``number`` from REGISTRY_ID_SEQUENCE: CC-000001."""
    return f"CC-{number:06d}"


def is_registry_id(text: str) -> bool:
    """Exactly a registry id as the registry writes it (URLs): CC-000123."""
    return len(text) <= 20 and re.fullmatch(REGISTRY_ID_PATTERN, text) is not None


def registry_id_from(term: str) -> str | None:
    """What a person types for a case (CC-000123, cc-123, 123) as its registry id, or None."""
    match = _LOOSE_REGISTRY_ID.fullmatch(term.strip())
    return format_registry_id(int(match[1])) if match else None


@audited()
class Publication(models.Model):
    doi = models.CharField("DOI", max_length=200, blank=True, null=True, unique=True)
    pmid = models.PositiveIntegerField("PMID", blank=True, null=True)
    title = models.CharField(max_length=500, blank=True)
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        blank=True, null=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    authors = models.TextField(blank=True)
    citation = models.TextField(blank=True, help_text="As it would appear in a reference list.")
    summarises = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="summaries",
        help_text="The primary publication, when this one is a secondary summary of it.",
    )

    class Meta:
        ordering = ["-year", "title"]

    def __str__(self):
        return self.citation or self.title or self.doi or f"Publication {self.pk}"

    def clean(self):
        if self.doi == "":
            self.doi = None
        if self.doi:
            self.doi = normalise_doi(self.doi)
            if not self.doi.startswith("10."):
                raise ValidationError({"doi": "A DOI starts with '10.', e.g. 10.5336/caserep.2019-65627."})
        if not (self.doi or self.pmid or self.citation or self.title):
            raise ValidationError("A publication needs a DOI, a PMID, a title or a citation.")


def normalise_doi(doi: str) -> str:
    doi = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    return doi.lower()


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        if access.reads_everything(user):
            return self.all()
        site_ids = access.clinician_site_ids(user)
        return self.filter(site_id__in=site_ids) if site_ids else self.none()

    def editable_by(self, user) -> "CaseQuerySet":
        if access.is_curator(user):
            return self.all()
        site_ids = access.clinician_site_ids(user)
        return self.filter(site_id__in=site_ids) if site_ids else self.none()

    def for_detail(self, viewer=None) -> "CaseQuerySet":
        """Everything a case document shows, in a fixed number of queries.

        ``viewer``: the user the documents are for; the duplicate check compares with the cases
        they can read (None: with every case, as for a curator or the admin).
        """
        # The duplicate check compares a case with the others: as an annotation it costs
        # nothing per case, where asked case by case it would be one query per row of a list.
        loaded = quality.annotate_flags(self, ["likely_duplicate"], viewer=viewer)
        return loaded.select_related("site", "publication__summarises", "verified_by").prefetch_related(
            *(self._prefetch(name) for name in case_lists(self.model)),
            # The stored criteria results, which a quality check compares with the criteria a source states.
            "criteria_results",
        )

    def _prefetch(self, name: str):
        # Vocabulary codes are read from the rows' own columns (condition_id, …), so concepts are not
        # loaded, except regions, whose path the quality checks read, and the sites a course targeted.
        rows = self._rows(name)
        if name == "calcinosis_sites":
            return Prefetch(name, queryset=rows.select_related("region"))
        if name == "treatments":
            return Prefetch(name, queryset=rows.prefetch_related("sites"))
        inner = inner_lists(rows.model)
        return Prefetch(name, queryset=rows.prefetch_related(*inner)) if inner else name

    def _rows(self, name: str) -> models.QuerySet:
        """All rows of one of the case's lists (the child model read through the relation)."""
        return self.model._meta.get_field(name).related_model.objects.all()

    def with_criteria(self, code: str, status: str = "met") -> "CaseQuerySet":
        """Cases whose stored result of criteria set ``code`` has this status (an indexed semi-join)."""
        results = self._rows("criteria_results").filter(case=OuterRef("pk"), criteria_set=code, status=status)
        return self.filter(Exists(results))

    # Descendant-aware clinical filters, shared by the browser list and the API.
    def with_condition(self, code: str, *, primary_only: bool = False, **diagnosis_fields) -> "CaseQuerySet":
        """A diagnosis of this condition or below; extra fields must match on the same diagnosis."""
        rows = self._rows("diagnoses").filter(
            case=OuterRef("pk"), condition__in=Condition.objects.codes_below(code), **diagnosis_fields
        )
        if primary_only:
            rows = rows.filter(is_primary=True)
        return self.filter(Exists(rows))

    def with_region(self, code: str, **site_fields) -> "CaseQuerySet":
        rows = self._rows("calcinosis_sites").filter(
            case=OuterRef("pk"), region__in=Region.objects.codes_below(code), **site_fields
        )
        return self.filter(Exists(rows))

    def with_agent(self, code: str, **course_fields) -> "CaseQuerySet":
        """A treatment course of this agent or below; extra fields must match on the same course."""
        rows = self._rows("treatments").filter(
            case=OuterRef("pk"), agent__in=Agent.objects.codes_below(code), **course_fields
        )
        return self.filter(Exists(rows))

    def with_serology(self, test: str, result: str) -> "CaseQuerySet":
        return self.filter(Exists(self._rows("serology").filter(case=OuterRef("pk"), test=test, result=result)))

    def with_feature(self, feature: str, status: str = "present") -> "CaseQuerySet":
        rows = self._rows("features").filter(case=OuterRef("pk"), feature=feature, status=status)
        return self.filter(Exists(rows))


def inner_lists(model) -> list[str]:
    """The lists inside a row of ``model``: the tables whose rows point to it by a key named after it
    (an assessment's scores and lesion findings, by ``assessment``)."""
    return [
        relation.get_accessor_name()
        for relation in model._meta.related_objects
        if relation.one_to_many and relation.field.name == model._meta.model_name
    ]


def case_lists(model) -> list[str]:
    """The names of a case's lists: every table whose rows point to their case by ``case``."""
    return [
        relation.get_accessor_name()
        for relation in model._meta.related_objects
        if relation.one_to_many
        and relation.field.name == "case"
        and not getattr(relation.related_model, "derived", False)
    ]


@audited()
class Case(models.Model):
    Source = CaseSource
    Sex = CaseSex
    Consent = CaseConsent
    Etiology = CaseEtiology
    Extent = CaseExtent
    Status = CaseStatus

    registry_id = models.CharField(max_length=12, unique=True, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="cases")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.CLINIC)
    publication = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    local_reference = models.CharField(
        max_length=100, blank=True, help_text="The site's own reference; seen only by that site and curators."
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_at_presentation = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text="Age in years when the calcinosis was documented.",
    )
    calcinosis_onset_age = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text="Age in years when the calcinosis began (if the source says).",
    )
    country = models.CharField(max_length=2, blank=True, choices=country_choices, error_messages=UNKNOWN_COUNTRY)
    consent = models.CharField(max_length=15, choices=Consent.choices, default=Consent.NOT_RECORDED)
    consent_scope = ArrayField(
        models.CharField(max_length=15, choices=ConsentScope.choices),
        blank=True,
        default=list,
        help_text="What the consent covers; for a literature case, the published patient's consent to publication.",
    )
    consent_on = models.DateField(null=True, blank=True)
    ethics_reference = models.CharField(
        max_length=200, blank=True, help_text="The ethics approval's reference; seen only by the site and curators."
    )
    calcinosis_etiology = models.CharField(max_length=15, choices=Etiology.choices, default=Etiology.UNKNOWN)
    calcinosis_extent = models.CharField(max_length=15, choices=Extent.choices, default=Extent.UNKNOWN)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(blank=True, help_text="Why a curator sent the case back.")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["registry_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registry_id__regex=f"^{REGISTRY_ID_PATTERN}$"), name="case_registry_id_format"
            ),
            models.CheckConstraint(
                condition=Q(age_at_presentation__isnull=True) | Q(age_at_presentation__lte=120),
                name="case_age_range",
            ),
            models.CheckConstraint(
                condition=Q(calcinosis_onset_age__isnull=True) | Q(calcinosis_onset_age__lte=120),
                name="case_calcinosis_onset_range",
            ),
            models.CheckConstraint(
                condition=Q(consent_scope__contained_by=ConsentScope.values), name="case_consent_scope_valid"
            ),
            # A draft may wait for its reference (the quality check flags it): a placeholder typed to get past
            # the form would hide that it is missing (issue 17.5).
            models.CheckConstraint(
                condition=~Q(source="literature") | Q(publication__isnull=False) | Q(status="draft"),
                name="case_literature_has_publication",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="case_verified_has_when",
            ),
            models.UniqueConstraint(
                fields=["site", "local_reference"],
                condition=~Q(local_reference=""),
                name="case_local_reference_unique_per_site",
            ),
            choices_check("source", CaseSource.choices),
            choices_check("sex", CaseSex.choices),
            choices_check("consent", CaseConsent.choices),
            choices_check("calcinosis_etiology", CaseEtiology.choices),
            choices_check("calcinosis_extent", CaseExtent.choices),
            choices_check("status", CaseStatus.choices),
        ]
        indexes = [
            # The "recently changed" ordering of the case list and updated_since sync.
            models.Index(fields=["updated_at"], name="case_updated_at_idx"),
        ]

    def __str__(self):
        return self.registry_id or "new case"

    def clean(self):
        lacks_publication = self.publication_id is None and self.publication is None
        if self.source == self.Source.LITERATURE and lacks_publication and self.status != self.Status.DRAFT:
            raise ValidationError(
                {
                    "publication": "A literature case needs its publication (a DOI, PMID or citation) to be "
                    "submitted; save it as a draft until you have it."
                }
            )
