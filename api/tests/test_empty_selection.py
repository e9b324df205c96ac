"""An account with no site and no group may read no case: it gets empty answers, never a 500.

Such an account reads ``Case.objects.none()``, which compiles to no SQL at all; the
statistics and the exports, which hand the selection to PostgreSQL as SQL, must still
answer with nothing (issue found in review: cases.csv broke off, tables.zip was a 500).
"""

import csv
import io
import json
import zipfile

import pyarrow.parquet as pq
import pytest

from api.tests.conftest import body, client_with_token
from cases.document import ALL_LISTS
from cases.models import VOCABULARIES
from conftest import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nobody(make_case):
    make_case()  # a case exists, and nobody may see it
    return client_with_token(UserFactory(username="no-role"))


def test_the_list_and_the_long_tables_are_empty(nobody):
    listed = nobody.get("/api/v1/cases/")
    assert listed.status_code == 200 and listed.json()["count"] == 0 and listed.json()["results"] == []
    for route in (*(child.route for child in ALL_LISTS), "criteria"):
        rows = nobody.get(f"/api/v1/{route}/")
        assert rows.status_code == 200 and rows.json()["results"] == [], route


@pytest.mark.parametrize("name", ["calcinosis-sites", "treatment-responses", "serology", "follow-up", "criteria"])
def test_a_statistic_counts_nothing(nobody, name):
    response = nobody.get(f"/api/v1/stats/{name}/")
    assert response.status_code == 200
    assert response.json()["cases"] == 0


def test_cases_csv_is_its_header_alone(nobody):
    response = nobody.get("/api/v1/export/cases.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0][0] == "registry_id"


def test_tables_zip_has_every_file_empty_and_its_manifest(nobody):
    response = nobody.get("/api/v1/export/tables.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    manifest = json.loads(archive.read("manifest.json"))
    vocabularies = {f"vocabulary_{name}.csv" for name in VOCABULARIES}
    assert {f["name"] for f in manifest["files"]} == {
        "cases.csv",
        *(f"{c.key}.csv" for c in ALL_LISTS),
        "criteria.csv",
        *vocabularies,
        "codebook.csv",
    }
    for entry in manifest["files"]:
        if entry["name"] in vocabularies | {"codebook.csv"}:
            assert entry["rows"] > 0  # the vocabularies and the codebook are no case's data: everyone gets them whole
            continue
        assert entry["rows"] == 0
        lines = archive.read(entry["name"]).decode("utf-8-sig").splitlines()
        assert lines == [",".join(entry["columns"])], entry["name"]


def test_tables_zip_as_parquet_has_every_table_empty_and_typed(nobody):
    archive = zipfile.ZipFile(io.BytesIO(body(nobody.get("/api/v1/export/tables.zip", {"format": "parquet"}))))
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        if entry["name"].startswith("vocabulary_") or entry["name"] == "codebook.csv":
            continue
        table = pq.read_table(io.BytesIO(archive.read(entry["name"])))
        assert (entry["rows"], table.num_rows, table.column_names) == (0, 0, entry["columns"]), entry["name"]
