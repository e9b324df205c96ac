"""The follow-up of a case as small charts: each lesion's size over the visits, each instrument's score.

Drawn on the server as inline SVG (the Content-Security-Policy allows no script or style in the page: the
look is in ``static/css/registry.css``, by class). Every chart carries a text alternative (its SVG title
and description) and the table of the values it draws. All charts of a case share the month axis, so that
they read against each other.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 300, 150
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 30


@dataclass
class Point:
    month: Decimal
    value: Decimal
    text: str  # the value as the table and the point's title say it ("9 mm, smaller")
    css: str = ""  # "baseline" (the size first documented), "resolved"

    @property
    def month_text(self) -> str:
        return plain_number(self.month)


@dataclass
class Chart:
    key: str  # unique on the page: "lesion-3", "score-pain_nrs"
    title: str
    unit: str  # what the values are in: "mm", or the instrument's range
    points: list[Point]
    low: Decimal
    high: Decimal
    note: str = ""  # "higher is worse"
    svg: SafeString = field(default=SafeString(""))

    @property
    def description(self) -> str:
        said = "; ".join(f"month {plain_number(p.month)}: {p.text}" for p in self.points)
        return f"{self.title}. {said}." if said else f"{self.title}: nothing recorded."


def lesion_charts(assessments: list[dict], sites: list[dict]) -> list[Chart]:
    """Per lesion with a size at any visit: its largest diameter over the months (the size first documented
    stands at month 0 when no visit at month 0 measured it)."""
    charts = []
    for site in sites:
        points = []
        for visit in assessments:
            for finding in visit["site_findings"]:
                if finding["site_id"] != site["id"]:
                    continue
                if finding["size_mm"] is not None:
                    change = f", {finding['change_label'].lower()}" if finding["change"] else ""
                    points.append(
                        Point(
                            as_decimal(visit["months_from_presentation"]),
                            as_decimal(finding["size_mm"]),
                            f"{plain_number(finding['size_mm'])} mm{change}",
                        )
                    )
                elif finding["change"] == "resolved":
                    points.append(
                        Point(as_decimal(visit["months_from_presentation"]), Decimal(0), "resolved", "resolved")
                    )
        if not points:
            continue
        if site["size_mm"] is not None and not any(p.month == 0 for p in points):
            first = Point(
                Decimal(0),
                as_decimal(site["size_mm"]),
                f"{plain_number(site['size_mm'])} mm (first documented)",
                "baseline",
            )
            points.insert(0, first)
        points.sort(key=lambda p: p.month)
        high = max(p.value for p in points)
        charts.append(
            Chart(
                f"lesion-{site['number']}",
                f"Site {site['number']}: {site['name']}",
                "mm",
                points,
                Decimal(0),
                _nice_top(high),
            )
        )
    return charts


def score_charts(assessments: list[dict], instruments: dict) -> list[Chart]:
    """Per instrument scored at any visit: its value over the months, on the instrument's whole range."""
    by_instrument: dict[str, list[Point]] = {}
    for visit in assessments:
        for score in visit["scores"]:
            if score["value"] is None:
                continue
            by_instrument.setdefault(score["instrument"], []).append(
                Point(
                    as_decimal(visit["months_from_presentation"]),
                    as_decimal(score["value"]),
                    plain_number(score["value"]),
                )
            )
    charts = []
    for code, points in by_instrument.items():
        instrument = instruments.get(code)
        points.sort(key=lambda p: p.month)
        if instrument is None:  # not in the vocabulary any more: the values' own span
            low, high, title, note = Decimal(0), _nice_top(max(p.value for p in points)), code, ""
        else:
            low, high, title = instrument.minimum, instrument.maximum, instrument.label
            note = "higher is worse" if instrument.higher_is_worse else "higher is better"
        unit = f"{plain_number(low)}–{plain_number(high)}"
        charts.append(Chart(f"score-{code}", title, unit, points, low, high, note))
    return charts


def draw(charts: list[Chart], last_month: Decimal) -> list[Chart]:
    """Each chart's SVG, on one month axis from 0 to the last visit."""
    months = _ticks(Decimal(0), max(last_month, Decimal(1)))
    for chart in charts:
        chart.svg = _svg(chart, months)
    return charts


def _svg(chart: Chart, months: list[Decimal]) -> SafeString:
    x_max = months[-1]
    # An instrument's range is closed: its axis ends at its maximum, not at the next round step.
    values = _ticks(chart.low, chart.high, closed=chart.key.startswith("score-"))
    y_low, y_high = values[0], values[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(month) -> float:
        return round(LEFT + float(month / x_max) * plot_w, 1)

    def y(value) -> float:
        span = (y_high - y_low) or Decimal(1)
        return round(TOP + plot_h - float((value - y_low) / span) * plot_h, 1)

    grid = format_html_join(
        "",
        '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
        ((LEFT, y(v), WIDTH - RIGHT, y(v), LEFT - 5, y(v) + 4, plain_number(v)) for v in values),
    )
    ticks = format_html_join(
        "",
        '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((x(m), TOP + plot_h, x(m), TOP + plot_h + 4, x(m), TOP + plot_h + 15, plain_number(m)) for m in months),
    )
    line = " ".join(f"{x(p.month)},{y(p.value)}" for p in chart.points)
    dots = format_html_join(
        "",
        '<circle class="chart-point{}" cx="{}" cy="{}" r="3.5"><title>Month {}: {}</title></circle>',
        ((f" {p.css}" if p.css else "", x(p.month), y(p.value), plain_number(p.month), p.text) for p in chart.points),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{key}-title {key}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{key}-title">{title}</title><desc id="{key}-desc">{desc}</desc>'
        '{grid}<line class="chart-axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>{ticks}'
        '<text class="chart-axis-label" x="{mid}" y="{label_y}" text-anchor="middle">months from presentation</text>'
        '<polyline class="chart-line" points="{line}"/>{dots}</svg>',
        w=WIDTH,
        h=HEIGHT,
        label_y=HEIGHT - 3,
        key=chart.key,
        title=chart.title,
        desc=chart.description,
        grid=grid,
        left=LEFT,
        right=WIDTH - RIGHT,
        bottom=TOP + plot_h,
        ticks=ticks,
        mid=LEFT + plot_w // 2,
        line=line,
        dots=dots,
    )


def _ticks(low: Decimal, high: Decimal, count: int = 4, *, closed: bool = False) -> list[Decimal]:
    """Round steps from ``low`` that reach at least ``high`` (0, 5, 10, 15), or end at it when ``closed``."""
    span = float(high - low) or 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = Decimal(str(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)))
    ticks = [low]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    if closed and ticks[-1] > high:
        ticks[-1] = high
    return ticks


def _nice_top(value: Decimal) -> Decimal:
    """The axis's top for values up to ``value``: a little room above the largest."""
    return _ticks(Decimal(0), max(value, Decimal(1)) * Decimal("1.1"))[-1]


def as_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def plain_number(value) -> str:
    """4, 6.5, 0.125: as a clinician writes it, without trailing zeros."""
    number = as_decimal(value).normalize()
    return format(number, "f") if number != number.to_integral_value() else str(int(number))
