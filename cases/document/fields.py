"""The parts a case document is declared with: fields, their kinds, lists of rows, references to lesions.

``schema.py`` declares the document with these; everything that reads or writes a document walks them.
A field states only what its model field does not already say (who may read it, how the form lays it out,
other words for its label); its type, bounds, choices, vocabulary and nullability are read from the model.
"""

from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from functools import cached_property

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cases.models import Concept
from cases.models.vocabularies import VOCABULARIES


class Withheld(Enum):
    """What a reader who may not see identifiers (a researcher) is refused."""

    IDENTIFYING = "identifying"  # left out of the document and the files altogether
    CLINIC_NARRATIVE = "narrative"  # emptied in clinic cases (a published case keeps its text)


class Kind(StrEnum):
    """What a value is, read from its model field."""

    CODE = "code"  # a concept of a vocabulary, by its code
    CODE_LIST = "code_list"  # several codes: of the field's fixed choices, or of a vocabulary
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
    if isinstance(model_field, ArrayField):
        return Kind.CODE_LIST
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
    # Written by the registry (value_canonical): in every document and file, never read from one.
    read_only: bool = False
    # The vocabulary of a list of codes (an ArrayField names no vocabulary of its own).
    codes_of: str = ""
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

    @cached_property  # read for every field of every row a document sends
    def vocabulary(self) -> str | None:
        """The vocabulary's name (``region``) for a code or a list of codes of a vocabulary."""
        if self.codes_of:
            return self.codes_of
        if self.kind is not Kind.CODE:
            return None
        return next(name for name, model in VOCABULARIES.items() if model is self.model_field.related_model)

    @cached_property
    def vocabulary_model(self):
        return VOCABULARIES[self.vocabulary] if self.vocabulary else None

    @property
    def choices(self) -> list[tuple[str, str]]:
        """The fixed codes (of a list's items, for a list)."""
        source = self.model_field.base_field if self.kind is Kind.CODE_LIST else self.model_field
        return [(str(value), str(label)) for value, label in source.flatchoices if value not in ("", None)]

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
        if self.kind is Kind.CODE_LIST:
            return []
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
class SiteRef:
    """Calcinosis sites of the same case a row refers to (a treatment's targets, an assessment's lesion).

    In the document a site is named by its stored id, or, for a site sent in the same document without an
    id yet, by its position in ``calcinosis_sites`` (api.md, second edition); ``by_position`` always means a
    position.
    """

    name: str  # "site_ids" / "site_id"
    by_position: str  # "site_indexes" / "site_index"
    relation: str  # the model's many-to-many ("sites") or foreign key ("site")
    many: bool
    description: str


@dataclass(frozen=True)
class ChildList:
    """One of a case's lists (``serology``), or a list inside a row of one (an assessment's ``scores``)."""

    key: str
    model: type
    fields: tuple[Field, ...]
    noun: str  # what one row is called on the pages
    heading: str
    links: SiteRef | None = None
    # Lists inside each row (an assessment's scores and lesion findings).
    children: tuple["ChildList", ...] = ()
    # The foreign key a row points to its owner by: the case, or the row of the list it is inside.
    parent: str = "case"
    # A row inside another is found again by these fields when its owner is sent back (it has no id in the
    # document); None: the rows of this list carry their ids.
    natural_key: tuple[str, ...] | None = None
    # Rows of this list are entered in the browser as a checklist, not as repeatable row forms.
    checklist: bool = False

    def __post_init__(self):
        object.__setattr__(self, "fields", tuple(f.bound(self.model) for f in self.fields))

    @property
    def names(self) -> list[str]:
        """The stored fields a document row sets (read-only ones excluded)."""
        return [f.name for f in self.fields if not f.read_only]

    @property
    def written(self) -> list[str]:
        """Every stored field of a row, the registry's own (value_canonical) included."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @cached_property
    def codes(self) -> dict[str, type]:
        """Field name → vocabulary model, for the fields that hold a concept's code or a list of them."""
        return {f.name: f.vocabulary_model for f in self.fields if f.vocabulary and not f.read_only}

    @property
    def has_ids(self) -> bool:
        return self.natural_key is None

    @cached_property
    def document_keys(self) -> list[str]:
        """The keys of a row as the document gives it."""
        keys = ["id"] if self.has_ids else []
        keys += [f.name for f in self.fields]
        keys += [self.links.name] if self.links else []
        keys += [child.key for child in self.children]
        # A list's notes come last, after the lists inside its rows, as api.md writes an assessment.
        if "notes" in keys and self.children:
            keys.remove("notes")
            keys.append("notes")
        return keys

    @cached_property
    def row_keys(self) -> list[str]:
        """A row as its long table and its export file give it: keyed by its case (and the row it is inside),
        with its own id, and without the lists inside it (each is a table of its own)."""
        owner = [] if self.parent == "case" else [f"{self.parent}_id"]
        own = [key for key in self.document_keys if key != "id" and key not in {c.key for c in self.children}]
        return ["registry_id", *owner, "id", *own]

    @property
    def route(self) -> str:
        """The list's path among the long tables and its file name: calcinosis_sites → calcinosis-sites."""
        return self.key.replace("_", "-")
