"""tables.zip?format=parquet: the CSV export's tables, typed as the codebook says, with the CSV's values."""

import csv
import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from api.tests.conftest import body
from cases.demo import load_demo

pytestmark = pytest.mark.django_db

ARROW_TYPES = {
    "text": pa.types.is_string,
    "code": pa.types.is_string,
    "integer": pa.types.is_int64,
    "decimal": pa.types.is_decimal,
    "date": pa.types.is_date32,
    "boolean": pa.types.is_boolean,
    "code_list": lambda t: pa.types.is_list(t) and pa.types.is_string(t.value_type),
}


@pytest.fixture
def registry(make_case, site_b):
    load_demo(password="parquet-test-password")  # the founding cases and the demo's
    return make_case(
        age_at_presentation=93,  # "90+" for a researcher
        summary="=HYPERLINK(a formula in a clinic's text)",
        local_reference="+A-12",
        calcinosis_sites=[{"region": "finger_2", "methods": ["ct", "radiograph"], "notes": "-firm"}],
    )


def zipped(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(body(response)))


def read_csv(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def as_csv_cell(value) -> str:
    """A Parquet value as the CSV file writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 6.70 reads 6.7 and 25.00 reads 25, as in the CSV
    return str(value)


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@pytest.mark.parametrize("persona", ["researcher", "clinician_a", "clinician_b", "curator"])
def test_the_parquet_tables_are_the_csv_tables_typed_by_the_codebook(api, registry, persona):
    client = api(persona)
    as_csv = zipped(client.get("/api/v1/export/tables.zip"))
    as_parquet = zipped(client.get("/api/v1/export/tables.zip", {"format": "parquet"}))
    codebook = read_csv(as_parquet.read("codebook.csv"))
    manifest = json.loads(as_parquet.read("manifest.json"))

    tables = [name for name in as_parquet.namelist() if name.endswith(".parquet")]
    assert [name.removesuffix(".parquet") for name in tables] == [
        name.removesuffix(".csv") for name in as_csv.namelist() if name.endswith(".csv") and name != "codebook.csv"
    ]
    assert manifest["format"] == "parquet" and manifest["filter"] == {}
    rows_in = {entry["name"]: entry["rows"] for entry in manifest["files"]}
    for name in tables:
        table = pq.read_table(io.BytesIO(as_parquet.read(name)))
        described = [row for row in codebook if row["file"] == name]
        assert table.column_names == [row["column"] for row in described], name
        for row in described:
            assert ARROW_TYPES[row["type"]](table.schema.field(row["column"]).type), (name, row)
        assert table.num_rows == rows_in[name], name

        csv_rows = read_csv(as_csv.read(name.replace(".parquet", ".csv")))
        parquet_rows = [
            {key: spreadsheet_safe(as_csv_cell(value)) for key, value in row.items()} for row in table.to_pylist()
        ]
        assert parquet_rows == csv_rows, name


def test_parquet_carries_text_unaltered_where_the_csv_guards_a_spreadsheet(api, registry):
    client = api("curator")
    as_csv = zipped(client.get("/api/v1/export/tables.zip"))
    as_parquet = zipped(client.get("/api/v1/export/tables.zip", {"format": "parquet"}))

    [case] = [
        case
        for case in pq.read_table(io.BytesIO(as_parquet.read("cases.parquet"))).to_pylist()
        if case["registry_id"] == registry.registry_id
    ]
    [csv_case] = [case for case in read_csv(as_csv.read("cases.csv")) if case["registry_id"] == registry.registry_id]
    assert (case["summary"], csv_case["summary"]) == (
        "=HYPERLINK(a formula in a clinic's text)",
        "'=HYPERLINK(a formula in a clinic's text)",
    )
    assert (case["local_reference"], csv_case["local_reference"]) == ("+A-12", "'+A-12")
    assert case["age_at_presentation"] == 93 and case["calcinosis_regions"] == ["finger_2"]
    [site] = [
        site
        for site in pq.read_table(io.BytesIO(as_parquet.read("calcinosis_sites.parquet"))).to_pylist()
        if site["registry_id"] == registry.registry_id
    ]
    assert sorted(site["methods"]) == ["ct", "radiograph"]  # a list, not the CSV's "ct;radiograph"
    assert site["notes"] == "-firm"


def test_a_researchers_parquet_is_deidentified_as_their_csv(api, registry):
    as_parquet = zipped(api("researcher").get("/api/v1/export/tables.zip", {"format": "parquet"}))
    cases = pq.read_table(io.BytesIO(as_parquet.read("cases.parquet")))

    assert "local_reference" not in cases.column_names
    assert pa.types.is_int64(cases.schema.field("created_at").type)  # the year only
    assert "90+" in cases.column("age_at_presentation").to_pylist()


def test_a_filter_applies_to_the_parquet_tables(api, registry):
    client = api("curator")
    listed = client.get("/api/v1/cases/", {"condition": "sjogren", "page_size": 100}).json()
    as_parquet = zipped(client.get("/api/v1/export/tables.zip", {"format": "parquet", "condition": "sjogren"}))

    cases = pq.read_table(io.BytesIO(as_parquet.read("cases.parquet")))
    assert 0 < cases.num_rows < client.get("/api/v1/cases/").json()["count"]
    assert cases.column("registry_id").to_pylist() == [doc["registry_id"] for doc in listed["results"]]
    diagnoses = pq.read_table(io.BytesIO(as_parquet.read("diagnoses.parquet")))
    assert set(diagnoses.column("registry_id").to_pylist()) <= set(cases.column("registry_id").to_pylist())
    assert json.loads(as_parquet.read("manifest.json"))["filter"] == {"condition": "sjogren"}


@pytest.mark.parametrize("format_name", ["xlsx", "json", ""])
def test_an_unknown_format_is_refused(api, registry, format_name):
    response = api("researcher").get("/api/v1/export/tables.zip", {"format": format_name})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["format"]


def test_format_csv_is_the_csv_zip(api, registry):
    archive = zipped(api("researcher").get("/api/v1/export/tables.zip", {"format": "csv"}))
    assert "cases.csv" in archive.namelist() and json.loads(archive.read("manifest.json"))["format"] == "csv"


def test_an_anonymous_visitor_gets_no_parquet(api, registry):
    assert api("anonymous").get("/api/v1/export/tables.zip", {"format": "parquet"}).status_code in (401, 403)
