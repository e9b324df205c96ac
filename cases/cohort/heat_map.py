"""The body heat map: the case page's body map, front and back, each region shaded by its share of cases.

The figure is the case page's (``cases.views.body_map.FIGURE``), drawn twice:
the front view as there, and the back view mirrored (seen from behind, the
patient's left is on the reader's left) with the regions behind the body
solid and those only seen from the front left plain. The right hand and foot
are drawn again three times larger, so a finger or a toe is big enough to
read and to point at. A region's share counts its sub-regions' cases too (the
statistic's own rule), and both sides alike: the statistic has no side.
"""

from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cases.cohort.charts import FONT, INK, MUTED, percent, svg_document, viridis
from cases.views.body_map import _SCENERY, FIGURE, HEIGHT, MIRROR, WIDTH, Node, _walk

# Seen only from the front: left plain in the back view.
FRONT_ONLY = {"face", "chest_wall", "abdomen", "axilla", "sternoclavicular", "costochondral", "symphysis_pubis"}
NO_CASES = "#f4f4f4"  # lighter than the scale's lightest colour, so the order holds in grey-scale too
OUTLINE, PLAIN = "#7b8794", "#ffffff"
GAP = 30
INSET_SCALE = 3
# The right hand and foot of the figure (x, y, width, height), drawn again enlarged.
HAND_BOX, FOOT_BOX = (62, 290, 50, 68), (114, 524, 46, 56)


def shade(proportion: float, highest: float) -> str:
    """Darker for a larger share (viridis reversed): light yellow for few cases, dark purple for the most."""
    if proportion <= 0:
        return NO_CASES
    return viridis(1 - proportion / highest) if highest else NO_CASES


def heat_map(key: str, title: str, description: str, stats: dict, labels: dict[str, str]) -> SafeString:
    counted = {row["region"]: row for row in stats["regions"]}
    # The scale ends at the largest share of a region drawn: a limb or a hand (not a shape of its own, and
    # counting all its parts) would leave every shape in the pale third of the scale.
    drawn = {node.region for node in _walk(FIGURE) if not node.children}
    highest = max([row["proportion"] for row in stats["regions"] if row["region"] in drawn] + [0.0])
    total = stats["cases"]

    def render(node: Node, view: str, focusable: bool) -> str:
        if node.children:
            inner = "".join(render(child, view, focusable) for child in node.children)
            attrs = {"transform": MIRROR} if node.mirror else {}
            return format_html("<g{}>{}</g>", flatatt(attrs), mark_safe(inner))
        if view == "front" and node.posterior:
            return ""
        attrs = dict(node.attrs)
        if node.mirror:
            attrs["transform"] = f"{MIRROR} {attrs['transform']}" if "transform" in attrs else MIRROR
        plain = node.region in _SCENERY or (view == "back" and node.region in FRONT_ONLY)
        if plain:
            attrs.update(fill=PLAIN, stroke=OUTLINE)
            return format_html("<{}{}/>", node.tag, flatatt(attrs))
        row = counted.get(node.region)
        cases, proportion = (row["cases"], row["proportion"]) if row else (0, 0.0)
        attrs.update(
            {
                "fill": shade(proportion, highest),
                "stroke": OUTLINE,
                "data-region": node.region,
                "data-side": node.side,
                "data-view": view,
                "data-cases": cases,
                "data-proportion": proportion,
            }
        )
        if focusable:
            attrs["tabindex"] = "0"
        said = f"{labels.get(node.region, node.region)}: {cases} of {total} cases ({percent(proportion)})"
        return format_html("<{0}{1}><title>{2}</title></{0}>", node.tag, flatatt(attrs), said)

    def view(name: str, x: int) -> str:
        shapes = "".join(render(node, name, True) for node in FIGURE)
        flip = f" {MIRROR}" if name == "back" else ""
        sides = ("right", "left") if name == "front" else ("left", "right")
        return format_html(
            '<g transform="translate({} 30){}">{}</g>{}{}{}',
            x,
            flip,
            mark_safe(shapes),
            _label(x + WIDTH / 2, 18, f"{name.capitalize()} view", bold=True),
            _label(x + 30, 46, f"Patient's {sides[0]}", anchor="start"),
            _label(x + WIDTH - 30, 46, f"Patient's {sides[1]}", anchor="end"),
        )

    def inset(region: str, box, x: int, y: int, caption: str) -> str:
        limb = next(node for node in FIGURE if node.region == region and node.side == "right")
        bx, by, bw, bh = box
        shapes = "".join(render(child, "front", False) for child in limb.children)
        return format_html(
            '<g aria-hidden="true"><rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#d5dbe1"/>'
            '<svg x="{}" y="{}" width="{}" height="{}" viewBox="{} {} {} {}" overflow="hidden">{}</svg>{}</g>',
            x,
            y,
            bw * INSET_SCALE,
            bh * INSET_SCALE,
            x,
            y,
            bw * INSET_SCALE,
            bh * INSET_SCALE,
            bx,
            by,
            bw,
            bh,
            mark_safe(shapes),
            _label(x, y - 8, caption, anchor="start"),
        )

    inset_x = 2 * WIDTH + 2 * GAP
    body = "".join(
        [
            view("front", 0),
            view("back", WIDTH + GAP),
            inset("upper_limb", HAND_BOX, inset_x, 80, "Right hand, enlarged"),
            inset("lower_limb", FOOT_BOX, inset_x, 80 + HAND_BOX[3] * INSET_SCALE + 50, "Right foot, enlarged"),
            _legend(highest, HEIGHT + 50),
        ]
    )
    width = inset_x + max(HAND_BOX[2], FOOT_BOX[2]) * INSET_SCALE + 10
    return svg_document(key, title, description, width, HEIGHT + 110, body)


def _label(x, y, text, *, anchor="middle", bold=False) -> str:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-weight="{}" fill="{}">{}</text>',
        x,
        y,
        anchor,
        "bold" if bold else "normal",
        INK if bold else MUTED,
        text,
    )


def _legend(highest: float, y: int) -> str:
    """The scale from no cases to the largest share, as a gradient with its ends and middle labelled."""
    stops = "".join(
        format_html('<stop offset="{}" stop-color="{}"/>', step / 10, shade(highest * step / 10 or 1e-9, highest))
        for step in range(11)
    )
    return format_html(
        '<defs><linearGradient id="heat-scale">{}</linearGradient></defs>'
        '<text x="0" y="{}" font-family="{}" fill="{}">Share of the cases with calcinosis there</text>'
        '<rect x="0" y="{}" width="16" height="14" fill="{}" stroke="{}"/><text x="22" y="{}" fill="{}">none</text>'
        '<rect x="80" y="{}" width="300" height="14" fill="url(#heat-scale)" stroke="{}"/>'
        '<text x="80" y="{}" fill="{}">&gt;0%</text><text x="230" y="{}" text-anchor="middle" fill="{}">{}</text>'
        '<text x="380" y="{}" text-anchor="end" fill="{}">{}</text>',
        mark_safe(stops),
        y,
        FONT,
        INK,
        y + 8,
        NO_CASES,
        OUTLINE,
        y + 19,
        MUTED,
        y + 8,
        OUTLINE,
        y + 38,
        MUTED,
        y + 38,
        MUTED,
        percent(highest / 2),
        y + 38,
        MUTED,
        percent(highest),
    )
