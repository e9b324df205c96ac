"""The lists inside a follow-up visit on the entry form: its scores and what each lesion did.

Each visit row holds one small formset per inner list (``assessments-0-scores-…``), with a few empty slots
so that a page used without its script can still record scores and lesions; the "Add" buttons insert one
more slot from a ``<template>`` whose row number is ``__inner__`` (the visit's own is ``__prefix__``, so that
adding a visit does not number the slots inside it).
"""

from decimal import Decimal

from django import forms

from cases.forms.fields import CodeSelect

INNER_PLACEHOLDER = "__inner__"
# Empty slots under each visit, on top of the rows it already has.
SLOTS = {"scores": 1, "site_findings": 1}


class InnerFormSet(forms.BaseFormSet):
    """A list inside a row: its blank template numbered apart from the row's own."""

    @property
    def empty_form(self):
        form = self.form(
            **self.get_form_kwargs(None),
            auto_id=self.auto_id,
            prefix=self.add_prefix(INNER_PLACEHOLDER),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.form_renderer,
        )
        self.add_fields(form, None)
        return form

    def kept(self) -> list[tuple[int, forms.Form]]:
        """(slot, form) of the rows the document gets: the ones shown as stored, and the ones typed in."""
        rows = []
        for index, form in enumerate(self.forms):
            if form.cleaned_data.get("DELETE"):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue  # an empty slot
            rows.append((index, form))
        return rows


def plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def instrument_range(instrument) -> str:
    """``"0–10, step 0.1"``: what a score of the instrument can be."""
    return f"{plain(instrument.minimum)}–{plain(instrument.maximum)}, step {plain(instrument.step)}"


class InstrumentSelect(CodeSelect):
    """The instruments, each option carrying its range for the hint beside the value."""

    ranges: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.ranges:
            option["attrs"]["data-range"] = self.ranges[value]
        return option


def instrument_field(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=InstrumentSelect())


def offer_instruments(form, concepts) -> None:
    """The instrument select of a score row: the active instruments (and the row's own), each with its range;
    the value's hint says the chosen one's range."""
    instruments = concepts.concepts("instrument") if concepts is not None else []
    chosen = str(form["instrument"].value() or "")
    offered = [i for i in instruments if i.active or i.code == chosen]
    offered.sort(key=lambda i: (i.sort_order, i.code))
    ranges = {i.code: instrument_range(i) for i in offered}
    widget = form.fields["instrument"].widget
    widget.choices = [("", "— choose —"), *((i.code, f"{i.label} ({ranges[i.code]})") for i in offered)]
    widget.ranges = ranges
    form.fields["value"].help_text = ranges.get(chosen, "Choose the instrument: its range is shown here.")
    form.fields["value"].widget.attrs["data-range-of"] = form["instrument"].auto_id


class LesionField(forms.CharField):
    """Which calcinosis-site row of the same form a lesion finding is about (its row number).

    Drawn by ``templates/cases/rows/lesion.html`` from the page's site rows, like a treatment's ticks.
    """

    def __init__(self, **kwargs):
        super().__init__(label="Lesion", required=False, **kwargs)
