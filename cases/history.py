"""The audit trail of one case and its child rows, as people read it.

The rows come from django-pghistory's trigger-written event tables, so they
include changes made by bulk updates, raw SQL and the admin alike. The
browser case page, the admin history page and the API history endpoint all
read it from here.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from pghistory.models import Events

# Bookkeeping columns that change on every save and say nothing to a reader.
_QUIET = {"id", "case", "case_id", "updated_at", "version", "pgh_obj", "pgh_id"}


@dataclass
class HistoryEntry:
    when: datetime
    user: str | None
    action: str  # insert / update / delete
    table: str  # "case", "serology result", …
    row_id: str | None
    operation: str | None  # case_create, case_update, case_verify, … (None for raw SQL outside a service)
    changes: dict = field(default_factory=dict)  # field → [old, new]

    def as_dict(self) -> dict:
        return {
            "when": self.when.isoformat(),
            "user": self.user,
            "action": self.action,
            "table": self.table,
            "row_id": self.row_id,
            "operation": self.operation,
            "changes": self.changes,
        }


def _table_name(event_model: str) -> str:
    model = apps.get_model(event_model).pgh_tracked_model
    return str(model._meta.verbose_name)


def _changes(event) -> dict:
    if event.pgh_label == "update":
        diff = event.pgh_diff or {}
        return {k: v for k, v in diff.items() if k not in _QUIET}
    data = event.pgh_data or {}
    if event.pgh_label == "insert":
        return {k: [None, v] for k, v in data.items() if k not in _QUIET and v not in (None, "")}
    return {k: [v, None] for k, v in data.items() if k not in _QUIET and v not in (None, "")}


def case_history(case) -> list[HistoryEntry]:
    """Every insert, update and delete of the case and its rows, oldest first."""
    events = list(Events.objects.references(case).order_by("pgh_created_at", "pgh_id"))
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    entries = []
    for event in events:
        context = event.pgh_context or {}
        changes = _changes(event)
        if event.pgh_label == "update" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                user=names.get(context.get("user")),
                action=event.pgh_label,
                table=_table_name(event.pgh_model),
                row_id=event.pgh_obj_id,
                operation=context.get("operation"),
                changes=changes,
            )
        )
    return entries
