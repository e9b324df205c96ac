"""The repeatable rows of the entry form, one form per row of a case document list.

Each row form is built from the list's declaration in ``cases/document/schema.py``:
one input per field, chosen by the field's kind, in document order, laid out by
the generic row template (``templates/cases/rows/row.html``); a row with lists
inside it (a follow-up visit's scores and lesion findings) holds a small formset
per inner list (``cases/forms/follow_up.py``). ``to_row`` turns what was typed
into the row of the case document, unconverted but for a code typed by another
name (``cases/forms/lookup.py``): the services convert and validate it.
"""

from django import forms
from django.utils.text import capfirst

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
from cases.forms.follow_up import SLOTS, InnerFormSet, LesionField, instrument_field, offer_instruments
from cases.models.choices import RESPONSE_DEFINITIONS

# Inputs that are a short pick list rather than a search box: (list, field) → its builder.
PICKED = {("scores", "instrument"): instrument_field}


def form_field(f: Field) -> forms.Field:
    """The input of one document field, by its kind; labels and help from the schema."""
    label, help_text = _label(f), f.help_text
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
    child: ChildList  # set on each subclass

    def __init__(self, *args, concepts=None, **kwargs):
        """``concepts``: the page's ``ConceptIndex``, for ticked codes, pick lists and codes typed by name."""
        super().__init__(*args, **kwargs)
        self.concepts = concepts
        # The service's messages about a whole list inside this row ("Expected a list"), shown above it.
        self.inner_errors: dict[str, list[str]] = {}
        for f in self.child.fields:
            if f.kind is Kind.CODE_LIST and f.vocabulary and f.name in self.fields:
                self._offer_codes(f)
        if ("scores", "instrument") in {(self.child.key, name) for name in self.fields}:
            offer_instruments(self, concepts)
        # The lists inside this row, each a formset of its own named after the row (assessments-0-scores).
        self.nested = {
            inner.key: INNER_FORMSETS[inner.key](
                self.data if self.is_bound else None,
                prefix=f"{self.prefix}-{inner.key}",
                initial=self.initial.get(inner.key) or [],
                form_kwargs={"concepts": concepts},
            )
            for inner in self.child.children
        }

    def _offer_codes(self, f: Field) -> None:
        """The active codes to tick, and any code this row already holds (kept and shown, not dropped)."""
        concepts = self.concepts.concepts(f.vocabulary) if self.concepts is not None else []
        held = {str(code) for code in (self[f.name].value() or [])}
        self.fields[f.name].choices = [
            (c.code, c.label if c.active else f"{c.label} (no longer in use)")
            for c in sorted(concepts, key=lambda c: (c.sort_order, c.code))
            if c.active or c.code in held
        ]

    def has_changed(self) -> bool:
        return super().has_changed() or any(formset.has_changed() for formset in self.nested.values())

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
            elif f.kind is Kind.CODE and self.concepts is not None:
                value = self.concepts.code_for(f.vocabulary, value)
            row[f.name] = value
        stored_id = (data.get("id") or "").strip()
        if stored_id:
            row["id"] = int(stored_id) if stored_id.isdigit() else stored_id
        return row

    @property
    def is_stored(self) -> bool:
        return "id" in self.fields and bool((self["id"].value() or "").strip())

    @classmethod
    def initial_from(cls, row: dict) -> dict:
        """A document row as this form's initial values (the lists inside it as their rows' initial values)."""
        initial = {}
        for f in cls.child.fields:
            if f.read_only:
                continue
            value = row.get(f.name)
            if f.kind is Kind.TRISTATE:
                value = {True: "yes", False: "no"}.get(value, "")
            initial[f.name] = "" if value is None else value
        if cls.child.has_ids:
            initial["id"] = row.get("id") or ""
        for inner in cls.child.children:
            initial[inner.key] = [INNER_FORMSETS[inner.key].form.initial_from(r) for r in row.get(inner.key, [])]
        return initial

    def layout(self) -> list[dict]:
        """The inputs in document order; a group's inputs together (shown for ANA only: titre and pattern)."""
        items, groups = [], {}
        for f in self.child.fields:
            if f.read_only:
                continue
            if not f.group:
                items.append({"field": self[f.name], "css": self._css(f), "definitions": self._definitions(f)})
                continue
            if f.group not in groups:
                groups[f.group] = {"group": f.group, "fields": []}
                items.append(groups[f.group])
            groups[f.group]["fields"].append(self[f.name])
        for group in groups.values():
            filled = any(bf.value() or bf.errors for bf in group["fields"])
            group["hidden"] = not filled and not self._group_applies(group["group"])
        return items

    @staticmethod
    def _css(f: Field) -> str:
        # A list of ticks reads across the row, not down a narrow column.
        return "wide ticks" if f.kind is Kind.CODE_LIST else f.css

    def _definitions(self, f: Field) -> list[tuple[str, str, str]]:
        """What each response means, beside the response (clinical-v2.md §1): (code, label, definition)."""
        if f.name != "response":
            return []
        return [(code, label, RESPONSE_DEFINITIONS.get(code, "")) for code, label in f.choices]

    def _group_applies(self, group: str) -> bool:
        if group == "ana-only":
            return str(self["test"].value() or "").strip().lower() == "ana"
        return True

    def nested_sections(self) -> list[dict]:
        """The lists inside this row, for the row template."""
        return [
            {
                "key": inner.key,
                "formset": self.nested[inner.key],
                "noun": inner.noun,
                "heading": inner.heading,
                "errors": self.inner_errors.get(inner.key, []),
            }
            for inner in self.child.children
        ]


def _row_form(child: ChildList) -> type:
    fields = {}
    if child.has_ids:
        # The stored row this form edits; empty for a row added in this form.
        fields["id"] = forms.CharField(required=False, widget=forms.HiddenInput)
    for f in child.fields:
        if f.read_only:
            continue
        picked = PICKED.get((child.key, f.name))
        fields[f.name] = picked(_label(f)) if picked else form_field(f)
    if child.links and child.links.many:
        fields["targets"] = TargetsField(label="Calcinosis sites treated", required=False)
    elif child.links:
        fields["lesion"] = LesionField()
    return type(f"{child.model.__name__}Row", (RowForm,), {"child": child, **fields})


def _label(f: Field) -> str:
    # capfirst, not the schema title's capitalize(): "Pain (NRS)" keeps its capitals.
    return f.label or capfirst(f.model_field.verbose_name)


# The lists inside rows (an assessment's scores and lesion findings), each with its empty slots.
INNER_FORMSETS: dict[str, type] = {
    inner.key: forms.formset_factory(_row_form(inner), formset=InnerFormSet, extra=SLOTS[inner.key], can_delete=True)
    for child in CHILD_LISTS
    for inner in child.children
}
# Document list → its row form; the feature checklist (cases/forms/case.py) is entered otherwise.
ROW_FORMS: dict[str, type] = {child.key: _row_form(child) for child in CHILD_LISTS if not child.checklist}


def row_formset(key: str):
    return forms.formset_factory(ROW_FORMS[key], extra=0, can_delete=True)
