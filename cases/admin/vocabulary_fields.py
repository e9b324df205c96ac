"""Vocabulary fields of the case page's inlines, at one query per vocabulary instead of one per row.

Django's autocomplete widget looks up the label of each row's selected
concept, and its ModelChoiceField looks up each posted code: with 50 rows,
100 queries. Here one ``Concepts`` table per vocabulary is read once and
shared by the copies Django makes of a field and its widget for every form
of a formset (those copies are shallow, so they keep the same object).
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField


class Concepts:
    """The concepts of one vocabulary by code, read on first use."""

    def __init__(self, model, using=None):
        self.model = model
        self.using = using
        self._by_code = None

    def get(self, code: str):
        if self._by_code is None:
            self._by_code = {str(c.pk): c for c in self.model._default_manager.using(self.using).all()}
        return self._by_code.get(str(code))


class VocabularyChoiceField(ModelChoiceField):
    def __init__(self, *args, concepts: Concepts, **kwargs):
        super().__init__(*args, **kwargs)
        self.concepts = concepts

    def to_python(self, value):
        if value in self.empty_values:
            return None
        concept = self.concepts.get(value)
        if concept is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        # Inactive concepts pass here: the service keeps them on old rows and refuses them on new ones.
        return concept


class VocabularyAutocomplete(AutocompleteSelect):
    def __init__(self, *args, concepts: Concepts, **kwargs):
        super().__init__(*args, **kwargs)
        self.concepts = concepts

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for code in selected[:1]:
            options.append(self.create_option(name, code, self._label(code), True, len(options)))
        return [(None, options, 0)]

    def _label(self, code: str) -> str:
        concept = self.concepts.get(code)
        if concept is None:
            return code
        label = self.choices.field.label_from_instance(concept)
        # An inactive concept stays on old records; say so where it is shown.
        return label if concept.active else f"{label} — inactive"
