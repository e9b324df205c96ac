"""The case changelist and case page of the admin: what curators see, and saving through the services."""

import pytest
from django.urls import reverse

from cases.models import Case, Publication
from cases.services import case_update
from cases.tests.test_admin_support import add_row, count_queries, form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:cases_case_changelist"


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def change_url(case):
    return reverse("admin:cases_case_change", args=[case.pk])


def page(response) -> str:
    return response.content.decode()


def listed(response) -> list[str]:
    return [case.registry_id for case in response.context["cl"].result_list]


# --- the changelist ---------------------------------------------------------------------------


def test_the_changelist_shows_each_case_summary(curator_client, make_case):
    case = make_case(diagnoses=[{"condition": "ssc_limited", "is_primary": True}], age_at_presentation=61)
    response = curator_client.get(reverse(CHANGELIST))
    html = page(response)
    assert response.status_code == 200
    for text in (
        case.registry_id,
        "Clinic A",
        "Clinic",
        "Female",
        "61",
        "Limited cutaneous systemic sclerosis (incl. CREST)",
        "Submitted",
    ):
        assert text in html, text


def test_the_problem_column_counts_each_case_s_problems(curator_client, make_case):
    clean = make_case()
    # No primary diagnosis, no calcinosis site: two problems.
    messy = make_case(diagnoses=[], calcinosis_sites=[], treatments=[])
    response = curator_client.get(reverse(CHANGELIST))
    counts = {case.registry_id: case.quality_problems for case in response.context["cl"].result_list}
    assert counts == {clean.registry_id: 0, messy.registry_id: 2}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("site__id__exact={site_b}", ["b"]),
        ("status__exact=draft", ["draft"]),
        ("source__exact=literature", ["literature"]),
        ("primary_condition=ssc", ["a", "draft", "b"]),  # ssc_limited and ssc_diffuse are below ssc
        ("primary_condition=sjogren", ["literature"]),
        ("region=hand", ["a", "draft", "literature"]),  # fingers are below hand
        ("region=elbow", ["b"]),
        ("agent=bisphosphonate", ["b"]),
        ("agent=ccb", ["a", "draft", "literature"]),
        ("quality=problems", ["literature"]),
        ("quality=clean", ["a", "draft", "b"]),
        ("quality=ana_positive_without_titer", ["literature"]),
    ],
)
def test_changelist_filters(curator_client, make_case, site_b, query, expected):
    cases = {
        "a": make_case(),
        "draft": make_case(status="draft"),
        "b": make_case(
            site="clinic-b",
            diagnoses=[{"condition": "ssc_diffuse", "is_primary": True}],
            calcinosis_sites=[{"region": "elbow", "laterality": "left", "methods": ["radiograph"]}],
            treatments=[{"agent": "alendronate", "indication": "calcinosis", "response": "none"}],
        ),
        "literature": make_case(
            source="literature",
            publication={"doi": "10.1000/xyz"},
            diagnoses=[{"condition": "sjogren_primary", "is_primary": True}],
            serology=[{"test": "ana", "result": "positive"}],
        ),
    }
    response = curator_client.get(reverse(CHANGELIST) + "?" + query.format(site_b=site_b.pk))
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(cases[name].registry_id for name in expected)


@pytest.mark.parametrize(
    "term",
    ["{registry_id}", "{number}", "10.1000/ABC", "https://doi.org/10.1000/abc", "12345678", "HOSP-17", "porcelain"],
)
def test_search_finds_a_case_by_its_identifiers_and_summary(curator_client, make_case, term):
    wanted = make_case(
        source="literature",
        summary="Porcelain-white nodules.",
        local_reference="HOSP-17",
        publication={"doi": "10.1000/abc", "pmid": 12345678},
    )
    make_case(summary="Nothing alike.")
    term = term.format(registry_id=wanted.registry_id, number=int(wanted.registry_id[3:]))
    response = curator_client.get(reverse(CHANGELIST), {"q": term})
    assert listed(response) == [wanted.registry_id]


