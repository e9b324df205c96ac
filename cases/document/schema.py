"""The case document, declared once (api.md, "The case document").

Every key of the document is declared here, in document order, with what the
model does not already say: who may read it, how the entry form lays it out,
and, where the form needs other words than the model's verbose name, its
label and help text. Type, bounds, choices, vocabulary and nullability are
read from the model field itself, never restated.

Everything that speaks the document derives from this module: the services'
reader, the document writer (de-identification included), the API's input
and output shapes and so its OpenAPI schema, the browser's row forms, the
admin's case form and inlines, the export columns (CSV and SQL), the long
tables and the synthetic loader. ``cases/tests/test_document_schema.py``
walks every one of them against this declaration.
"""

from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from functools import cached_property

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cases.models import (
    CalcinosisSite,
    Case,
    ClinicalFeature,
    Concept,
    Diagnosis,
    LabResult,
    Publication,
    SerologyResult,
    TreatmentCourse,
)
from cases.models.vocabularies import VOCABULARIES


class Withheld(Enum):
    """What a reader who may not see identifiers (a researcher) is refused."""

    IDENTIFYING = "identifying"  # left out of the document and the files altogether
    CLINIC_NARRATIVE = "narrative"  # emptied in clinic cases (a published case keeps its text)


class Kind(StrEnum):
    """What a value is, read from its model field."""

    CODE = "code"  # a concept of a vocabulary, by its code
    CHOICE = "choice"  # one of the model field's fixed choices
    TRISTATE = "tristate"  # yes / no / not recorded
    BOOLEAN = "boolean"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TIMESTAMP = "timestamp"
    TEXT = "text"
    LONG_TEXT = "long_text"
    SITE = "site"  # the contributing site, by its code
    PUBLICATION = "publication"  # a nested object, matched or created


def kind_of(model_field) -> Kind:
    if model_field.is_relation:
        if issubclass(model_field.related_model, Concept):
            return Kind.CODE
        return {"Site": Kind.SITE, "Publication": Kind.PUBLICATION}[model_field.related_model.__name__]
    if isinstance(model_field, models.BooleanField):
        return Kind.TRISTATE if model_field.null else Kind.BOOLEAN
    if model_field.choices:
        return Kind.CHOICE
    if isinstance(model_field, models.DateTimeField):
        return Kind.TIMESTAMP
    if isinstance(model_field, models.DateField):
        return Kind.DATE
    if isinstance(model_field, models.DecimalField):
        return Kind.DECIMAL
    if isinstance(model_field, models.IntegerField):
        return Kind.INTEGER
    if isinstance(model_field, models.TextField):
        return Kind.LONG_TEXT
    return Kind.TEXT


@dataclass(frozen=True)
class Field:
    """One key of the document, backed by the model field of the same name."""

    name: str
    withheld: Withheld | None = None
    # Ages of 90 and over read "90+" for a reader who may not see identifiers.
    age: bool = False
    # Withheld (null) from that reader in a case aged 90 or more at presentation: with another age or a
    # duration it would give the exact age back (api.md, second edition).
    age_clue: bool = False
    label: str = ""
    help: str = ""
    # The entry form: "span2" / "wide" widen the input; inputs of one group show and hide together.
    css: str = ""
    group: str = ""
    model: type | None = field(default=None, compare=False, repr=False)

    def bound(self, model) -> "Field":
        return replace(self, model=model)

    @cached_property
    def model_field(self):
        return self.model._meta.get_field(self.name)

    @cached_property
    def kind(self) -> Kind:
        return kind_of(self.model_field)

    @property
    def column(self) -> str:
        """The database column (``condition_id`` for a code)."""
        return self.model_field.column

    @property
    def attname(self) -> str:
        """The attribute that holds the stored value (the code itself, for a concept)."""
        return self.model_field.attname

    @property
    def vocabulary(self) -> str | None:
        """The vocabulary's name (``region``) for a code."""
        if self.kind is not Kind.CODE:
            return None
        return next(name for name, model in VOCABULARIES.items() if model is self.model_field.related_model)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in self.model_field.flatchoices if value not in ("", None)]

    @property
    def title(self) -> str:
        return self.label or str(self.model_field.verbose_name).capitalize()

    @property
    def help_text(self) -> str:
        return self.help or str(self.model_field.help_text)

    @property
    def description(self) -> str:
        return self.help_text or self.title

    @property
    def required(self) -> bool:
        """Must be sent for a new row: no default, no empty value."""
        f = self.model_field
        return not (f.null or f.blank or f.has_default())

    @property
    def default(self):
        """What a new row holds when the document leaves the field out."""
        f = self.model_field
        if f.has_default():
            return f.get_default()
        return "" if (f.blank and not f.null and isinstance(f, (models.CharField, models.TextField))) else None

    @property
    def bounds(self) -> tuple:
        """(min, max) from the model's validators, None where open."""
        low = high = None
        for validator in self.model_field.validators:
            if isinstance(validator, MinValueValidator):
                low = validator.limit_value
            elif isinstance(validator, MaxValueValidator):
                high = validator.limit_value
        positive = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)
        if low is None and isinstance(self.model_field, positive):
            low = 0
        return low, high


