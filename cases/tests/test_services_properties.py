"""Property: any nested document is either stored completely or refused with field errors, nothing stored."""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cases.document import case_document as stored_document
from cases.models import CalcinosisSite, Case, ClinicalFeature, Diagnosis, LabResult, SerologyResult, TreatmentCourse
from cases.services import CaseValidationError, case_create

pytestmark = pytest.mark.django_db

TABLES = (Case, Diagnosis, ClinicalFeature, SerologyResult, LabResult, CalcinosisSite, TreatmentCourse)

junk = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=12),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
)


def field(valid):
    """Mostly a valid value, sometimes junk: documents near the edge of validity."""
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), junk)


def row(**fields):
    return st.fixed_dictionaries({}, optional=fields)


documents = st.fixed_dictionaries(
    {"site": st.just("clinic-a")},
    optional={
        "source": field(["clinic", "literature"]),
        "publication": st.one_of(st.none(), st.fixed_dictionaries({"doi": field(["10.1000/x1", "10.1000/x2"])})),
        "sex": field(["female", "male", "other", "unknown"]),
        "age_at_presentation": st.one_of(st.integers(-5, 130), junk),
        "country": field(["TR", "CH", ""]),
        "summary": st.text(max_size=30),
        "diagnoses": st.lists(
            row(
                condition=field(["ssc", "sle", "dm"]),
                is_primary=st.booleans(),
                duration_years=st.one_of(st.decimals(-2, 200, places=1), junk),
            ),
            max_size=3,
        ),
        "features": st.lists(
            row(feature=field(["raynaud", "ild", "gerd"]), status=field(["present", "absent", "unknown"])), max_size=3
        ),
        "serology": st.lists(
            row(
                test=field(["ana", "rf", "anti_scl70"]),
                result=field(["positive", "negative"]),
                titer=st.one_of(st.integers(-1, 5000), junk),
                pattern=field(["nuclear", "nucleolar"]),
            ),
            max_size=3,
        ),
        "labs": st.lists(
            row(
                test=field(["calcium", "ck"]),
                value=st.one_of(st.decimals(-5, 10**5, places=2), junk),
                interpretation=field(["normal", "high", ""]),
            ),
            max_size=2,
        ),
        "calcinosis_sites": st.lists(
            row(
                region=field(["finger_2", "elbow", "toe"]),
                laterality=field(["left", "right", "bilateral"]),
                detected_by=field(["radiograph", "ct"]),
                digit_segment=field(["distal", None]),
                size_mm=st.one_of(st.decimals(-3, 500, places=1), junk),
            ),
            max_size=3,
        ),
        "treatments": st.lists(
            row(
                agent=field(["diltiazem", "bisphosphonate", "curettage"]),
                response=field(["none", "complete"]),
                started_on=field(["2020-01-01", "2021-06-30", "2020-02-30"]),
                stopped_on=field(["2020-01-01", "2019-12-31"]),
                site_indexes=st.lists(st.integers(-1, 3), max_size=2),
            ),
            max_size=2,
        ),
    },
)


def counts():
    return tuple(model.objects.count() for model in TABLES)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents)
def test_a_document_is_stored_whole_or_refused_whole(curator, site_a, document):
    before = counts()
    try:
        case = case_create(user=curator, data=document)
    except CaseValidationError as refused:
        event("refused")
        assert refused.message_dict and all(refused.message_dict.values())
        assert counts() == before
        return
    event("stored")
    stored = stored_document(Case.objects.for_detail().get(pk=case.pk))
    for key in ("diagnoses", "features", "serology", "labs", "calcinosis_sites", "treatments"):
        assert len(stored[key]) == len(document.get(key, [])), key
    for key in ("sex", "summary"):
        if key in document and document[key] is not None:
            assert stored[key] == document[key]
    if isinstance(document.get("age_at_presentation"), int):
        assert stored["age_at_presentation"] == document["age_at_presentation"]
