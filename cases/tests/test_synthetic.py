"""The synthetic registry: same seed, same registry; every case one the services would accept.

The second half reads a few thousand generated cases (no database) against the clinical rules of the
second edition (clinical-v2.md): each test fails when the generator breaks its rule.
"""

import copy
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from pghistory.models import Events

from cases.document import case_document
from cases.document.reader import read_case
from cases.document.schema import CHILD_LISTS, READ_ONLY_FIELDS
from cases.models import (
    Agent,
    AnaPattern,
    BiopsyFinding,
    Case,
    Condition,
    Feature,
    Instrument,
    LabTest,
    Region,
    SerologyTest,
)
from cases.models.choices import Criteria, LateralityRule
from cases.services import case_create
from cases.synthetic import calcinosis_profiles, profiles
from cases.synthetic.generator import generate_case
from cases.synthetic.loader import load
from cases.vocabulary_data import CONDITION, INSTRUMENT, LAB_TEST, REGION
from conftest import case_document as small_case_document

SYNTHETIC = {"local_reference__startswith": "SYN-"}


def stored_documents() -> list[dict]:
    """Each synthetic case as its document, without what the database numbers (ids, registry ids)."""
    documents = []
    for case in Case.objects.for_detail().filter(**SYNTHETIC).order_by("local_reference"):
        doc = by_position(case_document(case))
        for key in ("registry_id", "quality_issues"):
            doc.pop(key)
        documents.append(doc)
    return documents


def by_position(document: dict) -> dict:
    """A document without the ids the database gave its rows: sites named by their position."""
    document = copy.deepcopy(document)
    positions = {row["id"]: i for i, row in enumerate(document["calcinosis_sites"])}
    for child in CHILD_LISTS:
        for row in document[child.key]:
            row.pop("id", None)
            if "site_ids" in row:
                row["site_indexes"] = [positions[pk] for pk in row.pop("site_ids")]
            for finding in row.get("site_findings", []):
                finding["site_index"] = positions[finding.pop("site_id")]
    return document


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_registry_and_another_seed_another():
    load(seed=11, count=40)
    first = stored_documents()
    Case.objects.filter(**SYNTHETIC).delete()

    load(seed=11, count=40, batch_size=3)  # in batches of other sizes too
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
    load(seed=3, count=200)
    cases = list(Case.objects.for_detail().filter(**SYNTHETIC))
    assert len(cases) == 200
    assert any(case.assessments.all() for case in cases) and any(case.biopsies.all() for case in cases)
    for case in cases:
        # Read back as a client would PUT what it got: refused with CaseValidationError if any rule fails.
        read_case(user=curator, data=case_document(case), case=case)


