"""The repeatable rows of the entry form, one form per row of a case document list.

Each row form names exactly the document fields it edits; ``to_row`` turns
what was typed into the row of the case document (``cases/services/schema.py``).
"""

from django import forms

from cases.forms.fields import (
    TRISTATE_VALUES,
    TargetsField,
    choice,
    date,
    long_text,
    number,
    text,
    tristate,
    vocabulary,
)


class RowForm(forms.Form):
    # The stored row this form edits; empty for a row added in this form.
    id = forms.CharField(required=False, widget=forms.HiddenInput)

    # The fields copied into the document as typed (the service converts and validates them).
    document_fields: tuple[str, ...] = ()
    tristate_fields: tuple[str, ...] = ()
    boolean_fields: tuple[str, ...] = ()

    def to_row(self) -> dict:
        data = self.cleaned_data
        row = {name: data.get(name, "") for name in self.document_fields}
        for name in self.tristate_fields:
            value = data.get(name, "")
            row[name] = TRISTATE_VALUES.get(value, value)
        for name in self.boolean_fields:
            row[name] = bool(data.get(name))
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
        initial = {name: row.get(name) for name in (*cls.document_fields, *cls.boolean_fields)}
        for name in cls.tristate_fields:
            initial[name] = {True: "yes", False: "no"}.get(row.get(name), "")
        initial = {k: ("" if v is None else v) for k, v in initial.items()}
        initial["id"] = row.get("id") or ""
        return initial


class DiagnosisRow(RowForm):
    condition = vocabulary("Condition", "condition")
    is_primary = forms.BooleanField(label="Primary diagnosis", required=False)
    age_at_diagnosis = number("Age at diagnosis (years)")
    duration_years = number("Duration at presentation (years)", decimal=True)
    criteria = choice("Classification criteria", "criteria", initial="none_stated")
    notes = long_text("Notes")

    document_fields = ("condition", "age_at_diagnosis", "duration_years", "criteria", "notes")
    boolean_fields = ("is_primary",)


class SerologyRow(RowForm):
    test = vocabulary("Test", "serology_test")
    result = choice("Result", "result", blank="— choose —")
    titer = number("Titre 1:", help_text="The denominator: 160 for 1:160.")
    pattern = vocabulary(
        "ANA pattern", "ana_pattern", help_text="An ICAP code (ac1 …) or nuclear / speckled / nucleolar."
    )
    value = number("Value", decimal=True)
    unit = text("Unit (UCUM)")
    tested_on = date("Tested on")
    notes = long_text("Notes", rows=1)

    document_fields = ("test", "result", "titer", "pattern", "value", "unit", "tested_on", "notes")


class LabRow(RowForm):
    test = vocabulary("Test", "lab_test")
    value = number("Value", decimal=True)
    unit = text("Unit (UCUM)")
    interpretation = choice("Interpretation", "interpretation", blank="—")
    measured_on = date("Measured on")
    notes = long_text("Notes", rows=1)

    document_fields = ("test", "value", "unit", "interpretation", "measured_on", "notes")


class CalcinosisSiteRow(RowForm):
    region = vocabulary("Region", "region")
    laterality = choice("Side", "laterality", initial="unknown")
    digit_segment = choice("Digit segment (fingers and toes)", "digit_segment", blank="—")
    detected_by = choice("Detected by", "detected_by", blank="— choose —")
    morphology = choice("Morphology", "morphology", initial="unspecified")
    palpable = tristate("Palpable")
    ulcerated = tristate("Ulcerated")
    infected = tristate("Infected")
    painful = tristate("Painful")
    size_mm = number("Size (mm)", decimal=True)
    observed_on = date("Observed on")
    notes = long_text("Notes", rows=1)

    document_fields = (
        "region",
        "laterality",
        "digit_segment",
        "detected_by",
        "morphology",
        "size_mm",
        "observed_on",
        "notes",
    )
    tristate_fields = ("palpable", "ulcerated", "infected", "painful")


class TreatmentRow(RowForm):
    agent = vocabulary("Agent", "agent", help_text="A drug, a class (ccb) when no drug is named, or a procedure.")
    route = choice("Route", "route", initial="unknown")
    dose = text("Dose", help_text='As written, e.g. "200 mg daily".')
    indication = choice("Indication", "indication", blank="—")
    started_on = date("Started on")
    stopped_on = date("Stopped on")
    duration_months = number("Duration (months)", decimal=True)
    response = choice("Response", "response", initial="not_assessed")
    response_assessed_on = date("Response assessed on")
    targets = TargetsField(label="Calcinosis sites treated", required=False)
    notes = long_text("Notes", rows=1)

    document_fields = (
        "agent",
        "route",
        "dose",
        "indication",
        "started_on",
        "stopped_on",
        "duration_months",
        "response",
        "response_assessed_on",
        "notes",
    )


# Document list → (row form, what one row is called on the page, plural heading).
ROW_FORMS = {
    "diagnoses": (DiagnosisRow, "diagnosis", "Diagnoses"),
    "serology": (SerologyRow, "serology result", "Serology"),
    "labs": (LabRow, "laboratory result", "Laboratory"),
    "calcinosis_sites": (CalcinosisSiteRow, "calcinosis site", "Calcinosis sites"),
    "treatments": (TreatmentRow, "treatment", "Treatments"),
}


def row_formset(key: str):
    form, _, _ = ROW_FORMS[key]
    return forms.formset_factory(form, extra=0, can_delete=True)