@dataclass(frozen=True)
class SiteLinks:
    """The calcinosis sites of the same case a row refers to: by stored id, or by position in the document."""

    name: str  # "site_ids" in the document
    by_position: str  # "site_indexes" on input, for sites sent in the same request
    relation: str  # the model's many-to-many field
    description: str


@dataclass(frozen=True)
class ChildList:
    """One of a case's lists (``serology``): its rows' model and fields, in document order."""

    key: str
    model: type
    fields: tuple[Field, ...]
    noun: str  # what one row is called on the pages
    heading: str
    links: SiteLinks | None = None
    # Rows of this list are entered in the browser as a checklist, not as repeatable row forms.
    checklist: bool = False

    def __post_init__(self):
        object.__setattr__(self, "fields", tuple(f.bound(self.model) for f in self.fields))

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def codes(self) -> dict[str, type]:
        """Field name → vocabulary model, for the fields that hold a concept's code."""
        return {f.name: f.model_field.related_model for f in self.fields if f.kind is Kind.CODE}

    @property
    def document_keys(self) -> list[str]:
        """The keys of a row as the document gives it."""
        return ["id", *self.names, *([self.links.name] if self.links else [])]


NOTES = Field("notes", withheld=Withheld.CLINIC_NARRATIVE, css="wide")

CASE_FIELDS: tuple[Field, ...] = tuple(
    f.bound(Case)
    for f in (
        Field("site", help="The site's code; clinicians enter cases for their own sites."),
        Field("source"),
        Field("publication", help="Required for literature cases; matched by DOI, PMID or citation, else created."),
        Field(
            "local_reference",
            withheld=Withheld.IDENTIFYING,
            help="Your site's own reference, never a name. Seen only by your site and curators.",
        ),
        Field("sex"),
        Field("age_at_presentation", age=True, label="Age at presentation (years)"),
        Field("country", help="Two-letter ISO 3166-1 code, e.g. TR."),
        Field("consent"),
        Field("calcinosis_etiology"),
        Field("calcinosis_extent"),
        Field(
            "summary",
            withheld=Withheld.CLINIC_NARRATIVE,
            help="The clinical narrative, without names, dates of birth or addresses.",
        ),
        Field("status", help="draft or submitted; a curator verifies with the verify action."),
    )
)

PUBLICATION_FIELDS: tuple[Field, ...] = tuple(
    f.bound(Publication)
    for f in (
        Field("doi", help="A DOI the registry knows fills in the rest."),
        Field("pmid"),
        Field("title"),
        Field("journal"),
        Field("year"),
        Field("authors"),
        Field("citation"),
    )
)

# The record's own timestamps, at the end of the document (years for a researcher).
RECORD_FIELDS: tuple[Field, ...] = tuple(
    f.bound(Case) for f in (Field("verified_at"), Field("created_at"), Field("updated_at"))
)

# Written by the registry, never from a document; a client that PUTs what it GETs may send them back.
READ_ONLY_FIELDS = (
    "registry_id",
    "version",
    "quality_issues",
    *(f.name for f in RECORD_FIELDS),
    "created_by",
    "verified_by",
    "status_reason",
)

