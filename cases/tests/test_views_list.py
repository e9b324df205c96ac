"""The case list: the API's filterset in the URL, inline filter errors, sorting and pages that keep the filters."""

import re

import pytest
from django.urls import reverse

from cases.views.case_list import PAGE_SIZE

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return re.findall(r'data-registry-id="(CC-\d+)"', response.content.decode())


@pytest.fixture
def three_cases(make_case, clinician_a):
    ro_finger = make_case(
        user=clinician_a,
        age_at_presentation=56,
        serology=[{"test": "anti_ro_ssa", "result": "positive"}],
        calcinosis_sites=[{"region": "finger_5", "laterality": "right", "methods": ["radiograph"]}],
        treatments=[],
    )
    ro_elbow = make_case(
        user=clinician_a,
        age_at_presentation=44,
        serology=[{"test": "anti_ro_ssa", "result": "positive"}],
        calcinosis_sites=[{"region": "elbow", "laterality": "left", "methods": ["radiograph"]}],
        treatments=[],
    )
    scl_finger = make_case(
        user=clinician_a, age_at_presentation=61, serology=[{"test": "anti_scl70", "result": "positive"}], treatments=[]
    )
    return ro_finger, ro_elbow, scl_finger


def test_filters_in_the_url_narrow_the_list_and_say_how_many(client, clinician_a, three_cases):
    ro_finger, ro_elbow, _ = three_cases
    client.force_login(clinician_a)
    response = client.get(reverse("cases:list"), {"positive": "anti_ro_ssa", "region": "finger"})
    assert listed(response) == [ro_finger.registry_id]
    assert "<strong>1</strong> matching case" in response.content.decode()
    # A repeated code means "all of these".
    both = client.get(reverse("cases:list") + "?positive=anti_ro_ssa&region=finger&region=elbow")
    assert listed(both) == []
    assert listed(client.get(reverse("cases:list"), {"region": "upper_limb"})) == [c.registry_id for c in three_cases]


def test_the_filter_panel_shows_the_chosen_filters(client, clinician_a, three_cases):
    client.force_login(clinician_a)
    html = client.get(reverse("cases:list"), {"positive": "anti_ro_ssa", "age_min": "50"}).content.decode()
    assert re.search(r'<option value="anti_ro_ssa" selected>', html)
    assert re.search(r'name="age_min" value="50"', html)


def test_an_invalid_filter_is_explained_beside_it(client, clinician_a, three_cases):
    client.force_login(clinician_a)
    response = client.get(reverse("cases:list"), {"region": "elbowz", "age_min": "old"})
    assert response.status_code == 200
    html = response.content.decode()
    region = html[html.index('id="id_region-field"') :]
    assert "elbowz" in region[region.index("id_region-error") : region.index("</div>\n</div>")]
    assert 'id="id_age_min-error"' in html
    assert listed(response) == [] and "correct the filters marked in red" in html


def test_a_clinician_is_offered_only_their_own_sites_and_another_clinics_is_unknown(
    client, clinician_a, site_b, make_case
):
    make_case(site="clinic-b")
    client.force_login(clinician_a)
    html = client.get(reverse("cases:list")).content.decode()
    site_field = html[html.index('id="id_site-field"') :]
    site_field = site_field[: site_field.index("</select>")]
    assert 'value="clinic-a"' in site_field and "clinic-b" not in site_field and "Clinic B" not in site_field
    errors = []
    for code in ("clinic-b", "nowhere"):
        page = client.get(reverse("cases:list"), {"site": code}).content.decode()
        field = page[page.index('id="id_site-field"') :]
        errors.append(field[field.index("id_site-error") : field.index("</div>\n</div>")])
    assert errors[0] == errors[1] and "Unknown site." in errors[0]


def test_sorting_and_pages_keep_the_filters(client, clinician_a, make_case):
    for age in range(PAGE_SIZE + 2):
        make_case(user=clinician_a, age_at_presentation=age, treatments=[])
    client.force_login(clinician_a)
    first = client.get(reverse("cases:list"), {"ordering": "-age_at_presentation", "sex": "female"})
    html = first.content.decode()
    assert "Page 1 of 2" in html
    next_link = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "sex=female" in next_link and "ordering=-age_at_presentation" in next_link and "page=2" in next_link
    second = client.get(reverse("cases:list") + next_link)
    assert len(listed(second)) == 2
    assert "<strong>27</strong> matching cases" in second.content.decode()
    # The column header flips the order and starts again at page 1, filters kept.
    header = re.search(r'aria-sort="descending"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "ordering=age_at_presentation" in header and "sex=female" in header and "page" not in header


def test_the_list_reads_a_fixed_number_of_queries(client, clinician_a, make_case, django_assert_max_num_queries):
    client.force_login(clinician_a)
    make_case(user=clinician_a)
    client.get(reverse("cases:list"))  # warm the session
    # session, user, groups and memberships (access); the count; the page of cases and the 11 prefetches
    # of for_detail(); 3 label tables; the 9 option lists of the filter panel; the session save.
    with django_assert_max_num_queries(32) as few:
        client.get(reverse("cases:list"))
    for _ in range(10):
        make_case(user=clinician_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cases:list"))


def test_every_filter_has_a_label(client, clinician_a):
    from cases.tests.test_views_form import FormReader

    client.force_login(clinician_a)
    reader = FormReader(client.get(reverse("cases:list")).content.decode(), form_id="filters")
    unlabelled = [c for c in reader.controls if not (c["wrapped"] or (c["id"] and c["id"] in reader.label_for))]
    assert len(reader.controls) > 20 and unlabelled == []


def test_past_the_cap_the_list_says_more_than_and_still_pages(client, clinician_a, make_case, settings):
    """Counted up to CASE_COUNT_CAP (10,000 by default); past it the page says so rather than counting on."""
    settings.CASE_COUNT_CAP = 3
    made = sorted(make_case(user=clinician_a, sex="female").registry_id for _ in range(5))
    client.force_login(clinician_a)
    html = client.get(reverse("cases:list"), {"sex": "female"}).content.decode()
    assert "<strong>more than 3</strong> matching cases" in html
    assert listed(client.get(reverse("cases:list"), {"sex": "female"})) == made
    settings.CASE_COUNT_CAP = 5
    html = client.get(reverse("cases:list"), {"sex": "female"}).content.decode()
    assert "<strong>5</strong> matching cases" in html


def test_the_default_cap_is_ten_thousand_said_with_a_comma(client, clinician_a, make_case, settings, monkeypatch):
    from cases.paging import CappedCountPaginator

    assert settings.CASE_COUNT_CAP == 10_000
    # Ten thousand cases are too many to make in a test: the paginator is told the cap is passed.
    monkeypatch.setattr(CappedCountPaginator, "first_ids", list(range(10_001)))
    make_case(user=clinician_a, sex="female")
    client.force_login(clinician_a)
    html = client.get(reverse("cases:list"), {"sex": "female"}).content.decode()
    assert "<strong>more than 10,000</strong> matching cases" in html
