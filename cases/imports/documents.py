"""Tables of text cells back into case documents: the reverse of ``cases/exports``.

A file's case is found by its key: the ``registry_id`` column of an export, or ``case_key`` in the template.
Its rows in the list files become the lists of its document, in file order; a treatment's ``site_ids`` and a
lesion finding's ``site_id`` name rows of ``calcinosis_sites`` by their ``id`` column and become positions
(``site_indexes``), and a score or finding names its visit by ``assessment_id``. Every document keeps a map of
where each of its parts came from, so that an error of the services is reported at its file, row and column.
"""

import re
from dataclasses import dataclass, field

from cases.document.fields import ChildList, Field, Kind, Withheld
from cases.document.schema import ALL_LISTS, CASE_FIELDS, CHILD_LISTS, PUBLICATION_FIELDS
from cases.document.writer import GREAT_AGE_TEXT
from cases.exports.sql import FORMULA_STARTS, SEPARATOR
from cases.imports.files import Table

KEY_COLUMNS = ("registry_id", "case_key")
TEMPLATE_KEY = "case_key"
# Set by the import itself (the site chosen for the whole file), or by the registry.
CASE_COLUMNS_OPTIONAL = {"site", "status"}
# A de-identified export gives a date as its year alone: what was withheld stays empty.
_YEAR_ONLY = re.compile(r"^\d{4}$")


def case_input_fields() -> list[Field]:
    return [f for f in CASE_FIELDS if f.kind is not Kind.PUBLICATION]


def case_columns() -> list[str]:
    """The columns of the cases file the import reads (the template's, after its key)."""
    columns = []
    for f in CASE_FIELDS:
        if f.kind is Kind.PUBLICATION:
            columns += [f"publication_{p.name}" for p in PUBLICATION_FIELDS]
        elif f.name != "site":
            columns.append(f.name)
    return columns


def list_columns(child: ChildList) -> list[str]:
    """The columns of a list's file the import reads, after the case key: as ``child.row_keys`` less read-only ones."""
    read_only = {f.name for f in child.fields if f.read_only}
    return [key for key in child.row_keys if key != "registry_id" and key not in read_only]


def _required(columns: list[str], fields) -> list[str]:
    # A researcher's export has no identifying columns at all: an import of one leaves them empty.
    optional = {f.name for f in fields if f.withheld is Withheld.IDENTIFYING} | CASE_COLUMNS_OPTIONAL
    return [c for c in columns if c not in optional]


@dataclass
class Place:
    table: Table
    index: int  # the row's position in the table

    @property
    def row(self) -> int:
        return self.table.row_number(self.index)


@dataclass
class FileCase:
    """One case of the file: its key, its document, and where each of its rows came from."""

    key: str
    document: dict
    place: Place
    # list key → places of its rows, in document order; inner lists: (list key, row position) → places
    rows: dict = field(default_factory=dict)
    inner: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


def error(table: Table | None, row: int | None, case: str | None, column: str | None, message: str) -> dict:
    return {"file": table.file if table else "", "row": row, "case": case, "column": column, "message": message}


def _cell(f: Field, text: str, escaped: bool = True):
    """A cell as the document takes it; ``None`` for an empty or withheld one (left out of the document).

    ``escaped``: a CSV export's text, written with a leading "'" where a spreadsheet would run it as a formula.
    """
    if text == "":
        return None
    if f.kind is Kind.CODE_LIST:
        return [code for code in text.split(SEPARATOR) if code]
    if f.kind in (Kind.TEXT, Kind.LONG_TEXT):
        unescape = escaped and text[:1] == "'" and text[1:2] and text[1] in FORMULA_STARTS
        return text[1:] if unescape else text
    if f.kind is Kind.DATE and _YEAR_ONLY.match(text):
        return None
    if f.age and text == GREAT_AGE_TEXT:
        return None
    if f.kind in (Kind.BOOLEAN, Kind.TRISTATE) and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _fields_of(fields, values: dict, escaped: bool) -> dict:
    out = {}
    for f in fields:
        value = _cell(f, values.get(f.name, ""), escaped)
        if value is not None:
            out[f.name] = value
    return out


def _publication(values: dict, escaped: bool) -> dict | None:
    publication = {}
    for f in PUBLICATION_FIELDS:
        text = values.get(f"publication_{f.name}", "")
        if not text:
            continue
        if f.kind is Kind.PUBLICATION:
            publication[f.name] = {"doi": text}
        elif f.kind is Kind.INTEGER and text.isdigit():
            publication[f.name] = int(text)  # a PMID is matched as a number
        else:
            publication[f.name] = _cell(f, text, escaped)
    return publication or None


