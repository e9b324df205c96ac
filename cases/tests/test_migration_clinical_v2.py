"""Cases stored by the first edition of the clinical model migrate to the second without loss (issue 11).

``fixtures/first_edition.json`` holds what the first edition stored (commit 9071daf): the two founding
cases as they were and 24 synthetic cases. They are written with the historical models of migration 0004,
the registry is migrated to the latest state, and every value is compared.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.document import case_document
from cases.models import CalcinosisSite, Case, Diagnosis, LabResult, Region, TreatmentCourse

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "first_edition.json").read_text())
FIRST_EDITION = [("cases", "0004_audit_reference_data")]

pytestmark = pytest.mark.django_db(transaction=True)


def _store(apps, documents) -> None:
    """The documents as the first edition's tables held them (codes as keys, no services: plain rows)."""
    model = apps.get_model
    for number, doc in enumerate(documents, start=1):
        site, _ = model("cases", "Site").objects.get_or_create(code=doc["site"], defaults={"name": doc["site"]})
        publication = None
        if doc.get("publication"):
            values = {k: v for k, v in doc["publication"].items() if k != "summarises"}
            publications = model("cases", "Publication").objects
            known = publications.filter(doi=values["doi"]).first() if values.get("doi") else None
            publication = known or publications.create(**values)  # a case series shares its report
        case = model("cases", "Case").objects.create(
            registry_id=f"CC-{900000 + number}",
            site=site,
            publication=publication,
            verified_at=timezone.now() if doc.get("status") == "verified" else None,
            **{k: doc.get(k) for k in (
                "source", "local_reference", "sex", "age_at_presentation", "country", "consent",
                "calcinosis_etiology", "calcinosis_extent", "summary", "status",
            ) if doc.get(k) is not None},
        )  # fmt: skip
        for row in doc["diagnoses"]:
            model("cases", "Diagnosis").objects.create(case=case, **_codes(row, "condition"))
        for row in doc["features"]:
            model("cases", "ClinicalFeature").objects.create(case=case, **_codes(row, "feature"))
        for row in doc["serology"]:
            model("cases", "SerologyResult").objects.create(case=case, **_codes(row, "test", "pattern"))
        for row in doc["labs"]:
            model("cases", "LabResult").objects.create(case=case, **_codes(row, "test"))
        sites = [model("cases", "CalcinosisSite").objects.create(case=case, **_codes(row, "region"))
                 for row in doc["calcinosis_sites"]]  # fmt: skip
        for row in doc["treatments"]:
            targets = row.pop("site_indexes", [])
            course = model("cases", "TreatmentCourse").objects.create(case=case, **_codes(row, "agent"))
            for index in targets:
                model("cases", "TreatmentTarget").objects.create(treatment=course, site=sites[index])


def _codes(row: dict, *names) -> dict:
    values = {k: v for k, v in row.items() if v is not None or k not in ("palpable",)}
    for name in names:
        if name in values:
            values[f"{name}_id"] = values.pop(name)
    return values


def test_the_first_edition_migrates_without_loss():
    executor = MigrationExecutor(connection)
    executor.migrate(FIRST_EDITION)
    _store(executor.loader.project_state(FIRST_EDITION).apps, json.loads(json.dumps(FIXTURE["cases"])))
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    documents = FIXTURE["cases"]
    cases = {c.local_reference: c for c in Case.objects.for_detail()}
    assert len(cases) == len(documents)
    for doc in documents:
        stored = case_document(cases[doc["local_reference"]])
        for name in ("sex", "age_at_presentation", "consent", "calcinosis_extent", "summary", "status"):
            assert stored[name] == doc[name], name
        assert len(stored["features"]) == len(doc["features"])
        assert len(stored["serology"]) == len(doc["serology"])
        assert [(d["condition"], d["criteria_stated"]) for d in stored["diagnoses"]] == [
            (d["condition"], [] if d.get("criteria", "none_stated") == "none_stated" else [d["criteria"]])
            for d in sorted(doc["diagnoses"], key=lambda d: not d.get("is_primary"))
        ]
        # One method per lesion: the first edition's detected_by; every other column as it was.
        assert [(s["region"], s["laterality"], s["methods"], s["notes"]) for s in stored["calcinosis_sites"]] == [
            (s["region"], s.get("laterality", "unknown"), [s["detected_by"]], s.get("notes", ""))
            for s in doc["calcinosis_sites"]
        ]
        # Treatments keep their indication and response: the migration does not guess.
        assert [(t["agent"], t["indication"], t["response"], len(t["site_ids"])) for t in stored["treatments"]] == [
            (t["agent"], t.get("indication", ""), t.get("response", "not_assessed"), len(t.get("site_indexes", [])))
            for t in doc["treatments"]
        ]
        labs = [(lab["test"], lab["value"], lab["unit"]) for lab in stored["labs"]]
        assert labs == [(lab["test"], _number(lab.get("value")), lab.get("unit", "")) for lab in doc["labs"]]

    # Every value with a unit the test takes is given in the canonical unit too.
    with_values = LabResult.objects.filter(value__isnull=False)
    assert with_values.exists() and not with_values.filter(value_canonical__isnull=True).exists()
    schirmer = with_values.filter(test="schirmer").first()
    assert schirmer is None or (schirmer.unit_canonical == "mm" and schirmer.value_canonical == schirmer.value)

    # The hip is under the lower limb now, with its path: region=lower_limb finds the founding SSc case.
    assert Region.objects.get(code="hip").path == "lower_limb/hip/"
    ssc = cases["founding-ssc-universalis"]
    assert Case.objects.with_region("lower_limb").filter(pk=ssc.pk).exists()
    assert CalcinosisSite.objects.filter(region="hip", case=ssc).get().methods == ["radiograph"]
    assert Diagnosis.objects.filter(criteria_stated=[]).count() + Diagnosis.objects.exclude(criteria_stated=[]).count()
    assert TreatmentCourse.objects.filter(response_scope="agent").count() == TreatmentCourse.objects.count()


def _number(value):
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)
