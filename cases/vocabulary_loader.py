"""Adds the shipped vocabulary concepts that a database does not have yet.

Used by the data migrations (with historical models) and by ``load_vocabularies``.
It never changes or removes a concept that exists: curators own them after
the first load. A migration's historical models may lack a vocabulary or a
column that came later: those are left for the migration that adds them.
"""

from cases import vocabulary_data

MODEL_NAMES = {
    "condition": "Condition",
    "feature": "Feature",
    "serology_test": "SerologyTest",
    "ana_pattern": "AnaPattern",
    "lab_test": "LabTest",
    "region": "Region",
    "agent": "Agent",
    "instrument": "Instrument",
    "biopsy_finding": "BiopsyFinding",
}


def _parents_first(rows):
    placed, ordered, pending = set(), [], list(rows)
    while pending:
        ready = [r for r in pending if r[2] is None or r[2] in placed]
        if not ready:
            raise ValueError(f"Vocabulary rows with unknown parents: {[r[0] for r in pending]}")
        for row in ready:
            placed.add(row[0])
            ordered.append(row)
        pending = [r for r in pending if r[0] not in placed]
    return ordered


def sync_vocabularies(get_model) -> int:
    """``get_model(name)`` returns the model class; returns how many concepts were added."""
    added = 0
    for vocabulary, rows in vocabulary_data.ALL.items():
        try:
            model = get_model(MODEL_NAMES[vocabulary])
        except LookupError:
            continue  # a vocabulary this migration state does not have yet
        columns = {f.name for f in model._meta.concrete_fields}
        paths = dict(model.objects.values_list("code", "path"))
        order_of = {row[0]: index for index, row in enumerate(rows)}
        new = []
        for code, label, parent, extra in _parents_first(rows):
            if code in paths:
                continue
            paths[code] = f"{paths[parent] if parent else ''}{code}/"
            known = {k: v for k, v in extra.items() if k in columns}
            new.append(
                model(code=code, label=label, parent_id=parent, path=paths[code], sort_order=order_of[code], **known)
            )
        model.objects.bulk_create(new)
        added += len(new)
    return added
