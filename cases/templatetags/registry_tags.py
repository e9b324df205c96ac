"""Template helpers of the browser pages: labelled fields with their errors, code labels, roles."""

from django import template

from cases import access
from cases.history import ACTIONS, OPERATIONS

register = template.Library()


def _described_widget(bound_field, extra_attrs=None):
    """The input with aria links to its help text and its error, so a screen reader reads them with it."""
    attrs = dict(extra_attrs or {})
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.inclusion_tag("cases/includes/field.html", takes_context=True)
def field(context, bound_field, css_class="", label_suffix="", definitions=()):
    """A form field as the pages show it: label, input, code label, help, and its error right beside it.

    ``definitions``: (code, label, meaning) of each choice, shown instead of the help (the response codes).
    """
    widget = bound_field.field.widget
    vocabulary = widget.attrs.get("data-vocabulary")
    labels = context.get("labels")
    value = bound_field.value()
    code_label = ""
    if vocabulary and labels is not None and value:
        known = labels.table(vocabulary).get(str(value).strip())
        code_label = known or ""
    return {
        "bf": bound_field,
        "widget": _described_widget(bound_field),
        "kind": bound_field.widget_type,
        "css_class": css_class,
        "vocabulary": vocabulary,
        "code_label": code_label,
        "label_suffix": label_suffix,
        "definitions": definitions,
    }


@register.simple_tag
def described_widget(bound_field):
    return _described_widget(bound_field)


@register.simple_tag(takes_context=True)
def label(context, name, code):
    """``{% label "region" site.region %}`` → the region's label on this page."""
    labels = context.get("labels")
    return labels(name, code) if labels is not None else code


@register.simple_tag
def registry_role(user):
    return access.role_label(user)


@register.simple_tag(name="can_enter_cases")
def can_enter_cases_tag(user):
    return access.can_enter_cases(user)


@register.filter
def history_operation(operation):
    """``case_update`` → "Edited": the service that wrote a change, as the history pages name it."""
    return OPERATIONS.get(operation, "Changed outside the registry's forms")


@register.filter
def history_action(action):
    return ACTIONS.get(action, action)


@register.simple_tag
def feature_group(rows):
    """An organ's features of the checklist: how many are recorded present and absent, and whether its group
    opens by itself (something recorded or refused in it: the clinician must see it without hunting)."""
    statuses = [status.value() for status, _timing, _notes, _stored in rows]
    errors = any(status.errors or timing.errors or notes.errors for status, timing, notes, _stored in rows)
    present, absent = statuses.count("present"), statuses.count("absent")
    return {"present": present, "absent": absent, "open": errors or present + absent > 0}
