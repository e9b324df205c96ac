"""The codebook: one row per column of every file of ``tables.zip`` (api.md, second edition).

Nothing here is written column by column: the case's and the lists' columns are
described from the document schema (``cases/document/schema.py``: kind, vocabulary,
choices, label and help text read from the model), and the column lists are the
exporter's own (``cases.exports.sql``), so a new field is in the codebook the day it
is in the files. Only the export's derived columns (the summaries of ``cases.csv``)
carry their words here, beside the rule that derives them. ``file_columns`` is also
how the import and the Parquet writer know each column's type.
"""

import csv
import io
from dataclasses import dataclass

from cases import criteria
from cases.document.schema import ALL_LISTS, CASE_FIELDS, PUBLICATION_FIELDS, RECORD_FIELDS, Field, Kind
from cases.document.writer import GREAT_AGE_TEXT
from cases.exports.sql import BOM, CRITERIA_COLUMNS, LISTS, SEPARATOR, VOCABULARY_COLUMNS, case_columns, child_columns
from cases.models import VOCABULARIES, CriteriaResult

TYPES = ("text", "integer", "decimal", "date", "boolean", "code", "code_list")
KEYS = ("file", "column", "type", "description", "unit", "vocabulary", "allowed")

SPREADSHEET_SAFETY = (
    "In the CSV files a text cell that begins with =, +, -, @, a tab or a carriage return is written with a "
    "leading ' so that a spreadsheet does not run it as a formula (OWASP); numbers, dates and codes are never "
    "altered, and the Parquet files carry every value unaltered."
)
LISTS_IN_CSV = f"In CSV the codes are joined by '{SEPARATOR}'; in Parquet they are a list of strings."


@dataclass(frozen=True)
class Column:
    """One column of one export file, as the codebook describes it."""

    file: str  # the file's name without its extension: cases, serology, vocabulary_region
    name: str
    type: str  # one of TYPES
    description: str
    unit: str = ""
    vocabulary: str = ""
    allowed: tuple[str, ...] = ()
    # A decimal's (precision, scale), from its model field: the Parquet type.
    digits: tuple[int, int] | None = None

    def row(self, extension: str) -> dict:
        return {
            # The codebook itself is a CSV file in either zip.
            "file": f"{self.file}.{'csv' if self.file == 'codebook' else extension}",
            "column": self.name,
            "type": self.type,
            "description": self.description,
            "unit": self.unit,
            "vocabulary": self.vocabulary,
            "allowed": SEPARATOR.join(self.allowed),
        }


def _unit(f: Field) -> str:
    # The registry names a measured field by its unit (size_mm, duration_years, response_at_months).
    if f.age or f.name.endswith("_years"):
        return "years"
    for suffix, unit in (("_mm", "mm"), ("_months", "months"), ("_pct", "%")):
        if f.name.endswith(suffix) or f.name.startswith(suffix.strip("_") + "_"):
            return unit
    return ""


def field_column(file: str, f: Field, deidentify: bool, name: str = "") -> Column:
    """A column that holds one document field, typed as the exporter writes it for this reader."""
    described = f.description if f.description == f.title else f"{f.title}: {f.description}"
    kind, unit, digits = f.kind, _unit(f), None
    allowed = tuple(code for code, _ in f.choices) if kind in (Kind.CHOICE, Kind.CODE_LIST) else ()
    if kind is Kind.CODE:
        kind_type = "code"
    elif kind is Kind.CHOICE:
        kind_type = "code"
    elif kind is Kind.CODE_LIST:
        kind_type, described = "code_list", f"{described}. {LISTS_IN_CSV}"
    elif kind in (Kind.BOOLEAN, Kind.TRISTATE):
        kind_type = "boolean"
    elif kind in (Kind.DATE, Kind.TIMESTAMP) and deidentify:
        kind_type, described, unit = "integer", f"{described} (the year only, de-identified)", "year"
    elif kind is Kind.DATE:
        kind_type, described = "date", f"{described} (YYYY-MM-DD)"
    elif kind is Kind.TIMESTAMP:
        kind_type, described = "text", f"{described} (ISO 8601, UTC)"
    elif kind in (Kind.INTEGER, Kind.DECIMAL) and f.age and deidentify:
        kind_type, described = "text", f"{described}; '{GREAT_AGE_TEXT}' for {GREAT_AGE_TEXT[:-1]} and over"
    elif kind is Kind.INTEGER:
        kind_type = "integer"
    elif kind is Kind.DECIMAL:
        kind_type, digits = "decimal", (f.model_field.max_digits, f.model_field.decimal_places)
    elif kind is Kind.SITE:
        kind_type = "text"
    elif kind is Kind.PUBLICATION:
        kind_type, described = "text", f"{described} (by its DOI)"
    else:
        kind_type = "text"
    if f.age_clue and deidentify:
        described += "; empty in a case aged 90 or more at presentation"
    return Column(
        file,
        name or f.name,
        kind_type,
        described,
        unit=unit,
        vocabulary=f.vocabulary or "",
        allowed=allowed if not f.vocabulary else (),
        digits=digits,
    )


