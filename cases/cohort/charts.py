"""The cohort page's charts, drawn on the server as standalone SVG.

No plotting library runs in the browser: the Content-Security-Policy allows
scripts from this server only, and a chart drawn here is the same picture in
the page, in its download and in a test. Each SVG carries its own colours as
presentation attributes (a downloaded file has no stylesheet), a title and a
text alternative; every mark has a ``<title>`` with its numbers and takes the
keyboard focus. Colours come from viridis, whose lightness rises steadily, so
a chart reads in grey-scale too; "not recorded" is a light grey.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# viridis (matplotlib), at 0, 0.1, …, 1: dark purple to yellow, perceptually uniform.
VIRIDIS = [
    (0x44, 0x01, 0x54),
    (0x48, 0x24, 0x75),
    (0x41, 0x44, 0x87),
    (0x35, 0x5F, 0x8D),
    (0x2A, 0x78, 0x8E),
    (0x21, 0x91, 0x8C),
    (0x22, 0xA8, 0x84),
    (0x44, 0xBF, 0x70),
    (0x7A, 0xD1, 0x51),
    (0xBD, 0xDF, 0x26),
    (0xFD, 0xE7, 0x25),
]
NOT_RECORDED = "#e4e4e4"
INK, MUTED, GRID = "#1f2933", "#616e7c", "#d5dbe1"
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
WIDTH = 760
LABEL_WIDTH, NUMBER_WIDTH = 260, 100
ROW = 24


def viridis(t: float) -> str:
    """The colour at ``t`` (0 to 1) of viridis, interpolated between its anchors."""
    t = min(max(t, 0.0), 1.0) * (len(VIRIDIS) - 1)
    low = min(int(t), len(VIRIDIS) - 2)
    share = t - low
    rgb = (round(a + (b - a) * share) for a, b in zip(VIRIDIS[low], VIRIDIS[low + 1], strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def categorical(count: int) -> list[str]:
    """``count`` colours of steadily rising lightness, darkest first (the first category stands out)."""
    if count == 1:
        return [viridis(0.3)]
    return [viridis(0.85 * index / (count - 1)) for index in range(count)]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@dataclass
class Chart:
    """One chart of the page: its picture, its numbers (the table under it and its CSV) and their words."""

    key: str  # in the page's anchors and the download's name: "serology"
    title: str
    description: str  # the text alternative: what the chart shows, in a sentence or two
    columns: list[str]
    rows: list[list]
    svg: SafeString = field(default_factory=lambda: SafeString(""))
    note: str = ""
    companion: "Chart | None" = None  # a chart drawn from the same statistic (treatment responses: regimens)


def svg_document(key: str, title: str, description: str, width: int, height: int, body: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="cohort-chart" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="{k}-title {k}-desc" font-family="{font}" font-size="12" '
        'fill="{ink}"><title id="{k}-title">{title}</title><desc id="{k}-desc">{desc}</desc>'
        '<rect width="{w}" height="{h}" fill="#ffffff"/>{body}</svg>',
        w=width,
        h=height,
        k=key,
        font=FONT,
        ink=INK,
        title=title,
        desc=description,
        body=mark_safe(body),
    )


def _n(value: float) -> str:
    # format_html escapes its arguments into strings first: numbers are formatted before they go in.
    return f"{value:.1f}"


def _text(x, y, text, *, anchor="start", fill=INK, weight="normal", size=12) -> str:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" fill="{}" font-weight="{}" font-size="{}">{}</text>',
        x,
        y,
        anchor,
        fill,
        weight,
        size,
        text,
    )


def _legend(series: list[tuple[str, str]], y: int) -> str:
    parts, x = [], LABEL_WIDTH
    for name, colour in series:
        parts.append(
            format_html('<rect x="{}" y="{}" width="12" height="12" fill="{}" stroke="{}"/>', x, y, colour, MUTED)
        )
        parts.append(_text(x + 16, y + 10, name))
        x += 28 + 7 * len(name)
    return "".join(parts)


def stacked_bars(
    key: str, title: str, description: str, bars: list[tuple[str, list[int]]], series: list[tuple[str, str]]
) -> SafeString:
    """One 100% bar per item, a segment per series (name, colour), ``n`` at the right; the counts on hover."""
    plot = WIDTH - LABEL_WIDTH - NUMBER_WIDTH
    parts = []
    for index, (label, counts) in enumerate(bars):
        y = 8 + index * ROW
        total = sum(counts)
        parts.append(_text(LABEL_WIDTH - 8, y + 14, label, anchor="end"))
        x = float(LABEL_WIDTH)
        for (name, colour), count in zip(series, counts, strict=True):
            if not count:
                continue
            width = plot * count / total
            said = f"{label}, {name}: {count} of {total} ({percent(count / total)})"
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff" tabindex="0" '
                    'data-series="{}" data-count="{}"><title>{}</title></rect>',
                    _n(x),
                    y + 2,
                    _n(width),
                    ROW - 6,
                    colour,
                    name,
                    count,
                    said,
                )
            )
            x += width
        if not total:
            parts.append(_text(LABEL_WIDTH + 4, y + 14, "none", fill=MUTED))
        parts.append(_text(WIDTH - NUMBER_WIDTH + 8, y + 14, f"n = {total}", fill=MUTED))
    legend_y = 14 + len(bars) * ROW
    parts.append(_legend(series, legend_y))
    return svg_document(key, title, description, WIDTH, legend_y + 24, "".join(parts))


def bars(key: str, title: str, description: str, items: list[tuple[str, int]], total: int) -> SafeString:
    """One bar per item, its length the count; the count and its share of ``total`` beside it."""
    plot = WIDTH - LABEL_WIDTH - NUMBER_WIDTH
    largest = max([count for _, count in items] + [1])
    colour = viridis(0.3)
    parts = []
    for index, (label, count) in enumerate(items):
        y = 8 + index * ROW
        said = f"{label}: {count} of {total} ({percent(count / total if total else None)})"
        parts.append(_text(LABEL_WIDTH - 8, y + 14, label, anchor="end"))
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" tabindex="0" data-count="{}">'
                "<title>{}</title></rect>",
                LABEL_WIDTH,
                y + 2,
                _n(max(plot * count / largest, 0.5 if count else 0)),
                ROW - 6,
                colour,
                count,
                said,
            )
        )
        parts.append(_text(WIDTH - NUMBER_WIDTH + 8, y + 14, f"{count}", fill=MUTED))
    return svg_document(key, title, description, WIDTH, 16 + len(items) * ROW, "".join(parts))


@dataclass
class Interval:
    """A row of an interval plot: a point (a proportion, a median) with its interval."""

    label: str
    point: float | None
    low: float | None
    high: float | None
    said: str  # the row's numbers in words, for its title and the text at the right
    right: str = ""  # beside the row: "12 courses"
    muted: bool = False  # drawn grey and labelled (too few to read)
    strong: bool = False  # a class, drawn bold above its members
    heading: bool = False  # a bold line above the rows that follow it, no mark of its own


def intervals(
    key: str,
    title: str,
    description: str,
    rows: list[Interval],
    *,
    low: float,
    high: float,
    ticks: list[tuple[float, str]],
    footnote: str = "",
    right_heading: str = "",
) -> SafeString:
    """A forest plot: per row a point and its interval on one axis from ``low`` to ``high``."""
    plot = WIDTH - LABEL_WIDTH - NUMBER_WIDTH - 20
    left = LABEL_WIDTH + 10

    def at(value: float) -> float:
        return left + plot * (value - low) / ((high - low) or 1)

    top = 24
    bottom = top + len(rows) * ROW
    parts = [_text(WIDTH - NUMBER_WIDTH + 8, 14, right_heading, fill=MUTED, size=11)] if right_heading else []
    for value, text in ticks:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>', _n(at(value)), _n(at(value)), top, bottom, GRID
            )
        )
        parts.append(_text(f"{at(value):.1f}", bottom + 14, text, anchor="middle", fill=MUTED, size=11))
    ink = viridis(0.0)
    for index, row in enumerate(rows):
        y = top + index * ROW + ROW / 2
        colour = "#9aa5b1" if row.muted else ink
        if row.heading:
            parts.append(_text(8, y + 4, row.label, weight="bold"))
            continue
        # The whole label is in the row's title; the column shows what fits.
        shown = row.label if len(row.label) <= 38 else f"{row.label[:37]}…"
        parts.append(
            _text(
                LABEL_WIDTH - 8,
                y + 4,
                shown,
                anchor="end",
                fill=MUTED if row.muted else INK,
                weight="bold" if row.strong else "normal",
            )
        )
        mark = []
        if row.low is not None and row.high is not None:
            mark.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>',
                    _n(at(row.low)),
                    _n(at(row.high)),
                    y,
                    y,
                    colour,
                )
            )
        if row.point is not None:
            mark.append(
                format_html(
                    '<rect x="{}" y="{}" width="8" height="8" fill="{}"/>', _n(at(row.point) - 4), y - 4, colour
                )
            )
        else:
            mark.append(_text(left + 4, y + 4, "not assessed", fill=MUTED, size=11))
        parts.append(
            format_html(
                '<g tabindex="0" data-row="{}"{}><title>{}</title>{}</g>',
                row.label,
                mark_safe(' data-muted="true"') if row.muted else "",
                row.said,
                mark_safe("".join(mark)),
            )
        )
        parts.append(_text(WIDTH - NUMBER_WIDTH + 8, y + 4, row.right, fill=MUTED))
    if footnote:
        parts.append(_text(8, bottom + 36, footnote, fill=MUTED, size=11))
    return svg_document(key, title, description, WIDTH, bottom + (44 if footnote else 24), "".join(parts))
