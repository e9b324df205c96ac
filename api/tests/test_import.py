"""POST /api/v1/import/: exported cases come back equal, bad files are refused with every error, nothing twice."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from api.tests.conftest import body, client_with_token
from api.views.common import readable_cases
from cases.demo import load_demo
from cases.document.writer import document_for
from cases.founding_cases import SSC_UNIVERSALIS
from cases.imports.template import EXAMPLE_KEY, example_rows, sheet_columns, template_workbook
from cases.models import Case, Publication
from cases.services import case_create
from cases.synthetic.loader import load
from conftest import case_document

pytestmark = pytest.mark.django_db

# What the registry writes itself: an imported case gets its own.
NOT_COMPARED = {
    "registry_id",
    "version",
    "status",
    "created_at",
    "updated_at",
    "verified_at",
    "created_by",
    "verified_by",
    "status_reason",
}


def comparable(doc: dict) -> dict:
    """A document without what the registry writes itself, its rows' ids and site ids as positions."""
    doc = {k: v for k, v in doc.items() if k not in NOT_COMPARED}
    positions = {row["id"]: i for i, row in enumerate(doc["calcinosis_sites"])}

    def rows(items):
        out = []
        for row in items:
            row = {k: v for k, v in row.items() if k != "id"}
            if "site_ids" in row:
                row["site_ids"] = sorted(positions[i] for i in row["site_ids"])
            if "site_id" in row:
                row["site_id"] = positions[row["site_id"]]
            for inner in ("scores", "site_findings"):
                if inner in row:
                    row[inner] = rows(row[inner])
            out.append(row)
        return out

    for key, value in doc.items():
        if isinstance(value, list) and value and isinstance(value[0], dict) and key != "quality_issues":
            doc[key] = rows(value)
    return doc


def documents(client, cases) -> dict:
    return {c.local_reference: comparable(client.get(f"/api/v1/cases/{c.registry_id}/").json()) for c in cases}


def post_import(client, data: bytes, site: str, name: str = "tables.zip", **flags):
    upload = io.BytesIO(data)
    upload.name = name
    fields = {"file": upload, "site": site, **{k: str(v).lower() for k, v in flags.items()}}
    return client.post("/api/v1/import/", fields, format="multipart")


@pytest.fixture
def founding():
    load_demo(password="demo-password-for-tests")
    curator = get_user_model().objects.get(username="curator")
    return client_with_token(curator)


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_the_founding_cases_come_back_equal_from_their_tables_zip(founding, file_format):
    client = founding
    cases = Case.objects.filter(site__code="literature")
    before = documents(client, cases)
    exported = body(client.get("/api/v1/export/tables.zip", {"site": "literature", "format": file_format}))
    Case.objects.all().delete()

    reply = post_import(client, exported, "literature")

    assert reply.status_code == 201, reply.json()
    assert reply.json()["errors"] == []
    assert len(reply.json()["created"]) == 2
    assert documents(client, Case.objects.filter(site__code="literature")) == before


def all_documents(user, sites=None) -> dict:
    cases = readable_cases(user)
    if sites is not None:
        cases = cases.filter(site__code__in=sites)
    return {case.local_reference: comparable(document_for(user, case)) for case in cases}


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_a_thousand_synthetic_cases_come_back_equal(api, curator, file_format):
    load(seed=5, count=1000)
    client = api("curator")
    before = all_documents(curator)
    sites = sorted({doc["site"] for doc in before.values()})
    exported = {
        site: body(client.get("/api/v1/export/tables.zip", {"site": site, "format": file_format})) for site in sites
    }
    Case.objects.all().delete()

    for site in sites:
        reply = post_import(client, exported[site], site)
        assert reply.status_code == 201, reply.json()["errors"][:5]

    assert len(before) == 1000
    assert all_documents(curator) == before


def rewritten(data: bytes, changes: dict) -> bytes:
    """The zip with some files changed: name → function of its text (None: the file left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            text = source.read(name).decode("utf-8-sig")
            if name in changes:
                if changes[name] is None:
                    continue
                text = changes[name](text)
            target.writestr(name, text)
    return out.getvalue()


def replace_cell(column: str, old: str, new: str):
    """Changes the first cell ``old`` of ``column`` to ``new``, through the csv module."""

    def change(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        index = rows[0].index(column)
        row = next(r for r in rows[1:] if r[index] == old)
        row[index] = new
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()

    return change


@pytest.fixture
def founding_export(founding):
    """The founding cases' tables.zip, the registry emptied, and the keys of the two cases in it."""
    cases = {c.local_reference: c.registry_id for c in Case.objects.filter(site__code="literature")}
    data = body(founding.get("/api/v1/export/tables.zip", {"site": "literature"}))
    Case.objects.all().delete()
    return data, cases


