"""The .xlsx template of an import: the sheets and columns the import reads, an example, codes and codebook.

One sheet per file of ``tables.zip`` (``cases`` and one per list), keyed by ``case_key``; a list's rows carry
an ``id`` of the user's choosing, by which a treatment names its calcinosis sites (``site_ids``, ids joined by
";") and a score or lesion finding its visit (``assessment_id``). The example is founding case 2 written as
these rows; each coded column offers its allowed codes as a drop-down list (a list of several codes is typed,
joined by ";"), and the codebook sheet says what every column holds.
"""

import io

from cases.document.fields import ChildList, Field, Kind
from cases.document.schema import ALL_LISTS, CASE_FIELDS, CHILD_LISTS, PUBLICATION_FIELDS
from cases.exports.codebook import KEYS as CODEBOOK_COLUMNS
from cases.exports.codebook import file_columns
from cases.exports.sql import SEPARATOR
from cases.founding_cases import SJOGREN_DIGITAL
from cases.imports.documents import TEMPLATE_KEY, case_columns, list_columns
from cases.imports.files import as_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLE_KEY = "example-1"
CODES_SHEET = "codes"
CODEBOOK_SHEET = "codebook"


def _case_fields() -> dict[str, Field]:
    fields = {f.name: f for f in CASE_FIELDS if f.kind is not Kind.PUBLICATION}
    fields.update({f"publication_{p.name}": p for p in PUBLICATION_FIELDS})
    return fields


def sheet_columns() -> dict[str, tuple[list[str], dict[str, Field]]]:
    """Sheet name → (its columns, the field behind each column that has one)."""
    sheets = {"cases": ([TEMPLATE_KEY, *case_columns()], _case_fields())}
    for child in ALL_LISTS:
        sheets[child.key] = ([TEMPLATE_KEY, *list_columns(child)], {f.name: f for f in child.fields})
    return sheets


def example_rows(document: dict = SJOGREN_DIGITAL, key: str = EXAMPLE_KEY) -> dict[str, list[dict]]:
    """A case document as the template's rows: the reverse of ``cases.imports.documents``."""
    case = {TEMPLATE_KEY: key}
    for name, value in document.items():
        if name == "publication" and value:
            for p_name, p_value in value.items():
                case[f"publication_{p_name}"] = p_value["doi"] if isinstance(p_value, dict) else _text(p_value)
        elif not isinstance(value, list) or name in _case_fields():
            case[name] = _text(value)
    rows = {"cases": [case]}
    for child in CHILD_LISTS:
        for number, row in enumerate(document.get(child.key, []), start=1):
            rows.setdefault(child.key, []).append(_row(child, row, key, number, {}))
            for inner in child.children:
                for inner_number, inner_row in enumerate(row.get(inner.key, []), start=1):
                    owner = {f"{inner.parent}_id": str(number)}
                    rows.setdefault(inner.key, []).append(_row(inner, inner_row, key, inner_number, owner))
    return rows


def _row(child: ChildList, row: dict, key: str, number: int, owner: dict) -> dict:
    out = {TEMPLATE_KEY: key, **owner, "id": str(number)}
    out.update({name: _text(value) for name, value in row.items() if name in child.names})
    if child.links:
        # Positions in calcinosis_sites: the example's site ids are their positions counted from 1.
        positions = row.get(child.links.by_position)
        positions = positions if isinstance(positions, list) else [] if positions is None else [positions]
        out[child.links.name] = SEPARATOR.join(str(p + 1) for p in positions)
    return out


def _text(value) -> str:
    return SEPARATOR.join(value) if isinstance(value, list) else as_text(value)


def allowed_codes(f: Field) -> list[str]:
    if f.vocabulary_model is not None:
        return list(f.vocabulary_model.objects.filter(active=True).order_by("path").values_list("code", flat=True))
    if f.kind in (Kind.BOOLEAN, Kind.TRISTATE):
        return ["true", "false"]
    if f.kind in (Kind.CHOICE, Kind.CODE_LIST):
        return [code for code, _ in f.choices]
    return []


def codebook_rows() -> list[dict]:
    """What each column of the template holds: the export's codebook (``cases.exports.codebook``) for the
    columns the template shares with tables.zip, the template's own words for its keys."""
    described = {(file, column.name): column for file, columns in file_columns().items() for column in columns}
    rows = []
    for sheet, (columns, _) in sheet_columns().items():
        for name in columns:
            column = described.get((sheet, name))
            if name == TEMPLATE_KEY:
                rows.append(_described(sheet, name, "text", "The case's key in this file: any text, one per case."))
            elif name in _LINK_COLUMNS or column is None:
                rows.append(_described(sheet, name, "text", _LINK_COLUMNS.get(name, "")))
            else:
                rows.append({**column.row("csv"), "file": sheet})
    return rows


_LINK_COLUMNS = {
    "id": "The row's id in this file, by which other rows name it (any text, unique in the case).",
    "site_ids": "The ids of this case's calcinosis_sites rows the course targeted, joined by ';'.",
    "site_id": "The id of this case's calcinosis_sites row the finding is about.",
    "assessment_id": "The id of this case's assessments row (the visit) the row belongs to.",
}


def _described(sheet: str, column: str, kind: str, description: str) -> dict:
    return {"file": sheet, "column": column, "type": kind, "description": description}


def template_workbook() -> bytes:
    # openpyxl (with NumPy, some 25 MB) is loaded by the first template asked for, not by every worker at start.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    workbook.remove(workbook.active)
    codes_sheet = workbook.create_sheet(CODES_SHEET)
    code_ranges: dict[tuple, str] = {}
    example = example_rows()
    for sheet_name, (columns, fields) in sheet_columns().items():
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in example.get(sheet_name, []):
            sheet.append([row.get(column, "") for column in columns])
        sheet.freeze_panes = "B2"
        for index, column in enumerate(columns, start=1):
            f = fields.get(column)
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column) + 2)
            # A drop-down offers one value: a list of several codes is typed, joined by ";".
            if f is None or f.kind is Kind.CODE_LIST or not allowed_codes(f):
                continue
            source = _code_range(codes_sheet, code_ranges, f)
            validation = DataValidation(type="list", formula1=source, allow_blank=True)
            validation.error = f"Choose one of the allowed codes (sheet {CODES_SHEET})."
            sheet.add_data_validation(validation)
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}5000")
    codebook = workbook.create_sheet(CODEBOOK_SHEET)
    codebook.append(CODEBOOK_COLUMNS)
    for row in codebook_rows():
        codebook.append([row.get(column, "") for column in CODEBOOK_COLUMNS])
    workbook.move_sheet(CODES_SHEET, offset=len(workbook.sheetnames))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _code_range(codes_sheet, ranges: dict, f: Field) -> str:
    from openpyxl.utils import get_column_letter, quote_sheetname

    """The allowed codes of ``f`` as a column of the codes sheet (one column per vocabulary or choice set)."""
    codes = allowed_codes(f)
    key = (f.vocabulary or f"{f.model.__name__}.{f.name}", tuple(codes))
    if key not in ranges:
        column = get_column_letter(len(ranges) + 1)
        codes_sheet[f"{column}1"] = key[0]
        for row, code in enumerate(codes, start=2):
            codes_sheet[f"{column}{row}"] = code
        ranges[key] = f"{quote_sheetname(CODES_SHEET)}!${column}$2:${column}${len(codes) + 1}"
    return ranges[key]
