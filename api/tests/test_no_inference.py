"""A researcher can neither see nor infer a value the de-identified document withholds (issue 13).

The property is tested directly: two registries are built that differ only in
what a researcher may not see (93 against 97 at presentation, and the ages at
diagnosis and durations that add up to them; the time of day of a record
timestamp, to the microsecond; a date within its year; a clinic's narrative and
local reference), with the same ids in both. Every response a researcher can get
must then be the same, byte for byte: every filter of the case filterset at its
edge values, every ordering, the cursor links walked forwards and back, the
exports (every file of both, and the FHIR NDJSON), every statistic, every long
table, the case documents and their FHIR bundles, and the browser's list and
case pages. The same probe sees the registries differ
when a curator asks, so it would see a leak.
"""

import io
import re
import zipfile
from datetime import datetime, timedelta
from urllib.parse import unquote

import django_filters as filters
import pytest
from django.core import signing
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from api.tests.conftest import body
from api.views.tables import TABLE_PATHS
from cases.document.schema import CHILD_LISTS, Kind
from cases.filters import CaseFilterSet
from cases.models import Case
from cases.selection import ordering_choices
from cases.services import case_create
from conftest import case_document

pytestmark = pytest.mark.django_db

AGES = [0, 50, 89, 90, 91, 93, 95, 97, 120]
DURATIONS = [0, 3, 7, 8, 9, 12, 20]
WORDS = ["Elm", "Oak", "CH", "10.1000/twins"]
STATISTICS = ["calcinosis-sites", "treatment-responses", "serology"]
# Requests with a selection every endpoint answers (the list answers every filter at every value).
SELECTIONS = [
    {},
    *({"ordering": value} for value, _ in ordering_choices()),
    {"age_min": 95},
    {"age_min": 90, "age_max": 90},
    {"age_max": 93, "ordering": "-age_at_presentation"},
    {"duration_min": 12},
    {"duration_max": 7},
    {"updated_since": "2025-03-04T12:00:00.000001+00:00", "ordering": "updated_at"},
]


def registry(variant: int) -> list[tuple[dict, dict]]:
    """(case document, record timestamps) of each case; ``pick`` is where the two registries differ."""

    def pick(first, second):
        return (first, second)[variant]

    def diagnosis(age, duration, condition="ssc_limited", primary=True):
        return {"condition": condition, "is_primary": primary, "age_at_diagnosis": age, "duration_years": duration}

    twins = {"source": "literature", "publication": {"doi": "10.1000/twins", "title": "Two reports"}}
    return [
        # Aged 90+ at presentation: the age reads "90+", every age at diagnosis and duration is withheld.
        (
            {"age_at_presentation": pick(90, 95), "diagnoses": [diagnosis(*pick((70, 20), (88, 7)))]},
            {
                "created_at": pick("2024-01-01T08:00:00+00:00", "2024-12-31T20:00:00+00:00"),
                "updated_at": pick("2025-03-04T00:00:00.000001+00:00", "2025-03-04T23:59:59.999999+00:00"),
            },
        ),
        (
            {
                "age_at_presentation": pick(93, 97),
                "diagnoses": [
                    diagnosis(*pick((81, 12), (90, 7))),
                    diagnosis(*pick((85, 8), (96, 1)), condition="dm", primary=False),
                ],
            },
            {"updated_at": pick("2025-03-04T12:00:00+00:00", "2025-03-04T12:00:00.000001+00:00")},
        ),
        (
            {"age_at_presentation": pick(120, 91), "diagnoses": [diagnosis(*pick((100, 20), (91, 0)))]},
            {"updated_at": "2025-05-06T10:00:00+00:00"},
        ),
        # No age at presentation: a diagnosis at 90+ reads "90+" and its duration gives no age back.
        (
            {"age_at_presentation": None, "diagnoses": [diagnosis(pick(92, 96), 3)]},
            {"updated_at": "2024-07-08T09:00:00+00:00"},
        ),
        # Under 90 everything is exact; a clinic's narrative, its reference and full dates are still withheld.
        (
            {
                "age_at_presentation": 89,
                "local_reference": pick("A-1", "B-2"),
                "summary": pick("Lives on Elm Street.", "Lives on Oak Road."),
                "diagnoses": [diagnosis(80, 9)],
                "serology": [
                    {"test": "anti_centromere", "result": "positive", "tested_on": pick("2021-01-05", "2021-11-30")}
                ],
            },
            {"updated_at": "2025-01-02T03:04:05+00:00"},
        ),
        (
            {"age_at_presentation": 50, "diagnoses": [diagnosis(42, 8)], "status": "verified"},
            {
                "updated_at": "2023-02-03T04:05:06+00:00",
                "verified_at": pick("2023-02-03T04:05:06+00:00", "2023-12-03T04:05:06.5+00:00"),
            },
        ),
        # Two reports of one publication, both 90+: the duplicate check cannot tell 93 from 97 either.
        ({**twins, "age_at_presentation": 93}, {"updated_at": "2022-06-07T08:09:10+00:00"}),
        ({**twins, "age_at_presentation": pick(97, 93)}, {"updated_at": "2022-06-07T08:09:11+00:00"}),
    ]