@pytest.mark.django_db
def test_the_loader_stores_what_the_services_would_store(curator):
    # Each case entered again through the services reads back as the loader stored it: the same
    # canonical lab values, lists of codes in the same order, nothing the loader wrote differently.
    record = {"registry_id", "version", "local_reference", "status", "quality_issues", "verified_at"}
    record |= {"created_at", "updated_at"}
    load(seed=5, count=40)
    for case in Case.objects.for_detail().filter(**SYNTHETIC):
        loaded = {k: v for k, v in by_position(case_document(case)).items() if k not in record}
        sent = {k: v for k, v in loaded.items() if k not in READ_ONLY_FIELDS}
        again = case_create(user=curator, data={**sent, "local_reference": f"again-{case.local_reference}"})
        stored = by_position(case_document(Case.objects.for_detail().get(pk=again.pk)))
        assert {k: v for k, v in stored.items() if k not in record} == loaded, case.local_reference


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
    every = profiles.PROFILES.values()
    used = {
        Condition: set(profiles.PRIMARY_CONDITIONS)
        | {profiles.SECONDARY_ALIASES.get(c, c) for p in every for c in p.secondary},
        Feature: {f for p in every for f in p.features}
        | {*profiles.FEATURE_IMPLIES, *profiles.FEATURE_IMPLIES.values(), *profiles.FEATURE_PAST},
        SerologyTest: {a for p in every for a in [*p.specific_antibody, *p.other_antibodies] if a}
        | {"ana", *profiles.ANTIBODY_REQUIRES, *profiles.ANTIBODY_REQUIRES.values()}
        | {c for companions in profiles.ANTIBODY_COMPANIONS.values() for c in companions},
        AnaPattern: {
            c for patterns in [*profiles.ANA_PATTERN_BY_ANTIBODY.values(), profiles.ANA_PATTERN_OTHER] for c in patterns
        }
        | {"ac0"},
        LabTest: {*profiles.LAB_TESTS, *profiles.LAB_UNITS, *(c for p in every for c in [*p.labs, *p.labs_high])},
        Region: set(calcinosis_profiles.HAND_REGIONS) | {r for p in every for r in p.regions},
        Agent: set(calcinosis_profiles.AGENT_USE) | {a for p in every for a in p.agents},
        Instrument: {*calcinosis_profiles.COMMON_INSTRUMENTS, *(i for p in every for i in p.instruments)},
        BiopsyFinding: {*profiles.BIOPSY_MUSCLE_FINDINGS, *profiles.BIOPSY_KIDNEY_CLASSES},
    }
    for model, codes in used.items():
        known = set(model.objects.filter(code__in=codes, active=True).values_list("code", flat=True))
        assert codes - known == set(), model.__name__
    stated = {code for p in every for criteria in p.criteria for code in criteria}
    assert stated - set(Criteria.values) == set()
    accepted = {test: {u["code"] for u in LabTest.objects.get(code=test).units} for test in profiles.LAB_UNITS}
    for test, ((us, _), (si, _)) in profiles.LAB_UNITS.items():
        assert {us, si} <= accepted[test], test


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

    hand_codes = set(calcinosis_profiles.HAND_REGIONS)
    ssc = [c for c in cases if c.diagnoses[0]["condition"] in ("ssc_limited", "ssc_diffuse")]
    with_hands = sum(any(site["region"] in hand_codes for site in c.calcinosis_sites) for c in ssc) / len(ssc)
    assert 0.65 < with_hands < 0.75, "about 70% of SSc patients with calcinosis have hand lesions"

    literature = sum(c.source == "literature" for c in cases) / len(cases)
    assert 0.12 < literature < 0.18
    assert sum(c.sex == "female" for c in cases) / len(cases) > 0.75
    assert len({c.site for c in cases}) > 10


# The clinical rules, read on generated cases.


@pytest.fixture(scope="module")
def registry() -> list:
    """Six thousand generated cases of seed 1: enough for every rule to be met many times."""
    return [generate_case(1, i) for i in range(6000)]


_PARENTS = {code: parent for code, _label, parent, _extra in CONDITION}


def _family(case) -> str:
    """The root of the primary condition in the condition tree (jdm → dm, ssc_limited → ssc)."""
    code = case.diagnoses[0]["condition"]
    while _PARENTS[code]:
        code = _PARENTS[code]
    return code


def _positive(case, test) -> bool:
    return any(row["test"] == test and row["result"] == "positive" for row in case.serology)


@pytest.mark.django_db
def test_lesions_take_the_sides_their_region_allows_and_digits_their_phalanges(registry):
    rules = {code: extra["laterality_rule"] for code, _label, _parent, extra in REGION}
    sides = {rule: {str(side) for side in Region.SIDES[LateralityRule(rule)]} for rule in set(rules.values())}
    digit_paths = Q(path__startswith=Region.DIGIT_PATHS[0]) | Q(path__startswith=Region.DIGIT_PATHS[1])
    digits = set(Region.objects.filter(digit_paths).values_list("code", flat=True))
    seen = Counter()
    for case in registry:
        for site in case.calcinosis_sites:
            region, rule = site["region"], rules[site["region"]]
            assert site["laterality"] in sides[rule], (case.local_reference, site)
            seen[rule, site["laterality"]] += 1
            assert site["digit_segment"] is None or region in digits, (case.local_reference, site)
            assert not (site["digit_segment"] == "middle" and region in Region.NO_MIDDLE_PHALANX), case.local_reference
            seen[region] += 1
    assert seen["paired", "bilateral"] and seen["midline", "midline"] and seen["any", "midline"]
    assert all(seen[f"toe_{n}"] for n in range(1, 6)) and seen["hip"]


