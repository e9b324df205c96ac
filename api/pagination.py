"""Cursor pagination with a ``count``, and a 400 (never a silent default) for a bad cursor or page size.

A cursor is stable while cases are added, which a script paging through the
registry for minutes relies on.
"""

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Coalesce, Collate, Concat, LPad
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from cases.selection import parse_ordering

MAX_PAGE_SIZE = 500


class CountedCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = f"Rows per page, 1 to {MAX_PAGE_SIZE} (default 50)."
    max_page_size = MAX_PAGE_SIZE
    ordering = "id"
    # A cursor's position is checked against this before it reaches the database.
    position_is_number = True

    def paginate_queryset(self, queryset, request, view=None):
        self.count = queryset.count()
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
        return size

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except Exception:
            cursor = False
        if cursor is False or (cursor is not None and not self._valid_position(cursor.position)):
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor; use the next or previous link as given."]}
            )
        return cursor

    def _valid_position(self, position) -> bool:
        if position is None:
            return True
        if "\x00" in position:
            return False
        if self.position_is_number:
            return position.isdigit() and len(position) < 19
        return True

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        response["properties"] = {
            "count": {"type": "integer", "description": "Rows matching the filters, on all pages."},
            **response["properties"],
        }
        return response


class CasePagination(CountedCursorPagination):
    """Cases in the order of the ``ordering`` parameter (already validated by the filterset).

    ``registry_id`` and ``updated_at`` page along their indexes (at 100,000 cases a
    computed sort key would sort the whole registry for every page); an age is
    repeated and may be missing, so it pages along the text key ``age|registry_id``,
    unique, with cases without an age last.
    """

    ordering = "registry_id"
    position_is_number = False
    keys = {"registry_id": "registry_id", "updated_at": "updated_at", "age_at_presentation": "age_key"}

    def paginate_queryset(self, queryset, request, view=None):
        self.field, self.descending = parse_ordering(request.query_params.get("ordering"))
        if self.field == "age_at_presentation":
            age = LPad(Cast(Coalesce(F("age_at_presentation"), Value(999)), CharField()), 3, Value("0"))
            queryset = queryset.annotate(
                age_key=Collate(Concat(age, Value("|"), F("registry_id"), output_field=CharField()), "C")
            )
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request, queryset, view):
        sign = "-" if self.descending else ""
        ordering = [f"{sign}{self.keys[self.field]}"]
        if self.field == "updated_at":
            ordering.append(f"{sign}registry_id")  # equal timestamps still come in one order
        return tuple(ordering)

    def _valid_position(self, position) -> bool:
        if not super()._valid_position(position):
            return False
        if position is not None and self.field == "updated_at":
            try:
                return parse_datetime(position) is not None
            except ValueError:
                return False
        return True
