"""The audit trail of one case and its child rows, as people read it.

The rows come from django-pghistory's trigger-written event tables, so they
include changes made by bulk updates, raw SQL and the admin alike. The
browser case page, the admin history page and the API history endpoint all
read it from here.

Each entry keeps the raw columns (``changes``, the API's shape) and adds what
a reader needs: the row named in the clinic's words (``row_label``) and each
change with the field's name and readable values (``fields``).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from pghistory.models import Events

from cases.models import VOCABULARIES, Publication, Site

# Bookkeeping columns that change on every save and say nothing to a reader.
_QUIET = {"id", "case", "case_id", "updated_at", "version", "pgh_obj", "pgh_id"}
# The order a save writes and a case report reads: the case, then its lists, then what ties them.
_READING_ORDER = [
    "cases.CaseEvent",
    "cases.DiagnosisEvent",
    "cases.ClinicalFeatureEvent",
    "cases.SerologyResultEvent",
    "cases.LabResultEvent",
    "cases.CalcinosisSiteEvent",
    "cases.TreatmentCourseEvent",
    "cases.TreatmentTargetEvent",
]
YES_NO = {True: "yes", False: "no"}


# The service that wrote a change, and what happened to a row, as the history pages name them.
OPERATIONS = {
    "case_create": "Entered",
    "case_import": "Imported",
    "case_update": "Edited",
    "case_verify": "Verified",
    "case_send_back": "Sent back for review",
    "case_delete": "Deleted",
}
ACTIONS = {"insert": "added", "update": "changed", "delete": "removed"}


@dataclass
class FieldChange:
    name: str  # the column, as in ``changes``
    label: str  # the field's verbose name: "age at presentation"
    old: str | None
    new: str | None

    def as_dict(self) -> dict:
        return {"field": self.name, "label": self.label, "old": self.old, "new": self.new}


@dataclass
class HistoryEntry:
    when: datetime
    user: str | None
    action: str  # insert / update / delete
    table: str  # "case", "serology result", …
    row_id: str | None
    operation: str | None  # case_create, case_update, case_verify, … (None for raw SQL outside a service)
    changes: dict = field(default_factory=dict)  # field → [old, new]
    row_label: str = ""  # "Diltiazem", "Little finger (finger 5), right", …
    fields: list[FieldChange] = field(default_factory=list)
    save: str = ""  # entries of one save (one audit context) share it

    def as_dict(self) -> dict:
        return {
            "when": self.when.isoformat(),
            "user": self.user,
            "action": self.action,
            "table": self.table,
            "row_id": self.row_id,
            "operation": self.operation,
            "changes": self.changes,
            "row_label": self.row_label,
            "fields": [change.as_dict() for change in self.fields],
        }


def _tracked(event_model: str):
    return apps.get_model(event_model).pgh_tracked_model


def _changes(event) -> dict:
    if event.pgh_label == "update":
        diff = event.pgh_diff or {}
        return {k: v for k, v in diff.items() if k not in _QUIET}
    data = event.pgh_data or {}
    if event.pgh_label == "insert":
        return {k: [None, v] for k, v in data.items() if k not in _QUIET and v not in (None, "")}
    return {k: [v, None] for k, v in data.items() if k not in _QUIET and v not in (None, "")}


# Rows that reference no case themselves, found through the rows they belong to: (their events, the
# events of the rows they point to, the key they point by).
_BELONGING = [
    ("cases.TreatmentTargetEvent", "cases.TreatmentCourseEvent", "treatment_id"),
    ("cases.AssessmentScoreEvent", "cases.AssessmentEvent", "assessment_id"),
    ("cases.SiteFindingEvent", "cases.AssessmentEvent", "assessment_id"),
]


def _events(case) -> list:
    """The case's events, and those of the rows inside its rows (treatment-to-site ties, an assessment's
    scores and lesion findings), which reference no case themselves."""
    events = list(Events.objects.references(case))
    for belonging, owner, key in _BELONGING:
        owners = {int(e.pgh_obj_id) for e in events if e.pgh_model == owner}
        if owners:
            events += list(Events.objects.across(belonging).filter(**{f"pgh_data__{key}__in": sorted(owners)}))
    return events


class _Words:
    """Readable values for the columns of the events of one case, looked up once per kind."""

    def __init__(self, events):
        self.rows = {}  # (event model, row id) → the row's latest data, for naming sites and treatments
        for event in events:
            self.rows[(event.pgh_model, str(event.pgh_obj_id))] = event.pgh_data or {}
        self.targets: dict[type, set] = {}
        self._names: dict[type, dict] = {}

    def note(self, model, name, value):
        """Collects a foreign key's value so that all of one kind are named in one query."""
        if value in (None, ""):
            return
        related = model._meta.get_field(name).related_model if _is_fk(model, name) else None
        if related is not None:
            self.targets.setdefault(related, set()).add(value)

    def _lookup(self, related) -> dict:
        if related not in self._names:
            keys = self.targets.get(related, set())
            by_vocabulary = {m: n for n, m in VOCABULARIES.items()}
            if related in by_vocabulary:
                names = dict(related.objects.filter(code__in=keys).values_list("code", "label"))
            elif related is Site:
                names = dict(Site.objects.filter(pk__in=keys).values_list("pk", "name"))
            elif related is Publication:
                names = {p.pk: str(p) for p in Publication.objects.filter(pk__in=keys)}
            elif related is get_user_model():
                names = dict(related.objects.filter(pk__in=keys).values_list("pk", "username"))
            else:
                names = {}
            self._names[related] = {str(k): v for k, v in names.items()}
        return self._names[related]

    def value(self, model, name, value) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return YES_NO[value]
        if isinstance(value, list):
            base = getattr(_field(model, name), "base_field", None)
            choices = dict(base.choices or []) if base is not None else {}
            return ", ".join(str(choices.get(v, v)) for v in value) or "none"
        if _is_fk(model, name):
            related = model._meta.get_field(name).related_model
            if related._meta.label == "cases.CalcinosisSite":
                return self.site(value)
            if related._meta.label == "cases.TreatmentCourse":
                return self.treatment(value)
            return self._lookup(related).get(str(value), str(value))
        choices = dict(_field(model, name).choices or []) if _field(model, name) else {}
        return str(choices.get(value, value))

    def site(self, pk) -> str:
        row = self.rows.get(("cases.CalcinosisSiteEvent", str(pk)), {})
        model = apps.get_model("cases", "CalcinosisSite")
        region = self.value(model, "region_id", row.get("region_id")) or f"site {pk}"
        laterality = row.get("laterality")
        if laterality in (None, "", "unknown"):
            side = "side not recorded"
        else:
            side = self.value(model, "laterality", laterality).lower()
        # The segment tells two sites of one finger apart, as on the case page.
        segment = row.get("digit_segment")
        return f"{region}, {side}" + (f", {self.value(model, 'digit_segment', segment).lower()}" if segment else "")

    def treatment(self, pk) -> str:
        row = self.rows.get(("cases.TreatmentCourseEvent", str(pk)), {})
        model = apps.get_model("cases", "TreatmentCourse")
        return self.value(model, "agent_id", row.get("agent_id")) or f"treatment {pk}"

    def row_label(self, event) -> str:
        data = event.pgh_data or {}
        model = _tracked(event.pgh_model)
        label = model._meta.label
        if label == "cases.TreatmentTarget":
            return f"Treatment {self.treatment(data.get('treatment_id'))} → site {self.site(data.get('site_id'))}"
        if label == "cases.CalcinosisSite":
            return self.site(event.pgh_obj_id)
        for name in ("condition_id", "feature_id", "test_id", "agent_id"):
            if name in data:
                return self.value(model, name, data[name]) or ""
        return ""


