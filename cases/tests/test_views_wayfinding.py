"""What a new user looks for on every page: who they are, the admin, the API, the export, the icon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from conftest import UserFactory, _member

pytestmark = pytest.mark.django_db


def page(client, user, url="/cases/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def header(html: str) -> str:
    return re.search(r"<header class=\"topbar\".*?</header>", html, re.S).group(0)


def words(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", html).split()


def test_the_header_names_the_user_and_the_role_once(client, site_a):
    # The demo's clinician is called "clinician": the header said "clinician clinician".
    clinician = _member(UserFactory(username="clinician"), site_a)
    assert words(header(page(client, clinician))).count("clinician") == 1


def test_a_user_named_otherwise_reads_name_and_role(client, clinician_a, researcher):
    text = " ".join(words(header(page(client, clinician_a))))
    assert "clin-a" in text and "clinician" in text
    text = " ".join(words(header(page(client, researcher))))
    assert "researcher1" in text and text.count("researcher") == 2  # the name contains the role


def test_curators_find_the_admin_in_the_header(client, curator, clinician_a, researcher):
    assert 'href="/admin/"' in header(page(client, curator))
    for user in (clinician_a, researcher):
        assert 'href="/admin/"' not in header(page(client, user))


@pytest.mark.parametrize("persona", ["clinician_a", "researcher", "curator"])
def test_everyone_finds_the_api_docs_in_the_header(client, request, persona):
    assert 'href="/api/v1/docs/"' in header(page(client, request.getfixturevalue(persona)))


def test_the_case_list_offers_the_export_of_what_it_lists(client, researcher):
    html = page(client, researcher, "/cases/?condition=ssc&region=hand&q=&ordering=-updated_at&page=1")
    csv = re.search(r'href="(/api/v1/export/cases\.csv[^"]*)"', html).group(1)
    tables = re.search(r'href="(/api/v1/export/tables\.zip[^"]*)"', html).group(1)
    for url in (csv, tables):
        query = url.split("?", 1)[1].replace("&amp;", "&")
        assert sorted(query.split("&")) == ["condition=ssc", "ordering=-updated_at", "region=hand"]
        # The browser session reaches the export: the link downloads the filtered registry.
        assert client.get(url.replace("&amp;", "&")).status_code == 200


def test_the_unfiltered_list_exports_everything(client, researcher):
    html = page(client, researcher)
    assert 'href="/api/v1/export/cases.csv"' in html
    assert 'href="/api/v1/export/tables.zip"' in html


def test_every_page_links_the_favicon_and_it_exists(client, clinician_a):
    html = page(client, clinician_a)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    assert icon.endswith("favicon.svg")
    assert finders.find("favicon.svg")


def test_favicon_ico_is_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith("favicon.svg")


def test_login_page_has_the_favicon_too(client):
    assert "favicon.svg" in client.get(reverse("login")).content.decode()