def test_lesions_are_described_whole(registry):
    for case in registry:
        for site in case.calcinosis_sites:
            assert 1 <= len(site["methods"]) <= 3 and len(set(site["methods"])) == len(site["methods"])
            if "size_short_mm" in site:
                assert Decimal("0.1") <= Decimal(site["size_short_mm"]) <= Decimal(site["size_mm"])
            assert 0 <= site.get("pain_nrs", 0) <= 10 and site.get("count", 1) >= 1
    sites = [site for case in registry for site in case.calcinosis_sites]
    assert sum(len(site["methods"]) > 1 for site in sites) / len(sites) > 0.2
    assert any("depth" in site for site in sites) and any(site["extruding"] for site in sites)


def test_lab_values_are_in_a_unit_the_test_accepts_and_plausible_there(registry):
    tests = {code: extra for code, _label, _parent, extra in LAB_TEST}
    units = defaultdict(set)
    for case in registry:
        for row in case.labs:
            if row.get("value") is None:
                continue
            test = tests[row["test"]]
            factors = {unit["code"]: Decimal(unit["factor"]) for unit in test["units"]}
            assert row["unit"] in factors, (case.local_reference, row)
            canonical = Decimal(row["value"]) * factors[row["unit"]]
            assert Decimal(test["plausible_min"]) <= canonical <= Decimal(test["plausible_max"]), row
            units[row["test"]].add(row["unit"])
    # SI and US units side by side, as reports from different countries give them.
    assert {"mg/dL", "mmol/L"} <= units["calcium"] and {"mg/dL", "umol/L"} <= units["creatinine"]


def test_an_abnormal_schirmer_test_is_at_most_5_mm_and_per_eye_tests_name_the_eye(registry):
    per_eye = {"schirmer", "ocular_staining_score"}
    eyes = Counter()
    for case in registry:
        for row in case.labs:
            if row["test"] == "schirmer" and row.get("interpretation") == "abnormal" and row.get("value"):
                assert int(row["value"]) <= 5, (case.local_reference, row)
            if row.get("value") is not None:
                assert (row.get("laterality") is not None) == (row["test"] in per_eye), row
            eyes[row["test"], row.get("laterality")] += 1
    assert eyes["schirmer", "left"] and eyes["schirmer", "right"] and eyes["schirmer", None]
    assert eyes["ocular_staining_score", "right"] and eyes["salivary_flow_unstimulated", None]


def test_antibodies_come_together_as_they_do_in_patients(registry):
    for case in registry:
        if _positive(case, "anti_la_ssb"):
            assert _positive(case, "anti_ro_ssa"), case.local_reference  # anti-La only with anti-Ro
    sm_lupus = [c for c in registry if _family(c) in ("sle", "cle") and _positive(c, "anti_sm")]
    assert sum(_positive(c, "anti_dsdna") for c in sm_lupus) / len(sm_lupus) > 0.6
    ana = [row for case in registry for row in case.serology if row["test"] == "ana"]
    assert sum(row["method"] == "iif_hep2" for row in ana) / len(ana) > 0.7
    mixed = [
        rows
        for case in registry
        if len(rows := [r for r in case.serology if r["test"] == "ana" and r["result"] == "positive"]) > 1
    ]
    assert mixed and all(len({r["pattern"] for r in rows}) == len({r["titer"] for r in rows}) == 2 for rows in mixed)


