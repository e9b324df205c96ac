"""The single-valued parts of the entry form: the case itself, its publication, the feature checklist."""

from django import forms

from cases import access
from cases.forms.choices import choices_of
from cases.forms.fields import choice, long_text, number, text
from cases.models import Case, Feature, Site

# Clinicians choose between these; "verified" is set only by a curator's Verify button.
ENTRY_STATUSES = [("draft", "Draft (not finished)"), ("submitted", "Submitted for review")]


class CaseFieldsForm(forms.Form):
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    site = choice("Site", [])
    source = choice("Source", "source", initial="clinic")
    local_reference = text(
        "Local reference", help_text="Your site's own reference, never a name. Seen only by your site and curators."
    )
    sex = choice("Sex", "sex", initial="unknown")
    age_at_presentation = number("Age at presentation (years)", help_text="Age when the calcinosis was documented.")
    country = text("Country", help_text="Two-letter ISO code, e.g. TR.", maxlength=2, autocapitalize="characters")
    consent = choice("Consent", "consent", initial="not_recorded")
    calcinosis_etiology = choice("Calcinosis etiology", "calcinosis_etiology", initial="unknown")
    calcinosis_extent = choice("Calcinosis extent", "calcinosis_extent", initial="unknown")
    summary = long_text(
        "Summary", rows=6, help_text="The clinical narrative, without names, dates of birth or addresses."
    )
    status = choice("Status", ENTRY_STATUSES, initial="draft")

    document_fields = (
        "site",
        "source",
        "local_reference",
        "sex",
        "age_at_presentation",
        "country",
        "consent",
        "calcinosis_etiology",
        "calcinosis_extent",
        "summary",
        "status",
    )

    def __init__(self, *args, user, current_status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
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

    def to_fields(self) -> dict:
        data = {name: self.cleaned_data.get(name, "") for name in self.document_fields}
        data["country"] = data["country"].upper()
        return data


class PublicationForm(forms.Form):
    doi = text("DOI", help_text="A DOI the registry knows fills in the rest.", spellcheck="false")
    pmid = number("PMID")
    title = text("Title")
    journal = text("Journal")
    year = number("Year")
    authors = text("Authors")
    citation = long_text("Citation", help_text="As it would appear in a reference list.")

    document_fields = ("doi", "pmid", "title", "journal", "year", "authors", "citation")

    def to_publication(self) -> dict | None:
        """The publication as typed, or None when every box is empty."""
        typed = {name: self.cleaned_data.get(name, "") for name in self.document_fields}
        return {k: v for k, v in typed.items() if v != ""} or None

    @classmethod
    def initial_from(cls, publication: dict | None) -> dict:
        return {k: ("" if v is None else v) for k, v in (publication or {}).items() if k in cls.document_fields}


class FeatureChecklist(forms.Form):
    """Every clinical feature of the vocabulary with three answers: present, absent, not recorded.

    Not recorded is the default and is not stored, unless the case already had a row
    for the feature or a note was typed: absent and not recorded never collapse.
    """

    def __init__(self, *args, in_use: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        features = [f for f in Feature.objects.order_by("sort_order", "code") if f.active or f.code in in_use]
        self.features = features
        statuses = choices_of("feature_status")
        for feature in features:
            self.fields[feature.code] = forms.CharField(
                label=feature.label,
                required=False,
                initial="unknown",
                widget=forms.RadioSelect(choices=statuses),
            )
            self.fields[f"{feature.code}__notes"] = forms.CharField(
                label=f"Notes on {feature.label.lower()}",
                required=False,
                widget=forms.TextInput(attrs={"class": "feature-notes", "placeholder": "notes"}),
            )
            self.fields[f"{feature.code}__id"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def groups(self):
        """[(organ, [(status field, notes field, id field), …]), …] in vocabulary order."""
        by_organ: dict[str, list] = {}
        for f in self.features:
            by_organ.setdefault(f.organ or "Other", []).append(
                (self[f.code], self[f"{f.code}__notes"], self[f"{f.code}__id"])
            )
        return list(by_organ.items())

    def to_rows(self) -> tuple[list[dict], list[str]]:
        """The document's feature rows and, for each, the feature code (to place errors)."""
        rows, codes = [], []
        for feature in self.features:
            status = self.cleaned_data.get(feature.code) or "unknown"
            notes = self.cleaned_data.get(f"{feature.code}__notes", "")
            stored_id = (self.cleaned_data.get(f"{feature.code}__id") or "").strip()
            if status == "unknown" and not notes and not stored_id:
                continue
            row = {"feature": feature.code, "status": status, "notes": notes}
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
            initial[f"{row['feature']}__notes"] = row.get("notes") or ""
            initial[f"{row['feature']}__id"] = row.get("id") or ""
        return initial
