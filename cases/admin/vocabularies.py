"""Vocabulary curation: add concepts with a parent and standard codes; deactivate instead of deleting.

Codes are normative (researchers' scripts filter on them), so a code is fixed
once created. A concept that records point at cannot be deleted (the models
PROTECT it); deactivating it keeps it on those records, and the case services
refuse it for new entries.
"""

from django.contrib import admin, messages
from django.utils.html import format_html

from cases.admin.protection import RefuseDeletingWhatIsUsed
from cases.admin.site import CuratorPermissions, registry_admin
from cases.models import VOCABULARIES, Concept

# Columns every concept has; each vocabulary adds its own (icd10, loinc_*, units, laterality_rule …).
_COMMON = {f.name for f in Concept._meta.fields}
STANDARD_CODES = ("snomed", "icd10", "loinc_presence", "loinc_titer", "loinc_quantity", "atc")


def extra_fields(model) -> list[str]:
    """SNOMED CT and synonyms, then the columns of this vocabulary alone, as the model declares them."""
    own = [f.name for f in model._meta.concrete_fields if f.name not in _COMMON]
    return ["snomed", "synonyms", *own]


@admin.action(description="Deactivate: keep on existing records, refuse for new entries")
def deactivate(modeladmin, request, queryset):
    changed = queryset.filter(active=True).update(active=False)
    modeladmin.message_user(request, f"Deactivated {changed} concept(s).", messages.SUCCESS)


@admin.action(description="Reactivate")
def reactivate(modeladmin, request, queryset):
    changed = queryset.filter(active=False).update(active=True)
    modeladmin.message_user(request, f"Reactivated {changed} concept(s).", messages.SUCCESS)


class ConceptAdmin(RefuseDeletingWhatIsUsed, CuratorPermissions, admin.ModelAdmin):
    vocabulary = ""
    list_display = ["code", "label_shown", "parent", "standard_codes", "active"]
    list_display_links = ["code", "label_shown"]
    list_filter = ["active"]
    list_select_related = ["parent"]
    search_fields = ["code", "label"]
    ordering = ["path"]
    autocomplete_fields = ["parent"]
    actions = [deactivate, reactivate]
    delete_confirmation_template = "admin/cases/concept_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/cases/concept_delete_selected_confirmation.html"

    def get_fields(self, request, obj=None):
        return ["code", "label", "parent", *extra_fields(self.model), "sort_order", "active", "path"]

    def get_readonly_fields(self, request, obj=None):
        # A code is normative once created: scripts and stored records use it.
        return ["path", "code"] if obj is not None else ["path"]

    @admin.display(description="label", ordering="label")
    def label_shown(self, concept):
        indent = "\u2003" * (concept.path.count("/") - 1)
        if concept.active:
            return format_html("{}{}", indent, concept.label)
        return format_html("{}<del>{}</del> <strong>(inactive)</strong>", indent, concept.label)

    @admin.display(description="standard codes")
    def standard_codes(self, concept):
        codes = [
            f"{name.replace('_', ' ').upper()} {getattr(concept, name)}"
            for name in STANDARD_CODES
            if getattr(concept, name, "")
        ]
        return ", ".join(codes) or "—"

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # The pickers of the case page offer active concepts only; old rows keep theirs.
            queryset = queryset.filter(active=True)
        return queryset, duplicates


for _name, _model in VOCABULARIES.items():
    registry_admin.register(_model, type(f"{_model.__name__}Admin", (ConceptAdmin,), {"vocabulary": _name}))
