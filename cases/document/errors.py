from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from cases.document.schema import CHILDREN

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


class AlreadyVerified(Exception):
    """A curator asked to verify a case that is verified already (the API answers 409)."""

    def __init__(self, case):
        self.case = case
        super().__init__(f"{case.registry_id} is already verified; verifying again would overwrite who verified it.")


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


@dataclass(frozen=True)
class ErrorPlace:
    """Where in a case document a message belongs, for the page that puts it beside its input."""

    list: str | None  # a list of the document ("serology"), "publication", or None for the case itself
    row: int | None  # the row's position in that list, when the message is about one row
    field: str | None  # the field it is about; None for the whole case, list or row
    # A list inside that row (an assessment's "scores") and the position of the inner row it is about:
    # ``field`` is then the inner row's field.
    inner: str | None = None
    inner_row: int | None = None


def error_places(message_dict: dict[str, list[str]]) -> list[tuple[ErrorPlace, list[str]]]:
    """``serology.1.test`` → ErrorPlace("serology", 1, "test"), for every flattened path of a refusal;
    ``assessments.1.scores.0.value`` → ErrorPlace("assessments", 1, "value", inner="scores", inner_row=0).

    The browser's entry form and the admin's case page both place a refused
    document's errors through this, each on its own inputs.
    """
    places = []
    for path, messages in message_dict.items():
        head, *rest = path.split(".")
        if head in (NON_FIELD_ERRORS, NON_FIELD, "version"):
            place = ErrorPlace(None, None, None)
        elif not rest:
            place = ErrorPlace(head, None, None) if head in CHILDREN else ErrorPlace(None, None, head)
        elif rest[0].isdigit() and len(rest) > 1 and rest[1] in _inner_keys(head):
            place = _inner_place(head, int(rest[0]), rest[1], rest[2:])
        elif rest[0].isdigit():
            place = ErrorPlace(head, int(rest[0]), _field(rest[1:]))
        else:
            place = ErrorPlace(head, None, _field(rest))
        places.append((place, list(messages)))
    return places


def _field(rest: list[str]) -> str | None:
    return rest[0] if rest and rest[0] not in (NON_FIELD, NON_FIELD_ERRORS) else None


def _inner_keys(head: str) -> set[str]:
    return {inner.key for inner in CHILDREN[head].children} if head in CHILDREN else set()


def _inner_place(head: str, row: int, inner: str, rest: list[str]) -> ErrorPlace:
    if rest and rest[0].isdigit():
        return ErrorPlace(head, row, _field(rest[1:]), inner=inner, inner_row=int(rest[0]))
    return ErrorPlace(head, row, None, inner=inner)
