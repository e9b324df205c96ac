"""Independent reads of one page run at once, each on a connection of its own, except inside a transaction."""

import pytest
from django.db import connection, transaction

from registry.db import read_from, replica_for_reads, side_by_side


def backend():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_each_call_has_a_backend_of_its_own_and_results_keep_their_order(settings):
    settings.PARALLEL_READS = 4
    here = backend()
    pids = side_by_side(backend, backend, backend)
    assert len(pids) == 3 and here not in pids and len(set(pids)) == 3
    assert side_by_side(lambda: "first", lambda: "second") == ["first", "second"]


@pytest.mark.django_db(transaction=True)
def test_a_call_reads_from_the_replica_the_request_chose_and_its_error_reaches_the_caller(settings):
    settings.PARALLEL_READS = 4
    read_from("replica1")
    try:
        assert side_by_side(replica_for_reads, replica_for_reads) == ["replica1", "replica1"]
    finally:
        read_from(None)

    def refused():
        raise ValueError("no such statistic")

    with pytest.raises(ValueError, match="no such statistic"):
        side_by_side(backend, refused)


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_calls_share_its_connection(settings):
    settings.PARALLEL_READS = 4
    with transaction.atomic():
        here = backend()
        assert side_by_side(backend, backend) == [here, here]