def build(variant: int, curator) -> list[Case]:
    cases = []
    for document, timestamps in registry(variant):
        status = document.pop("status", "submitted")
        case = case_create(user=curator, data=case_document(**document))
        changes = {name: parse_datetime(value) for name, value in timestamps.items()}
        if status == "verified":
            changes.update(status="verified", verified_by=curator)
        Case.objects.filter(pk=case.pk).update(**changes)
        cases.append(case)
    return cases


def sequences_from(start: int) -> None:
    """Every id the next rows take starts at ``start``: both registries get the same ids."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        for schema, name in cursor.fetchall():
            cursor.execute("SELECT setval(%s, %s, false)", [f'"{schema}"."{name}"', start])


def next_free_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(last_value), 0) + 1000 FROM pg_sequences")
        return cursor.fetchone()[0]


# --- what a reader can ask ------------------------------------------------------------------------


def varied_updates() -> list[str]:
    """The update times that differ between the registries, a microsecond later, and their days."""
    first, second = registry(0), registry(1)
    values = set()
    for (_, one), (_, other) in zip(first, second, strict=True):
        if one["updated_at"] != other["updated_at"]:
            for moment in (datetime.fromisoformat(one["updated_at"]), datetime.fromisoformat(other["updated_at"])):
                values |= {moment.isoformat(), (moment + timedelta(microseconds=1)).isoformat()}
                values |= {moment.date().isoformat(), (moment.date() + timedelta(days=1)).isoformat()}
    return sorted(values)


def values_of(name: str, filter_, codes_in_use: set[str]) -> list:
    """The values a filter is tried with: the edges of numbers, every choice, the codes the registry uses."""
    if isinstance(filter_, (filters.ModelMultipleChoiceFilter, filters.ModelChoiceFilter)):
        queryset = filter_.queryset(None) if callable(filter_.queryset) else filter_.queryset
        found = queryset.model.objects.filter(**{f"{filter_.extra['to_field_name']}__in": codes_in_use})
        parents = {getattr(concept, "parent_id", None) for concept in found} - {None}
        return sorted({getattr(concept, filter_.extra["to_field_name"]) for concept in found} | parents)
    if isinstance(filter_, (filters.ChoiceFilter, filters.MultipleChoiceFilter)):
        return [value for value, _ in filter_.extra["choices"]]
    if isinstance(filter_, filters.NumberFilter):
        numbers = AGES if name.startswith("age") else DURATIONS if name.startswith("duration") else [2000, 2020]
        return numbers
    if isinstance(filter_, filters.IsoDateTimeFilter):
        return varied_updates()
    if isinstance(filter_, filters.CharFilter):
        return WORDS
    raise AssertionError(f"No values to try for the filter {name!r}: give it some in values_of().")


def codes_in(cases) -> set[str]:
    """Every code the registry's cases use (site codes too)."""
    codes = {case.site.code for case in cases}
    for child in CHILD_LISTS:
        for f in child.fields:
            if f.kind is Kind.CODE:
                codes |= set(child.model.objects.filter(case__in=cases).values_list(f.attname, flat=True))
    return codes


def sweep(codes_in_use: set[str]) -> list[dict]:
    return [
        {name: value}
        for name, filter_ in CaseFilterSet.base_filters.items()
        for value in values_of(name, filter_, codes_in_use)
    ]


def unzipped(raw: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(raw))
    files = {name: archive.read(name) for name in archive.namelist()}
    # The export's own time, not a case's.
    files["manifest.json"] = re.sub(rb'"generated_at": "[^"]+"', b"", files["manifest.json"])
    return files


def page(response) -> bytes:
    # What differs between two renderings of one page: the form token and the script nonce.
    return re.sub(rb'(csrfmiddlewaretoken" value|nonce)="[^"]+"', rb"\1", body(response))


