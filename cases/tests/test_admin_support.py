"""Helpers for the admin tests: post a page's form back as a browser would (no tests here)."""

from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext


class _FormReader(HTMLParser):
    """Collects what a browser would submit from one <form>: inputs, checked boxes, selected options."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select = None
        self.textarea = None

    def _add(self, name, value):
        if name and "__prefix__" not in name:  # the inline's blank template row is not submitted
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs.get("name"), attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self._add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self._add(self.textarea, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            if "__prefix__" not in self.textarea:
                # Django starts a textarea's content with a newline that browsers drop.
                self.data[self.textarea][-1] = self.data[self.textarea][-1].removeprefix("\n")
            self.textarea = None

    def handle_data(self, data):
        if self.inside and self.textarea and "__prefix__" not in self.textarea:
            self.data[self.textarea][-1] += data


def form_data(response, form_id="case_form") -> dict:
    """The form of ``response`` as a browser would post it unchanged (lists for repeated names)."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, values in reader.data.items():
        if not values:
            continue  # a select with nothing chosen sends nothing
        data[name] = values if len(values) > 1 else values[0]
    return data


def add_row(data: dict, prefix: str, values: dict) -> dict:
    """Fill one more inline row, as "Add another …" does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data


def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)
