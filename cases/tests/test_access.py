"""The visibility matrix of the five personas, from the one place access is decided."""

import pytest

from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(make_case, site_b):
    return make_case(site="clinic-a"), make_case(site="clinic-b")


@pytest.mark.parametrize(
    "persona, sees, edits",
    [
        ("clinician_a", {"a"}, {"a"}),
        ("clinician_b", {"b"}, {"b"}),
        ("researcher", {"a", "b"}, set()),
        ("curator", {"a", "b"}, {"a", "b"}),
        ("anonymous", set(), set()),
    ],
)
def test_visibility_matrix(request, two_cases, persona, sees, edits):
    user = request.getfixturevalue(persona)
    names = {two_cases[0].pk: "a", two_cases[1].pk: "b"}
    assert {names[c.pk] for c in Case.objects.visible_to(user)} == sees
    assert {names[c.pk] for c in Case.objects.editable_by(user)} == edits


def test_an_inactive_account_sees_nothing(clinician_a, two_cases):
    clinician_a.is_active = False
    clinician_a.save()
    assert not Case.objects.visible_to(clinician_a).exists()
