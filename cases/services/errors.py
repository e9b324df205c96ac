from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

NON_FIELD = "non_field_errors"


class CaseValidationError(ValidationError):
    """A refused case document.

    ``nested`` mirrors the document: ``{"serology": [{}, {"test": ["Unknown code 'anti_xyz'."]}]}``
    (the API returns it as is); the flattened ``message_dict`` names the same
    fields as ``serology.1.test`` for forms and the admin.
    """

    def __init__(self, nested: dict):
        self.nested = nested
        super().__init__(flatten(nested) or {NON_FIELD_ERRORS: ["The case is not valid."]})


class StaleVersion(Exception):
    """The change was based on a version of the case that someone has since replaced."""

    def __init__(self, *, sent, current):
        self.sent = sent
        self.current = current
        super().__init__(
            f"This case was changed by someone else (your version {sent}, now {current}). "
            "Reload it to see their change, then make yours again."
        )


def flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = NON_FIELD_ERRORS if key == NON_FIELD and not prefix else f"{prefix}{key}"
            flat.update(flatten(value, f"{name}."))
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        flat[prefix.rstrip(".")] = list(errors)
    elif isinstance(errors, list):
        for index, item in enumerate(errors):
            flat.update(flatten(item, f"{prefix}{index}."))
    return flat


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]} with our non-field key."""
    if hasattr(error, "error_dict"):
        return {(NON_FIELD if k == NON_FIELD_ERRORS else k): v for k, v in error.message_dict.items()}
    return {NON_FIELD: list(error.messages)}
