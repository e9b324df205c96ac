"""The case's lists as inlines; their fields are the document fields of ``cases/document/schema.py``."""

from django.contrib import admin
from django.db import models
from django.forms import Textarea

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
        # The targeted sites of every row in one query.
        return rows.prefetch_related(self.child.links.relation) if self.child.links else rows

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
