"""The charts of the cohort page, each from one statistic of ``cases.statistics``.

The page counts nothing itself: every number it draws is a statistic the API
serves for the same filters (``/api/v1/stats/…``), so the two agree by
construction. A chart's builder takes the selection and gives its picture and
its table; the page draws all of them, a download one.
"""

from dataclasses import dataclass

from cases import statistics
from cases.cohort.charts import (
    NOT_RECORDED,
    Chart,
    Interval,
    bars,
    categorical,
    intervals,
    percent,
    stacked_bars,
)
from cases.cohort.heat_map import heat_map
from cases.models import Instrument
from cases.models.choices import CalcinosisCourse, Response, SerologyOutcome
from cases.views.labels import Labels
from registry.db import side_by_side

# Fewer assessed courses than this and an agent's proportion says little: its row is grey and labelled.
FEW_ASSESSED = 5


@dataclass
class Selection:
    """What every chart reads: the selected cases, counted once, and how the reader reads them."""

    cases: object  # the filtered, visible queryset
    total: int
    deidentified: bool
    indication: str  # the courses counted by treatment responses ("" = calcinosis, "any")
    agent: tuple
    labels: Labels


def body_heat_map(s: Selection) -> Chart:
    stats = statistics.calcinosis_sites(s.cases, total=s.total)
    top = sorted(stats["regions"], key=lambda r: -r["proportion"])[:5]
    description = (
        f"Of {s.total} cases, calcinosis most often at: "
        + "; ".join(f"{r['label']} {r['cases']} ({percent(r['proportion'])})" for r in top)
        + "."
        if top
        else f"No calcinosis site recorded in the {s.total} cases."
    )
    chart = Chart(
        "body-map",
        "Where the calcinosis is: share of cases per body region",
        description,
        ["region", "label", "parent", "cases", "proportion"],
        [[r["region"], r["label"], r["parent"] or "", r["cases"], r["proportion"]] for r in stats["regions"]],
        note="A region counts the cases with calcinosis in it or in any region within it, on either side; "
        "a limb, the hand or the fingers as a whole are not a shape of their own: their shares are in the table.",
    )
    chart.svg = heat_map(chart.key, chart.title, description, stats, s.labels.table("region"))
    return chart


def treatment_responses(s: Selection) -> Chart:
    stats = statistics.treatment_responses(s.cases, indication=s.indication, agent=s.agent, total=s.total)
    counted = "every indication" if stats["indication"] == statistics.ANY_INDICATION else "calcinosis"
    if stats["indication"] not in (statistics.ANY_INDICATION, statistics.COUNTED_INDICATION):
        counted = s.labels("treatments.indication", stats["indication"]).lower()
    rows = []
    for agent in stats["agents"]:
        few = agent["assessed"] < FEW_ASSESSED
        low, high = agent["responder_ci95"] or (None, None)
        said = (
            f"{agent['label']}: {agent['responders']} responders of {agent['assessed']} assessed courses "
            f"({percent(agent['responder_proportion'])}, 95% CI {percent(low)} to {percent(high)}); "
            f"{agent['courses']} courses in all" + (f"; fewer than {FEW_ASSESSED} assessed" if few else "")
        )
        rows.append(
            Interval(
                agent["label"],
                agent["responder_proportion"],
                low,
                high,
                said,
                right=f"{agent['assessed']}/{agent['courses']}" + (" few" if few else ""),
                muted=few,
                strong=agent["is_class"],
            )
        )
    title = f"Responders among assessed courses given for {counted}, with 95% Wilson intervals"
    description = (
        f"{len(rows)} agents and classes. Each row: complete or partial responses among assessed courses "
        f"of that agent; grey rows have fewer than {FEW_ASSESSED} assessed courses. "
        "The numbers at the right are assessed courses / all courses."
    )
    chart = Chart(
        "treatment-responses",
        title,
        description,
        [
            "agent",
            "label",
            "is_class",
            "courses",
            "assessed",
            "responders",
            "responder_proportion",
            "ci95_low",
            "ci95_high",
            *Response.values,
        ],
        [
            [
                a["agent"],
                a["label"],
                a["is_class"],
                a["courses"],
                a["assessed"],
                a["responders"],
                a["responder_proportion"],
                *(a["responder_ci95"] or (None, None)),
                *(a["responses"][code] for code in Response.values),
            ]
            for a in stats["agents"]
        ],
        note="A class counts its own courses and its members'. Courses with one outcome for a whole regimen "
        "are no single agent's: they are counted apart, below.",
    )
    ticks = [(step / 4, percent(step / 4)) for step in range(5)]
    chart.svg = intervals(
        chart.key,
        title,
        description,
        rows,
        low=0.0,
        high=1.0,
        ticks=ticks,
        footnote=f"Grey, marked few: fewer than {FEW_ASSESSED} assessed courses. At the right: assessed / all courses.",
        right_heading="assessed/all",
    )
    regimen = [a for a in stats["agents"] if any(a["regimen_responses"].values())]
    chart.companion = Chart(
        "regimen-outcomes",
        "Outcomes recorded for a whole regimen, per agent in it",
        "Courses whose one outcome belongs to the regimen they were given in, not to the agent: "
        f"{len(regimen)} agents.",
        ["agent", "label", *Response.values],
        [[a["agent"], a["label"], *(a["regimen_responses"][code] for code in Response.values)] for a in regimen],
    )
    series = list(zip(Response.labels, [*categorical(len(Response.values) - 1), NOT_RECORDED], strict=True))
    chart.companion.svg = stacked_bars(
        "regimen-outcomes",
        chart.companion.title,
        chart.companion.description,
        [(a["label"], [a["regimen_responses"][code] for code in Response.values]) for a in regimen],
        series,
    )
    return chart