def _summary_columns(deidentify: bool) -> dict[str, Column]:
    """cases.csv's summaries of the case's lists (``cases.exports.sql._summaries``), described."""

    def listed(name: str, key: str, field: str, what: str, ancestors: bool = False) -> Column:
        vocabulary = LISTS[key].field(field).vocabulary
        if ancestors:
            what += (
                f" and every concept above them in the {vocabulary} vocabulary, once each: a case has X here when "
                f"it has X or anything below it (the count the API's filters and statistics give)"
            )
        return Column("cases", name, "code_list", f"{what}. {LISTS_IN_CSV}", vocabulary=vocabulary)

    primary = field_column("cases", LISTS["diagnoses"].field("duration_years"), deidentify, "primary_duration_years")
    columns = [
        Column("cases", "primary_condition", "code", "The primary diagnosis's condition", vocabulary="condition"),
        Column(
            "cases",
            primary.name,
            primary.type,
            f"The primary diagnosis's {primary.description[0].lower()}{primary.description[1:]}",
            unit=primary.unit,
            digits=primary.digits,
        ),
        listed("conditions", "diagnoses", "condition", "The conditions diagnosed, the primary first"),
        listed("conditions_with_ancestors", "diagnoses", "condition", "The conditions diagnosed", ancestors=True),
        listed("features_present", "features", "feature", "The clinical features recorded present"),
        listed("features_absent", "features", "feature", "The clinical features recorded absent"),
        listed("positive_antibodies", "serology", "test", "The serology tests with a positive result"),
        listed("negative_antibodies", "serology", "test", "The serology tests with a negative result"),
        listed("calcinosis_regions", "calcinosis_sites", "region", "The regions of the calcinosis sites"),
        listed(
            "calcinosis_regions_with_ancestors",
            "calcinosis_sites",
            "region",
            "The regions of the calcinosis sites",
            ancestors=True,
        ),
        listed("agents", "treatments", "agent", "The agents of the treatment courses"),
        listed("agents_with_ancestors", "treatments", "agent", "The agents of the treatment courses", ancestors=True),
        Column(
            "cases",
            "agent_responses",
            "text",
            f"Each treatment course as agent:response (agent vocabulary, response as in treatments.csv), "
            f"joined by '{SEPARATOR}'",
        ),
    ]
    columns += [
        Column(
            "cases",
            f"criteria_{code}",
            "code",
            f"The status the registry computes for the case under the {definition.label} classification criteria "
            "(criteria.csv has the score)",
            allowed=_choices("status"),
        )
        for code, definition in criteria.SETS.items()
    ]
    return {column.name: column for column in columns}


def _choices(name: str) -> tuple[str, ...]:
    return tuple(str(code) for code, _ in CriteriaResult._meta.get_field(name).flatchoices)


def _case_file(deidentify: bool) -> list[Column]:
    fields = {f.name: f for f in (*CASE_FIELDS, *RECORD_FIELDS)}
    fields.update({f"publication_{p.name}": p for p in PUBLICATION_FIELDS})
    summaries = _summary_columns(deidentify)
    own = {
        "registry_id": Column("cases", "registry_id", "text", "The case's registry id: the key of every file"),
        "version": Column("cases", "version", "integer", "The case's version, one more at every change"),
    }
    columns = []
    for name in case_columns(deidentify):
        if name in own:
            columns.append(own[name])
        elif name in summaries:
            columns.append(summaries[name])
        else:
            column = field_column("cases", fields[name], deidentify, name)
            if name.startswith("publication_"):
                column = Column(**{**column.__dict__, "description": f"The publication's {column.description}"})
            columns.append(column)
    return columns


