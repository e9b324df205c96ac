"""The case list: the API's own filterset as a filter panel, the filters in the URL."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cases.document import Disclosure, case_document
from cases.filters import CaseFilterSet
from cases.models import Case
from cases.paging import CappedCountPaginator
from cases.selection import ORDERINGS
from cases.views.labels import Labels

PAGE_SIZE = 25
# The filters of the issue first; every other filter of the filterset follows under "More filters".
MAIN_FILTERS = [
    "q",
    "condition",
    "positive",
    "negative",
    "feature",
    "region",
    "agent",
    "response",
    "age_min",
    "age_max",
    "sex",
    "site",
    "status",
]


@login_required
def case_list(request):
    user = request.user
    filterset = CaseFilterSet(
        request.GET, queryset=Case.objects.visible_to(user).for_detail(viewer=user), request=request
    )
    _prepare_panel(filterset.form)
    valid = filterset.is_valid()
    # An invalid filter is shown beside its field; listing cases without it would mislead.
    cases = filterset.qs if valid else Case.objects.none()
    # Counted up to CASE_COUNT_CAP, then "more than": an exact count of a million filtered cases takes seconds.
    page = CappedCountPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = Labels()
    form = filterset.form
    return render(
        request,
        "cases/case_list.html",
        {
            **filter_panel(form),
            "filters_valid": valid,
            "ordering": request.GET.get("ordering", ""),
            "sort_links": _sort_links(request.GET.get("ordering", "")),
            "page": page,
            "rows": [_row(case, user, labels) for case in page.object_list],
            "filtered": any(k not in ("page", "ordering") and v for k, v in request.GET.items()),
            "export_query": _export_query(request.GET),
        },
    )


def _export_query(params) -> str:
    """The list's filters for the API's exports: the same filterset reads them, less the page number."""
    kept = params.copy()
    for name in list(kept):
        values = [v for v in kept.getlist(name) if v]
        if name == "page" or not values:
            del kept[name]
        else:
            kept.setlist(name, values)
    return kept.urlencode()


def filter_panel(form) -> dict:
    """The template context of the filter panel (the case list's and the cohort page's): the main filters
    shown, the others behind "More filters", open when one of them is set or refused."""
    more = [form[name] for name in form.fields if name not in MAIN_FILTERS and name != "ordering"]
    return {
        "filter_form": form,
        "main_filters": [form[name] for name in MAIN_FILTERS if name in form.fields],
        "more_filters": more,
        "more_open": any(f.value() not in (None, "", []) or f.errors for f in more),
    }


def _prepare_panel(form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.SelectMultiple):
            # A list of codes: searchable by the little box above it (static/js/case_list.js).
            field.widget.attrs.update({"size": 5, "data-searchable": "true"})
    if "q" in form.fields:
        form.fields["q"].widget.attrs["type"] = "search"


def _sort_links(current: str) -> list[dict]:
    links = []
    for name, ordering in ORDERINGS.items():
        direction = "ascending" if current == name else "descending" if current == f"-{name}" else None
        links.append(
            {
                "name": name,
                "title": ordering.title,
                "direction": direction,
                "next": f"-{name}" if current == name else name,
            }
        )
    return links


def _row(case, user, labels: Labels) -> dict:
    # The same document as the API's: a researcher never sees more here.
    disclosure = Disclosure.for_user(user, case)
    doc = case_document(case, disclosure=disclosure)
    primary = next((d for d in doc["diagnoses"] if d["is_primary"]), None)
    regions = []
    for site in doc["calcinosis_sites"]:
        text = labels("region", site["region"])
        if site["laterality"] not in ("unknown", ""):
            text = f"{text} ({labels('calcinosis_sites.laterality', site['laterality']).lower()})"
        if text not in regions:
            regions.append(text)
    return {
        "registry_id": case.registry_id,
        "site": case.site.name,
        "sex": labels("sex", doc["sex"]),
        "age": doc["age_at_presentation"],
        "primary_condition": labels("condition", primary["condition"]) if primary else "",
        "positive": [labels("serology_test", s["test"]) for s in doc["serology"] if s["result"] == "positive"],
        "regions": regions,
        "status": doc["status"],
        "status_label": labels("status", doc["status"]),
        "updated": case.updated_at if disclosure.identified else None,
        "updated_year": None if disclosure.identified else doc["updated_at"],
    }
