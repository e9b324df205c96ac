"""The audit trail of rows inserted in bulk (an import), written once per table instead of once per row.

pghistory's AFTER INSERT trigger runs for each row: it upserts the audit context and inserts one event row, some
thirty-five times a case, which was most of an import's time. For the rows of an import batch the insert
triggers are told to stand aside (``pgtrigger.ignore``'s transaction-local setting, which the triggers read: no
table lock, unlike ``ALTER TABLE … DISABLE TRIGGER``, and no other session is affected), and ``write_events``
then writes the very rows the triggers would have written, with one ``INSERT … SELECT`` per table from the rows
just inserted: the columns the trigger copies (as pghistory's ``Event.get_func`` chooses them), the context the
trigger attaches (its own ``_pgh_attach_context()``, in the caller's ``pghistory.context``, once per statement as
pghistory's statement-level triggers do), the time it stamps and its label. ``test_import_audit.py`` holds an
imported case's events equal to those of ``case_create``.
"""

import contextlib
from dataclasses import dataclass

import pgtrigger
from django.db import connection, models
from pghistory import config
from pghistory.trigger import Event


@dataclass(frozen=True)
class _InsertEvent:
    trigger: str  # the trigger's name in PostgreSQL (what pgtrigger.ignore reads)
    sql: str  # INSERT INTO the event table … SELECT … FROM the tracked table WHERE id = ANY(%s)


def _insert_event(model) -> _InsertEvent:
    found = [
        trigger
        for tracked, trigger in pgtrigger.registered()
        if tracked is model and isinstance(trigger, Event) and str(trigger.operation) == "INSERT"
    ]
    if len(found) != 1 or found[0].condition is not None:
        raise LookupError(f"{model._meta.label} has no single unconditional pghistory insert trigger.")
    trigger = found[0]
    event_model = trigger.event_model
    tracked_names = {f.name for f in model._meta.fields}
    # The columns as Event.get_func picks them: every tracked field the event model copies.
    columns = {
        f.column: f'_pgh_row."{f.column}"'
        for f in event_model._meta.fields
        if not isinstance(f, models.AutoField) and f.name in tracked_names and f.concrete
    }
    columns["pgh_created_at"] = config.created_at_function()
    columns["pgh_label"] = f"'{trigger.label}'"
    pk = model._meta.pk.column
    columns["pgh_obj_id"] = f'_pgh_row."{pk}"'
    # Once for the statement, as pghistory's statement-level trigger attaches it: the statement is an INSERT, so
    # pghistory's cursor wrapper sets the caller's context on it first (it leaves SELECTs alone).
    columns["pgh_context_id"] = "_pgh_context.id"
    names = ", ".join(f'"{column}"' for column in columns)
    values = ", ".join(columns.values())
    sql = (
        f'INSERT INTO "{event_model._meta.db_table}" ({names}) '
        f'SELECT {values} FROM "{model._meta.db_table}" AS _pgh_row, (SELECT _pgh_attach_context() AS id) AS _pgh_context '
        f'WHERE _pgh_row."{pk}" = ANY(%s) ORDER BY _pgh_row."{pk}"'
    )
    return _InsertEvent(trigger=trigger.get_pgid(model), sql=sql)


_EVENTS: dict = {}


def _event(model) -> _InsertEvent:
    if model not in _EVENTS:
        _EVENTS[model] = _insert_event(model)
    return _EVENTS[model]


@contextlib.contextmanager
def insert_triggers_paused(models_: list):
    """Inside the caller's transaction: the insert triggers of ``models_`` write nothing until the block ends.

    Transaction-local (``set_config(…, true)``): a rollback ends the pause with everything else, and the block
    switches it off again before it returns. The caller writes the events with ``write_events``.
    """
    names = "{" + ",".join(_event(model).trigger for model in models_) + "}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [names])
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")


def write_events(model, ids: list[int]) -> None:
    """The insert events of the rows ``ids`` of ``model``, in the order of their ids (the order they were
    inserted), as its trigger would have written them."""
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_event(model).sql, [ids])
