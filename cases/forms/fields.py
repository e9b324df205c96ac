"""Form fields that carry what was typed to the case services, unchanged.

The services validate a case document (``cases/document/reader.py``); the
form must not hold a second copy of those rules. So these fields accept any
text, a select offers the codes of its choice list without enforcing them,
and numbers and dates are plain text boxes (``inputmode`` brings up the
right keyboard): a value the service refuses comes back next to its input,
exactly as it was typed.
"""

from django import forms

from cases.document.schema import choices_of

TRISTATE_CHOICES = [("", "Not recorded"), ("yes", "Yes"), ("no", "No")]
TRISTATE_VALUES = {"": None, "yes": True, "no": False}


class CodeSelect(forms.Select):
    """A select that still shows a posted value outside its list, so nothing typed is lost."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        known = {str(option_value) for option_value, _ in self.choices}
        for index, posted in enumerate(v for v in context["widget"]["value"] if v not in known and v != ""):
            option = self.create_option(name, posted, f"{posted} (not in the list)", True, len(known) + index)
            context["widget"]["optgroups"].append((None, [option], len(known) + index))
        return context


def text(label: str, *, help_text: str = "", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, strip=True, widget=forms.TextInput(attrs=attrs)
    )


def long_text(label: str, *, rows: int = 2, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def number(label: str, *, decimal: bool = False, help_text: str = "", **attrs) -> forms.CharField:
    # Not <input type=number>: it silently drops what it cannot parse, and the clinician must see it.
    attrs = {"inputmode": "decimal" if decimal else "numeric", "class": "num", **attrs}
    return text(label, help_text=help_text, **attrs)


def date(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


def choice(label: str, choices, *, blank: str | None = None, initial=None, help_text: str = "") -> forms.CharField:
    """``choices`` is a list of pairs or the name of a coded field (``"laterality"``)."""
    options = choices_of(choices) if isinstance(choices, str) else list(choices)
    if blank is not None:
        options = [("", blank), *options]
    return forms.CharField(
        label=label, required=False, initial=initial, help_text=help_text, widget=CodeSelect(choices=options)
    )


def tristate(label: str) -> forms.CharField:
    return choice(label, TRISTATE_CHOICES)


def vocabulary(label: str, name: str, *, help_text: str = "") -> forms.CharField:
    """A code of a vocabulary, searchable by label or code through the page's datalist of that vocabulary."""
    return text(
        label,
        help_text=help_text,
        placeholder="Search by name or code",
        list=f"vocabulary-{name}",
        autocomplete="off",
        spellcheck="false",
        **{"data-vocabulary": name},
    )


class TargetsField(forms.Field):
    """Which calcinosis-site rows of the same form a treatment targeted (their row numbers)."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        if not value:
            return []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


class CodeListField(forms.MultipleChoiceField):
    """Several codes, ticked; the service checks them (a code no longer offered is kept and shown)."""

    widget = forms.CheckboxSelectMultiple

    def validate(self, value):
        pass  # the service checks the codes and says which one it refuses

    def to_python(self, value):
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else ([str(value)] if value else [])


def code_list(label: str, choices, vocabulary: str | None = None, *, help_text: str = "") -> forms.Field:
    """A list of codes: of fixed choices, or of a vocabulary (its active concepts, read when the form is built)."""
    field = CodeListField(label=label, required=False, help_text=help_text, choices=list(choices))
    if vocabulary:
        field.widget.attrs["data-vocabulary-list"] = vocabulary
    return field
