"""The case page: the case as a clinician reads a case report (``case_report.py``), its body map, the
timeline of its follow-up and its audit trail."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import access
from cases.document import Disclosure, case_document
from cases.history import ACTIONS, OPERATIONS, case_history
from cases.models import Case, Region
from cases.services import AlreadyVerified, StaleVersion, case_verify
from cases.views import case_report as report
from cases.views.body_map import body_map, describe
from cases.views.criteria_checklist import checklist
from cases.views.labels import Labels
from cases.views.lookup import get_case_for_user


@login_required
def case_detail(request, registry_id):
    user = request.user
    case = get_case_for_user(user, registry_id)
    disclosure = Disclosure.for_user(user, case)
    identified = disclosure.identified
    # The researcher's page is built from the de-identified document, the same one the API returns.
    doc = case_document(case, disclosure=disclosure)
    labels = Labels()
    sites = report.sites(doc, labels)
    located = [(s["region"], s["laterality"]) for s in doc["calcinosis_sites"]]
    figure = body_map(
        located,
        dict(Region.objects.values_list("code", "path")),
        labels.table("region"),
        description=describe(located, labels.table("region"), labels.table("calcinosis_sites.laterality")),
    )
    can_edit = Case.objects.editable_by(user).filter(pk=case.pk).exists()
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "doc": doc,
            "identified": identified,
            "narrative_withheld": not disclosure.narrative,
            "patient": report.patient(doc, labels),
            "diagnoses": report.rows("diagnoses", doc, labels),
            "criteria": checklist(doc, labels),
            "features": report.features(doc, labels),
            "serology": report.serology(doc, labels),
            "labs": report.rows("labs", doc, labels),
            "sites": sites,
            "treatment_groups": report.treatment_groups(doc, labels, sites),
            "biopsies": report.rows("biopsies", doc, labels),
            "follow_up": report.follow_up(doc, labels, sites),
            "body_map": figure,
            "history": _history(case) if identified else None,
            "can_edit": can_edit,
            "can_verify": access.is_curator(user) and case.status != Case.Status.VERIFIED,
        },
    )


@login_required
@require_POST
def case_verify_view(request, registry_id):
    case = get_case_for_user(request.user, registry_id)
    if not access.is_curator(request.user):
        raise PermissionDenied("Only curators verify cases.")
    try:
        case_verify(user=request.user, case=case, version=request.POST.get("version") or None)
    except (StaleVersion, AlreadyVerified) as refused:
        messages.error(request, f"Not verified: {refused}")
    else:
        messages.success(request, f"{case.registry_id} is verified.")
    return redirect("cases:detail", registry_id=case.registry_id)


def _history(case) -> list[dict]:
    """Audit entries grouped by the save they belong to: saves newest first, each one's rows as written."""
    saves = []
    for _save, group in groupby(case_history(case), key=lambda e: e.save):
        group = list(group)
        first = group[0]
        saves.append(
            {
                "when": first.when,
                "user": first.user or "(no user recorded)",
                "operation": OPERATIONS.get(first.operation, "Changed outside the registry's forms"),
                "changes": [
                    {
                        "what": f"{entry.table.capitalize()} {ACTIONS.get(entry.action, entry.action)}",
                        "row": entry.row_label,
                        # A tie of a treatment to a site says all in its name; its two keys would repeat it.
                        "fields": []
                        if entry.table == "treatment target"
                        else [(change.label, change.old, change.new) for change in entry.fields],
                    }
                    for entry in group
                ],
            }
        )
    return list(reversed(saves))
