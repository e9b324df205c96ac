"""OpenAPI of the filters: what each filter's values are, as the domain's filtersets describe them.

``cases/filters.py`` describes a filter's values as plain JSON schema (``value_schema``)
so that the domain does not depend on drf-spectacular; this extension hands that
description to drf-spectacular's django-filter support as if it were written with
``extend_schema_field``. drf-spectacular reads no label from a filter whose schema
is given, so the schema's own description, or else the filter's label with the
vocabulary its codes come from, goes in as the parameter's description.
"""

import copy

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import get_override, set_override

from cases.models import VOCABULARIES

VOCABULARY_OF = {model: name for name, model in VOCABULARIES.items()}


def filter_description(filter_field) -> str:
    """The filter's label, and for codes their vocabulary: what a parameter says in the schema."""
    parts = [str(filter_field.label)] if filter_field.label else []
    queryset = filter_field.extra.get("queryset")
    vocabulary = VOCABULARY_OF.get(getattr(queryset, "model", None))
    if vocabulary:
        parts.append(f"Codes of the vocabulary '{vocabulary}' (GET /api/v1/vocabularies/{vocabulary}/).")
    return " ".join(parts)


class DescribedFilterExtension(DjangoFilterExtension):
    priority = 1  # before drf-spectacular's own extension for django-filter

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        schema = getattr(filter_field, "value_schema", None)
        if schema is not None and get_override(filter_field, "field") is None:
            filter_field = copy.copy(filter_field)
            description = schema.get("description") or filter_description(filter_field)
            set_override(filter_field, "field", {**schema, **({"description": description} if description else {})})
        return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