def walk(client, path: str, params: dict) -> list:
    """Every page forwards by the next links, then back by the previous links; each body as it came."""
    response = client.get(path, params)
    seen = [response.status_code, response.content]
    while response.json()["next"]:
        response = client.get(response.json()["next"])
        seen += [response.status_code, response.content]
    while response.json()["previous"]:
        response = client.get(response.json()["previous"])
        seen += [response.status_code, response.content]
    return seen


def everything(api, browser, cases, codes_in_use) -> dict:
    """Every response the probe asks for, by (what, parameters)."""
    seen = {}
    # Every filter at every value: cases.csv shows the selection, its order and every case column at once.
    for params in sweep(codes_in_use):
        seen[("cases.csv", str(params))] = body(api.get("/api/v1/export/cases.csv", params))
    for params in SELECTIONS:
        key = str(params)
        seen[("list", key)] = api.get("/api/v1/cases/", {**params, "page_size": 500}).content
        seen[("tables.zip", key)] = unzipped(body(api.get("/api/v1/export/tables.zip", params)))
        seen[("fhir.ndjson", key)] = body(api.get("/api/v1/export/fhir.ndjson", params))
        seen[("browser list", key)] = page(browser.get("/cases/", params))
        if "ordering" in params and len(params) == 1:
            continue  # the statistics and the long tables have no order of cases
        for name in STATISTICS:
            seen[(name, key)] = api.get(f"/api/v1/stats/{name}/", params).content
        for path in TABLE_PATHS.values():
            seen[(path, key)] = api.get(f"/api/v1/{path}/", {**params, "page_size": 500}).content
    for ordering, _ in ordering_choices():
        seen[("cursor", ordering)] = walk(api, "/api/v1/cases/", {"ordering": ordering, "page_size": 3})
    seen[("cursor", "diagnoses")] = walk(api, "/api/v1/diagnoses/", {"page_size": 3})
    for case in cases:
        seen[("document", case.registry_id)] = api.get(f"/api/v1/cases/{case.registry_id}/").content
        seen[("fhir", case.registry_id)] = api.get(f"/api/v1/cases/{case.registry_id}/fhir/").content
        seen[("case page", case.registry_id)] = page(browser.get(f"/cases/{case.registry_id}/"))
    return seen


def a_glance(api, browser, cases) -> dict:
    """A few of the same responses, for the curator: enough to show the two registries differ."""
    params = {"ordering": "-age_at_presentation"}
    return {
        ("list", "ordered"): api.get("/api/v1/cases/", params).content,
        ("cases.csv", "ordered"): body(api.get("/api/v1/export/cases.csv", params)),
        ("tables.zip", "all"): unzipped(body(api.get("/api/v1/export/tables.zip"))),
        ("browser list", "ordered"): page(browser.get("/cases/", params)),
        ("cursor", "updated_at"): walk(api, "/api/v1/cases/", {"ordering": "updated_at", "page_size": 3}),
        ("document", "first"): api.get(f"/api/v1/cases/{cases[0].registry_id}/").content,
        ("fhir", "all"): body(api.get("/api/v1/export/fhir.ndjson")),
    }


@pytest.fixture
def two_registries(api, client, curator, researcher, site_a, settings):
    """What the researcher and the curator get from registry 0 and from registry 1."""
    settings.API_RATE_LIMIT = "100000/min"
    clients = {"researcher": api("researcher"), "curator": api("curator")}
    start = next_free_id()
    seen = {}
    for variant in (0, 1):
        savepoint = transaction.savepoint()
        sequences_from(start)
        cases = build(variant, curator)
        codes = codes_in(cases)
        client.force_login(researcher)
        seen[("researcher", variant)] = everything(clients["researcher"], client, cases, codes)
        client.force_login(curator)
        seen[("curator", variant)] = a_glance(clients["curator"], client, cases)
        transaction.savepoint_rollback(savepoint)
    return seen


def test_nothing_a_researcher_gets_tells_the_two_registries_apart(two_registries):
    first, second = two_registries[("researcher", 0)], two_registries[("researcher", 1)]
    assert first.keys() == second.keys()
    differ = [key for key in first if first[key] != second[key]]
    assert differ == [], f"{len(differ)} of {len(first)} responses tell the registries apart, e.g. {differ[:5]}"
    # A curator reads the withheld values, so the same probe tells the registries apart: it would see a leak.
    first, second = two_registries[("curator", 0)], two_registries[("curator", 1)]
    differ = {key[0] for key in first if first[key] != second[key]}
    assert differ == {"list", "cases.csv", "tables.zip", "cursor", "document", "browser list", "fhir"}