def test_indications_fit_the_drug(registry):
    given = defaultdict(Counter)
    for case in registry:
        for course in case.treatments:
            given[course["agent"]][course["indication"]] += 1
            if course.get("response_scope", "agent") == "agent" and course["indication"] in (
                "underlying_disease",
                "gerd",
                "raynaud_vasculopathy",
            ):
                assert course["response"] == "not_assessed", (case.local_reference, course)

    def share(agents, indication) -> float:
        counts = sum((given[a] for a in agents), Counter())
        return counts[indication] / sum(counts.values())

    assert share(("diltiazem", "nifedipine", "amlodipine", "ccb"), "raynaud_vasculopathy") > 0.5
    assert given["hydroxychloroquine"]["calcinosis"] == 0 and share(["hydroxychloroquine"], "underlying_disease") > 0.8
    assert share(("methotrexate", "mycophenolate", "azathioprine"), "underlying_disease") > 0.8
    assert share(["antacid"], "gerd") > 0.8 and share(["antibiotic"], "infection") > 0.8
    assert share(["analgesic"], "symptomatic") > 0.8
    assert share(("sodium_thiosulfate", "alendronate", "pamidronate", "surgical_excision"), "calcinosis") > 0.8
    assert 0.03 < share(list(given), "unclear") < 0.2


def test_a_regimen_shares_one_outcome_and_responses_carry_their_details(registry):
    regimens, literature_only = 0, True
    for case in registry:
        scoped = [c for c in case.treatments if c.get("response_scope") == "regimen"]
        for label in {c["regimen"] for c in scoped}:
            courses = [c for c in case.treatments if c.get("regimen") == label]
            assert len(courses) > 1 and len({c["response"] for c in scoped if c["regimen"] == label}) == 1
            regimens += 1
        for course in case.treatments:
            response, change = course["response"], course.get("size_change_pct")
            literature_only &= response != "not_complete" or case.source == "literature"
            if change is not None:
                low, high = {"complete": (-100, -100), "partial": (-90, -25), "none": (-10, 10)}.get(
                    response, (25, 1000)
                )
                assert low <= float(change) <= high and (response != "progression" or float(change) > 25), course
            assert (course.get("response_basis") is None) == (response == "not_assessed"), course
            assert not (course["stop_reason"] == "ongoing" and course["stopped_on"]), course
    courses = [c for case in registry for c in case.treatments]
    assert regimens > 100 and sum(c.get("response_scope") == "regimen" for c in courses) / len(courses) < 0.2
    assert literature_only and any(c["response"] == "not_complete" for c in courses)
    assert any(c.get("response_at_months") for c in courses) and any(c["stop_reason"] == "ineffective" for c in courses)


def test_about_half_of_the_clinic_cases_are_followed_up_at_distinct_months(registry):
    clinic = [case for case in registry if case.source == "clinic"]
    assert 0.4 < sum(bool(case.assessments) for case in clinic) / len(clinic) < 0.6
    assert not any(case.assessments for case in registry if case.source == "literature")
    for case in registry:
        months = [float(a["months_from_presentation"]) for a in case.assessments]
        assert len(months) <= 5 and months == sorted(set(months)), (case.local_reference, months)
        gone = set()
        for assessment in case.assessments:
            named = [f["site_index"] for f in assessment["site_findings"]]
            assert len(named) == len(set(named)) and not gone & set(named), case.local_reference
            assert all(0 <= i < len(case.calcinosis_sites) for i in named)
            gone |= {f["site_index"] for f in assessment["site_findings"] if f["change"] == "resolved"}


def test_scores_are_in_range_on_their_step_and_fit_the_disease(registry):
    bounds = {code: extra for code, _label, _parent, extra in INSTRUMENT}
    for_disease = {
        "mrss": {"ssc", "overlap", "mctd"},
        "chfs": {"ssc"},
        "sctc_hand_simple": {"ssc"},
        "cdasi_activity": {"dm", "pm"},
        "cdasi_damage": {"dm", "pm"},
        "mmt8": {"dm", "pm", "overlap"},
        "essdai": {"sjogren"},
        "esspri": {"sjogren"},
        "sledai_2k": {"sle", "cle"},
    }
    scored = Counter()
    for case in registry:
        for assessment in case.assessments:
            for score in assessment["scores"]:
                code, value = score["instrument"], Decimal(score["value"])
                low, high = Decimal(bounds[code]["minimum"]), Decimal(bounds[code]["maximum"])
                assert low <= value <= high and (value - low) % Decimal(bounds[code]["step"]) == 0, score
                assert _family(case) in for_disease.get(code, {_family(case)}), (case.local_reference, code)
                scored[code] += 1
    assert all(scored[code] for code in bounds if code != "physician_global") and scored["haq_di"]


