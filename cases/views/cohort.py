"""The cohort page: the selected cases at a glance, from the case list's filter panel (filters in the URL).

Every role has it and reads what it may read: the cases are ``visible_to`` the
user and a researcher's ages are their de-identified ones. The filterset is the
one of the API's ``stats/treatment-responses/``: the case filters plus
``indication=any`` (every course counted), so the page and the API read one
URL alike. Each chart downloads as CSV (its table) and SVG (its picture).
"""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from cases.cohort.sections import Selection, every_chart, one_chart
from cases.cohort.words import describe_filters
from cases.document.writer import reads_deidentified
from cases.exports.sql import FORMULA_STARTS
from cases.models import Case
from cases.selection import resolved
from cases.statistics import ANY_INDICATION, TreatmentResponseFilterSet
from cases.views.case_list import _export_query, _prepare_panel, filter_panel
from cases.views.labels import Labels


def _selection(request):
    """The validated filterset and the selection it gives (None when a filter was refused)."""
    user = request.user
    filterset = TreatmentResponseFilterSet(request.GET, queryset=Case.objects.visible_to(user), request=request)
    _prepare_panel(filterset.form)
    if not filterset.is_valid():
        return filterset, None
    # Found once and counted exactly: every proportion on the page divides by the count, and each statistic
    # reads the cases by id rather than filtering the whole registry again.
    cases, total = resolved(filterset.qs)
    data = filterset.form.cleaned_data
    selection = Selection(
        cases=cases,
        total=total,
        deidentified=reads_deidentified(user),
        indication=data.get("indication") or "",
        agent=tuple(data.get("agent") or ()),
        labels=Labels(),
    )
    return filterset, selection


@login_required
def cohort_page(request):
    filterset, selection = _selection(request)
    form = filterset.form
    valid = selection is not None
    query = _export_query(request.GET)
    every_course = request.GET.get("indication") == ANY_INDICATION
    switch = request.GET.copy()
    if every_course:
        switch.pop("indication")
    else:
        switch["indication"] = ANY_INDICATION
    return render(
        request,
        "cases/cohort.html",
        {
            **filter_panel(form),
            "filters_valid": valid,
            "filtered": bool(query),
            "total": selection.total if valid else 0,
            "in_words": describe_filters(form) if valid else "",
            "query": query,
            "list_query": _export_query(_without_indication_any(request.GET)),
            "charts": every_chart(selection) if valid else [],
            "every_course": every_course,
            # An indication chosen in the panel picks the courses counted (as on the API): no switch then.
            "switchable": request.GET.get("indication") in (None, "", ANY_INDICATION),
            "switch_query": _export_query(switch),
        },
    )


def _without_indication_any(params):
    # ``indication=any`` picks the courses counted here; the case list knows no such value.
    kept = params.copy()
    if kept.get("indication") == ANY_INDICATION:
        kept.pop("indication")
    return kept


@login_required
def cohort_download(request, chart: str, format: str):
    _, selection = _selection(request)
    if selection is None:
        return HttpResponse("The filters were refused: open the cohort page to see why.", status=400)
    drawn = one_chart(chart, selection)
    if drawn is None:
        raise Http404("No such chart.")
    if format == "svg":
        response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + drawn.svg, content_type="image/svg+xml")
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(drawn.columns)
        writer.writerows([_cell(value) for value in row] for row in drawn.rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{chart}.{format}"'
    return response


def _cell(value):
    # A label a spreadsheet would run as a formula reads with a leading quote, as in the API's exports.
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(tuple(FORMULA_STARTS)):
        return f"'{value}"
    return value
