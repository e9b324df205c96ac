"""The entry page as a browser sees it, for the tests: what its form would submit, and a case document typed
into it the way a clinician fills it in (rows added with the "Add" buttons, codes ticked, lesions picked)."""

from decimal import Decimal
from html.parser import HTMLParser

from cases.document import case_document
from cases.document.schema import CASE_FIELDS, CHILDREN, Kind, case_field
from cases.models import Case

ROW_KEYS = ["diagnoses", "serology", "labs", "calcinosis_sites", "treatments", "biopsies", "assessments"]
CASE_NAMES = [f.name for f in CASE_FIELDS if f.kind is not Kind.PUBLICATION]
TRISTATE = {True: "yes", False: "no", None: ""}


class FormReader(HTMLParser):
    """What a browser would submit from the page's case form, as {name: [values]}; also every control's label."""

    def __init__(self, html: str, form_id: str = "case-form"):
        super().__init__()
        self.form_id, self.in_form = form_id, False
        self.values: dict[str, list[str]] = {}
        # The blank row an "Add" button inserts, by list ("treatments", "assessments-__prefix__-scores").
        self.templates: dict[str, dict[str, list[str]]] = {}
        self._sinks = [self.values]  # a template inside a template (a visit's scores) is a list of its own
        self.controls: list[dict] = []  # every visible control, for the label check
        self.label_for: set[str] = set()
        self._label_depth = 0
        self._select = None
        self._select_first = None
        self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        if tag == "template":
            self._sinks.append(self.templates.setdefault(attrs.get("id", "").removesuffix("-template"), {}))
        if tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(
                {
                    "tag": tag,
                    "id": attrs.get("id"),
                    "name": attrs.get("name"),
                    "wrapped": self._label_depth > 0,
                    "aria": attrs.get("aria-label"),
                }
            )
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._sink.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._sink.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            self._sink.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._sink[self._select].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self._sink[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        if tag == "template":
            self._sinks.pop()
        if tag == "label":
            self._label_depth -= 1
        if tag == "select" and self._select:
            if not self._sink[self._select] and self._select_first is not None:
                self._sink[self._select] = [self._select_first]  # a browser submits the first option
            self._select = None
        if tag == "textarea":
            self._textarea = None

    @property
    def _sink(self) -> dict[str, list[str]]:
        return self._sinks[-1]

    def handle_data(self, data):
        if self._textarea and self.in_form:
            # A browser drops the newline right after <textarea>.
            self._sink[self._textarea][0] += data.lstrip("\n") if not self._sink[self._textarea][0] else data


def page_form(client, url) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    reader = FormReader(response.content.decode())
    return {**reader.values, "_templates": reader.templates}


def typed(f, value) -> list[str]:
    """What a browser posts for ``value`` in the input of field ``f``."""
    if f is not None and f.kind is Kind.TRISTATE:
        return [TRISTATE[value]]
    if f is not None and f.kind is Kind.BOOLEAN:
        return ["on"] if value else []
    if isinstance(value, list):  # codes ticked
        return [str(v) for v in value]
    return ["" if value is None else str(value)]


def fill(values: dict, doc: dict) -> dict:
    """Type a case document into the form's inputs, adding rows as the "Add" buttons do."""
    templates = values.pop("_templates")
    for name in CASE_NAMES:
        if name in doc:
            values[name] = typed(case_field(name), doc[name])
    for name, value in (doc.get("publication") or {}).items():
        if isinstance(value, dict):  # the primary publication of a summary, by its DOI
            value = value["doi"]
        values[f"publication-{name}"] = ["" if value is None else str(value)]
    for row in doc.get("features", []):
        values[f"features-{row['feature']}"] = [row["status"]]
        values[f"features-{row['feature']}__timing"] = [row.get("timing", "unknown")]
        values[f"features-{row['feature']}__notes"] = [row.get("notes", "")]
    for key in ROW_KEYS:
        fill_rows(values, templates, CHILDREN[key], key, doc.get(key, []), {})
    return values


def fill_rows(values: dict, templates: dict, child, prefix: str, rows: list, outer: dict) -> None:
    """The rows of one list (``prefix`` "treatments", or "assessments-2-scores" inside a visit)."""
    placeholder = "__prefix__" if child.parent == "case" else "__inner__"
    # A list inside a visit is added from the blank of the visit's template, numbered for this visit.
    template = templates[child.key if child.parent == "case" else f"{prefix.split('-')[0]}-__prefix__-{child.key}"]
    existing = int(values[f"{prefix}-TOTAL_FORMS"][0])
    for index, row in enumerate(rows):
        numbers = {**outer, placeholder: str(index)}
        if index >= existing:  # "Add" inserts the blank row of the template
            for name, value in template.items():
                for mark, number in numbers.items():
                    name = name.replace(mark, number)
                values[name] = list(value)
        row_prefix = f"{prefix}-{index}-"
        inner = {c.key: c for c in child.children}
        for name, value in row.items():
            if name == "site_indexes":
                values[row_prefix + "targets"] = [str(i) for i in value]
            elif name in ("site_id", "site_index"):  # a new case's sites, by their position
                values[row_prefix + "lesion"] = [str(value)]
            elif name in inner:
                fill_rows(values, templates, inner[name], f"{prefix}-{index}-{name}", value, numbers)
            else:
                values[row_prefix + name] = typed(child.field(name) if name in child.names else None, value)
    values[f"{prefix}-TOTAL_FORMS"] = [str(max(existing, len(rows)))]


def same(got, want) -> bool:
    """A stored value is the one sent: 6.5 and "6.5", 4 and "4.0" are one number."""
    if isinstance(want, (int, float, str)) and not isinstance(want, bool) and isinstance(got, (int, float)):
        try:
            return Decimal(str(got)) == Decimal(str(want))
        except ArithmeticError:
            return False
    return got == want


def assert_stored(case: Case, expected: dict):
    """Every fact of ``expected`` is in the stored case (stored rows may carry defaults besides)."""
    stored = case_document(Case.objects.for_detail().get(pk=case.pk))
    for name, value in expected.items():
        if name in ROW_KEYS + ["features"]:
            continue
        if name == "publication":
            assert {k: stored["publication"][k] for k in value} == value
        else:
            assert same(stored[name], value), name
    features = {row["feature"]: (row["status"], row["timing"], row["notes"]) for row in stored["features"]}
    assert features == {
        row["feature"]: (row["status"], row.get("timing", "unknown"), row.get("notes", ""))
        for row in expected["features"]
    }
    site_ids = [site["id"] for site in stored["calcinosis_sites"]]
    for key in ROW_KEYS:
        assert_rows(stored[key], expected.get(key, []), key, site_ids)


def assert_rows(rows: list, expected: list, key: str, site_ids: list) -> None:
    assert len(rows) == len(expected), key
    for got, want in zip(rows, expected, strict=True):
        for name, value in want.items():
            if name == "site_indexes":
                assert got["site_ids"] == sorted(site_ids[i] for i in value), f"{key}.{name}"
            elif name in ("site_id", "site_index"):  # a new case's site, by its position
                assert got["site_id"] == site_ids[value], f"{key}.{name}"
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                assert_rows(got[name], value, f"{key}.{name}", site_ids)
            else:
                assert same(got[name], value), f"{key}.{name}"