def serology(s: Selection) -> Chart:
    stats = statistics.serology(s.cases, total=s.total)
    names = [*SerologyOutcome.values, "not_recorded"]
    series = list(
        zip(
            [*SerologyOutcome.labels, "Not recorded"],
            [*categorical(len(SerologyOutcome.values)), NOT_RECORDED],
            strict=True,
        )
    )
    chart = Chart(
        "serology",
        "Antibodies: cases positive, negative and not recorded",
        f"Per antibody tested in the {s.total} cases, how many were positive, negative, equivocal, not done, "
        "or have no result recorded.",
        ["test", "label", *names],
        [[t["test"], t["label"], *(t[name] for name in names)] for t in stats["tests"]],
    )
    chart.svg = stacked_bars(
        chart.key, chart.title, chart.description, [(t["label"], [t[n] for n in names]) for t in stats["tests"]], series
    )
    return chart


def criteria(s: Selection) -> Chart:
    stats = statistics.criteria(s.cases, total=s.total)
    names = ["met", "indeterminate", "not_met"]
    series = list(zip(["Met", "Indeterminate", "Not met"], [*categorical(2), NOT_RECORDED], strict=True))
    chart = Chart(
        "criteria",
        "Classification criteria computed: met, indeterminate, not met",
        "Per criteria set, the cases whose recorded findings meet it, could still meet it (indeterminate), or do not.",
        ["set", "label", *names],
        [[c["set"], c["label"], *(c[name] for name in names)] for c in stats["sets"]],
    )
    chart.svg = stacked_bars(
        chart.key, chart.title, chart.description, [(c["label"], [c[n] for n in names]) for c in stats["sets"]], series
    )
    return chart


def _demographics(s: Selection) -> dict:
    return statistics.demographics(s.cases, deidentified=s.deidentified, total=s.total)


def age(s: Selection, stats: dict | None = None) -> Chart:
    stats = stats or _demographics(s)
    chart = Chart(
        "age",
        "Age at presentation",
        f"Cases per decade of age at presentation, of {s.total}"
        + ("; every age from 90 is one band, 90+." if s.deidentified else "."),
        ["band", "cases"],
        [[a["band"], a["cases"]] for a in stats["ages"]],
    )
    chart.svg = bars(
        chart.key, chart.title, chart.description, [(a["band"], a["cases"]) for a in stats["ages"]], s.total
    )
    return chart


def sex(s: Selection, stats: dict | None = None) -> Chart:
    stats = stats or _demographics(s)
    chart = Chart(
        "sex",
        "Sex",
        f"Cases per sex, of {s.total}.",
        ["sex", "label", "cases"],
        [[x["sex"], x["label"], x["cases"]] for x in stats["sexes"]],
    )
    chart.svg = bars(
        chart.key, chart.title, chart.description, [(x["label"], x["cases"]) for x in stats["sexes"]], s.total
    )
    return chart