# --- what the rule means, case by case ---------------------------------------------------------------


@pytest.fixture
def great_ages(make_case):
    """By age at presentation: 89, 90, 95, 120 and unknown (with a diagnosis at 92)."""
    ages = {age: make_case(age_at_presentation=age, diagnoses=[diagnosis_at(age)]) for age in (89, 90, 95, 120)}
    ages[None] = make_case(age_at_presentation=None, diagnoses=[diagnosis_at(95)])
    return ages


def diagnosis_at(age):
    return {"condition": "ssc_limited", "is_primary": True, "age_at_diagnosis": age - 3, "duration_years": 3}


def found(client, params) -> list[str]:
    return [doc["registry_id"] for doc in client.get("/api/v1/cases/", params).json()["results"]]


def test_a_researcher_filters_and_sorts_ages_as_they_read_them(api, great_ages):
    client = api("researcher")
    ids = {age: case.registry_id for age, case in great_ages.items()}
    great = [ids[90], ids[95], ids[120]]
    assert found(client, {"age_min": 95}) == []
    assert found(client, {"age_min": 90}) == great
    assert found(client, {"age_max": 90}) == [ids[89], *great]
    assert found(client, {"age_min": 89, "age_max": 89}) == [ids[89]]
    # 90+ ties in registry id order, either way.
    assert found(client, {"ordering": "age_at_presentation"}) == [ids[89], *great, ids[None]]
    assert found(client, {"ordering": "-age_at_presentation"}) == [ids[None], *reversed(great), ids[89]]
    # A curator filters on the stored ages.
    assert found(api("curator"), {"age_min": 95}) == [ids[95], ids[120]]


def test_ages_read_90_plus_and_their_clues_are_withheld(api, great_ages):
    client = api("researcher")
    for age, case in great_ages.items():
        doc = client.get(f"/api/v1/cases/{case.registry_id}/").json()
        [diagnosis] = doc["diagnoses"]
        if age is None:  # no age to give back: the diagnosis at 92 reads 90+, its duration stays
            assert (diagnosis["age_at_diagnosis"], diagnosis["duration_years"]) == ("90+", 3)
        elif age >= 90:
            assert doc["age_at_presentation"] == "90+"
            assert (diagnosis["age_at_diagnosis"], diagnosis["duration_years"]) == (None, None)
        else:
            assert (doc["age_at_presentation"], diagnosis["age_at_diagnosis"], diagnosis["duration_years"]) == (
                89,
                86,
                3,
            )
    assert found(client, {"duration_min": 3}) == [great_ages[89].registry_id, great_ages[None].registry_id]
    curator = api("curator").get(f"/api/v1/cases/{great_ages[95].registry_id}/").json()
    assert curator["diagnoses"][0]["age_at_diagnosis"] == 92 and curator["diagnoses"][0]["duration_years"] == 3


def test_updated_since_is_by_day_for_a_researcher(api, make_case):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(updated_at=parse_datetime("2025-03-04T12:00:00.5+00:00"))
    for since in ("2025-03-04T12:00:00.500001+00:00", "2025-03-04T23:59:59Z", "2025-03-04"):
        assert found(api("researcher"), {"updated_since": since}) == [case.registry_id]
        assert found(api("curator"), {"updated_since": since}) == ([] if "T" in since else [case.registry_id])
    assert found(api("researcher"), {"updated_since": "2025-03-05"}) == []


@pytest.mark.parametrize("ordering", ["age_at_presentation", "-age_at_presentation", "updated_at", "-updated_at"])
def test_a_cursor_is_signed_and_carries_no_value_of_a_row(api, great_ages, ordering):
    client = api("researcher")
    first = client.get("/api/v1/cases/", {"ordering": ordering, "page_size": 2}).json()
    cursor = re.search(r"cursor=([^&]+)", first["next"])[1]
    token = unquote(cursor).split(":")[0].rstrip("=")  # Django's signing: the payload, then its signature
    payload = signing.b64_decode(token.encode()).decode()
    years = {str(case.updated_at.year) for case in great_ages.values()}
    assert not re.search(rf"\b({'|'.join(years)}|0*89|0*90|0*95|0*120)\b", payload), payload
    second = client.get(first["next"])
    assert second.status_code == 200
    altered = first["next"].replace(cursor, cursor[:-1] + ("A" if cursor[-1] != "A" else "B"))
    response = client.get(altered)
    assert response.status_code == 400 and "cursor" in response.json()
