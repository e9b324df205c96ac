"""The whole-case entry form over HTTP: what a clinician types becomes the stored case, errors come back inline."""

import pytest
from django.urls import reverse

from cases.document import case_document
from cases.founding_cases import SJOGREN_DIGITAL
from cases.models import Case, ClinicalFeature, Publication
from cases.services import case_update
from cases.tests.form_pages import FormReader, assert_stored, fill, page_form
from conftest import SiteFactory
from conftest import case_document as clinic_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def literature(clinician_a):
    site = SiteFactory(code="literature", name="Published case reports")
    clinician_a.memberships.create(site=site)
    return site


def test_every_fact_of_the_sjogren_case_goes_in_through_the_form(client, clinician_a, literature):
    client.force_login(clinician_a)
    values = fill(page_form(client, reverse("cases:new")), SJOGREN_DIGITAL)
    response = client.post(reverse("cases:new"), values)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.registry_id])
    assert_stored(case, SJOGREN_DIGITAL)


def test_an_impossible_age_is_shown_beside_the_age_and_nothing_typed_is_lost(client, clinician_a, site_a):
    client.force_login(clinician_a)
    doc = clinic_document(age_at_presentation=200, summary="Painful nodules, fingertips.")
    values = fill(page_form(client, reverse("cases:new")), doc)
    response = client.post(reverse("cases:new"), values)
    assert response.status_code == 400
    html = response.content.decode()
    assert Case.objects.count() == 0
    age_field = html[html.index('id="id_age_at_presentation-field"') :]
    age_field = age_field[: age_field.index("</div>\n", age_field.index("id_age_at_presentation-error"))]
    assert "less than or equal to 120" in age_field
    assert 'aria-describedby="id_age_at_presentation-help id_age_at_presentation-error"' in age_field
    kept = FormReader(html).values
    for name, value in values.items():
        if name != "csrfmiddlewaretoken":  # a fresh mask of the same token on every page
            assert kept.get(name, []) == value, name


def test_a_bad_row_is_marked_on_its_own_row(client, clinician_a, site_a):
    client.force_login(clinician_a)
    doc = clinic_document(
        serology=[{"test": "ana", "result": "positive", "titer": 160}, {"test": "anti_xyz", "result": "positive"}]
    )
    response = client.post(reverse("cases:new"), fill(page_form(client, reverse("cases:new")), doc))
    assert response.status_code == 400
    html = response.content.decode()
    row = html[html.index('id="serology-row-1"') :]
    row = row[: row.index("</fieldset>")]
    assert "Unknown code &#x27;anti_xyz&#x27;." in row
    assert 'href="#id_serology-1-test"' in html  # the summary at the top links to it


@pytest.mark.parametrize("code", ["clinic-b", "no-such-clinic"])
def test_another_clinics_site_and_an_unknown_one_are_refused_alike_beside_the_site(client, clinician_a, site_b, code):
    client.force_login(clinician_a)
    values = fill(page_form(client, reverse("cases:new")), clinic_document(site=code))
    response = client.post(reverse("cases:new"), values)
    assert response.status_code == 400
    html = response.content.decode()
    site_field = html[html.index('id="id_site-field"') :]
    site_field = site_field[: site_field.index("</div>\n", site_field.index("id_site-error"))]
    assert f"No site &#x27;{code}&#x27; that you may enter cases for." in site_field
    assert Case.objects.count() == 0


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, clinician_a, curator, make_case):
    case = make_case(user=clinician_a)
    client.force_login(clinician_a)
    values = page_form(client, reverse("cases:edit", args=[case.registry_id]))
    values.pop("_templates")
    # Meanwhile a curator changes the case.
    case_update(user=curator, case=case, data=clinic_document(age_at_presentation=51), version=case.version)
    values["summary"] = ["My new summary."]
    response = client.post(reverse("cases:edit", args=[case.registry_id]), values)
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by someone else" in html and curator.username in html
    assert FormReader(html).values["summary"] == ["My new summary."]
    case.refresh_from_db()
    assert (case.age_at_presentation, case.summary) == (51, "Calcinosis of the fingertips.")


