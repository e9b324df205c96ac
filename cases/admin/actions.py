"""Changelist actions on the selected cases: writes through the case services, the export through the exports' writer."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from cases.exports import stream_cases_csv
from cases.models import Case
from cases.services import AlreadyVerified, CaseValidationError, case_send_back, case_verify


def _selected(queryset):
    # The changelist queryset carries display annotations; the actions need only the cases.
    return Case.objects.filter(pk__in=queryset.values("pk")).order_by("registry_id")


@admin.action(description="Verify the selected cases")
def verify_cases(modeladmin, request, queryset):
    verified = already = 0
    for case in _selected(queryset):
        try:
            case_verify(user=request.user, case=case)
        except AlreadyVerified:
            already += 1
        else:
            verified += 1
    modeladmin.message_user(request, f"Verified {verified} case(s).", messages.SUCCESS)
    if already:
        modeladmin.message_user(
            request, f"{already} case(s) were already verified and were left as they were.", messages.WARNING
        )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Kept on each case and in its history; the contributing clinician reads it.",
    )


@admin.action(description="Send the selected cases back to “submitted” (asks for a reason)")
def send_back_cases(modeladmin, request, queryset):
    cases = _selected(queryset)
    form = SendBackForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        try:
            for case in cases:
                case_send_back(user=request.user, case=case, reason=form.cleaned_data["reason"])
        except CaseValidationError as exc:
            form.add_error("reason", exc.message_dict.get("status_reason", exc.messages))
        else:
            modeladmin.message_user(request, f"Sent {len(cases)} case(s) back to “submitted”.", messages.SUCCESS)
            return None  # back to the changelist
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Send cases back",
        "opts": modeladmin.model._meta,
        "cases": cases[:50],
        "count": cases.count(),
        "form": form,
        "action_name": "send_back_cases",
        # Posted again as they came, so that "select all N cases" keeps meaning the filtered list.
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected_ids": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "admin/cases/case/send_back.html", context)


@admin.action(description="Export the selected cases as CSV (the API's export/cases.csv)")
def export_cases_csv(modeladmin, request, queryset):
    # The API's own writer, so that a curator's file and a script's file have the same columns and rows.
    response = StreamingHttpResponse(
        stream_cases_csv(request.user, _selected(queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="registry-cases-{timezone.now():%Y%m%d-%H%M%S}.csv"'
    return response