def _list_file(key: str, deidentify: bool) -> list[Column]:
    child = LISTS[key]
    columns = []
    for name in child_columns(key, deidentify):
        if name == "registry_id":
            columns.append(Column(key, name, "text", "The case's registry id (cases.csv)"))
        elif name == f"{child.parent}_id":
            columns.append(Column(key, name, "integer", f"The id of the {child.parent} row this row is in"))
        elif name == "id":
            columns.append(Column(key, name, "integer", f"The {child.noun}'s id"))
        elif child.links and name == child.links.name:
            kind = "text" if child.links.many else "integer"
            joined = f", joined by '{SEPARATOR}'" if child.links.many else ""
            columns.append(Column(key, name, kind, f"The id of calcinosis_sites.csv's rows it is about{joined}"))
        else:
            columns.append(field_column(key, child.field(name), deidentify))
    return columns


def _criteria_file() -> list[Column]:
    described = {
        "registry_id": Column("criteria", "registry_id", "text", "The case's registry id (cases.csv)"),
        "set": Column("criteria", "set", "code", "The classification criteria set", allowed=_choices("criteria_set")),
        "status": Column("criteria", "status", "code", "Whether the case meets the set", allowed=_choices("status")),
        "score": Column(
            "criteria", "score", "decimal", "The points the case scores", unit="points", digits=_digits("score")
        ),
        "max_possible": Column(
            "criteria",
            "max_possible",
            "decimal",
            "The points it could still score with what is not recorded",
            unit="points",
            digits=_digits("max_possible"),
        ),
        "category": Column(
            "criteria", "category", "code", "The IIM category (EULAR/ACR 2017 only)", allowed=_choices("category")
        ),
    }
    return [described[name] for name in CRITERIA_COLUMNS]


def _digits(name: str) -> tuple[int, int]:
    field = CriteriaResult._meta.get_field(name)
    return field.max_digits, field.decimal_places


def _vocabulary_file(name: str) -> list[Column]:
    file = f"vocabulary_{name}"
    described = {
        "code": Column(file, "code", "code", "The concept's code", vocabulary=name),
        "label": Column(file, "label", "text", "The concept's label"),
        "parent": Column(file, "parent", "code", "The concept it is a kind of", vocabulary=name),
        "path": Column(
            file,
            "path",
            "text",
            "Its place in the tree: begins with the path of every concept above it, so the concepts below X are "
            "the ones whose path begins with X's",
        ),
        "active": Column(file, "active", "boolean", str(VOCABULARIES[name]._meta.get_field("active").help_text)),
    }
    return [described[column] for column in VOCABULARY_COLUMNS]


def _codebook_file() -> list[Column]:
    what = {
        "file": "The file the column is in",
        "column": "The column's name, as in the file's header",
        "type": f"One of {', '.join(TYPES)}. {SPREADSHEET_SAFETY}",
        "description": "What the column holds",
        "unit": "The unit of a measured value",
        "vocabulary": "For codes: the vocabulary (vocabulary_<name>.csv) they come from",
        "allowed": f"For a fixed set of codes: every allowed code, joined by '{SEPARATOR}'",
    }
    return [Column("codebook", key, "text", what[key]) for key in KEYS]


def file_columns(deidentify: bool = False) -> dict[str, list[Column]]:
    """Every table file of tables.zip (its name without extension) → its columns, in the file's order."""
    files = {"cases": _case_file(deidentify)}
    files.update({child.key: _list_file(child.key, deidentify) for child in ALL_LISTS})
    files["criteria"] = _criteria_file()
    files.update({f"vocabulary_{name}": _vocabulary_file(name) for name in VOCABULARIES})
    files["codebook"] = _codebook_file()
    return files


def codebook_rows(deidentify: bool = False, extension: str = "csv") -> list[dict]:
    """The codebook's rows (dicts with the seven KEYS), for the files of one reader's export."""
    return [column.row(extension) for columns in file_columns(deidentify).values() for column in columns]


def codebook_csv(deidentify: bool = False, extension: str = "csv") -> bytes:
    text = io.StringIO()
    text.write(BOM)
    writer = csv.DictWriter(text, fieldnames=KEYS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(codebook_rows(deidentify, extension))
    return text.getvalue().encode("utf-8")
