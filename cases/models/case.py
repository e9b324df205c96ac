import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q

from cases import access
from cases.models.sites import Site, country_validator
from cases.models.vocabularies import Agent, Condition, Region

REGISTRY_ID_SEQUENCE = "cases_registry_id_seq"


def format_registry_id(number: int) -> str:
    """The public id of the case that took ``number`` from REGISTRY_ID_SEQUENCE: CC-000001."""
    return f"CC-{number:06d}"


def choices_check(field: str, choices) -> models.CheckConstraint:
    """Keep a coded column to its codes in the database too, not only in forms."""
    values = [value for value, _ in choices]
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=f"%(class)s_{field}_valid")


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

    def for_detail(self) -> "CaseQuerySet":
        """Everything a case document shows, in a fixed number of queries."""
        from cases.models.children import CalcinosisSite, TreatmentCourse
        from cases.quality import annotate_flags

        # The duplicate check compares a case with the others: as an annotation it costs
        # nothing per case, where asked case by case it would be one query per row of a list.
        loaded = annotate_flags(self, ["likely_duplicate"])
        # Vocabulary codes are read from the rows' own columns (condition_id, …), so the
        # concepts are not loaded, except regions, whose path the quality checks read.
        return loaded.select_related("site", "publication", "verified_by").prefetch_related(
            "diagnoses",
            "features",
            "serology",
            "labs",
            models.Prefetch("calcinosis_sites", queryset=CalcinosisSite.objects.select_related("region")),
            models.Prefetch("treatments", queryset=TreatmentCourse.objects.prefetch_related("sites")),
        )

    # Descendant-aware clinical filters, shared by the browser list and the API.
    def with_condition(self, code: str, *, primary_only: bool = False) -> "CaseQuerySet":
        from cases.models.children import Diagnosis

        rows = Diagnosis.objects.filter(case=OuterRef("pk"), condition__in=Condition.objects.codes_below(code))
        if primary_only:
            rows = rows.filter(is_primary=True)
        return self.filter(Exists(rows))

    def with_region(self, code: str, **site_fields) -> "CaseQuerySet":
        from cases.models.children import CalcinosisSite

        rows = CalcinosisSite.objects.filter(
            case=OuterRef("pk"), region__in=Region.objects.codes_below(code), **site_fields
        )
        return self.filter(Exists(rows))

    def with_agent(self, code: str, **course_fields) -> "CaseQuerySet":
        """A treatment course of this agent or below; extra fields must match on the same course."""
        from cases.models.children import TreatmentCourse

        rows = TreatmentCourse.objects.filter(
            case=OuterRef("pk"), agent__in=Agent.objects.codes_below(code), **course_fields
        )
        return self.filter(Exists(rows))

    def with_serology(self, test: str, result: str) -> "CaseQuerySet":
        from cases.models.children import SerologyResult

        return self.filter(Exists(SerologyResult.objects.filter(case=OuterRef("pk"), test=test, result=result)))

    def with_feature(self, feature: str, status: str = "present") -> "CaseQuerySet":
        from cases.models.children import ClinicalFeature

        return self.filter(Exists(ClinicalFeature.objects.filter(case=OuterRef("pk"), feature=feature, status=status)))


class CaseSource(models.TextChoices):
    CLINIC = "clinic", "Clinic"
    LITERATURE = "literature", "Literature"


class CaseSex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class CaseConsent(models.TextChoices):
    WRITTEN = "written", "Written"
    VERBAL = "verbal", "Verbal"
    WAIVED = "waived", "Waived"
    NOT_RECORDED = "not_recorded", "Not recorded"


class CaseEtiology(models.TextChoices):
    DYSTROPHIC = "dystrophic", "Dystrophic"
    METASTATIC = "metastatic", "Metastatic"
    IDIOPATHIC = "idiopathic", "Idiopathic"
    IATROGENIC = "iatrogenic", "Iatrogenic"
    CALCIPHYLAXIS = "calciphylaxis", "Calciphylaxis"
    UNKNOWN = "unknown", "Unknown"


class CaseExtent(models.TextChoices):
    LOCALIZED = "localized", "Localized"
    MULTIPLE = "multiple", "Multiple"
    UNIVERSALIS = "universalis", "Universalis"
    UNKNOWN = "unknown", "Unknown"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    VERIFIED = "verified", "Verified"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
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
    country = models.CharField(max_length=2, blank=True, validators=[country_validator])
    consent = models.CharField(max_length=15, choices=Consent.choices, default=Consent.NOT_RECORDED)
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
            models.CheckConstraint(condition=Q(registry_id__regex=r"^CC-[0-9]{6,}$"), name="case_registry_id_format"),
            models.CheckConstraint(
                condition=Q(age_at_presentation__isnull=True) | Q(age_at_presentation__lte=120),
                name="case_age_range",
            ),
            models.CheckConstraint(
                condition=~Q(source="literature") | Q(publication__isnull=False),
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
        if self.source == self.Source.LITERATURE and self.publication_id is None and self.publication is None:
            raise ValidationError({"publication": "A literature case needs its publication (a DOI, PMID or citation)."})

    @property
    def primary_diagnosis(self):
        # Reads the prefetched rows when there are any, so lists stay at a fixed query count.
        return next((d for d in self.diagnoses.all() if d.is_primary), None)