def test_changelist_queries_do_not_grow_with_the_cases_on_the_page(curator_client, make_case):
    """Per page: session, user, groups, the site filter's sites, the three vocabulary filters' concepts
    (and the codes below each chosen one), the capped query of ids (the count and the page), the page's
    rows by id, the savepoint around the page's SET LOCAL, and the session's save; whatever the rows."""
    url = reverse(CHANGELIST) + "?quality=problems&primary_condition=ssc&region=finger&agent=ccb"
    make_case(serology=[{"test": "ana", "result": "positive"}])
    few = count_queries(lambda: curator_client.get(url))
    for _ in range(15):
        make_case(serology=[{"test": "ana", "result": "positive"}])
    response = curator_client.get(url)
    assert len(listed(response)) == 16
    assert count_queries(lambda: curator_client.get(url)) == few
    plain = count_queries(lambda: curator_client.get(reverse(CHANGELIST)))
    assert plain <= 15


def test_no_query_reads_every_case(curator_client, make_case):
    """The count and the page's ids come from one query capped at cap + 1 rows; the rows by their ids."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.admin.pagination import CappedCountPaginator

    make_case(serology=[{"test": "ana", "result": "positive"}])
    with CaptureQueriesContext(connection) as queries:
        curator_client.get(reverse(CHANGELIST) + "?quality=problems")
    on_cases = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "cases_case"' in q["sql"]]
    assert len(on_cases) == 2
    assert all(f"LIMIT {CappedCountPaginator.cap + 1}" in sql or '"cases_case"."id" IN (' in sql for sql in on_cases)
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_past_the_cap_the_count_is_an_estimate_or_a_lower_bound(curator_client, make_case, monkeypatch):
    from cases.admin.case_admin import CaseAdmin
    from cases.admin.pagination import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    monkeypatch.setattr(CaseAdmin, "list_per_page", 1)
    cases = sorted(make_case().registry_id for _ in range(4))
    whole = curator_client.get(reverse(CHANGELIST))
    assert whole.context["cl"].paginator.count_is_estimate
    assert "about" in page(whole)
    assert listed(whole) == cases[:1]

    filtered = curator_client.get(reverse(CHANGELIST), {"status__exact": "submitted", "p": 3})
    assert filtered.context["cl"].paginator.count_is_lower_bound
    assert "more than 2 cases" in page(filtered) and "more than 2 results" in page(filtered)
    assert listed(filtered) == cases[2:3]


def test_a_later_page_lists_the_next_cases(curator_client, make_case, monkeypatch):
    from cases.admin.case_admin import CaseAdmin

    monkeypatch.setattr(CaseAdmin, "list_per_page", 2)
    cases = sorted(make_case().registry_id for _ in range(5))
    pages = [listed(curator_client.get(reverse(CHANGELIST), {"p": n})) for n in (1, 2, 3)]
    assert pages == [cases[0:2], cases[2:4], cases[4:5]]
    assert listed(curator_client.get(reverse(CHANGELIST), {"o": "-1", "p": 2})) == cases[::-1][2:4]


# --- the case page ----------------------------------------------------------------------------


def fifty_row_case(make_case):
    conditions = ["ssc_limited", "sle", "sjogren", "dm", "ra", "mctd", "uctd", "overlap", "pm", "other"]
    features = [
        "raynaud",
        "puffy_fingers",
        "sclerodactyly",
        "digital_ulcers",
        "pitting_scars",
        "telangiectasia",
        "ild",
        "pah",
        "gerd",
        "dysphagia",
    ]
    tests = [
        "ana",
        "anti_scl70",
        "anti_centromere",
        "anti_rnapol3",
        "anti_pmscl",
        "anti_ro_ssa",
        "anti_la_ssb",
        "anti_dsdna",
        "anti_sm",
        "rf",
    ]
    return make_case(
        diagnoses=[{"condition": code, "is_primary": i == 0} for i, code in enumerate(conditions)],
        features=[{"feature": code, "status": "present"} for code in features],
        serology=[{"test": code, "result": "negative"} for code in tests],
        labs=[{"test": "calcium", "value": f"2.{i}", "unit": "mmol/L"} for i in range(10)],
        calcinosis_sites=[
            {"region": f"finger_{i}", "laterality": "left", "methods": ["radiograph"]} for i in range(1, 6)
        ],
        treatments=[
            {"agent": agent, "indication": "calcinosis", "response": "none", "site_indexes": [0, 1]}
            for agent in ["diltiazem", "alendronate", "colchicine", "warfarin", "minocycline"]
        ],
    )


def test_the_case_page_shows_every_list_as_an_inline(curator_client, make_case):
    case = make_case(status="submitted")
    response = curator_client.get(change_url(case))
    html = page(response)
    for prefix in ("diagnoses", "features", "serology", "labs", "calcinosis_sites", "treatments"):
        assert f'name="{prefix}-TOTAL_FORMS" value="1"' in html, prefix
    assert "Limited cutaneous systemic sclerosis (incl. CREST) (ssc_limited)" in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html  # vocabulary fields are autocompletes
    assert reverse("admin:cases_case_history", args=[case.pk]) in html
    assert "No data-quality problems found" in html
    # Identifiers are shown, not editable.
    assert case.registry_id in html and 'name="registry_id"' not in html and 'name="version"' not in html


def test_the_case_page_of_fifty_rows_costs_the_same_queries_as_one_of_six(curator_client, make_case):
    """Session, user, groups and the session's save; the case with its lists and their concepts
    (for_detail, with the duplicate flag and the stored criteria results); per inline its rows, plus the treatment targets and the
    site choices; one per vocabulary for the pickers' labels; the selected site; the content type."""
    small, large = make_case(), fifty_row_case(make_case)
    assert count_queries(lambda: curator_client.get(change_url(small))) == count_queries(
        lambda: curator_client.get(change_url(large))
    )
    assert count_queries(lambda: curator_client.get(change_url(large))) <= 36


