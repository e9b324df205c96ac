"""One value of a document into one model field: converted by the field itself, or a message why not."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models

REQUIRED = "This field is required."


def scalar_problem(value) -> str | None:
    if isinstance(value, (dict, list, tuple, set)):
        return "Expected a single value, not a list or object."
    if isinstance(value, str) and "\x00" in value:
        return "Null characters are not allowed."
    if isinstance(value, str) and not _is_utf8(value):
        return "The text contains characters that are not valid Unicode."
    return None


def _is_utf8(text: str) -> bool:
    # A lone surrogate ("\ud800") can come out of JSON but cannot be stored in PostgreSQL.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def assign(instance, name: str, value, errors: dict):
    """Set a plain field from a document value, leaving conversion to the field itself."""
    model_field = instance._meta.get_field(name)
    if isinstance(model_field, ArrayField):
        _assign_list(instance, model_field, value, errors)
        return
    problem = scalar_problem(value)
    if problem:
        errors[name] = [problem]
        return
    if value == "" and model_field.null:
        value = None
    if value is None and not model_field.null:
        value = "" if isinstance(model_field, (models.CharField, models.TextField)) else None
        if value is None:
            errors[name] = ["This field may not be null."]
            return
    if isinstance(value, bool) and not isinstance(model_field, models.BooleanField):
        errors[name] = ["Expected a number, a date or text, not true/false."]
        return
    if isinstance(value, float) and isinstance(model_field, models.DecimalField):
        # JSON has no decimals: 6.7 arrives as a float, which Django reads with max_digits of
        # precision (6.700) and then refuses for its decimal places. The float's repr is "6.7".
        value = repr(value)
    try:
        value = model_field.to_python(value)
    except ValidationError as exc:
        errors[name] = list(exc.messages)
        return
    except (TypeError, ValueError, ArithmeticError):
        # e.g. a number where a date belongs: the field's own parser gives up without a message
        errors[name] = [f"Enter a valid {model_field.get_internal_type().removesuffix('Field').lower()} value."]
        return
    setattr(instance, name, value)


def _assign_list(instance, model_field, value, errors: dict):
    """A list of codes: each one text; the field's own choices are checked by full_clean."""
    name = model_field.name
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[name] = ['Expected a list of codes, e.g. ["radiograph", "histology"].']
        return
    problem = next((scalar_problem(v) for v in value if scalar_problem(v)), None)
    if problem:
        errors[name] = [problem]
        return
    # A set of codes in one order (the choices'), so that a list sent back in another order is no change.
    order = {code: index for index, (code, _) in enumerate(model_field.base_field.choices or [])}
    setattr(instance, name, sorted(dict.fromkeys(value), key=lambda code: order.get(code, len(order))))
