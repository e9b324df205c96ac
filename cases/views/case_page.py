"""The case page: the case as a clinician reads a case report, its body map and its audit trail."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import access
from cases.document import CHILDREN, Disclosure, case_document
from cases.document.schema import Kind
from cases.history import ACTIONS, OPERATIONS, case_history
from cases.models import Case, Region
from cases.services import AlreadyVerified, StaleVersion, case_verify
from cases.views.body_map import body_map, describe
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
    sites = _sites(doc, labels)
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
            "patient": _patient(doc, labels),
            "diagnoses": _rows("diagnoses", doc, labels),
            "features": _features(doc, labels),
            "serology": _serology(doc, labels),
            "labs": _rows("labs", doc, labels),
            "sites": sites,
            "treatments": _treatments(doc, labels, sites),
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


def _patient(doc, labels) -> list[tuple[str, str]]:
    age = doc["age_at_presentation"]
    rows = [
        ("Sex", labels("sex", doc["sex"])),
        ("Age at presentation", f"{age} years" if age not in (None, "") else "not recorded"),
        ("Country", doc["country"] or "not recorded"),
        ("Consent", labels("consent", doc["consent"])),
        ("Calcinosis etiology", labels("calcinosis_etiology", doc["calcinosis_etiology"])),
        ("Calcinosis extent", labels("calcinosis_extent", doc["calcinosis_extent"])),
    ]
    if doc.get("local_reference"):
        rows.append(("Local reference", doc["local_reference"]))
    return rows


def _rows(key: str, doc, labels) -> list[dict]:
    """A list of the document with the labels of its codes and choices (``condition_label``, …)."""
    return [labels.labelled(CHILDREN[key], row) for row in doc[key]]


def _features(doc, labels) -> list[dict]:
    """Present, then absent, then explicitly not recorded: the order a case report reads."""
    groups = []
    rows = _rows("features", doc, labels)
    for status, title in (("present", "Present"), ("absent", "Absent"), ("unknown", "Not recorded")):
        shown = [row for row in rows if row["status"] == status]
        if shown:
            groups.append({"status": status, "title": title, "rows": shown})
    return groups


def _serology(doc, labels) -> list[dict]:
    return [
        {**row, "titer_text": f"1:{row['titer']}" if row["titer"] else ""} for row in _rows("serology", doc, labels)
    ]


def _sites(doc, labels) -> list[dict]:
    yes_no = [f.name for f in CHILDREN["calcinosis_sites"].fields if f.kind is Kind.TRISTATE]
    return [
        {**row, "number": number, "findings": [(name, row[f"{name}_text"]) for name in yes_no]}
        for number, row in enumerate(_rows("calcinosis_sites", doc, labels), start=1)
    ]


def site_name(site: dict) -> str:
    """How a treated site is named beside its treatment: "Little finger (finger 5), right" (and the segment,
    which tells two sites of one finger apart)."""
    side = "side not recorded" if site["laterality"] in ("unknown", "") else site["laterality_label"].lower()
    segment = f", {site['digit_segment_label'].lower()}" if site["digit_segment"] else ""
    return f"{site['region_label']}, {side}{segment}"


def _treatments(doc, labels, sites) -> list[dict]:
    by_id = {site["id"]: site for site in sites}
    return [
        {
            **row,
            "treated_sites": [
                {"number": by_id[pk]["number"], "name": site_name(by_id[pk])} for pk in row["site_ids"] if pk in by_id
            ],
        }
        for row in _rows("treatments", doc, labels)
    ]


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
