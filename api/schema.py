"""OpenAPI of the filters: what each filter's values are, as the domain's filtersets describe them.

``cases/filters.py`` describes a filter's values as plain JSON schema (``value_schema``)
so that the domain does not depend on drf-spectacular; this extension hands that
description to drf-spectacular's django-filter support as if it were written with
``extend_schema_field``.
"""

import copy

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import get_override, set_override


class DescribedFilterExtension(DjangoFilterExtension):
    priority = 1  # before drf-spectacular's own extension for django-filter

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        schema = getattr(filter_field, "value_schema", None)
        if schema is not None and get_override(filter_field, "field") is None:
            filter_field = copy.copy(filter_field)
            set_override(filter_field, "field", schema)
        return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
