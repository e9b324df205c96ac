"""Country is one of ISO 3166-1's codes, chosen from a list and shown by name (issue 17.3: typing "Germany" left
"Ge", saved as Georgia, and "XX" was accepted)."""

import pytest
from django.urls import reverse

from api.tests.conftest import client_with_token
from cases.models import Case
from cases.tests.form_pages import fill, page_form
from conftest import case_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["XX", "Germany", "Ge", "de"])
def test_the_api_refuses_what_is_no_country_code(curator, site_a, typed):
    response = client_with_token(curator).post("/api/v1/cases/", case_document(country=typed), format="json")
    assert response.status_code == 400
    assert "Unknown country code" in response.json()["country"][0]
    assert Case.objects.count() == 0


def test_a_code_of_the_list_is_stored_and_the_page_names_the_country(client, curator, site_a):
    response = client_with_token(curator).post("/api/v1/cases/", case_document(country="DE"), format="json")
    assert response.status_code == 201 and response.json()["country"] == "DE"
    client.force_login(curator)
    page = client.get(reverse("cases:detail", args=[response.json()["registry_id"]])).content.decode()
    assert "<dt>Country</dt><dd>Germany</dd>" in page.replace("\n", "").replace("  ", "")


def test_the_form_offers_the_countries_as_a_list_and_refuses_another(client, clinician_a, site_a):
    client.force_login(clinician_a)
    html = client.get(reverse("cases:new")).content.decode()
    select = html[html.index('<select name="country"') :]
    select = select[: select.index("</select>")]
    assert '<option value="DE">Germany</option>' in select and '<option value="GE">Georgia</option>' in select
    values = fill(page_form(client, reverse("cases:new")), case_document(country="XX"))
    response = client.post(reverse("cases:new"), values)
    assert response.status_code == 400
    field = response.content.decode()
    field = field[field.index('id="id_country-field"') :]
    assert "Unknown country code &#x27;XX&#x27;" in field[: field.index("</div>\n</div>")]


def test_the_country_filter_refuses_an_unknown_code(curator, site_a):
    client = client_with_token(curator)
    assert client.get("/api/v1/cases/", {"country": "XX"}).json()["country"][0].startswith("Unknown country code")
    assert client.get("/api/v1/cases/", {"country": "de"}).status_code == 200