def follow_up_course(s: Selection, stats: dict | None = None) -> Chart:
    stats = stats or statistics.follow_up(s.cases, total=s.total)
    names = CalcinosisCourse.values
    series = list(zip(CalcinosisCourse.labels, [*categorical(len(names) - 1), NOT_RECORDED], strict=True))
    chart = Chart(
        "follow-up-course",
        "Calcinosis course at the assessments, by months since presentation",
        "Per band of months from presentation, the assessments that found the calcinosis resolved, improved, "
        "stable, worse or not assessed; n is the number of assessments.",
        ["band", "assessments", "cases", *names],
        [
            [b["band"], b["assessments"], b["cases"], *(b["calcinosis_course"][n] for n in names)]
            for b in stats["bands"]
        ],
    )
    chart.svg = stacked_bars(
        chart.key,
        chart.title,
        chart.description,
        [(f"{_months(b['band'])}", [b["calcinosis_course"][n] for n in names]) for b in stats["bands"]],
        series,
    )
    return chart


def follow_up_scores(s: Selection, stats: dict | None = None) -> Chart:
    stats = stats or statistics.follow_up(s.cases, total=s.total)
    ranges = {
        i.code: (float(i.minimum), float(i.maximum))
        for i in Instrument.objects.filter(code__in=[x["instrument"] for x in stats["instruments"]])
    }
    rows, table = [], []
    for instrument in stats["instruments"]:
        low, high = ranges[instrument["instrument"]]
        worse = "higher is worse" if instrument["higher_is_worse"] else "higher is better"
        rows.append(
            Interval(f"{instrument['label']} ({low:g} to {high:g}, {worse})", None, None, None, "", heading=True)
        )
        for band in instrument["bands"]:
            table.append(
                [
                    instrument["instrument"],
                    instrument["label"],
                    band["band"],
                    band["scores"],
                    band["cases"],
                    band["q1"],
                    band["median"],
                    band["q3"],
                ]
            )
            if not band["scores"]:
                continue
            # Every instrument on one axis: its own range read as 0 to 100%.
            scaled = [None if v is None else (v - low) / (high - low) for v in (band["median"], band["q1"], band["q3"])]
            rows.append(
                Interval(
                    _months(band["band"]),
                    scaled[0],
                    scaled[1],
                    scaled[2],
                    f"{instrument['label']}, {_months(band['band'])}: median {band['median']} "
                    f"(quartiles {band['q1']} to {band['q3']}) of {band['scores']} scores, range {low:g} to {high:g}",
                    right=f"{band['median']:g} (n {band['scores']})",
                )
            )
    description = (
        "Per instrument and band of months from presentation, the median score (square) and the quartiles "
        "(line), each drawn on its instrument's own range from lowest (left) to highest (right)."
    )
    chart = Chart(
        "follow-up-scores",
        "Median score per band of months since presentation",
        description,
        ["instrument", "label", "band", "scores", "cases", "q1", "median", "q3"],
        table,
    )
    ticks = [(0.0, "lowest"), (0.5, "middle"), (1.0, "highest")]
    chart.svg = intervals(
        chart.key, chart.title, description, rows, low=0.0, high=1.0, ticks=ticks, right_heading="median (n)"
    )
    return chart


def _months(band: str) -> str:
    return "at presentation" if band == "0" else f"{band} months"


def every_chart(s: Selection) -> list[Chart]:
    """The page's charts in its order; the statistics that feed two charts run once, all of them at once."""
    # The slowest first (at a million cases: treatment responses and the body map), so no worker idles at the end.
    responses, heat_map_chart, follow, serology_chart, criteria_chart, people = side_by_side(
        lambda: treatment_responses(s),
        lambda: body_heat_map(s),
        lambda: statistics.follow_up(s.cases, total=s.total),
        lambda: serology(s),
        lambda: criteria(s),
        lambda: _demographics(s),
    )
    return [
        heat_map_chart,
        responses,
        responses.companion,
        serology_chart,
        criteria_chart,
        age(s, people),
        sex(s, people),
        follow_up_course(s, follow),
        follow_up_scores(s, follow),
    ]


def one_chart(key: str, s: Selection) -> Chart | None:
    """The chart a download asks for, drawn alone (None for an unknown key)."""
    builders = {
        "body-map": body_heat_map,
        "treatment-responses": treatment_responses,
        "regimen-outcomes": lambda s: treatment_responses(s).companion,
        "serology": serology,
        "criteria": criteria,
        "age": age,
        "sex": sex,
        "follow-up-course": follow_up_course,
        "follow-up-scores": follow_up_scores,
    }
    return builders[key](s) if key in builders else None
