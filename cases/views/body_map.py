"""The body map of the case page: a front view with an element per region of the region vocabulary.

Front view in anatomical position: the patient faces the reader, palms
forward, so the patient's right is on the reader's left and each thumb points
away from the body. Shapes are drawn once for the patient's right side; the
left side is the same shape mirrored about the midline. Regions on the back or
underside (back, buttock, sacrum, ischial tuberosity, heel, sole) are drawn
dashed where they lie behind the front view.

Every element carries ``data-region`` (a region code) and ``data-side``
(``right`` / ``left`` / ``midline``); a marked one has the class ``marked``.
"""

from dataclasses import dataclass, field

from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 320, 600
MIRROR = f"matrix(-1 0 0 1 {WIDTH} 0)"


@dataclass(frozen=True)
class Node:
    region: str
    side: str = "midline"
    tag: str = ""  # an SVG shape; empty for a group
    attrs: tuple = ()
    children: tuple = ()
    posterior: bool = False
    mirror: bool = False


def _shape(region, tag, side="midline", posterior=False, mirror=False, **attrs) -> Node:
    return Node(region, side, tag, tuple(attrs.items()), posterior=posterior, mirror=mirror)


def _paired(region, tag, posterior=False, **attrs) -> list[Node]:
    """A structure of both sides inside a midline group: the left one mirrored."""
    return [_shape(region, tag, "right", posterior, **attrs), _shape(region, tag, "left", posterior, True, **attrs)]


def _on_side(node: Node, side: str) -> Node:
    return Node(
        node.region, side, node.tag, node.attrs, tuple(_on_side(c, side) for c in node.children), node.posterior
    )


def _limb(region: str, parts: list[Node], side: str) -> Node:
    return Node(region, side, children=tuple(_on_side(p, side) for p in parts), mirror=side == "left")


def _finger(region, x, height) -> Node:
    return _shape(region, "rect", x=x, y=331, width=5.5, height=height, rx=2.7)


_ARM = [
    _shape("shoulder", "circle", cx=108, cy=130, r=15),
    _shape("upper_arm", "path", d="M96,142 L118,147 L112,210 L92,206 Z"),
    _shape("elbow", "ellipse", cx=101, cy=217, rx=11, ry=10),
    _shape("forearm", "path", d="M91,226 L111,228 L103,289 L84,285 Z"),
    _shape("wrist", "ellipse", cx=93, cy=294, rx=11, ry=6),
    Node(
        "hand",
        children=(
            _shape("palm", "path", d="M80,299 L105,299 L106,330 L78,330 Z"),
            Node(
                "finger",
                children=(
                    # Palm forward: the thumb is lateral (the reader's far side), the little finger next to the body.
                    _shape(
                        "finger_1", "rect", x=75, y=303, width=6.5, height=22, rx=3.2, transform="rotate(32 81 304)"
                    ),
                    _finger("finger_2", 78.5, 22),
                    _finger("finger_3", 85, 25),
                    _finger("finger_4", 91.5, 23),
                    _finger("finger_5", 98, 18),
                ),
            ),
        ),
    ),
]
_LEG = [
    _shape("thigh", "path", d="M112,304 L158,304 L152,402 L121,402 Z"),
    _shape("knee", "ellipse", cx=137, cy=414, rx=14, ry=12),
    _shape("lower_leg", "path", d="M124,426 L150,426 L146,520 L128,520 Z"),
    _shape("ankle", "ellipse", cx=137, cy=528, rx=10, ry=7),
    _shape("foot", "path", d="M126,535 L148,535 L155,565 L119,565 Z"),
    Node(
        "toe",
        # The great toe is medial (next to the midline), the little toe lateral.
        children=tuple(
            _shape(f"toe_{n}", "rect", x=x, y=566, width=width, height=height, rx=2.5)
            for n, x, width, height in (
                (1, 147, 8.5, 11),
                (2, 139.5, 6.5, 10),
                (3, 132.5, 6, 9),
                (4, 126, 6, 8),
                (5, 120, 5.5, 7),
            )
        ),
    ),
    _shape("heel", "ellipse", posterior=True, cx=137, cy=541, rx=8, ry=5),
    _shape("sole", "ellipse", posterior=True, cx=137, cy=556, rx=16, ry=10),
]

FIGURE: tuple[Node, ...] = (
    Node(
        "head_neck",
        children=(
            _shape("scalp", "path", d="M132,44 C132,20 146,10 160,10 C174,10 188,20 188,44 Z"),
            _shape("face", "path", d="M132,44 C132,78 146,96 160,96 C174,96 188,78 188,44 Z"),
            _shape("neck", "rect", x=149, y=95, width=22, height=22),
        ),
    ),
    Node(
        "trunk",
        children=(
            *_paired("chest_wall", "path", d="M160,117 L123,121 Q113,125 114,141 L118,206 L160,206 Z"),
            _shape("abdomen", "path", d="M118,207 L202,207 L206,262 L114,262 Z"),
            *_paired("axilla", "ellipse", cx=121, cy=151, rx=6, ry=11),
            *_paired("sternoclavicular", "circle", cx=152, cy=123, r=5),
            *_paired("costochondral", "ellipse", cx=146, cy=165, rx=5, ry=24),
            _shape("back", "rect", posterior=True, x=127, y=136, width=66, height=118, rx=10),
        ),
    ),
    Node(
        "pelvis",
        children=(
            _shape("pelvis_body", "path", d="M114,263 L206,263 L212,303 L108,303 Z"),
            *_paired("hip", "ellipse", cx=128, cy=282, rx=14, ry=15),
            _shape("symphysis_pubis", "ellipse", cx=160, cy=292, rx=9, ry=6),
            *_paired("buttock", "ellipse", posterior=True, cx=139, cy=286, rx=19, ry=15),
            *_paired("ischial_tuberosity", "circle", posterior=True, cx=149, cy=300, r=5),
            _shape("sacrum", "path", posterior=True, d="M151,266 L169,266 L160,287 Z"),
        ),
    ),
    _limb("upper_limb", _ARM, "right"),
    _limb("upper_limb", _ARM, "left"),
    _limb("lower_limb", _LEG, "right"),
    _limb("lower_limb", _LEG, "left"),
)
# Drawn for shape only, not a region of the vocabulary: the pelvis between the hips.
_SCENERY = {"pelvis_body"}


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def drawn_elements() -> set[tuple[str, str]]:
    return {(n.region, n.side) for n in _walk(FIGURE) if n.region not in _SCENERY}


