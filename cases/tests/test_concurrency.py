"""Two people save the same case at the same moment: one wins, the other is told, nothing is mixed."""

import pytest

from cases.document import case_document as stored_document
from cases.models import Case
from cases.services import StaleVersion, case_update
from conftest import at_the_same_moment, case_document


def concurrent_updates(user, case, documents):
    """Each document saved by case_update in its own thread and connection, at the same moment."""

    def save(data):
        try:
            case_update(user=user, case=case, data=data, version=case.version)
            return "saved"
        except StaleVersion:
            return "stale"

    return at_the_same_moment(*[lambda d=d: save(d) for d in documents])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_exactly_one_of_two_simultaneous_saves_wins(clinician_a, make_case, attempt):
    case = make_case(user=clinician_a)
    documents = [
        case_document(age_at_presentation=61, serology=[{"test": "ana", "result": "positive", "titer": 640}]),
        case_document(age_at_presentation=72, serology=[{"test": "rf", "result": "negative"}]),
    ]
    outcomes = concurrent_updates(clinician_a, case, documents)
    assert sorted(outcomes) == ["saved", "stale"]
    winner = documents[outcomes.index("saved")]
    stored = stored_document(Case.objects.for_detail().get(pk=case.pk))
    assert stored["version"] == 2
    assert stored["age_at_presentation"] == winner["age_at_presentation"]
    assert [(s["test"], s["result"]) for s in stored["serology"]] == [
        (s["test"], s["result"]) for s in winner["serology"]
    ]
