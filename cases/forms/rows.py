"""The repeatable rows of the entry form, one form per row of a case document list.

Each row form is built from the list's declaration in ``cases/document/schema.py``:
one input per field, chosen by the field's kind, in document order, laid out by
the generic row template (``templates/cases/rows/row.html``). ``to_row`` turns
what was typed into the row of the case document, unconverted: the services
convert and validate it.
"""

from django import forms

from cases.document.schema import CHILD_LISTS, ChildList, Field, Kind
from cases.forms.fields import (
    TRISTATE_VALUES,
    TargetsField,
    choice,
    code_list,
    date,
    long_text,
    number,
    text,
    tristate,
    vocabulary,
)
from cases.models import VOCABULARIES


def form_field(f: Field) -> forms.Field:
    """The input of one document field, by its kind; labels and help from the schema."""
    label, help_text = f.title, f.help_text
    if f.kind is Kind.CODE:
        return vocabulary(label, f.vocabulary, help_text=help_text)
    if f.kind is Kind.CHOICE:
        default = f.default
        if default not in (None, ""):
            return choice(label, f.choices, initial=str(default), help_text=help_text)
        return choice(label, f.choices, blank="— choose —" if f.required else "—", help_text=help_text)
    if f.kind is Kind.CODE_LIST:
        return code_list(label, f.choices if not f.vocabulary else [], f.vocabulary, help_text=help_text)
    if f.kind is Kind.TRISTATE:
        return tristate(label)
    if f.kind is Kind.BOOLEAN:
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if f.kind in (Kind.INTEGER, Kind.DECIMAL):
        return number(label, decimal=f.kind is Kind.DECIMAL, help_text=help_text)
    if f.kind is Kind.DATE:
        return date(label)
    if f.kind is Kind.LONG_TEXT:
        return long_text(label, rows=1, help_text=help_text)
    return text(label, help_text=help_text)


class RowForm(forms.Form):
    # The stored row this form edits; empty for a row added in this form.
    id = forms.CharField(required=False, widget=forms.HiddenInput)

    child: ChildList  # set on each subclass

    def __init__(self, *args, vocabulary_choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.child.fields:
            if f.kind is Kind.CODE_LIST and f.vocabulary and f.name in self.fields:
                self.fields[f.name].choices = (vocabulary_choices or {}).get(f.vocabulary, [])

    def to_row(self) -> dict:
        data = self.cleaned_data
        row = {}
        for f in self.child.fields:
            value = data.get(f.name, "")
            if f.read_only:
                continue
            if f.kind is Kind.TRISTATE:
                value = TRISTATE_VALUES.get(value, value)
            elif f.kind is Kind.BOOLEAN:
                value = bool(value)
            elif f.kind is Kind.CODE_LIST:
                value = list(value or [])
            row[f.name] = value
        stored_id = (data.get("id") or "").strip()
        if stored_id:
            row["id"] = int(stored_id) if stored_id.isdigit() else stored_id
        return row

    @property
    def is_stored(self) -> bool:
        return bool((self["id"].value() or "").strip())

    @classmethod
    def initial_from(cls, row: dict) -> dict:
        """A document row as this form's initial values."""
        initial = {}
        for f in cls.child.fields:
            if f.read_only:
                continue
            value = row.get(f.name)
            if f.kind is Kind.TRISTATE:
                value = {True: "yes", False: "no"}.get(value, "")
            initial[f.name] = "" if value is None else value
        initial["id"] = row.get("id") or ""
        return initial

    def layout(self) -> list[dict]:
        """The inputs in document order; a group's inputs together (shown for ANA only: titre and pattern)."""
        items, groups = [], {}
        for f in self.child.fields:
            if f.read_only:
                continue
            if not f.group:
                items.append({"field": self[f.name], "css": f.css})
                continue
            if f.group not in groups:
                groups[f.group] = {"group": f.group, "fields": []}
                items.append(groups[f.group])
            groups[f.group]["fields"].append(self[f.name])
        for group in groups.values():
            filled = any(bf.value() or bf.errors for bf in group["fields"])
            group["hidden"] = not filled and not self._group_applies(group["group"])
        return items

    def _group_applies(self, group: str) -> bool:
        if group == "ana-only":
            return str(self["test"].value() or "").strip().lower() == "ana"
        return True


def _row_form(child: ChildList) -> type:
    fields = {f.name: form_field(f) for f in child.fields if not f.read_only}
    if child.links:
        fields["targets"] = TargetsField(label="Calcinosis sites treated", required=False)
    return type(f"{child.model.__name__}Row", (RowForm,), {"child": child, **fields})


# Document list → its row form; the feature checklist (cases/forms/case.py) is entered otherwise.
ROW_FORMS: dict[str, type] = {child.key: _row_form(child) for child in CHILD_LISTS if not child.checklist}


def row_formset(key: str):
    return forms.formset_factory(ROW_FORMS[key], extra=0, can_delete=True)


def vocabulary_choices() -> dict[str, list[tuple[str, str]]]:
    """The active concepts of every vocabulary a row form ticks codes of (one query each, per page)."""
    names = {f.vocabulary for form in ROW_FORMS.values() for f in form.child.fields if f.kind is Kind.CODE_LIST}
    return {
        name: list(VOCABULARIES[name].objects.active().order_by("sort_order").values_list("code", "label"))
        for name in names
        if name
    }
