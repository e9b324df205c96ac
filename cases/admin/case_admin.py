"""The case changelist and case page."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.forms.formsets import all_valid
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from cases import quality
from cases.admin import actions
from cases.admin.case_forms import VERSION_FIELD, CaseAdminForm, NoPublicationKey, place_errors
from cases.admin.filters import AgentFilter, CriteriaFilter, PrimaryConditionFilter, QualityFilter, RegionFilter
from cases.admin.inlines import CASE_INLINES
from cases.admin.pagination import CappedCountPaginator, TwoStepChangeList
from cases.admin.site import CuratorPermissions, registry_admin
from cases.history import case_history
from cases.models import Case, Diagnosis
from cases.models.case import normalise_doi, registry_id_from
from cases.services import CaseValidationError, StaleVersion, case_create, case_delete, case_update


@admin.register(Case, site=registry_admin)
class CaseAdmin(CuratorPermissions, admin.ModelAdmin):
    form = CaseAdminForm
    inlines = CASE_INLINES
    list_display = [
        "registry_id",
        "site",
        "source",
        "sex",
        "age_at_presentation",
        "primary_condition",
        "status",
        "problems",
        "updated_at",
    ]
    list_select_related = ["site"]
    list_filter = [
        "site",
        "status",
        "source",
        PrimaryConditionFilter,
        RegionFilter,
        AgentFilter,
        CriteriaFilter,
        QualityFilter,
    ]
    # Searched by get_search_results below; listed here so that the admin draws the search box.
    search_fields = ["registry_id", "publication__doi", "publication__pmid", "local_reference", "summary"]
    search_help_text = "A registry id (CC-000123), DOI, PMID, the site's local reference, or words of the summary."
    list_per_page = 100
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    autocomplete_fields = ["site", "publication"]
    readonly_fields = [
        "registry_id",
        "version",
        "status",
        "status_reason",
        "verified_by",
        "verified_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "registry_id",
                    "status",
                    "status_reason",
                    "site",
                    "source",
                    "publication",
                    "local_reference",
                    VERSION_FIELD,
                ]
            },
        ),
        ("Patient", {"fields": ["sex", "age_at_presentation", "calcinosis_onset_age", "country"]}),
        ("Consent", {"fields": ["consent", "consent_scope", "consent_on", "ethics_reference"]}),
        ("Calcinosis", {"fields": ["calcinosis_etiology", "calcinosis_extent", "summary"]}),
        (
            "Record",
            {
                "fields": ["version", "created_by", "created_at", "updated_at", "verified_by", "verified_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    actions = [actions.verify_cases, actions.send_back_cases, actions.export_cases_csv]
    change_form_template = "admin/cases/case/change_form.html"

    # --- the changelist ---------------------------------------------------------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("site", "publication"):
            # Deleting a site or a publication is not part of editing a case.
            formfield.widget.can_delete_related = False
        return formfield

    def get_changelist(self, request, **kwargs):
        return TwoStepChangeList

    def get_queryset(self, request):
        primary = Diagnosis.objects.filter(case=OuterRef("pk"), is_primary=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Computed only for the rows of the page (PostgreSQL evaluates these after the LIMIT).
                primary_condition_label=Subquery(primary.values("condition__label")[:1]),
                quality_problems=quality.problem_count(Case),
            )
        )

    @admin.display(description="primary condition")
    def primary_condition(self, case):
        return case.primary_condition_label or "—"

    @admin.display(description="problems")
    def problems(self, case):
        if not case.quality_problems:
            return "0"
        return format_html('<strong style="color: var(--error-fg)">{}</strong>', case.quality_problems)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        # Identifiers are matched exactly (indexed); only other text searches the summary.
        match = Q(local_reference__iexact=term)
        registry_id = registry_id_from(term)
        if registry_id:
            match |= Q(registry_id=registry_id)
            if term.isdigit() and int(term) < 2**31:
                match |= Q(publication__pmid=int(term))
        elif term.lower().startswith(("10.", "doi:", "https://doi.org/", "http://doi.org/", "https://dx.doi.org/")):
            match |= Q(publication__doi=normalise_doi(term))
        else:
            match |= Q(summary__icontains=term)
        return queryset.filter(match), False

    # --- the case page: loaded for the quality list, saved through the services ---------------

    def get_object(self, request, object_id, from_field=None):
        queryset = Case.objects.for_detail()
        try:
            return queryset.get(pk=int(object_id))
        except (Case.DoesNotExist, ValueError):
            return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "quality_checks": len(quality.CHECKS)}
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        return self._save_case(request, object_id, form_url, extra_context)

    def _save_case(self, request, object_id, form_url, extra_context):
        """A posted case page: the form and its inlines become one document, stored by the services or
        drawn again with the service's errors beside the inputs they name (and nothing stored)."""
        add = object_id is None
        obj = None if add else self.get_object(request, unquote(object_id))
        allowed = self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        if not allowed:
            raise PermissionDenied
        if not add and obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(request, obj, change=not add, fields=flatten_fieldsets(fieldsets))
        form = form_class(request.POST, request.FILES, instance=obj)
        formsets, inline_instances = self._create_formsets(request, form.instance, change=not add)
        if all([form.is_valid(), all_valid(formsets)]):
            saved = self._store(request, form, formsets, add)
            if saved is not None:
                message = self.construct_change_message(request, form, formsets, add)
                if add:
                    self.log_addition(request, saved, message)
                    return self.response_add(request, saved)
                self.log_change(request, saved, message)
                return self.response_change(request, saved)
        inline_formsets = self.get_inline_formsets(request, formsets, inline_instances, obj)
        media = self.media + form.media
        for inline_formset in inline_formsets:
            media += inline_formset.media
        context = {
            **self.admin_site.each_context(request),
            "title": f"{'Add' if add else 'Change'} {self.opts.verbose_name}",
            "subtitle": str(obj) if obj else None,
            "adminform": helpers.AdminForm(
                form, list(fieldsets), {}, self.get_readonly_fields(request, obj), model_admin=self
            ),
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": media,
            "inline_admin_formsets": inline_formsets,
            "errors": helpers.AdminErrorList(form, formsets),
            "preserved_filters": self.get_preserved_filters(request),
            **extra_context,
        }
        return self.render_change_form(request, context, add=add, change=not add, obj=obj, form_url=form_url)

    def _store(self, request, form, formsets, add: bool):
        """The stored case, or None with the refusal's messages put on the forms."""
        try:
            document = form.document()
        except NoPublicationKey as refused:
            form.add_refusal("publication", [str(refused)])
            return None
        for formset in formsets:
            document[formset.document_key] = formset.document_rows()
        try:
            if add:
                return case_create(user=request.user, data=document)
            return case_update(
                user=request.user, case=form.instance, data=document, version=form.cleaned_data.get(VERSION_FIELD)
            )
        except CaseValidationError as refused:
            place_errors(refused.message_dict, form, formsets)
        except (StaleVersion, PermissionDenied) as refused:
            form.add_refusal(None, [str(refused) or "You cannot change this case."])
        return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["quality_issues"] = quality.quality_issues(obj)
            context["history_url"] = reverse("admin:cases_case_history", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        changed = [form.fields[name].label or name for name in form.changed_data if name != VERSION_FIELD]
        lists = [formset.document_key for formset in formsets if formset.has_changed()]
        return [{"added": {}}] if add else [{"changed": {"fields": changed + lists}}]

    # --- deleting, through the service -------------------------------------------------------

    def delete_model(self, request, obj):
        case_delete(user=request.user, case=obj)

    def delete_queryset(self, request, queryset):
        for case in Case.objects.filter(pk__in=queryset.values("pk")):
            case_delete(user=request.user, case=case)

    # --- history -----------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        case = Case.objects.filter(pk=unquote(object_id)).first() if str(object_id).isdigit() else None
        if case is None:
            raise Http404("No such case.")
        if not self.has_view_or_change_permission(request, case):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"History of {case.registry_id}",
            "subtitle": None,
            "opts": self.opts,
            "object": case,
            "entries": case_history(case),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/cases/case/history.html", context)
