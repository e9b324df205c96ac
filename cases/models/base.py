"""What the model modules share: the database's own check of a coded column, and the audit trail."""

import pghistory
from django.db import models
from django.db.models import Q


def choices_check(field: str, choices) -> models.CheckConstraint:
    """Keep a coded column to its codes in the database too, not only in forms."""
    values = [value for value, _ in choices]
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=f"%(class)s_{field}_valid")


def audited():
    """Trigger-written history of every insert, update and delete, whoever or whatever makes it."""
    # pghistory trackers hold per-model state: each model needs its own instances.
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
