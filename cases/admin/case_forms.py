"""The admin's case page speaks the case document of ``cases/document/schema.py``.

The forms only turn posted text into values (a date, a concept). Every rule
of a valid case is the services' (``case_create`` / ``case_update``): the
validated forms become one case document, the service stores it or refuses
it, and its errors (``serology.1.test``) are put back on the form and the
inline rows they name (``place_errors``, through ``cases.document.errors``).
"""

from functools import cached_property

from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet

from cases.document.errors import error_places
from cases.document.schema import ALL_LISTS, CASE_FIELDS, CHILDREN, PUBLICATION_FIELDS, Kind, case_field
from cases.forms.fields import CodeListField
from cases.models import VOCABULARIES

# The case's own fields a curator edits; identifiers, status and version are read-only.
CASE_FORM_FIELDS = [f.name for f in CASE_FIELDS if f.name != "status"]
VERSION_FIELD = "based_on_version"


class DocumentFormMixin:
    """Field conversion only: the model's clean() and constraints run once, inside the service."""

    def _post_clean(self):
        # ModelForm would run the model's full_clean (one query per database constraint, per row)
        # and copy values onto the instance; the service does both, once, for the whole case.
        pass

    def tick_lists(self, schema_field, code_choices: dict | None = None) -> None:
        """Lists of codes (methods, criteria stated, consent scope, biopsy findings) as ticks, not as the
        comma-separated text of a plain array field; a code the row holds stays offered, even if retired."""
        for name, formfield in list(self.fields.items()):
            if not isinstance(formfield, SimpleArrayField):
                continue
            f = schema_field(name)
            offered = (code_choices or {}).get(f.vocabulary, []) if f.vocabulary else f.choices
            held = [code for code in (self.initial.get(name) or []) if code not in {c for c, _ in offered}]
            self.fields[name] = CodeListField(
                label=formfield.label,
                required=False,
                help_text=formfield.help_text,
                choices=[*offered, *((code, f"{code} (no longer offered)") for code in held)],
            )

    def add_refusal(self, field: str | None, messages: list[str]) -> None:
        """A message of the service beside its input, or above the form when no input has that name."""
        target = field if field in self.fields else None
        for message in messages:
            if target is None and field:
                message = f"{field.replace('_', ' ').capitalize()}: {message}"
            self.add_error(target, message)


class CaseAdminForm(DocumentFormMixin, forms.ModelForm):
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        fields = CASE_FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[VERSION_FIELD].initial = self.instance.version
        self.tick_lists(case_field)

    def document(self) -> dict:
        data = self.cleaned_data
        # Only the fields the page shows: one it leaves out keeps its stored value instead of being emptied.
        doc = {
            name: data.get(name) for name in CASE_FORM_FIELDS if name not in ("site", "publication") and name in data
        }
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
        return {f.name: getattr(publication, f.attname) for f in PUBLICATION_FIELDS}
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

    def __init__(self, *args, code_choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = {f.name: f for f in self._meta.model._meta.concrete_fields}
        for name, formfield in self.fields.items():
            model_field = model_fields.get(name)
            if model_field is not None and model_field.has_default():
                # Left empty, the service gives the field its default, as it does for the API.
                formfield.required = False
        child = next(lst for lst in ALL_LISTS if lst.model is self._meta.model)
        self.tick_lists(child.field, code_choices)


class LinkedRowForm(ChildForm):
    """A row that targets calcinosis sites of the same case (a treatment course: the document's site_ids).

    The link table cannot be edited by a ModelForm; the document can. Only sites already stored are
    offered: a new site can be targeted after saving it.
    """

    target_sites = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Targeted sites", widget=forms.SelectMultiple(attrs={"size": 3})
    )

    def __init__(self, *args, site_choices=(), relation="sites", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_sites"].choices = site_choices
        if self.instance.pk:
            # Read from the prefetched sites of the inline's queryset.
            self.initial.setdefault("target_sites", [site.pk for site in getattr(self.instance, relation).all()])


class ChildFormSet(BaseInlineFormSet):
    document_key: str = ""

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
        pass

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
        child = CHILDREN[self.document_key]
        codes = child.codes
        rows = []
        for form in self.kept_forms():
            data = form.cleaned_data
            row = {"id": form.instance.pk} if form.instance.pk else {}
            for name in child.names:
                value = data.get(name)
                if value in ("", None) and child.field(name).model_field.has_default():
                    continue  # the service's default
                row[name] = (
                    (value.pk if value is not None and hasattr(value, "pk") else value) if name in codes else value
                )
            if child.links:
                row[child.links.name] = list(data.get("target_sites") or [])
            rows.append(row)
        return rows

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if CHILDREN[self.document_key].links:
            kwargs["site_choices"] = self.site_choices
        kwargs["code_choices"] = self.code_choices
        return kwargs

    @cached_property
    def code_choices(self) -> dict[str, list[tuple[str, str]]]:
        """The active codes of each vocabulary this list ticks (biopsy findings), read once for every row."""
        child = CHILDREN[self.document_key]
        names = {f.vocabulary for f in child.fields if f.kind is Kind.CODE_LIST and f.vocabulary}
        return {
            name: list(VOCABULARIES[name].objects.active().order_by("sort_order", "code").values_list("code", "label"))
            for name in names
        }

    @cached_property
    def site_choices(self) -> list[tuple[int, str]]:
        """The case's stored calcinosis sites, read once for every row of the formset."""
        child = CHILDREN[self.document_key]
        sites = child.model._meta.get_field(child.links.relation).related_model
        stored = sites.objects.filter(case=self.instance) if self.instance.pk else []
        return [(site.pk, f"{site} · site #{site.pk}") for site in stored]

    def add_refusal(self, row: int | None, field: str | None, messages: list[str]) -> None:
        """A message about the ``row``-th row of the document (or the whole list) on its inline form."""
        kept = self.kept_forms()
        if row is None or row >= len(kept):
            self._non_form_errors = self.error_class([*self.non_form_errors(), *messages])
            return
        links = CHILDREN[self.document_key].links
        if links and field in (links.name, links.by_position):
            field = "target_sites"
        kept[row].add_refusal(field, messages)


def place_errors(message_dict: dict[str, list[str]], form: CaseAdminForm, formsets) -> None:
    """Put a refused document's errors on the case form and the inline rows they name."""
    by_key = {formset.document_key: formset for formset in formsets}
    for place, messages in error_places(message_dict):
        if place.list in by_key:
            by_key[place.list].add_refusal(place.row, place.field, messages)
        elif place.list == "publication":
            form.add_refusal("publication", messages)
        else:
            form.add_refusal(place.field, messages)
