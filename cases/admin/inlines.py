"""The case's lists as inlines; their fields are the document fields of cases/services/schema.py."""

from django.contrib import admin
from django.db import models
from django.forms import Textarea

from cases.admin.case_forms import ChildForm, ChildFormSet, TreatmentForm, TreatmentFormSet
from cases.admin.site import CuratorPermissions
from cases.admin.vocabulary_fields import Concepts, VocabularyAutocomplete, VocabularyChoiceField
from cases.models import CalcinosisSite, ClinicalFeature, Diagnosis, LabResult, SerologyResult, TreatmentCourse
from cases.services.schema import CHILDREN


class CaseListInline(CuratorPermissions, admin.TabularInline):
    document_key = ""
    form = ChildForm
    formset = ChildFormSet
    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 1, "cols": 30})}}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        spec = CHILDREN[cls.document_key]
        # Exactly the document's fields, in the document's order.
        cls.fields = [*spec.fields, *cls.extra_fields]
        cls.autocomplete_fields = list(spec.vocabularies)

    extra_fields: tuple[str, ...] = ()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        errors = getattr(request, "case_service_errors", None)
        list_errors = errors.lists.get(self.document_key) if errors else None
        return type(formset.__name__, (formset,), {"document_key": self.document_key, "service_errors": list_errors})

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in CHILDREN[self.document_key].vocabularies:
            # Concepts are curated on their own pages; from a case's row one only looks a concept up.
            wrapper = formfield.widget
            wrapper.can_add_related = wrapper.can_change_related = wrapper.can_delete_related = False
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in CHILDREN[self.document_key].vocabularies:
            concepts = Concepts(db_field.remote_field.model, kwargs.get("using"))
            kwargs["widget"] = VocabularyAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using"), concepts=concepts
            )
            kwargs.update(form_class=VocabularyChoiceField, concepts=concepts)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DiagnosisInline(CaseListInline):
    model = Diagnosis
    document_key = "diagnoses"


class FeatureInline(CaseListInline):
    model = ClinicalFeature
    document_key = "features"
    verbose_name = "clinical feature"


class SerologyInline(CaseListInline):
    model = SerologyResult
    document_key = "serology"
    verbose_name = "serology result"


class LabInline(CaseListInline):
    model = LabResult
    document_key = "labs"
    verbose_name = "laboratory result"


class CalcinosisSiteInline(CaseListInline):
    model = CalcinosisSite
    document_key = "calcinosis_sites"


class TreatmentInline(CaseListInline):
    model = TreatmentCourse
    document_key = "treatments"
    form = TreatmentForm
    formset = TreatmentFormSet
    extra_fields = ("target_sites",)

    def get_queryset(self, request):
        # The "targeted sites" of every row in one query.
        return super().get_queryset(request).prefetch_related("sites")


CASE_INLINES = [DiagnosisInline, FeatureInline, SerologyInline, LabInline, CalcinosisSiteInline, TreatmentInline]
