"""The second edition of the clinical model (clinical-v2.md), for the rows and concepts stored before it.

Runs inside migration 0005 with the historical models, after the new columns exist and before the old
ones go: nothing stored is dropped, and nothing is guessed (an existing treatment keeps its indication).
"""

from decimal import ROUND_HALF_UP, Decimal

from cases import vocabulary_data
from cases.vocabulary_loader import MODEL_NAMES, sync_vocabularies

# What the first edition shipped and the second renames (only a value nobody changed is renamed).
_OLD_FEATURE_LABELS = {"skin_thickening_proximal_mcp": "Skin thickening proximal to the MCPs"}
_OLD_ORGANS = {"Skin": "Skin and mucosa", "Musculoskeletal": "Muscles, joints and bones"}


def clinical_v2_data(apps, schema_editor):
    # Foreign keys checked at each statement, not at commit: the same migration alters these tables next,
    # which PostgreSQL refuses while checks are pending.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def get_model(name):
        return apps.get_model("cases", name)

    shipped = {name: {row[0]: row for row in rows} for name, rows in vocabulary_data.ALL.items()}
    _fill_new_columns(get_model, shipped)
    _move_hip_to_the_lower_limb(get_model("Region"))
    sync_vocabularies(get_model)
    _sites_seen_by_methods(get_model("CalcinosisSite"))
    _criteria_stated(get_model("Diagnosis"))
    _canonical_lab_values(get_model("LabResult"), get_model("LabTest"))


def _fill_new_columns(get_model, shipped):
    for name in ("condition", "feature", "serology_test", "ana_pattern", "lab_test", "region", "agent"):
        model = get_model(MODEL_NAMES[name])
        for concept in model.objects.all():
            row = shipped[name].get(concept.code)
            extra = row[3] if row else {}
            changed = _new_columns(name, concept, extra, row)
            if changed:
                concept.save(update_fields=changed)


def _new_columns(name, concept, extra, row) -> list[str]:
    changed = []

    def put(column, value):
        if value not in (None, "", []) and getattr(concept, column) in (None, "", []):
            setattr(concept, column, value)
            changed.append(column)

    put("synonyms", extra.get("synonyms"))
    if name == "serology_test":
        old = concept.loinc
        kinds = [k for k in ("loinc_presence", "loinc_titer", "loinc_quantity") if extra.get(k)]
        for kind in kinds:
            put(kind, extra[kind])
        if old and old not in [extra[k] for k in kinds]:
            put("loinc_presence", old)  # a curator's own code, of a kind the registry cannot tell
    if name == "lab_test":
        put("loinc_quantity", extra.get("loinc_quantity") or concept.loinc)
        put("units", extra.get("units") or ([{"code": concept.unit, "factor": "1"}] if concept.unit else None))
        put("plausible_min", extra.get("plausible_min"))
        put("plausible_max", extra.get("plausible_max"))
    if name == "region":
        if row and concept.laterality_rule == "any" and extra.get("laterality_rule", "any") != "any":
            concept.laterality_rule = extra["laterality_rule"]
            changed.append("laterality_rule")
    if name == "feature" and row:
        if _OLD_FEATURE_LABELS.get(concept.code) == concept.label:
            concept.label = row[1]
            changed.append("label")
        if concept.organ in _OLD_ORGANS and extra.get("organ") == _OLD_ORGANS[concept.organ]:
            concept.organ = extra["organ"]
            changed.append("organ")
    return changed


def _move_hip_to_the_lower_limb(region):
    """The hip (peri-hip, femoral neck) belongs to the lower limb: region=pelvis no longer finds it."""
    hip = region.objects.filter(code="hip", parent_id="pelvis").first()
    lower_limb = region.objects.filter(code="lower_limb").first()
    if hip is None or lower_limb is None:
        return
    old, new = hip.path, f"{lower_limb.path}hip/"
    for concept in region.objects.filter(path__startswith=old):
        concept.path = new + concept.path[len(old) :]
        if concept.code == "hip":
            concept.parent_id = "lower_limb"
        concept.save(update_fields=["path", "parent"])


def _sites_seen_by_methods(site):
    for row in site.objects.filter(methods=[]).only("pk", "detected_by"):
        site.objects.filter(pk=row.pk).update(methods=[row.detected_by])


def _criteria_stated(diagnosis):
    # "none_stated" is the empty list; any other value is the one set the source named.
    for value in diagnosis.objects.exclude(criteria="none_stated").values_list("criteria", flat=True).distinct():
        diagnosis.objects.filter(criteria=value).update(criteria_stated=[value])


def _canonical_lab_values(lab_result, lab_test):
    tests = {t.code: t for t in lab_test.objects.all()}
    for row in lab_result.objects.filter(value__isnull=False, value_canonical__isnull=True).iterator():
        test = tests.get(row.test_id)
        units = {u["code"]: Decimal(u["factor"]) for u in (test.units if test else [])}
        if not units or row.unit not in units:
            continue  # kept as stored: a unit the test does not list is for a curator to look at
        factor = units[row.unit]
        canonical = row.value if factor == 1 else (row.value * factor).quantize(Decimal("0.01"), ROUND_HALF_UP)
        lab_result.objects.filter(pk=row.pk).update(value_canonical=canonical, unit_canonical=test.units[0]["code"])