def test_lesions_follow_the_course_that_targeted_them(registry):
    outcome = defaultdict(Counter)
    for case in registry:
        for index in range(len(case.calcinosis_sites) if case.assessments else 0):
            targeted = [c for c in case.treatments if index in c["site_indexes"] and c["response"] != "not_assessed"]
            changes = [f["change"] for a in case.assessments for f in a["site_findings"] if f["site_index"] == index]
            if len(targeted) != 1 or not any(changes):
                continue
            seen = next((c for c in ("resolved", "smaller", "larger") if c in changes), "unchanged")
            outcome[targeted[0]["agent"]][seen] += 1

    def share(agent, *kinds) -> float:
        return sum(outcome[agent][kind] for kind in kinds) / sum(outcome[agent].values())

    assert share("surgical_excision", "resolved") > 0.5  # surgery mostly resolves the lesion
    assert share("warfarin", "unchanged") > 0.5  # warfarin mostly leaves it as it was
    assert share("sodium_thiosulfate", "smaller", "resolved") > 0.5  # thiosulfate often shrinks it


def test_diagnoses_keep_their_ages_in_order(registry):
    suspected = two_sets = 0
    for case in registry:
        primary, age = case.diagnoses[0], case.age_at_presentation
        onset, diagnosed = primary["age_at_onset"], primary["age_at_diagnosis"]
        assert (onset or 0) <= (diagnosed or age) <= age and (onset or 0) <= age, case.local_reference
        if onset is not None and primary["duration_basis"] == "since_onset" and primary["duration_years"]:
            assert abs(onset + float(primary["duration_years"]) - age) <= 1, case.local_reference
        assert case.calcinosis_onset_age is None or (onset or 0) <= case.calcinosis_onset_age <= age
        suspected += sum(d.get("certainty") == "suspected" for d in case.diagnoses[1:])
        two_sets += len(primary["criteria_stated"]) == 2
    assert suspected and two_sets and any(c.calcinosis_onset_age is not None for c in registry)


def test_features_biopsies_and_consent_fit_the_case(registry):
    def present(family, feature) -> float:
        cases = [c for c in registry if _family(c) == family]
        return sum(any(f["feature"] == feature and f["status"] == "present" for f in c.features) for c in cases) / len(
            cases
        )

    assert present("sjogren", "dry_eyes_3_months") > 0.6 and present("dm", "gottron_papules") > 0.5
    assert present("ssc", "digital_tip_ulcers") > 0.2 and present("sle", "acute_cutaneous_lupus") > 0.2
    features = [f for case in registry for f in case.features]
    assert {f.get("timing") for f in features if f["status"] == "present"} == {None, "current", "past"}
    biopsies = Counter()
    for case in registry:
        for biopsy in case.biopsies:
            assert biopsy.get("focus_score") is None or biopsy["tissue"] == "labial_salivary_gland"
            biopsies[_family(case), biopsy["tissue"], bool(biopsy.get("findings"))] += 1
        if case.consent_scope and case.source == "clinic":
            assert case.consent in ("written", "verbal") and "registry" in case.consent_scope
            assert case.consent_on is None or case.consent_on <= case.created_at.date()
    assert biopsies["sjogren", "labial_salivary_gland", True] and biopsies["dm", "muscle", True]
    assert sum(n for (_family_, tissue, _), n in biopsies.items() if tissue == "calcinosis_lesion")


@pytest.mark.django_db
def test_synthetic_literature_cases_cannot_be_taken_for_real_reports():
    # Issue 17: they landed in the real "Published case reports" site with realistic citations and PMIDs.
    load(seed=3, count=120)
    published = Case.objects.filter(source="literature").select_related("site", "publication")
    assert published.exists()
    for case in published:
        assert case.site.code == "syn-literature" and "not real" in case.site.name
        assert case.publication.title.startswith("[Synthetic] ") and case.publication.pmid is None
        assert case.publication.doi.startswith("10.5555/")
    assert not Case.objects.filter(site__code="literature").exists()