@dataclass
class BodyMap:
    svg: SafeString
    marked: dict = field(default_factory=dict)  # (region, side) → "known" | "unknown"


def mark(sites: list[tuple[str, str]], region_paths: dict[str, str]) -> dict[tuple[str, str], str]:
    """Which elements to mark for the case's (region, laterality) pairs.

    A region marks its own element and those of every region below it (``hand``
    marks the palm and the fingers); a region the figure does not draw marks its
    nearest drawn ancestor. Left and right mark that side (and any midline
    element of the region), bilateral both, midline the centre; a side not
    recorded marks both sides, shown as "side not recorded".
    """
    drawn = drawn_elements()
    drawn_codes = {code for code, _ in drawn}
    marks: dict[tuple[str, str], str] = {}
    for region, laterality in sites:
        path = region_paths.get(region)
        if not path:
            continue
        targets = {c for c in drawn_codes if region_paths.get(c, "").startswith(path)}
        for ancestor in reversed(path.strip("/").split("/")[:-1]):
            if targets:
                break
            if ancestor in drawn_codes:
                targets = {c for c in drawn_codes if region_paths.get(c, "").startswith(region_paths[ancestor])}
        elements = [e for e in drawn if e[0] in targets]
        if laterality in ("left", "right"):
            chosen = [e for e in elements if e[1] in (laterality, "midline")]
        elif laterality == "midline":
            chosen = [e for e in elements if e[1] == "midline"] or elements
        else:
            chosen = elements
        kind = "unknown" if laterality not in ("left", "right", "bilateral", "midline") else "known"
        for element in chosen:
            if marks.get(element) != "known":
                marks[element] = kind
    return marks


def _title(node: Node, labels: dict[str, str]) -> str:
    label = labels.get(node.region, node.region.replace("_", " "))
    if node.side == "midline":
        return label
    return f"{node.side.capitalize()} {label[:1].lower()}{label[1:]}"


def _render(node: Node, marks, labels) -> SafeString:
    scenery = node.region in _SCENERY
    classes = ["body"] if scenery else ["region-group" if node.children else "region"]
    state = marks.get((node.region, node.side))
    if state:
        classes.append("marked")
        if state == "unknown":
            classes.append("side-unknown")
    if node.posterior:
        classes.append("posterior")
    attrs = {"class": " ".join(classes)}
    if not scenery:
        attrs.update({"data-region": node.region, "data-side": node.side})
    if node.mirror:
        attrs["transform"] = MIRROR
    if node.children:
        inner = mark_safe("".join(_render(child, marks, labels) for child in node.children))
        return format_html("<g{}>{}</g>", flatatt(attrs), inner)
    shape_attrs = dict(node.attrs)
    if "transform" in shape_attrs and node.mirror:
        attrs["transform"] = f"{MIRROR} {shape_attrs.pop('transform')}"
    attrs.update(shape_attrs)
    if scenery:
        return format_html("<{}{}/>", node.tag, flatatt(attrs))
    return format_html("<{}{}><title>{}</title></{}>", node.tag, flatatt(attrs), _title(node, labels), node.tag)


def body_map(
    sites: list[tuple[str, str]], region_paths: dict[str, str], labels: dict[str, str], *, description: str = ""
) -> BodyMap:
    marks = mark(sites, region_paths)
    shapes = mark_safe("".join(_render(node, marks, labels) for node in FIGURE))
    svg = format_html(
        '<svg class="body-map" viewBox="0 0 {} {}" role="img" aria-labelledby="body-map-title body-map-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="body-map-title">Body map of the calcinosis sites, front view</title>'
        '<desc id="body-map-desc">{}</desc>'
        '<defs><pattern id="side-unknown-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>'
        '<text x="34" y="24" class="side-label">Patient\'s right</text>'
        '<text x="286" y="24" class="side-label" text-anchor="end">Patient\'s left</text>'
        "{}</svg>",
        WIDTH,
        HEIGHT,
        description or "No calcinosis sites recorded.",
        shapes,
    )
    return BodyMap(svg=svg, marked=marks)


def describe(sites: list[tuple[str, str]], labels: dict[str, str], laterality_labels: dict[str, str]) -> str:
    words = []
    for region, laterality in sites:
        text = labels.get(region, region)
        side = laterality_labels.get(laterality, laterality)
        words.append(f"{text} ({side.lower()})")
    return "Marked: " + "; ".join(dict.fromkeys(words)) + "." if words else ""