def test_a_file_with_errors_stores_nothing_and_lists_every_error(founding, founding_export):
    data, keys = founding_export
    ssc, sjogren = keys["founding-ssc-universalis"], keys["founding-sjogren-digital"]
    bad = rewritten(
        data,
        {
            "treatments.csv": replace_cell("agent", "tretinoin", "xyz"),
            "diagnoses.csv": replace_cell("registry_id", ssc, "CC-NO-SUCH"),
            "cases.csv": replace_cell("sex", "female", "unknown-sex"),
        },
    )

    reply = post_import(founding, bad, "literature")

    assert reply.status_code == 400
    errors = reply.json()["errors"]
    assert {"file": "treatments.csv", "case": sjogren, "column": "agent", "message": "Unknown code 'xyz'."} in [
        {k: e[k] for k in ("file", "case", "column", "message")} for e in errors
    ]
    assert any(e["file"] == "diagnoses.csv" and e["case"] == "CC-NO-SUCH" and e["row"] >= 2 for e in errors)
    assert any(e["file"] == "cases.csv" and e["column"] == "sex" and e["row"] == 2 for e in errors)
    assert all(e["row"] >= 2 for e in errors)
    assert reply.json()["created"] == []
    assert not Case.objects.exists()


def test_partial_stores_the_valid_cases_and_lists_the_refused(founding, founding_export):
    data, keys = founding_export
    bad = rewritten(data, {"treatments.csv": replace_cell("agent", "tretinoin", "xyz")})

    reply = post_import(founding, bad, "literature", partial=True)

    assert reply.status_code == 201
    assert {e["case"] for e in reply.json()["errors"]} == {keys["founding-sjogren-digital"]}
    assert list(Case.objects.values_list("local_reference", flat=True)) == ["founding-ssc-universalis"]


def test_a_dry_run_stores_nothing_and_says_what_would_be_created(founding, founding_export):
    data, keys = founding_export
    reply = post_import(founding, data, "literature", dry_run=True)
    assert reply.status_code == 200
    assert sorted(reply.json()["valid"]) == sorted(keys.values())
    assert reply.json()["created"] == [] and reply.json()["errors"] == []
    assert not Case.objects.exists()


def test_importing_twice_creates_nothing_the_second_time(founding, founding_export):
    data, _ = founding_export
    assert post_import(founding, data, "literature").status_code == 201

    again = post_import(founding, data, "literature", partial=True)

    assert again.status_code == 200
    assert again.json()["created"] == []
    assert [e["column"] for e in again.json()["errors"]] == ["local_reference", "local_reference"]
    assert "Duplicate" in again.json()["errors"][0]["message"]
    assert Case.objects.count() == 2


def test_a_likely_duplicate_of_a_visible_case_is_refused(api, make_case, curator):
    paper = {"source": "literature", "publication": {"doi": "10.1000/dup"}, "sex": "female", "age_at_presentation": 44}
    make_case(local_reference="first", **paper)
    client = api("curator")
    data = body(client.get("/api/v1/export/tables.zip"))
    changed = rewritten(data, {"cases.csv": replace_cell("local_reference", "first", "second")})

    reply = post_import(client, changed, "clinic-a")

    assert reply.status_code == 400
    assert reply.json()["errors"][0]["message"].startswith("Likely duplicate")
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"registry_id,sex\nCC-1,female\n", "Not a zip file"),
        (b"PK\x03\x04 broken", "Not a zip file"),
    ],
)
def test_a_file_that_is_not_a_zip_is_refused(api, site_a, upload, message):
    reply = post_import(api("curator"), upload, "clinic-a")
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["message"].startswith(message)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(api, site_a, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1_000_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cases.csv", b"0" * 5_000_000)  # a few kilobytes packed
    reply = post_import(api("curator"), out.getvalue(), "clinic-a")
    assert reply.status_code == 400
    assert "more than the import limit" in reply.json()["errors"][0]["message"]


def test_a_missing_file_and_a_missing_column_are_named(founding, founding_export):
    data, _ = founding_export
    drop_sex = rewritten(data, {"cases.csv": lambda text: text.replace(",sex,", ",gender,", 1), "labs.csv": None})
    reply = post_import(founding, drop_sex, "literature")
    assert reply.status_code == 400
    errors = {(e["file"], e["column"], e["message"]) for e in reply.json()["errors"]}
    assert ("labs.csv", None, "The file labs.csv is missing.") in errors
    assert ("cases.csv", "sex", "Missing column: sex.") in errors


def test_an_upload_over_the_limit_is_refused(api, site_a):
    fifty_megabytes = b"\0" * 50_000_000
    reply = post_import(api("curator"), fifty_megabytes, "clinic-a")
    assert reply.status_code == 400
    assert "larger than the import limit" in reply.json()["file"][0]


@pytest.mark.parametrize(("persona", "expected"), [("anonymous", 401), ("researcher", 403), ("clinician_b", 400)])
def test_only_clinicians_of_the_site_and_curators_import(api, site_a, site_b, persona, expected):
    reply = post_import(api(persona), b"not read", "clinic-a")
    assert reply.status_code == expected
    if expected == 400:
        assert reply.json()["site"] == ["No site 'clinic-a' that you may enter cases for."]


def test_a_clinician_imports_into_their_own_site(api, clinician_a, curator):
    case_create(user=curator, data=case_document(local_reference="mine"))
    client = api("clinician_a")
    data = body(client.get("/api/v1/export/tables.zip"))
    Case.objects.all().delete()
    reply = post_import(client, data, "clinic-a")
    assert reply.status_code == 201, reply.json()
    assert Case.objects.get().created_by == clinician_a


def test_the_filled_template_imports_equal_to_the_same_cases_entered(founding):
    before = documents(founding, Case.objects.filter(site__code="literature"))
    reply = founding.get("/api/v1/import/template.xlsx")
    assert reply.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(reply.content))
    assert {"cases", "treatments", "scores", "codebook", "codes"} <= set(workbook.sheetnames)
    assert workbook["cases"]["A2"].value == EXAMPLE_KEY  # founding case 2, the example
    assert workbook["treatments"].data_validations.dataValidation  # drop-down lists of codes
    # The user adds founding case 1 under the example, a row per row of each of its lists.
    for sheet, rows in example_rows(SSC_UNIVERSALIS, "case-1").items():
        columns = [cell.value for cell in workbook[sheet][1]]
        for row in rows:
            workbook[sheet].append([row.get(column, "") for column in columns])
    filled = io.BytesIO()
    workbook.save(filled)
    Case.objects.all().delete()

    reply = post_import(founding, filled.getvalue(), "literature", name="cases.xlsx")

    assert reply.status_code == 201, reply.json()
    assert documents(founding, Case.objects.filter(site__code="literature")) == before


