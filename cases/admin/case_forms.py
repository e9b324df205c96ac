"""The admin's case page speaks the case document of ``cases/services/schema.py``.

The forms only turn posted text into values (a date, a concept). Every rule
of a valid case is the services' (``case_create`` / ``case_update``): the
validated forms become one case document, the service stores it or refuses
it, and its errors (``serology.1.test``) are put back on the form and the
inline rows they name.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet

from cases.services.errors import NON_FIELD
from cases.services.schema import CHILDREN, PUBLICATION_FIELDS

# The case's own fields a curator edits; identifiers, status and version are read-only.
CASE_FORM_FIELDS = [
    "site",
    "source",
    "publication",
    "local_reference",
    "sex",
    "age_at_presentation",
    "country",
    "consent",
    "calcinosis_etiology",
    "calcinosis_extent",
    "summary",
]
VERSION_FIELD = "based_on_version"


class DocumentFormMixin:
    """Field conversion only: the model's clean() and constraints run once, inside the service."""

    service_errors: dict = {}

    def _post_clean(self):
        # ModelForm would run the model's full_clean (one query per database constraint, per row)
        # and copy values onto the instance; the service does both, once, for the whole case.
        pass

    def add_service_errors(self, errors: dict):
        for name, messages in errors.items():
            target = name if name in self.fields and name != NON_FIELD_ERRORS else None
            for message in messages:
                if target is None and name not in (NON_FIELD_ERRORS, NON_FIELD):
                    message = f"{name.replace('_', ' ').capitalize()}: {message}"
                self.add_error(target, message)


class CaseAdminForm(DocumentFormMixin, forms.ModelForm):
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        fields = CASE_FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[VERSION_FIELD].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        self.add_service_errors(self.service_errors)
        return cleaned

    def document(self) -> dict:
        data = self.cleaned_data
        doc = {name: data.get(name) for name in CASE_FORM_FIELDS if name not in ("site", "publication")}
        doc["site"] = data["site"].code if data.get("site") else None
        if not self.instance.pk or "publication" in self.changed_data:
            doc["publication"] = publication_reference(data.get("publication"))
        return doc


def publication_reference(publication) -> dict | None:
    """How a case document names a stored publication, so that the services find it and make no copy.

    They match a DOI, else a PMID, else a citation sent with every field as stored.
    """
    if publication is None:
        return None
    if publication.doi:
        return {"doi": publication.doi}
    if publication.pmid:
        return {"pmid": publication.pmid}
    if publication.citation:
        return {name: getattr(publication, name) for name in PUBLICATION_FIELDS}
    raise NoPublicationKey(publication)


class NoPublicationKey(Exception):
    def __init__(self, publication):
        self.publication = publication
        super().__init__(
            f"“{publication}” has no DOI, PMID or citation, so a case cannot be linked to it here "
            "(the case services would store the publication a second time). Add one of them first."
        )


class ChildForm(DocumentFormMixin, forms.ModelForm):
    """One row of one of the case's lists."""


class TreatmentForm(ChildForm):
    # TreatmentCourse.sites goes through TreatmentTarget, which a ModelForm cannot edit; the document's
    # site_ids can. Only sites already stored are offered: a new site can be targeted after saving it.
    target_sites = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Targeted sites", widget=forms.SelectMultiple(attrs={"size": 3})
    )

    def __init__(self, *args, site_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_sites"].choices = site_choices
        if self.instance.pk:
            # Read from the prefetched sites of the inline's queryset.
            self.initial.setdefault("target_sites", [site.pk for site in self.instance.sites.all()])


class ChildFormSet(BaseInlineFormSet):
    document_key: str = ""
    service_errors: "ListErrors | None" = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The row id is checked against this case's rows, already loaded, instead of one query per row.
        pk_name = self.model._meta.pk.name
        widget = form.fields[pk_name].widget
        form.fields[pk_name] = forms.TypedChoiceField(
            choices=[(row.pk, row.pk) for row in self.get_queryset()],
            coerce=int,
            required=False,
            empty_value=None,
            widget=widget,
        )
        form.fields[pk_name].initial = form.instance.pk if not form.instance._state.adding else None

    def clean(self):
        # No cross-row checks here (a feature listed twice, one primary diagnosis): the service makes them.
        if self.service_errors is None:
            return
        for index, errors in self.service_errors.rows.items():
            self.forms[index].add_service_errors(errors)
        if self.service_errors.whole_list:
            raise forms.ValidationError(self.service_errors.whole_list)

    def kept_forms(self) -> list:
        """The forms that are rows of the document, in document order."""
        kept = []
        for form in self.forms:
            if self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            kept.append(form)
        return kept

    def document_rows(self) -> list[dict]:
        spec = CHILDREN[self.document_key]
        rows = []
        for form in self.kept_forms():
            data = form.cleaned_data
            row = {"id": form.instance.pk} if form.instance.pk else {}
            for name in spec.fields:
                value = data.get(name)
                row[name] = (value.pk if value is not None else None) if name in spec.vocabularies else value
            if "target_sites" in form.fields:
                row["site_ids"] = list(data.get("target_sites") or [])
            rows.append(row)
        return rows


class TreatmentFormSet(ChildFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.models import CalcinosisSite

        sites = CalcinosisSite.objects.filter(case=self.instance) if self.instance.pk else []
        self.site_choices = [(site.pk, f"{site} · site #{site.pk}") for site in sites]

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "site_choices": self.site_choices}


@dataclass
class ListErrors:
    whole_list: list[str] = field(default_factory=list)
    rows: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # formset form index → field errors


@dataclass
class PlacedErrors:
    """A refused document's errors, placed on the form and the formset forms they belong to."""

    case: dict[str, list[str]] = field(default_factory=dict)
    lists: dict[str, ListErrors] = field(default_factory=dict)


def place_errors(message_dict: dict[str, list[str]], formsets) -> PlacedErrors:
    """Turn ``serology.1.test`` into "the test field of the second kept row of the serology inline"."""
    by_key = {formset.document_key: formset for formset in formsets}
    placed = PlacedErrors()
    for path, messages in message_dict.items():
        parts = path.split(".")
        formset = by_key.get(parts[0])
        if formset is None:
            name = "publication" if parts[0] == "publication" else parts[0]
            placed.case.setdefault(name, []).extend(messages)
            continue
        errors = placed.lists.setdefault(parts[0], ListErrors())
        kept = formset.kept_forms()
        if len(parts) < 3 or not parts[1].isdigit() or int(parts[1]) >= len(kept):
            errors.whole_list.extend(messages)
            continue
        name = {"site_ids": "target_sites", "site_indexes": "target_sites", NON_FIELD: NON_FIELD_ERRORS}.get(
            parts[2], parts[2]
        )
        index = formset.forms.index(kept[int(parts[1])])
        errors.rows.setdefault(index, {}).setdefault(name, []).extend(messages)
    return placed
