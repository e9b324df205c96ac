"""Nothing half-saved: a write that fails part-way leaves the case exactly as it was."""

import pytest
from django.db import DatabaseError, connection

from cases.document import case_document as stored_document
from cases.models import Case, SerologyResult
from cases.services import case_create, case_update
from conftest import case_document

pytestmark = pytest.mark.django_db

# A trigger that fails the insert of the fifth serology row of any statement's case,
# standing in for a disk, network or server error in the middle of a write.
FAIL_ON_FIFTH_ROW = """
CREATE FUNCTION fail_fifth_serology_row() RETURNS trigger AS $$
BEGIN
  IF (SELECT count(*) FROM cases_serologyresult WHERE case_id = NEW.case_id) >= 4 THEN
    RAISE EXCEPTION 'injected failure on the fifth child row';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER fail_fifth_serology_row BEFORE INSERT ON cases_serologyresult
  FOR EACH ROW EXECUTE FUNCTION fail_fifth_serology_row();
"""

FIVE_RESULTS = [
    {"test": code, "result": "negative"}
    for code in ("anti_scl70", "anti_centromere", "anti_rnapol3", "anti_pmscl", "anti_sm")
]


@pytest.fixture
def failing_fifth_row():
    with connection.cursor() as cursor:
        cursor.execute(FAIL_ON_FIFTH_ROW)


def snapshot(case):
    return stored_document(Case.objects.for_detail().get(pk=case.pk))


def test_an_update_that_fails_on_the_fifth_row_changes_nothing(make_case, curator, failing_fifth_row):
    case = make_case(serology=[])
    before = snapshot(case)
    data = case_document(age_at_presentation=77, summary="changed", serology=FIVE_RESULTS)
    with pytest.raises(DatabaseError, match="fifth child row"):
        case_update(user=curator, case=case, data=data, version=case.version)
    assert snapshot(case) == before


def test_a_create_that_fails_on_the_fifth_row_stores_nothing(curator, site_a, failing_fifth_row):
    with pytest.raises(DatabaseError, match="fifth child row"):
        case_create(user=curator, data=case_document(serology=FIVE_RESULTS))
    assert Case.objects.count() == 0 and SerologyResult.objects.count() == 0
