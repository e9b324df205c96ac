"""Cursor pagination with a ``count``, and a 400 (never a silent default) for a bad cursor or page size.

A cursor is stable while cases are added, which a script paging through the
registry for minutes relies on: a page continues after the row the last page
ended with, by the row's sort keys (keyset pagination), not by an offset.

A cursor is opaque and signed (``django.core.signing``) and names that row by
its public key (``registry_id``, or a long table's row ``id``) and nothing else:
it used to carry the sort value itself (``p=095|CC-000003``), which gave a
researcher the exact age behind "90+" and the microsecond of an update (issue 13).
The keys are read again from the row when the cursor comes back, in the
reader's own terms (``cases.selection.sort_keys``), and a keyed fingerprint of
them in the cursor tells when that row has changed since: then, as for an
altered cursor, the answer is a 400 rather than a page that silently skips.
"""

import json
from dataclasses import dataclass

from django.core import signing
from django.db.models import F, Q
from django.db.models.expressions import Col
from django.utils.crypto import salted_hmac
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cases.document.writer import reads_deidentified
from cases.selection import parse_ordering, sort_keys

MAX_PAGE_SIZE = 500
_SALT = "api.pagination.cursor"
# Without a timestamp: a link to the same place is the same link whenever it is made.
_SIGNER = signing.Signer(salt=_SALT)
INVALID = "Invalid cursor; use the next or previous link as given."
CHANGED = "The row this cursor continues from has changed or is gone; start again from the first page."


@dataclass(frozen=True)
class Position:
    """Where a page starts: after (or, going back, before) the row ``anchor``; None: from the far end."""

    anchor: str | int | None
    backwards: bool
    fingerprint: str


def _after(columns: list[str], values: list, descending: bool) -> Q:
    """The rows after ``values`` in the order of ``columns`` (the last one unique and never NULL).

    PostgreSQL sorts NULLs last ascending and first descending: a descending order is the
    ascending one read backwards, with NULLs where the ORM's order_by puts them.
    """
    column, value = columns[0], values[0]
    if len(columns) == 1:
        return Q(**{f"{column}__{'lt' if descending else 'gt'}": value})
    same = Q(**{column: value}) if value is not None else Q(**{f"{column}__isnull": True})
    tie = same & _after(columns[1:], values[1:], descending)
    if descending:
        return tie | (Q(**{f"{column}__lt": value}) if value is not None else Q(**{f"{column}__isnull": False}))
    if value is None:
        return tie
    return tie | Q(**{f"{column}__gt": value}) | Q(**{f"{column}__isnull": True})


class CountedCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = f"Rows per page, 1 to {MAX_PAGE_SIZE} (default 50)."
    cursor_query_description = (
        "Where a page starts: opaque and signed; take it from a next or previous link as given. An altered "
        "cursor, one of another ordering, or one whose row has changed its place since is a 400 naming cursor."
    )
    max_page_size = MAX_PAGE_SIZE
    # The unique, never-NULL column a cursor names its row by; rows are in its order unless sort_keys say more.
    anchor = "id"

    def sort_keys(self, request) -> tuple[str, list, bool]:
        """The ordering's name, the expressions rows are sorted on before ``anchor``, and whether descending."""
        return self.anchor, [], False

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.ordering_name, keys, self.descending = self.sort_keys(request)
        self.count = queryset.count()
        self.key_names = [f"page_key_{number}" for number in range(len(keys))]
        queryset = queryset.annotate(**dict(zip(self.key_names, keys, strict=True)))
        self.cursor = self.decode_cursor(request)
        backwards = self.cursor is not None and self.cursor.backwards
        reading = self.descending != backwards
        if self.cursor is not None and self.cursor.anchor is not None:
            values = [*self._keys_of_anchor(queryset, self.cursor), self.cursor.anchor]
            queryset = queryset.filter(_after([*self.key_names, self.anchor], values, reading))
            queryset = queryset.filter(self._index_bound(queryset, values[0], reading))
        columns = [F(name) for name in (*self.key_names, self.anchor)]
        rows = list(queryset.order_by(*(c.desc() if reading else c.asc() for c in columns))[: self.page_size + 1])
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if backwards:
            self.page.reverse()
        self.has_next = self.cursor is not None if backwards else more
        self.has_previous = more if backwards else self.cursor is not None
        self.display_page_controls = self.has_next or self.has_previous
        return self.page

    def _index_bound(self, queryset, first, descending: bool) -> Q:
        """A bound on the first sort column alone, implied by ``_after``, that its index can serve.

        Without it PostgreSQL reads the index from its start to the cursor's row on every page (the
        OR of ``_after`` is a filter, not an index condition). Ascending, NULLs come after every
        value, so the bound holds only for a column that cannot be NULL.
        """
        column = (self.key_names or [self.anchor])[0]
        if first is None:
            return Q()
        if descending:
            return Q(**{f"{column}__lte": first})
        key = queryset.query.annotations.get(column)
        never_null = key is None or (isinstance(key, Col) and not key.target.null)
        return Q(**{f"{column}__gte": first}) if never_null else Q()

    def _keys_of_anchor(self, queryset, cursor: Position) -> list:
        if not self.key_names:
            return []
        found = queryset.prefetch_related(None).filter(**{self.anchor: cursor.anchor})
        keys = found.values_list(*self.key_names).first()
        if keys is None or self._fingerprint(keys) != cursor.fingerprint:
            raise ValidationError({self.cursor_query_param: [CHANGED]})
        return list(keys)

    def _fingerprint(self, keys) -> str:
        # Keyed by SECRET_KEY: it tells whether the keys changed and, to who holds no key, nothing about them.
        text = json.dumps([self.ordering_name, *(None if key is None else str(key) for key in keys)])
        return salted_hmac(_SALT, text).hexdigest()[:16]

    def _link(self, row, backwards: bool) -> str:
        keys = [getattr(row, name) for name in self.key_names]
        token = {"a": getattr(row, self.anchor), "k": self._fingerprint(keys)}
        if backwards:
            token["b"] = True
        return replace_query_param(self.base_url, self.cursor_query_param, _SIGNER.sign_object(token))

    def get_next_link(self):
        if not self.has_next:
            return None
        if not self.page:  # nothing before the row we went back from: the list from its start
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[-1], backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:  # nothing after the row we came from any more: the list's last page
            token = _SIGNER.sign_object({"a": None, "k": self._fingerprint([]), "b": True})
            return replace_query_param(self.base_url, self.cursor_query_param, token)
        return self._link(self.page[0], backwards=True)

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

    def decode_cursor(self, request) -> Position | None:
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        try:
            fields = _SIGNER.unsign_object(token)
        except signing.BadSignature:
            fields = None
        if not isinstance(fields, dict) or not isinstance(fields.get("k"), str):
            raise ValidationError({self.cursor_query_param: [INVALID]})
        position = Position(anchor=fields.get("a"), backwards=bool(fields.get("b")), fingerprint=fields["k"])
        if position.anchor is None and position.fingerprint != self._fingerprint([]):
            raise ValidationError({self.cursor_query_param: [INVALID]})
        if not self.key_names and position.fingerprint != self._fingerprint([]):
            # A cursor of another ordering (or of another list): its row is no position in this one.
            raise ValidationError({self.cursor_query_param: [INVALID]})
        return position

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
        described = {
            "next": "The next page, with every parameter of this request; null on the last page.",
            "previous": "The page before, with every parameter of this request; null on the first page.",
            "results": "This page's rows, in the order of the list.",
        }
        response["properties"] = {
            "count": {"type": "integer", "description": "Rows matching the filters, on all pages."},
            **{name: {**value, "description": described[name]} for name, value in response["properties"].items()},
        }
        return response


class CasePagination(CountedCursorPagination):
    """Cases in the order of the ``ordering`` parameter (already validated by the filterset).

    ``registry_id`` pages along its index; an age or an update time is repeated (and an
    age may be missing), so they page along (key, registry_id). A reader without
    identifiers pages along what they read: "90+" alike, the year of an update.
    """

    anchor = "registry_id"

    def sort_keys(self, request):
        value = request.query_params.get("ordering")
        keys, descending = sort_keys(value, deidentified=reads_deidentified(request.user))
        name, _ = parse_ordering(value)
        return f"{'-' if descending else ''}{name}", keys, descending