class Builder:
    """Reads every table into documents; problems of the files themselves go to ``errors``."""

    def __init__(self, tables: dict[str, Table], kind: str):
        self.tables = tables
        self.kind = kind
        self.errors: list[dict] = []
        self.cases: dict[str, FileCase] = {}
        # Only the CSV files escape formulas; Parquet carries every value as it is, a spreadsheet keeps no "'".
        self.escaped = kind == "csv"

    def file_name(self, key: str) -> str:
        return key if self.kind == "xlsx" else f"{key}.{self.kind}"

    def build(self) -> list[FileCase]:
        cases = self._table("cases", case_columns(), CASE_FIELDS)
        lists = {child.key: self._table(child.key, list_columns(child), child.fields) for child in ALL_LISTS}
        if self.errors:
            return []  # a missing file or column: nothing to read rows from
        self._read_cases(cases)
        for child in CHILD_LISTS:
            self._read_list(child, lists[child.key])
        for child in CHILD_LISTS:
            for inner in child.children:
                self._read_inner(child, inner, lists[inner.key])
        for case in self.cases.values():
            self._resolve_sites(case)
        return list(self.cases.values())

    def _table(self, key: str, columns: list[str], fields) -> Table | None:
        table = self.tables.get(key)
        if table is None:
            noun = "sheet" if self.kind == "xlsx" else "file"
            self.errors.append(error(None, None, None, None, f"The {noun} {self.file_name(key)} is missing."))
            self.errors[-1]["file"] = self.file_name(key)
            return None
        table.key_column = next((c for c in KEY_COLUMNS if c in table.columns), None)
        if table.key_column is None:
            self.errors.append(error(table, None, None, TEMPLATE_KEY, "Missing column: registry_id or case_key."))
        for column in _required(columns, fields):
            if column not in table.columns:
                self.errors.append(error(table, None, None, column, f"Missing column: {column}."))
        return table

    def _read_cases(self, table: Table) -> None:
        for index, values in enumerate(table.rows):
            key = values[table.key_column]
            place = Place(table, index)
            if not key:
                self.errors.append(error(table, place.row, None, table.key_column, "The case key is empty."))
                continue
            if key in self.cases:
                self.errors.append(error(table, place.row, key, table.key_column, "The case key is used twice."))
                continue
            document = _fields_of(case_input_fields(), values, self.escaped)
            document.pop("site", None)
            if document.get("status") not in (None, "draft", "submitted"):
                document["status"] = "submitted"  # a verified case is verified again by a curator, here
            publication = _publication(values, self.escaped)
            if publication:
                document["publication"] = publication
            self.cases[key] = FileCase(key=key, document=document, place=place)

    def _case_of(self, table: Table, index: int, values: dict) -> FileCase | None:
        key = values[table.key_column]
        case = self.cases.get(key)
        if case is None:
            cases = self.file_name("cases")
            self.errors.append(
                error(table, table.row_number(index), key, table.key_column, f"No case with key '{key}' in {cases}.")
            )
        return case

    def _read_list(self, child: ChildList, table: Table) -> None:
        for index, values in enumerate(table.rows):
            case = self._case_of(table, index, values)
            if case is None:
                continue
            row = _fields_of([f for f in child.fields if not f.read_only], values, self.escaped)
            if child.links:
                row["_links"] = values.get(child.links.name, "")
            row["_id"] = values.get("id", "")
            case.document.setdefault(child.key, []).append(row)
            case.rows.setdefault(child.key, []).append(Place(table, index))

    def _read_inner(self, owner: ChildList, inner: ChildList, table: Table) -> None:
        owner_column = f"{inner.parent}_id"
        for index, values in enumerate(table.rows):
            case = self._case_of(table, index, values)
            if case is None:
                continue
            owners = case.document.get(owner.key, [])
            position = next((i for i, row in enumerate(owners) if row["_id"] == values[owner_column]), None)
            if position is None:
                message = f"No row of {self.file_name(owner.key)} with id '{values[owner_column]}' in this case."
                case.errors.append(error(table, table.row_number(index), case.key, owner_column, message))
                continue
            row = _fields_of([f for f in inner.fields if not f.read_only], values, self.escaped)
            if inner.links:
                row["_links"] = values.get(inner.links.name, "")
            owners[position].setdefault(inner.key, []).append(row)
            case.inner.setdefault((owner.key, position), {}).setdefault(inner.key, []).append(Place(table, index))

    def _resolve_sites(self, case: FileCase) -> None:
        """site_ids / site_id (ids of the file's calcinosis_sites rows) become positions in the document."""
        positions = {row["_id"]: i for i, row in enumerate(case.document.get("calcinosis_sites", [])) if row["_id"]}
        for child in CHILD_LISTS:
            for i, row in enumerate(case.document.get(child.key, [])):
                self._link(case, child, row, positions, case.rows[child.key][i])
                for inner in child.children:
                    places = case.inner.get((child.key, i), {}).get(inner.key, [])
                    for inner_row, place in zip(row.get(inner.key, []), places, strict=True):
                        self._link(case, inner, inner_row, positions, place)
        for child in CHILD_LISTS:
            for row in case.document.get(child.key, []):
                row.pop("_id", None)

    def _link(self, case: FileCase, child: ChildList, row: dict, positions: dict, place: Place) -> None:
        text = row.pop("_links", None)
        if child.links is None or text is None:
            return
        wanted = [value for value in text.split(SEPARATOR) if value]
        missing = [value for value in wanted if value not in positions]
        if missing:
            message = f"No row of {self.file_name('calcinosis_sites')} with id '{missing[0]}' in this case."
            case.errors.append(error(place.table, place.row, case.key, child.links.name, message))
            return
        found = [positions[value] for value in wanted]
        if child.links.many:
            row[child.links.by_position] = found
        elif found:
            row[child.links.by_position] = found[0]
