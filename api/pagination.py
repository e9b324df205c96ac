"""Cursor pagination with a ``count``, and a 400 (never a silent default) for a bad cursor or page size.

A cursor is stable while cases are added, which a script paging through the
registry for minutes relies on. Every ordering is made unique with a text key
ending in the registry id, so equal ages or timestamps never repeat or skip a
case between pages, and cases without an age sort last.
"""

from django.db.models import CharField, F, Func, Value
from django.db.models.functions import Cast, Coalesce, Collate, Concat, Length, LPad
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api.filtersets import ORDERINGS

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
            raise ValidationError({self.cursor_query_param: ["Invalid cursor; use the next or previous link as given."]})
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
        return Response({
            "count": self.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        response["properties"] = {
            "count": {"type": "integer", "description": "Rows matching the filters, on all pages."},
            **response["properties"],
        }
        return response


class CasePagination(CountedCursorPagination):
    """Cases in the order of the ``ordering`` parameter (already validated by the filterset)."""

    ordering = "cursor_key"
    position_is_number = False

    def paginate_queryset(self, queryset, request, view=None):
        requested = request.query_params.get("ordering") or "registry_id"
        self.descending = requested.startswith("-")
        field = requested.lstrip("-")
        if field not in ORDERINGS:
            field = "registry_id"
        queryset = queryset.annotate(cursor_key=Collate(self._key(field), "C"))
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request, queryset, view):
        return ("-cursor_key",) if self.descending else ("cursor_key",)

    @staticmethod
    def _key(field):
        if field == "age_at_presentation":
            age = LPad(Cast(Coalesce(F("age_at_presentation"), Value(999)), CharField()), 3, Value("0"))
            return Concat(age, Value("|"), F("registry_id"), output_field=CharField())
        if field == "updated_at":
            stamp = Func(
                F("updated_at"),
                template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')",
                output_field=CharField(),
            )
            return Concat(stamp, Value("|"), F("registry_id"), output_field=CharField())
        # Registry ids grow from six digits to seven: the length first keeps CC-1000000 after CC-999999.
        return Concat(LPad(Cast(Length("registry_id"), CharField()), 2, Value("0")), F("registry_id"),
                      output_field=CharField())
