"""Vocabulary curation: add concepts with a parent and standard codes; deactivate instead of deleting.

Codes are normative (researchers' scripts filter on them), so a code is fixed
once created. A concept that records point at cannot be deleted (the models
PROTECT it); deactivating it keeps it on those records, and the case services
refuse it for new entries.
"""

from django.contrib import admin, messages
from django.db.models import ForeignKey, ProtectedError
from django.db.models.deletion import PROTECT
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from cases.admin.site import CuratorPermissions, registry_admin
from cases.models import VOCABULARIES

# Standard codes and extra columns each vocabulary has, beyond code, label and parent.
EXTRA_FIELDS = {
    "condition": ["snomed", "icd10"],
    "feature": ["snomed", "organ"],
    "serology_test": ["snomed", "loinc"],
    "ana_pattern": ["snomed"],
    "lab_test": ["snomed", "loinc", "unit"],
    "region": ["snomed"],
    "agent": ["snomed"],
}
SAMPLE = 5


def where_used(concept) -> list[str]:
    """One line per kind of record that points at ``concept`` and stops it being deleted."""
    lines = []
    for relation in type(concept)._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.one_to_many):
            continue
        if relation.on_delete is not PROTECT:
            continue  # audit-history copies and other non-blocking references
        rows = relation.related_model._base_manager.filter(**{relation.field.name: concept})
        count = rows.count()
        if not count:
            continue
        noun = relation.related_model._meta.verbose_name if count == 1 else \
            relation.related_model._meta.verbose_name_plural
        if relation.related_model is type(concept):
            codes = list(rows.order_by("code").values_list("code", flat=True)[:SAMPLE])
            lines.append(f"{count} sub-concept(s): {', '.join(codes)}{' …' if count > SAMPLE else ''}")
        elif any(isinstance(f, ForeignKey) and f.name == "case" for f in relation.related_model._meta.fields):
            cases = list(rows.order_by("case__registry_id").values_list("case__registry_id", flat=True)
                         .distinct()[:SAMPLE])
            more = " …" if count > len(cases) else ""
            lines.append(f"{count} {noun} in cases {', '.join(cases)}{more}")
        else:
            lines.append(f"{count} {noun}")
    return lines


@admin.action(description="Deactivate: keep on existing records, refuse for new entries")
def deactivate(modeladmin, request, queryset):
    changed = queryset.filter(active=True).update(active=False)
    modeladmin.message_user(request, f"Deactivated {changed} concept(s).", messages.SUCCESS)


@admin.action(description="Reactivate")
def reactivate(modeladmin, request, queryset):
    changed = queryset.filter(active=False).update(active=True)
    modeladmin.message_user(request, f"Reactivated {changed} concept(s).", messages.SUCCESS)


class ConceptAdmin(CuratorPermissions, admin.ModelAdmin):
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
        return ["code", "label", "parent", *EXTRA_FIELDS[self.vocabulary], "sort_order", "active", "path"]

    def get_readonly_fields(self, request, obj=None):
        # A code is normative once created: scripts and stored records use it.
        return ["path", "code"] if obj is not None else ["path"]

    @admin.display(description="label", ordering="label")
    def label_shown(self, concept):
        indent = "\u2003" * (concept.path.count("/") - 1)
        if concept.active:
            return format_html("{}{}", indent, concept.label)
        return format_html('{}<del>{}</del> <strong>(inactive)</strong>', indent, concept.label)

    @admin.display(description="standard codes")
    def standard_codes(self, concept):
        codes = [f"{name.upper()} {getattr(concept, name)}" for name in ("snomed", "icd10", "loinc")
                 if getattr(concept, name, "")]
        return ", ".join(codes) or "—"

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # The pickers of the case page offer active concepts only; old rows keep theirs.
            queryset = queryset.filter(active=True)
        return queryset, duplicates

    def get_deleted_objects(self, objs, request):
        in_use = []
        for concept in objs:
            lines = where_used(concept)
            if lines:
                in_use.append(f"“{concept.label}” ({concept.code}) is in use: {'; '.join(lines)}.")
        if in_use:
            # The admin shows these as the reasons it cannot delete, instead of listing every row.
            return [], {}, set(), in_use
        return super().get_deleted_objects(objs, request)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError:
            # Someone used the concept between the confirmation page and the delete.
            self.message_user(request, "The concept is in use and was not deleted; deactivate it instead.",
                              messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:cases_{self.opts.model_name}_change", args=[object_id]))


for _name, _model in VOCABULARIES.items():
    registry_admin.register(_model, type(f"{_model.__name__}Admin", (ConceptAdmin,), {"vocabulary": _name}))
