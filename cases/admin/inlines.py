"""The case's lists as inlines; their fields are the document fields of ``cases/document/schema.py``."""

from django.contrib import admin
from django.db import models
from django.forms import Textarea
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from cases.admin.case_forms import ChildForm, ChildFormSet, LinkedRowForm
from cases.admin.site import CuratorPermissions
from cases.admin.vocabulary_fields import Concepts, VocabularyAutocomplete, VocabularyChoiceField
from cases.document.schema import CHILD_LISTS, ChildList, Kind


class CaseListInline(CuratorPermissions, admin.TabularInline):
    child: ChildList  # set by ``inline_for``
    form = ChildForm
    formset = ChildFormSet
    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 1, "cols": 30})}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.document_key = self.child.key
        return formset

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if self.child.children:
            # The lists inside every row, shown read-only: one query per list (and per concept they name).
            return rows.select_related("case").prefetch_related("scores__instrument", "site_findings__site__region")
        # The targeted sites of every row in one query.
        return rows.prefetch_related(self.child.links.relation) if self.child.links else rows

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*fields, "recorded_inside"] if self.child.children else fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "recorded_inside"] if self.child.children else readonly

    @admin.display(description="scores and lesion findings")
    def recorded_inside(self, row):
        """A visit's scores and lesion findings, read-only here: they are entered on the case's entry form (and
        kept when this page is saved, which sends the visit without them)."""
        if row.pk is None:
            return "Scores and lesion findings are entered on the case's entry form once the visit is saved."
        scores = format_html_join("; ", "{} {}", ((s.instrument.label, _plain(s.value)) for s in row.scores.all()))
        findings = format_html_join(
            "; ",
            "site #{} ({}, {}){}",
            (
                (f.site_id, f.site.region.label, f.site.get_laterality_display().lower(), _finding_words(f))
                for f in row.site_findings.all()
            ),
        )
        entry_form = reverse("cases:edit", args=[row.case.registry_id]) + "#section-assessments"
        return format_html(
            '<div class="recorded-inside"><p>Scores: {}</p><p>Lesions: {}</p><p><a href="{}">Edit them in the entry '
            "form</a></p></div>",
            scores or "none",
            findings or "none",
            entry_form,
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.child.codes and db_field.is_relation:
            # Concepts are curated on their own pages; from a case's row one only looks a concept up.
            wrapper = formfield.widget
            wrapper.can_add_related = wrapper.can_change_related = wrapper.can_delete_related = False
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.child.codes:
            concepts = Concepts(db_field.remote_field.model, kwargs.get("using"))
            kwargs["widget"] = VocabularyAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using"), concepts=concepts
            )
            kwargs.update(form_class=VocabularyChoiceField, concepts=concepts)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def inline_for(child: ChildList) -> type:
    """The inline of one list: exactly the document's fields, in the document's order."""
    return type(
        f"{child.model.__name__}Inline",
        (CaseListInline,),
        {
            "model": child.model,
            "child": child,
            "verbose_name": child.noun,
            "verbose_name_plural": child.heading.lower(),
            "fields": [*child.names, *(["target_sites"] if child.links else [])],
            "readonly_fields": [f.name for f in child.fields if f.read_only],
            "autocomplete_fields": [f.name for f in child.fields if f.kind is Kind.CODE],
            "form": LinkedRowForm if child.links else ChildForm,
        },
    )


CASE_INLINES = [inline_for(child) for child in CHILD_LISTS]


def _plain(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def _finding_words(finding) -> str:
    words = [f"{_plain(finding.size_mm)} mm"] if finding.size_mm is not None else []
    if finding.change:
        words.append(finding.get_change_display().lower())
    return f": {', '.join(words)}" if words else ""