def _field(model, name):
    for f in model._meta.concrete_fields:
        if name in (f.name, f.attname):
            return f
    return None


def _is_fk(model, name) -> bool:
    f = _field(model, name)
    return isinstance(f, models.ForeignKey)


def _label(model, name) -> str:
    f = _field(model, name)
    return str(f.verbose_name) if f is not None else name.removesuffix("_id").replace("_", " ")


def _in_reading_order(events) -> list:
    """Saves oldest first, each save's rows in the order the case reads; a save is one audit context.

    The trigger stamps every row of a transaction with the same time, and each table counts its own
    event ids, so neither orders the rows of one save; the reading order of the case does.
    """
    saves: dict = {}
    for event in events:
        saves.setdefault((event.pgh_created_at, event.pgh_context_id), []).append(event)

    def save_order(item):
        (when, _context), rows = item
        # Two saves in one transaction (a script, a test) share the time: the case's own event ids order them.
        case_ids = [e.pgh_id for e in rows if e.pgh_model == "cases.CaseEvent"]
        return (when, min(case_ids) if case_ids else float("inf"), min(e.pgh_id for e in rows))

    ordered = []
    for _key, rows in sorted(saves.items(), key=save_order):
        rank = {name: i for i, name in enumerate(_READING_ORDER)}
        ordered += sorted(rows, key=lambda e: (rank.get(e.pgh_model, len(rank)), e.pgh_id))
    return ordered


def case_history(case) -> list[HistoryEntry]:
    """Every insert, update and delete of the case and its rows, oldest first."""
    events = _in_reading_order(_events(case))
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    words = _Words(events)
    kept = []
    for event in events:
        changes = _changes(event)
        if event.pgh_label == "update" and not changes:
            continue
        model = _tracked(event.pgh_model)
        for name, (old, new) in changes.items():
            words.note(model, name, old)
            words.note(model, name, new)
        for name in ("condition_id", "feature_id", "test_id", "agent_id", "region_id"):
            words.note(model, name, (event.pgh_data or {}).get(name))
        kept.append((event, model, changes))
    entries = []
    for event, model, changes in kept:
        context = event.pgh_context or {}
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                user=names.get(context.get("user")),
                action=event.pgh_label,
                table=str(model._meta.verbose_name),
                row_id=event.pgh_obj_id,
                operation=context.get("operation"),
                changes=changes,
                row_label=words.row_label(event),
                fields=[
                    FieldChange(
                        name=name,
                        label=_label(model, name),
                        old=words.value(model, name, old),
                        new=words.value(model, name, new),
                    )
                    for name, (old, new) in _field_order(model, changes)
                ],
                save=f"{event.pgh_created_at.isoformat()} {event.pgh_context_id}",
            )
        )
    return entries


def _field_order(model, changes: dict) -> list:
    """The changed fields in the order the model (and the form) lists them."""
    position = {}
    for i, f in enumerate(model._meta.concrete_fields):
        position[f.name] = position[f.attname] = i
    return sorted(changes.items(), key=lambda item: position.get(item[0], len(position)))
