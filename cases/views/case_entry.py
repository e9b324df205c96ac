"""Entering and editing a whole case on one page, saved through the case services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from cases import access
from cases.document import case_document
from cases.document.schema import ALL_LISTS, CHILDREN, Kind
from cases.forms import CaseEntry
from cases.forms.rows import PICKED, ROW_FORMS
from cases.history import case_history
from cases.models import Region
from cases.services import CaseValidationError, StaleVersion, case_create, case_update
from cases.views.labels import Labels
from cases.views.lookup import get_case_for_user

# The vocabularies the form offers as searchable lists: those of its row inputs that take one code by search.
FORM_VOCABULARIES = list(
    dict.fromkeys(
        f.vocabulary
        for child in ALL_LISTS
        for f in child.fields
        if f.kind is Kind.CODE and (child.key, f.name) not in PICKED and not child.checklist
    )
)


@login_required
def case_new(request):
    user = request.user
    if not access.can_enter_cases(user):
        raise PermissionDenied("Only clinicians of a site and curators enter cases.")
    entry = CaseEntry(user=user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and entry.is_valid():
        try:
            case = case_create(user=user, data=entry.to_document())
        except CaseValidationError as error:
            entry.apply_errors(error.message_dict)
        except PermissionDenied as refused:
            entry.apply_errors({"site": [str(refused)]})
        else:
            messages.success(request, f"{case.registry_id} is saved.")
            return redirect("cases:detail", registry_id=case.registry_id)
    return _render_form(request, entry, case=None)


@login_required
def case_edit(request, registry_id):
    user = request.user
    case = get_case_for_user(user, registry_id, editable=True)
    document = case_document(case)
    entry = CaseEntry(user=user, data=request.POST if request.method == "POST" else None, document=document)
    stale = None
    if request.method == "POST" and entry.is_valid():
        try:
            case = case_update(user=user, case=case, data=entry.to_document(), version=entry.version)
        except StaleVersion as error:
            # Everything typed stays in the form; the other person's change stays stored.
            stale = {"error": error, "last_change": (case_history(case) or [None])[-1]}
        except CaseValidationError as error:
            entry.apply_errors(error.message_dict)
        except PermissionDenied as refused:
            entry.apply_errors({"site": [str(refused)]})
        else:
            messages.success(request, f"{case.registry_id} is saved.")
            return redirect("cases:detail", registry_id=case.registry_id)
    return _render_form(request, entry, case=case, stale=stale)


def _render_form(request, entry: CaseEntry, *, case, stale=None):
    labels = Labels()
    errors = entry.error_summary()
    # A refused save is not a 200: 409 when someone else saved first, 400 for what the service refused.
    status = 409 if stale else 400 if errors else 200
    return render(
        request,
        "cases/case_form.html",
        {
            "case": case,
            "entry": entry,
            "sections": [
                {
                    "key": key,
                    "formset": entry.formsets[key],
                    "noun": CHILDREN[key].noun,
                    "heading": CHILDREN[key].heading,
                    "errors": entry.section_errors.get(key, []),
                }
                for key in ROW_FORMS
            ],
            "site_rows": _site_rows(entry, labels),
            "vocabularies": _vocabularies(entry),
            "labels": labels,
            "errors": errors,
            "stale": stale,
        },
        status=status,
    )


def _site_rows(entry: CaseEntry, labels: Labels) -> list[dict]:
    """The calcinosis-site rows on the page, for the "sites treated" ticks of each treatment."""
    rows = []
    for index, form in enumerate(entry.formsets["calcinosis_sites"].forms):
        region = form["region"].value() or ""
        words = [labels("region", region) if region else "region not chosen yet"]
        for name in ("laterality", "digit_segment", "methods"):
            values = form[name].value() or []
            for value in values if isinstance(values, list) else [values]:
                if value and value != "unknown":
                    words.append(in_a_sentence(labels(f"calcinosis_sites.{name}", value)))
        rows.append(
            {
                "value": str(index),
                "text": f"Site {index + 1}: {', '.join(words)}",
                "removed": bool(form["DELETE"].value()),
            }
        )
    return rows


def in_a_sentence(label: str) -> str:
    """ "Clinical examination" → "clinical examination" inside a sentence; "CT" stays "CT"."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _vocabularies(entry: CaseEntry) -> list[dict]:
    """Each vocabulary as a datalist: the code is what is stored; label, other names and the place in the
    hierarchy help find it. A region's option also says which sides it takes and whether it is a digit."""
    lists = []
    for name in FORM_VOCABULARIES:
        concepts = [c for c in entry.concepts.concepts(name) if c.active]
        label_of = {c.code: c.label for c in concepts}
        options = []
        for concept in concepts:
            ancestors = [label_of.get(c, c) for c in concept.path.strip("/").split("/")[:-1]]
            hint = f" — {' › '.join(ancestors)}" if ancestors else ""
            others = f" ({', '.join(concept.synonyms)})" if concept.synonyms else ""
            attrs = {"data-label": concept.label}
            if concept.synonyms:
                attrs["data-synonyms"] = "|".join(concept.synonyms)
            if isinstance(concept, Region):
                attrs["data-sides"] = " ".join(concept.sides)
                if concept.is_digit:
                    attrs["data-digit"] = "no-middle" if concept.code in Region.NO_MIDDLE_PHALANX else "digit"
            options.append({"code": concept.code, "text": f"{concept.label}{others}{hint}", "attrs": attrs})
        lists.append({"name": name, "options": options})
    return lists
