"""The codebook describes every column of every file the exports write, and nothing else."""

import csv
import io
import zipfile

import pytest

from api.tests.conftest import body
from cases.exports.codebook import KEYS, SPREADSHEET_SAFETY, TYPES

pytestmark = pytest.mark.django_db


def read_csv(raw: bytes) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    return reader.fieldnames, list(reader)


@pytest.fixture
def registry(make_case):
    make_case(site="clinic-a")
    make_case(site="clinic-a", source="literature", publication={"doi": "10.1000/codebook"})


@pytest.mark.parametrize("persona", ["researcher", "clinician_a", "curator"])
def test_the_codebook_covers_every_column_of_every_file_and_nothing_else(api, registry, persona):
    archive = zipfile.ZipFile(io.BytesIO(body(api(persona).get("/api/v1/export/tables.zip"))))
    headers = {name: read_csv(archive.read(name))[0] for name in archive.namelist() if name.endswith(".csv")}
    _, codebook = read_csv(archive.read("codebook.csv"))

    described: dict[str, list[str]] = {}
    for row in codebook:
        described.setdefault(row["file"], []).append(row["column"])
    assert described == headers  # the same files, each with the same columns in the same order


@pytest.mark.parametrize("persona", ["researcher", "curator"])
def test_the_codebook_alone_is_the_one_in_the_export(api, registry, persona):
    client = api(persona)
    alone = client.get("/api/v1/export/codebook.csv")
    archive = zipfile.ZipFile(io.BytesIO(body(client.get("/api/v1/export/tables.zip"))))

    assert alone.status_code == 200 and alone["Content-Type"] == "text/csv; charset=utf-8"
    assert alone.content.startswith("\ufeff".encode()), "UTF-8 with a byte order mark, for Excel"
    assert alone.content == archive.read("codebook.csv")


def test_a_researchers_codebook_has_no_identifying_column_and_years_for_dates(api):
    header, researchers = read_csv(api("researcher").get("/api/v1/export/codebook.csv").content)
    _, curators = read_csv(api("curator").get("/api/v1/export/codebook.csv").content)
    assert header == list(KEYS)

    def of(rows, column):
        return {row["column"]: row for row in rows if row["file"] == "cases.csv"}.get(column)

    assert of(curators, "local_reference") and of(researchers, "local_reference") is None
    assert (of(curators, "consent_on")["type"], of(researchers, "consent_on")["type"]) == ("date", "integer")
    assert of(researchers, "age_at_presentation")["type"] == "text"  # "90+"
    assert "90+" in of(researchers, "age_at_presentation")["description"]


def test_every_row_is_typed_and_every_code_says_where_it_comes_from(api):
    _, rows = read_csv(api("curator").get("/api/v1/export/codebook.csv").content)
    assert {row["type"] for row in rows} == set(TYPES)
    for row in rows:
        assert row["description"], row
        if row["type"] in ("code", "code_list") and row["column"] != "parent":
            assert bool(row["vocabulary"]) != bool(row["allowed"]), row
    by_column = {(row["file"], row["column"]): row for row in rows}
    assert by_column[("cases.csv", "sex")]["allowed"] == "female;male;other;unknown"
    assert by_column[("calcinosis_sites.csv", "region")]["vocabulary"] == "region"
    assert by_column[("calcinosis_sites.csv", "size_mm")]["unit"] == "mm"
    assert by_column[("criteria.csv", "status")]["allowed"] == "met;not_met;indeterminate"


def test_the_ancestor_columns_say_they_count_everything_below(api):
    _, rows = read_csv(api("researcher").get("/api/v1/export/codebook.csv").content)
    ancestors = [row for row in rows if row["column"].endswith("_with_ancestors")]
    assert len(ancestors) == 3
    for row in ancestors:
        assert "X or anything below it" in row["description"]


def test_the_codebook_says_how_spreadsheet_safety_alters_text_cells(api):
    _, rows = read_csv(api("researcher").get("/api/v1/export/codebook.csv").content)
    assert any(SPREADSHEET_SAFETY in row["description"] for row in rows if row["file"] == "codebook.csv")
    assert "leading '" in SPREADSHEET_SAFETY


def test_an_anonymous_visitor_gets_no_codebook(api):
    assert api("anonymous").get("/api/v1/export/codebook.csv").status_code in (401, 403)