CHILD_LISTS: tuple[ChildList, ...] = (
    ChildList(
        "diagnoses",
        Diagnosis,
        (
            Field("condition", css="span2"),
            Field("is_primary", label="Primary diagnosis", help="Exactly one diagnosis is primary."),
            Field("age_at_diagnosis", label="Age at diagnosis (years)", age=True, age_clue=True),
            Field("duration_years", label="Duration at presentation (years)", age_clue=True),
            Field("criteria", label="Classification criteria", help="The criteria the source says were met."),
            NOTES,
        ),
        noun="diagnosis",
        heading="Diagnoses",
    ),
    ChildList(
        "features",
        ClinicalFeature,
        (Field("feature"), Field("status"), NOTES),
        noun="clinical feature",
        heading="Clinical features",
        checklist=True,
    ),
    ChildList(
        "serology",
        SerologyResult,
        (
            Field("test", css="span2"),
            Field("result"),
            Field("titer", label="Titre 1:", group="ana-only"),
            Field(
                "pattern",
                label="ANA pattern",
                help="ANA only: an ICAP code (ac1 …) or nuclear / speckled / nucleolar.",
                group="ana-only",
            ),
            Field("value"),
            Field("unit", label="Unit (UCUM)"),
            Field("tested_on"),
            NOTES,
        ),
        noun="serology result",
        heading="Serology",
    ),
    ChildList(
        "labs",
        LabResult,
        (
            Field("test", css="span2"),
            Field("value"),
            Field("unit", label="Unit (UCUM)"),
            Field("interpretation", help="normal, low, high or abnormal; a report that says only normal has no value."),
            Field("measured_on"),
            NOTES,
        ),
        noun="laboratory result",
        heading="Laboratory",
    ),
    ChildList(
        "calcinosis_sites",
        CalcinosisSite,
        (
            Field("region", css="span2"),
            Field("laterality", label="Side"),
            Field("digit_segment", label="Digit segment (fingers and toes)"),
            Field("detected_by"),
            Field("morphology"),
            Field("palpable"),
            Field("ulcerated"),
            Field("infected"),
            Field("painful"),
            Field("size_mm", label="Size (mm)", help="The largest diameter."),
            Field("observed_on"),
            NOTES,
        ),
        noun="calcinosis site",
        heading="Calcinosis sites",
    ),
    ChildList(
        "treatments",
        TreatmentCourse,
        (
            Field("agent", css="span2", help="A drug, a class (ccb) when no drug is named, or a procedure."),
            Field("route"),
            Field("dose"),
            Field("indication", help="What the course was given for."),
            Field("started_on"),
            Field("stopped_on"),
            Field("duration_months", label="Duration (months)"),
            Field("response"),
            Field("response_assessed_on"),
            NOTES,
        ),
        noun="treatment",
        heading="Treatments",
        links=SiteLinks(
            "site_ids",
            "site_indexes",
            relation="sites",
            description="The calcinosis sites of this case the course targeted: their ids "
            "(site_indexes: their positions, from 0, among the calcinosis_sites sent in the same request).",
        ),
    ),
)
CHILDREN: dict[str, ChildList] = {child.key: child for child in CHILD_LISTS}


def case_field(name: str) -> Field:
    return next(f for f in CASE_FIELDS if f.name == name)


def all_fields():
    """(list key or None for the case, field) for every model-backed field of the document."""
    yield from ((None, f) for f in CASE_FIELDS)
    for child in CHILD_LISTS:
        yield from ((child.key, f) for f in child.fields)


def named_field(name: str) -> Field:
    """``"laterality"`` or ``"calcinosis_sites.laterality"``: a case field first, else the one list field so named."""
    key, _, name = name.rpartition(".")
    if key:
        return CHILDREN[key].field(name)
    for list_key, f in all_fields():
        if f.name == name and list_key is None:
            return f
    found = [f for list_key, f in all_fields() if f.name == name]
    if len(found) != 1:
        raise LookupError(f"No single document field named {name!r}; qualify it (list.field).")
    return found[0]


def choices_of(name: str) -> list[tuple[str, str]]:
    """``choices_of("laterality")`` → [("left", "Left"), …]; ``features.status`` names a list's own field."""
    return named_field(name).choices