def test_editing_updates_rows_in_place_and_removes_the_ones_ticked(client, clinician_a, make_case):
    case = make_case(
        user=clinician_a, serology=[{"test": "ana", "result": "positive"}, {"test": "rf", "result": "negative"}]
    )
    before = {row.test_id: row.pk for row in case.serology.all()}
    client.force_login(clinician_a)
    url = reverse("cases:edit", args=[case.registry_id])
    values = page_form(client, url)
    values.pop("_templates")
    values["serology-0-titer"] = ["320"]
    values["serology-1-DELETE"] = ["on"]
    assert client.post(url, values).status_code == 302
    [ana] = case.serology.all()
    assert (ana.pk, ana.titer) == (before["ana"], 320)


def test_saving_an_unchanged_case_changes_nothing(client, clinician_a, literature):
    client.force_login(clinician_a)
    client.post(reverse("cases:new"), fill(page_form(client, reverse("cases:new")), SJOGREN_DIGITAL))
    case = Case.objects.get()
    stored = case_document(Case.objects.for_detail().get(pk=case.pk))
    url = reverse("cases:edit", args=[case.registry_id])
    values = page_form(client, url)
    values.pop("_templates")
    assert client.post(url, values).status_code == 302
    again = case_document(Case.objects.for_detail().get(pk=case.pk))
    assert again["version"] == stored["version"] + 1
    assert {k: v for k, v in again.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in stored.items() if k not in ("version", "updated_at")
    }
    # The summary (no DOI) and the publication it summarises: neither entered twice.
    assert Publication.objects.count() == 2


def test_features_have_three_answers(client, clinician_a, make_case):
    case = make_case(
        user=clinician_a,
        features=[
            {"feature": "raynaud", "status": "present"},
            {"feature": "ild", "status": "unknown", "notes": "No CT done."},
        ],
    )
    client.force_login(clinician_a)
    url = reverse("cases:edit", args=[case.registry_id])
    values = page_form(client, url)
    values.pop("_templates")
    assert values["features-raynaud"] == ["present"] and values["features-ild"] == ["unknown"]
    assert values["features-pah"] == ["unknown"]
    values["features-digital_ulcers"] = ["absent"]
    assert client.post(url, values).status_code == 302
    stored = dict(ClinicalFeature.objects.filter(case=case).values_list("feature", "status"))
    # Absent is stored as absent; an untouched "not recorded" is not stored; the one recorded so stays.
    assert stored == {"raynaud": "present", "ild": "unknown", "digital_ulcers": "absent"}


def test_treatments_are_tied_to_the_sites_ticked(client, clinician_a, site_a):
    client.force_login(clinician_a)
    doc = clinic_document(
        calcinosis_sites=[
            {"region": "finger_2", "laterality": "left", "methods": ["radiograph"]},
            {"region": "elbow", "laterality": "right", "methods": ["clinical_exam"]},
        ],
        treatments=[
            {"agent": "sodium_thiosulfate", "route": "intralesional", "response": "partial", "site_indexes": [1]}
        ],
    )
    assert client.post(reverse("cases:new"), fill(page_form(client, reverse("cases:new")), doc)).status_code == 302
    [course] = Case.objects.get().treatments.all()
    assert [s.region_id for s in course.sites.all()] == ["elbow"]


def test_a_known_doi_fills_the_publication(client, clinician_a, make_case):
    make_case(source="literature", publication={"doi": "10.1000/Example.1", "title": "A case", "year": 2021})
    client.force_login(clinician_a)
    url = reverse("cases:publication-by-doi")
    found = client.get(url, {"doi": "https://doi.org/10.1000/example.1"}).json()
    assert found["found"] and found["publication"]["title"] == "A case" and found["publication"]["year"] == 2021
    assert client.get(url, {"doi": "10.1000/nothing"}).status_code == 404


def test_every_input_of_the_entry_page_has_a_label(client, clinician_a, make_case):
    case = make_case(user=clinician_a)
    client.force_login(clinician_a)
    for url in (reverse("cases:new"), reverse("cases:edit", args=[case.registry_id])):
        reader = FormReader(client.get(url).content.decode())
        unlabelled = [
            c for c in reader.controls if not (c["wrapped"] or c["aria"] or (c["id"] and c["id"] in reader.label_for))
        ]
        assert reader.controls and unlabelled == []


def test_a_damaged_page_is_refused_without_an_error_page(client, clinician_a, site_a):
    client.force_login(clinician_a)
    # A post without the row counts of the page (a stale tab of an older release, a script).
    response = client.post(reverse("cases:new"), {"site": "clinic-a", "age_at_presentation": "40"})
    assert response.status_code == 400
    assert "ManagementForm data is missing" in response.content.decode()
    assert Case.objects.count() == 0
