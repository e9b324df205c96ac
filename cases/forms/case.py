"""The single-valued parts of the entry form: the case itself, its publication, the feature checklist."""

from django import forms

from cases import access
from cases.document.schema import CASE_FIELDS, PUBLICATION_FIELDS, Kind, choices_of
from cases.forms.fields import choice, text
from cases.forms.rows import form_field
from cases.models import Case, Feature, Site

# Clinicians choose between these; "verified" is set only by a curator's Verify button.
ENTRY_STATUSES = [("draft", "Draft (not finished)"), ("submitted", "Submitted for review")]
# The case's own fields the form edits (the publication has a form of its own).
CASE_FORM_FIELDS = [f for f in CASE_FIELDS if f.kind is not Kind.PUBLICATION]


class CaseFieldsForm(forms.Form):
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, current_status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for f in CASE_FORM_FIELDS:
            self.fields[f.name] = self._field(f)
        sites = [s for s in Site.objects.order_by("name") if access.can_edit_at_site(user, s.pk)]
        site_choices = [(s.code, s.name) for s in sites]
        if len(sites) != 1:
            site_choices.insert(0, ("", "— choose —"))
        self.fields["site"].widget.choices = site_choices
        if len(sites) == 1 and not self.initial.get("site"):
            self.initial["site"] = sites[0].code
        if current_status == Case.Status.VERIFIED:
            # Saving keeps it verified for a curator; the service sends a clinician's change back to review.
            self.fields["status"].widget.choices = [*ENTRY_STATUSES, ("verified", "Verified")]

    @staticmethod
    def _field(f) -> forms.Field:
        if f.kind is Kind.SITE:
            return choice(f.title, [])
        if f.name == "status":
            return choice(f.title, ENTRY_STATUSES, initial="draft")
        formfield = form_field(f)
        if f.kind is Kind.LONG_TEXT:
            formfield.widget.attrs["rows"] = 6
        return formfield

    def to_fields(self) -> dict:
        return {f.name: self.cleaned_data.get(f.name, "") for f in CASE_FORM_FIELDS}

    @staticmethod
    def initial_from(document: dict) -> dict:
        names = {f.name for f in CASE_FORM_FIELDS}
        initial = {k: ("" if v is None else v) for k, v in document.items() if k in names}
        return {**initial, "version": document.get("version", "")}


class PublicationForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in PUBLICATION_FIELDS:
            if f.kind is Kind.PUBLICATION:
                # The primary publication of a summary is typed as its DOI.
                self.fields[f.name] = text(f"{f.title} (its DOI)", help_text=f.help_text, spellcheck="false")
            else:
                self.fields[f.name] = form_field(f)
        self.fields["doi"].widget.attrs["spellcheck"] = "false"

    def typed(self) -> dict | None:
        """What the boxes hold (text), or None when every box is empty."""
        typed = {f.name: self.cleaned_data.get(f.name, "") for f in PUBLICATION_FIELDS}
        return {k: v for k, v in typed.items() if v != ""} or None

    def to_publication(self) -> dict | None:
        """The publication of the document: as typed, its primary publication named by DOI."""
        typed = self.typed()
        if typed and "summarises" in typed:
            typed["summarises"] = {"doi": typed["summarises"]}
        return typed

    @staticmethod
    def initial_from(publication: dict | None) -> dict:
        names = {f.name for f in PUBLICATION_FIELDS}
        initial = {k: ("" if v is None else v) for k, v in (publication or {}).items() if k in names}
        if isinstance(initial.get("summarises"), dict):
            initial["summarises"] = initial["summarises"].get("doi", "")
        return initial


class FeatureChecklist(forms.Form):
    """Every clinical feature of the vocabulary with three answers: present, absent, not recorded.

    Not recorded is the default and is not stored, unless the case already had a row
    for the feature or a note was typed: absent and not recorded never collapse.
    """

    def __init__(self, *args, in_use: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        features = [f for f in Feature.objects.order_by("sort_order", "code") if f.active or f.code in in_use]
        self.features = features
        statuses = choices_of("features.status")
        # Shown beside every feature: "Unknown" alone there would read as an answer about the feature.
        timings = [
            (code, "Timing not recorded" if code == "unknown" else label)
            for code, label in choices_of("features.timing")
        ]
        for feature in features:
            self.fields[feature.code] = forms.CharField(
                label=feature.label,
                required=False,
                initial="unknown",
                widget=forms.RadioSelect(choices=statuses),
            )
            # Beside the answer, not instead of it: a feature present in the past (healed ulcers).
            self.fields[f"{feature.code}__timing"] = choice(
                f"Timing of {feature.label.lower()}", timings, initial="unknown"
            )
            self.fields[f"{feature.code}__timing"].widget.attrs["class"] = "feature-timing"
            self.fields[f"{feature.code}__notes"] = forms.CharField(
                label=f"Notes on {feature.label.lower()}",
                required=False,
                widget=forms.TextInput(attrs={"class": "feature-notes", "placeholder": "notes"}),
            )
            self.fields[f"{feature.code}__id"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def groups(self):
        """[(organ, [(status field, timing field, notes field, id field), …]), …] in vocabulary order."""
        by_organ: dict[str, list] = {}
        for f in self.features:
            by_organ.setdefault(f.organ or "Other", []).append(
                (self[f.code], self[f"{f.code}__timing"], self[f"{f.code}__notes"], self[f"{f.code}__id"])
            )
        return list(by_organ.items())

    def to_rows(self) -> tuple[list[dict], list[str]]:
        """The document's feature rows and, for each, the feature code (to place errors)."""
        rows, codes = [], []
        for feature in self.features:
            status = self.cleaned_data.get(feature.code) or "unknown"
            timing = self.cleaned_data.get(f"{feature.code}__timing") or "unknown"
            notes = self.cleaned_data.get(f"{feature.code}__notes", "")
            stored_id = (self.cleaned_data.get(f"{feature.code}__id") or "").strip()
            if status == "unknown" and timing == "unknown" and not notes and not stored_id:
                continue
            row = {"feature": feature.code, "status": status, "timing": timing, "notes": notes}
            if stored_id:
                row["id"] = int(stored_id) if stored_id.isdigit() else stored_id
            rows.append(row)
            codes.append(feature.code)
        return rows, codes

    @staticmethod
    def initial_from(rows: list[dict]) -> dict:
        initial = {}
        for row in rows:
            initial[row["feature"]] = row["status"]
            initial[f"{row['feature']}__timing"] = row.get("timing") or "unknown"
            initial[f"{row['feature']}__notes"] = row.get("notes") or ""
            initial[f"{row['feature']}__id"] = row.get("id") or ""
        return initial
