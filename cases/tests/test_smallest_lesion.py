"""A lesion of 0.1 mm, the smallest size the registry stores, is accepted wherever a size is entered.

The bounds were the float 0.1, a hair above the decimal 0.1, so the services refused exactly 0.1 mm while
the database's own check (size > 0) and the synthetic loader took it (found by the import's round trip)."""

from decimal import Decimal

import pytest

from cases.services import CaseValidationError

pytestmark = pytest.mark.django_db


def test_a_lesion_and_its_finding_of_a_tenth_of_a_millimetre_are_stored(make_case):
    case = make_case(
        calcinosis_sites=[
            {
                "region": "finger_2",
                "laterality": "left",
                "methods": ["radiograph"],
                "size_mm": "0.1",
                "size_short_mm": "0.1",
            }
        ],
        assessments=[{"months_from_presentation": 3, "site_findings": [{"site_id": 0, "size_mm": "0.1"}]}],
    )
    site = case.calcinosis_sites.get()
    assert (site.size_mm, site.size_short_mm) == (Decimal("0.1"), Decimal("0.1"))
    assert case.assessments.get().site_findings.get().size_mm == Decimal("0.1")


def test_a_size_of_zero_is_still_refused_naming_the_field(make_case):
    with pytest.raises(CaseValidationError) as refused:
        make_case(
            calcinosis_sites=[{"region": "finger_2", "laterality": "left", "methods": ["radiograph"], "size_mm": "0"}]
        )
    assert "calcinosis_sites.0.size_mm" in str(refused.value)