def test_saving_the_page_unchanged_stores_the_same_case(curator_client, make_case):
    case = fifty_row_case(make_case)
    data = form_data(curator_client.get(change_url(case)))
    response = curator_client.post(change_url(case), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    case.refresh_from_db()
    assert case.version == 2
    assert case.diagnoses.count() == 10 and case.treatments.count() == 5
    assert all(t.sites.count() == 2 for t in case.treatments.all())


def test_saving_fifty_rows_takes_a_bounded_number_of_queries(curator_client, make_case):
    small, large = make_case(), fifty_row_case(make_case)
    small_data = form_data(curator_client.get(change_url(small)))
    large_data = form_data(curator_client.get(change_url(large)))
    small_cost = count_queries(lambda: curator_client.post(change_url(small), small_data))
    large_cost = count_queries(lambda: curator_client.post(change_url(large), large_data))
    assert large_cost == small_cost


def test_a_change_goes_through_the_services_with_the_audit_trail(curator_client, make_case, curator):
    case = make_case()
    data = form_data(curator_client.get(change_url(case)))
    data["age_at_presentation"] = "57"
    data["serology-0-result"] = "negative"
    add_row(data, "features", {"feature": "ild", "status": "absent"})
    data["labs-0-DELETE"] = "on"
    response = curator_client.post(change_url(case), data)
    assert response.status_code == 302
    case = Case.objects.for_detail().get(pk=case.pk)
    assert case.age_at_presentation == 57 and case.version == 2
    assert [s.result for s in case.serology.all()] == ["negative"]
    assert {f.feature_id: f.status for f in case.features.all()} == {"raynaud": "present", "ild": "absent"}
    assert list(case.labs.all()) == []
    from cases.history import case_history

    updates = [e for e in case_history(case) if e.operation == "case_update"]
    assert {e.user for e in updates} == {curator.username}
    assert any(e.changes.get("age_at_presentation") == [50, 57] for e in updates)


def test_errors_of_the_services_appear_on_the_fields_and_rows_they_name(curator_client, make_case):
    case = make_case()
    data = form_data(curator_client.get(change_url(case)))
    data["age_at_presentation"] = "130"
    add_row(data, "diagnoses", {"condition": "sle", "is_primary": "on", "criteria": "none_stated"})
    add_row(data, "serology", {"test": "rf", "result": "positive", "pattern": "nuclear"})
    response = curator_client.post(change_url(case), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["age_at_presentation"]
    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    assert "Only one diagnosis can be primary." in formsets["diagnoses"].forms[1].errors["is_primary"]
    assert "A pattern is recorded for ANA only." in formsets["serology"].forms[1].errors["pattern"]
    case.refresh_from_db()
    assert case.version == 1 and case.age_at_presentation == 50  # nothing stored


def test_a_stale_save_is_refused_and_overwrites_nothing(curator_client, make_case, clinician_a):
    case = make_case()
    data = form_data(curator_client.get(change_url(case)))
    # Meanwhile the clinician changes the case.
    case_update(user=clinician_a, case=case, data={"summary": "Clinician's edit."}, version=1, partial=True)
    data["summary"] = "Curator's edit."
    response = curator_client.post(change_url(case), data)
    assert response.status_code == 200
    assert "changed by someone else" in page(response)
    case.refresh_from_db()
    assert case.summary == "Clinician's edit." and case.version == 2


def test_an_inactive_code_stays_on_an_old_row_and_is_refused_for_a_new_one(curator_client, make_case):
    from cases.models import Feature

    case = make_case()
    Feature.objects.filter(code="raynaud").update(active=False)
    response = curator_client.get(change_url(case))
    assert "Raynaud phenomenon (raynaud) — inactive" in page(response)
    data = form_data(response)
    assert curator_client.post(change_url(case), data).status_code == 302  # the old row keeps it
    other = make_case(features=[])
    data = add_row(
        form_data(curator_client.get(change_url(other))), "features", {"feature": "raynaud", "status": "present"}
    )
    response = curator_client.post(change_url(other), data)
    assert response.status_code == 200
    assert "no longer in use for new entries" in page(response)


def test_linking_a_publication_known_by_its_citation_alone(curator_client, make_case):
    case = make_case()
    book = Publication.objects.create(citation="A textbook, chapter 7.", year=2019)
    data = form_data(curator_client.get(change_url(case)))
    data.update(source="literature", publication=str(book.pk))
    assert curator_client.post(change_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.publication == book and Publication.objects.count() == 1


def test_linking_a_publication_that_cannot_be_named_is_explained(curator_client, make_case):
    case = make_case()
    untitled = Publication.objects.create(title="Only a title")
    data = form_data(curator_client.get(change_url(case)))
    data.update(source="literature", publication=str(untitled.pk))
    response = curator_client.post(change_url(case), data)
    assert response.status_code == 200
    assert "has no DOI, PMID or citation" in page(response)
    assert Publication.objects.count() == 1


def test_linking_a_publication_by_doi(curator_client, make_case):
    case = make_case()
    paper = Publication.objects.create(doi="10.1000/paper", title="A paper")
    data = form_data(curator_client.get(change_url(case)))
    data.update(source="literature", publication=str(paper.pk))
    assert curator_client.post(change_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.publication == paper and Publication.objects.count() == 1


def test_a_curator_adds_a_case_through_the_services(curator_client, site_a, curator):
    add_url = reverse("admin:cases_case_add")
    data = form_data(curator_client.get(add_url))
    data.update(site=str(site_a.pk), sex="male", age_at_presentation="33", consent="written")
    add_row(data, "diagnoses", {"condition": "dm", "is_primary": "on", "criteria": "none_stated"})
    add_row(
        data,
        "calcinosis_sites",
        {"region": "elbow", "laterality": "left", "methods": ["ct"], "morphology": "unspecified"},
    )
    response = curator_client.post(add_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    case = Case.objects.get()
    assert (case.sex, case.age_at_presentation, case.created_by) == ("male", 33, curator)
    assert case.diagnoses.get(is_primary=True).condition_id == "dm"
    assert response["Location"] == reverse(CHANGELIST)


def test_deleting_a_case_goes_through_the_service(curator_client, make_case):
    case = make_case()
    response = curator_client.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_case_document_is_what_the_admin_saves(curator_client, make_case):
    """The admin posts the same document the API takes: a PUT of an unchanged case changes nothing."""
    from cases.document import case_document as stored

    case = make_case(
        publication={"doi": "10.1000/same"},
        source="literature",
        serology=[
            {"test": "ana", "result": "positive", "titer": 640, "pattern": "speckled", "tested_on": "2020-02-03"}
        ],
    )
    before = stored(Case.objects.for_detail().get(pk=case.pk))
    curator_client.post(change_url(case), form_data(curator_client.get(change_url(case))))
    after = stored(Case.objects.for_detail().get(pk=case.pk))
    for key in ("version", "updated_at"):
        before.pop(key), after.pop(key)
    assert after == before


def test_the_changelist_filters_by_the_computed_criteria(curator_client, make_case):
    from cases.tests.criteria_cases import SSC_MET, SSC_NOT_MET

    met, not_met, open_case = make_case(**SSC_MET), make_case(**SSC_NOT_MET), make_case()
    for status, case in (("met", met), ("not_met", not_met), ("indeterminate", open_case)):
        response = curator_client.get(reverse(CHANGELIST), {"criteria_status": f"acr_eular_2013_ssc:{status}"})
        assert listed(response) == [case.registry_id], status
    response = curator_client.get(reverse(CHANGELIST))
    assert "classification criteria (computed)" in response.content.decode()
