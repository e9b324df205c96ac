"""The synthetic registry: same seed, same registry; every case one the services would accept."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from pghistory.models import Events

from cases.document import case_document
from cases.document.reader import read_case
from cases.models import Agent, AnaPattern, Case, Condition, Feature, LabTest, Region, SerologyTest
from cases.services import case_create
from cases.synthetic import profiles
from cases.synthetic.generator import generate_case
from cases.synthetic.loader import load
from conftest import case_document as small_case_document

SYNTHETIC = {"local_reference__startswith": "SYN-"}


def stored_documents() -> list[dict]:
    """Each synthetic case as its document, without what the database numbers (ids, registry ids)."""
    documents = []
    for case in Case.objects.for_detail().filter(**SYNTHETIC).order_by("local_reference"):
        doc = case_document(case)
        for key in ("registry_id", "quality_issues"):
            doc.pop(key)
        site_positions = {row["id"]: i for i, row in enumerate(doc["calcinosis_sites"])}
        for key in ("diagnoses", "features", "serology", "labs", "calcinosis_sites", "treatments"):
            for row in doc[key]:
                row.pop("id")
                if key == "treatments":
                    row["site_ids"] = [site_positions[pk] for pk in row["site_ids"]]
        documents.append(doc)
    return documents


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_registry_and_another_seed_another():
    load(seed=11, count=40)
    first = stored_documents()
    Case.objects.filter(**SYNTHETIC).delete()

    load(seed=11, count=40)
    assert stored_documents() == first

    Case.objects.filter(**SYNTHETIC).delete()
    load(seed=12, count=40)
    assert stored_documents() != first


def test_a_case_number_is_the_same_case_whatever_the_run():
    # So --cases 1000 is the start of --cases 1000000, and an interrupted load continues where it was.
    assert [generate_case(5, i) for i in (0, 1, 2, 500)] == [generate_case(5, i) for i in (0, 1, 2, 500)]
    assert generate_case(5, 0) != generate_case(5, 1)


@pytest.mark.django_db
def test_every_generated_case_passes_the_services_validation(curator):
    load(seed=3, count=150)
    cases = list(Case.objects.for_detail().filter(**SYNTHETIC))
    assert len(cases) == 150
    for case in cases:
        # Read back as a client would PUT what it got: refused with CaseValidationError if any rule fails.
        read_case(user=curator, data=case_document(case), case=case)


@pytest.mark.django_db
def test_generated_cases_keep_the_rules_the_database_cannot_hold():
    load(seed=4, count=150)
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*) FROM cases_case c
            WHERE c.local_reference LIKE 'SYN-%%'
              AND (SELECT count(*) FROM cases_diagnosis d WHERE d.case_id = c.id AND d.is_primary) <> 1
        """)
        assert cursor.fetchone()[0] == 0, "every case has exactly one primary diagnosis"
        cursor.execute("""
            SELECT count(*) FROM cases_treatmenttarget t
            JOIN cases_treatmentcourse tc ON tc.id = t.treatment_id
            JOIN cases_calcinosissite s ON s.id = t.site_id
            WHERE tc.case_id <> s.case_id
        """)
        assert cursor.fetchone()[0] == 0, "a treatment targets only sites of its own case"


@pytest.mark.django_db
def test_generated_cases_have_none_of_the_hard_quality_problems():
    from cases.quality import quality_issues

    # The rules a case must never break; a missing titre or indication is a realistic gap a curator fills.
    hard = {
        "no_primary_diagnosis",
        "literature_without_reference",
        "no_calcinosis_site",
    }
    load(seed=6, count=150)
    for case in Case.objects.for_detail().filter(**SYNTHETIC):
        found = {issue["code"] for issue in quality_issues(case)}
        assert not found & hard, (case.local_reference, found)


@pytest.mark.django_db
def test_the_command_says_the_audit_trail_is_paused_and_turns_it_back_on(curator, site_a):
    before = Events.objects.count()
    out = io.StringIO()
    call_command("generate_synthetic", cases=30, seed=2, no_progress=True, stdout=out, stderr=io.StringIO())

    assert "audit trail is PAUSED" in out.getvalue()
    assert Case.objects.filter(**SYNTHETIC).count() == 30
    assert Events.objects.count() == before, "the synthetic rows are loaded without history"

    # The next ordinary write is audited again.
    case = case_create(user=curator, data=small_case_document())
    assert Events.objects.filter(pgh_obj_model="cases.Case", pgh_obj_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_a_second_run_continues_after_the_cases_already_stored():
    load(seed=8, count=10)
    load(seed=8, count=5)
    references = sorted(Case.objects.filter(**SYNTHETIC).values_list("local_reference", flat=True))
    assert references == [f"SYN-{n:07d}" for n in range(1, 16)]


@pytest.mark.django_db
def test_every_code_the_profiles_use_is_in_the_vocabularies():
    used = {
        Condition: set(profiles.PRIMARY_CONDITIONS)
        | {profiles.SECONDARY_ALIASES.get(c, c) for p in profiles.PROFILES.values() for c in p.secondary},
        Feature: {f for p in profiles.PROFILES.values() for f in p.features},
        SerologyTest: {a for p in profiles.PROFILES.values() for a in [*p.specific_antibody, *p.other_antibodies] if a}
        | {"ana"},
        AnaPattern: {
            c for patterns in [*profiles.ANA_PATTERN_BY_ANTIBODY.values(), profiles.ANA_PATTERN_OTHER] for c in patterns
        },
        LabTest: set(profiles.LAB_TESTS),
        Region: set(profiles.HAND_REGIONS) | {r for p in profiles.PROFILES.values() for r in p.regions},
        Agent: set(profiles.AGENT_USE) | {a for p in profiles.PROFILES.values() for a in p.agents},
    }
    for model, codes in used.items():
        known = set(model.objects.filter(code__in=codes, active=True).values_list("code", flat=True))
        assert codes - known == set(), model.__name__


def test_the_proportions_follow_the_published_series():
    cases = [generate_case(1, i) for i in range(4000)]
    primary = Counter(c.diagnoses[0]["condition"] for c in cases)
    families = {
        "dm": primary["dm"] + primary["jdm"] + primary["amyopathic_dm"],
        "ssc_limited": primary["ssc_limited"],
        "ssc_diffuse": primary["ssc_diffuse"],
        "lupus": primary["sle"] + primary["lupus_panniculitis"] + primary["cle"],
        "overlap": primary["overlap"],
        "sjogren": primary["sjogren"] + primary["sjogren_primary"] + primary["sjogren_secondary"],
    }
    ranked = sorted(families, key=families.get, reverse=True)
    assert set(ranked[:2]) == {"dm", "ssc_limited"}
    assert ranked[2] == "ssc_diffuse"
    assert families["lupus"] > families["overlap"] > families["sjogren"]

    hand_codes = set(profiles.HAND_REGIONS)
    ssc = [c for c in cases if c.diagnoses[0]["condition"] in ("ssc_limited", "ssc_diffuse")]
    with_hands = sum(any(site["region"] in hand_codes for site in c.calcinosis_sites) for c in ssc) / len(ssc)
    assert 0.65 < with_hands < 0.75, "about 70% of SSc patients with calcinosis have hand lesions"

    literature = sum(c.source == "literature" for c in cases) / len(cases)
    assert 0.12 < literature < 0.18
    assert sum(c.sex == "female" for c in cases) / len(cases) > 0.75
    assert len({c.site for c in cases}) > 10
