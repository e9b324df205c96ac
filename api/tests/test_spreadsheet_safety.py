"""Every CSV the registry writes is safe to open in a spreadsheet (OWASP's rule against formula injection).

A clinician may type ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` into any free
text (a dose, a note); a spreadsheet would run it. In every CSV a text cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'``; numbers are never altered (a serology value of -1.5 stays -1.5) and the
JSON API gives the text as stored.
"""

import csv
import io
import re
import zipfile

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from api.tests.conftest import body
from cases.document.schema import CASE_FIELDS, CHILD_LISTS, PUBLICATION_FIELDS, Kind
from cases.models import Case, Publication

pytestmark = pytest.mark.django_db

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
TEXT_KINDS = (Kind.TEXT, Kind.LONG_TEXT)
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def planted_text(f, prefix: str, number: int) -> str:
    text = f"cmd|' /C calc'!A0 {f.name} {number}"
    room = f.model_field.max_length
    return prefix + (text[-(room - 1) :] if room else text)


def plant(case, prefix: str, number: int) -> dict:
    """Every text field of the case and its rows set to a formula (as stored, past any form); what was set."""
    planted = {}
    case_texts = {f.name: planted_text(f, prefix, number) for f in CASE_FIELDS if f.kind in TEXT_KINDS}
    Case.objects.filter(pk=case.pk).update(**case_texts)
    planted["cases"] = case_texts
    publication = {f.name: planted_text(f, prefix, number) for f in PUBLICATION_FIELDS if f.kind in TEXT_KINDS}
    Publication.objects.filter(pk=case.publication_id).update(**publication)
    planted["cases"].update({f"publication_{name}": text for name, text in publication.items()})
    for child in CHILD_LISTS:
        texts = {f.name: planted_text(f, prefix, number) for f in child.fields if f.kind in TEXT_KINDS}
        child.model.objects.filter(case=case).update(**texts)
        planted[child.key] = texts
    return planted


@pytest.fixture
def formulas(make_case):
    """One literature case per dangerous first character (their text reaches researchers too)."""
    planted = {}
    for number, prefix in enumerate(PREFIXES):
        case = make_case(
            source="literature",
            publication={"doi": f"10.1000/formula-{number}"},
            serology=[{"test": "anti_centromere", "result": "positive", "value": "-1.5", "unit": "U/mL"}],
            labs=[{"test": "calcium", "value": "9.4", "unit": "mg/dL", "interpretation": "normal"}],
            treatments=[
                {
                    "agent": "diltiazem",
                    "dose": "60 mg",
                    "indication": "calcinosis",
                    "response": "partial",
                    "size_change_pct": "-2",
                }
            ],
        )
        planted[case.registry_id] = plant(case, prefix, number)
    return planted


def read_csv(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def files_of(client) -> dict[str, list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(body(client.get("/api/v1/export/tables.zip"))))
    files = {
        name.removesuffix(".csv"): read_csv(archive.read(name))
        for name in archive.namelist()
        # The codebook is the registry's own words, with no cell of a case.
        if name not in ("manifest.json", "codebook.csv") and not name.startswith("vocabulary_")
    }
    files["cases.csv"] = read_csv(body(client.get("/api/v1/export/cases.csv")))
    return files


def assert_safe(rows: list[dict], where: str) -> None:
    for row in rows:
        for column, cell in row.items():
            if cell[:1] in PREFIXES:
                assert NUMBER.fullmatch(cell), (where, column, cell)


@pytest.mark.parametrize("persona", ["curator", "researcher"])
def test_every_planted_formula_reads_with_a_leading_quote(api, formulas, persona):
    files = files_of(api(persona))
    for name, rows in files.items():
        assert_safe(rows, name)
        key = "cases" if name == "cases.csv" else name
        for row in rows:
            # criteria.csv holds codes and numbers only: nothing to plant there.
            for column, text in formulas[row["registry_id"]].get(key, {}).items():
                if column in row:  # a researcher's files have no local_reference column
                    assert row[column] == "'" + text, (name, column)
    checked = {column for row in files["cases"] for column in row}
    assert {"summary", "publication_title"} <= checked
    assert ("local_reference" in checked) == (persona == "curator")
    treatments, serology = files["treatments"][0], files["serology"][0]
    assert treatments["dose"].startswith("'") and treatments["notes"].startswith("'")
    assert serology["unit"].startswith("'")


def test_numbers_are_never_altered(api, formulas):
    files = files_of(api("researcher"))
    assert {row["value"] for row in files["serology"]} == {"-1.5"}
    assert {row["size_change_pct"] for row in files["treatments"]} == {"-2"}


def test_the_json_api_gives_the_text_as_stored(api, formulas):
    for doc in api("curator").get("/api/v1/cases/").json()["results"]:
        planted = formulas[doc["registry_id"]]
        assert doc["summary"] == planted["cases"]["summary"]
        assert doc["treatments"][0]["dose"] == planted["treatments"]["dose"]
        assert doc["serology"][0]["value"] == -1.5


def test_the_admins_export_too(client, curator, formulas):
    client.force_login(curator)
    ids = list(Case.objects.values_list("pk", flat=True))
    data = {"action": "export_cases_csv", helpers.ACTION_CHECKBOX_NAME: ids}
    rows = read_csv(body(client.post(reverse("admin:cases_case_changelist"), data)))
    assert len(rows) == len(PREFIXES)
    assert_safe(rows, "admin export")
    for row in rows:
        assert row["local_reference"] == "'" + formulas[row["registry_id"]]["cases"]["local_reference"]