def test_researchers_get_no_template(api):
    assert api("researcher").get("/api/v1/import/template.xlsx").status_code == 403


def test_the_command_imports_a_file_and_refuses_a_bad_one(founding, founding_export, tmp_path):
    data, _ = founding_export
    path = tmp_path / "tables.zip"
    path.write_bytes(rewritten(data, {"treatments.csv": replace_cell("agent", "tretinoin", "xyz")}))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="nothing stored"):
        call_command("import_cases", str(path), "--site", "literature", "--user", "curator", stdout=out, stderr=err)
    assert "treatments.csv (row" in err.getvalue() and "Unknown code 'xyz'." in err.getvalue()
    assert not Case.objects.exists()

    path.write_bytes(data)
    call_command("import_cases", str(path), "--site", "literature", "--user", "curator", "--dry-run", stdout=out)
    assert "2 of 2 cases would be created" in out.getvalue() and not Case.objects.exists()
    call_command("import_cases", str(path), "--site", "literature", "--user", "curator", stdout=out, stderr=err)
    assert "Created 2 of 2 cases" in out.getvalue()
    assert Case.objects.count() == 2


def test_imported_cases_carry_the_audit_trail_and_their_criteria(founding, founding_export):
    data, _ = founding_export
    assert post_import(founding, data, "literature").status_code == 201
    case = Case.objects.get(local_reference="founding-ssc-universalis")
    history = founding.get(f"/api/v1/cases/{case.registry_id}/history/").json()
    assert history[0]["operation"] == "case_import" and history[0]["user"] == "curator"
    assert case.criteria_results.get(criteria_set="acr_eular_2013_ssc").status == "met"


def filled_template(cases: dict[str, dict]) -> bytes:
    """The template with its example removed and these documents (case key → document) as its rows."""
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    for sheet in sheet_columns():
        workbook[sheet].delete_rows(2, workbook[sheet].max_row)
    for key, document in cases.items():
        for sheet, rows in example_rows(document, key).items():
            columns = sheet_columns()[sheet][0]
            for row in rows:
                workbook[sheet].append([row.get(column, "") for column in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_local_reference_twice_in_one_file_is_stored_once(api, site_a):
    same = case_document(local_reference="same")
    reply = post_import(api("curator"), filled_template({"one": same, "two": same}), "clinic-a", partial=True)
    assert reply.status_code == 201
    assert reply.json()["valid"] == ["one"]
    assert [(e["case"], e["column"]) for e in reply.json()["errors"]] == [("two", "local_reference")]
    assert Case.objects.count() == 1


def test_cases_citing_a_publication_new_in_the_file_share_it(api, site_a):
    paper = {"source": "literature", "publication": {"doi": "10.1000/new-in-file", "title": "New"}}
    cases = {"a": case_document(sex="female", **paper), "b": case_document(sex="male", **paper)}
    reply = post_import(api("curator"), filled_template(cases), "clinic-a")
    assert reply.status_code == 201, reply.json()
    assert Publication.objects.filter(doi="10.1000/new-in-file").count() == 1
    assert Case.objects.filter(publication__doi="10.1000/new-in-file").count() == 2
