"""Read replicas (DATABASE_REPLICA_URLS) against a real streaming replica of the test cluster.

The replica's replay is paused while the primary takes a write, so what a page
shows tells where it was read: a case on the primary only is a 404 from the
replica. Pages and API reads, the statistics and the exports read the replica;
writes, the admin and the writer's own next requests read the primary.
"""

import copy
import time

import pytest
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tests.conftest import body
from cases.tests.test_views_form import page_form
from conftest import case_document
from registry.db import read_from, reading_connection
from registry.tests.servers import StreamingReplica

pytestmark = pytest.mark.django_db(transaction=True)
ALIAS = "replica1"


@pytest.fixture(scope="module")
def standby(django_db_setup):
    replica = StreamingReplica(connections["default"].settings_dict)
    try:
        replica.start()
        yield replica
    finally:
        replica.stop()


@pytest.fixture
def replica(standby, transactional_db, settings):
    """The registry configured as DATABASE_REPLICA_URLS=<the standby> would configure it.

    The connection is made here rather than listed in DATABASES, where Django's test
    case would refuse it as a database the test did not ask for (and flush it).
    """
    primary = connections["default"].settings_dict
    connections[ALIAS] = load_backend(primary["ENGINE"]).DatabaseWrapper(
        {**copy.deepcopy(primary), "PORT": standby.port}, ALIAS
    )
    settings.REPLICA_DATABASES = [ALIAS]
    yield standby
    connections[ALIAS].close()
    del connections[ALIAS]


def token_client(key: str) -> APIClient:
    """A script: its token and nothing else (no cookies carried from one request to the next)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def finger_cases(client) -> int:
    regions = client.get("/api/v1/stats/calcinosis-sites/").json()["regions"]
    return next(r["cases"] for r in regions if r["region"] == "finger_2")


def test_api_reads_come_from_the_replica_and_a_writer_reads_its_own_writes(replica, clinician_a, make_case):
    older = make_case(user=clinician_a)
    _, writer_key = ApiToken.issue(clinician_a)
    _, reader_key = ApiToken.issue(clinician_a)
    replica.caught_up()
    with replica.paused():
        created = token_client(writer_key).post("/api/v1/cases/", case_document(), format="json")
        assert created.status_code == 201, created.content  # written on the primary: the replica is read-only
        new = created.json()["registry_id"]

        reader, writer = token_client(reader_key), token_client(writer_key)
        assert reader.get(f"/api/v1/cases/{older.registry_id}/").status_code == 200
        assert reader.get(f"/api/v1/cases/{new}/").status_code == 404  # not replayed yet
        assert writer.get(f"/api/v1/cases/{new}/").status_code == 200  # its own write, from the primary
        listed = [case["registry_id"] for case in reader.get("/api/v1/cases/").json()["results"]]
        assert older.registry_id in listed and new not in listed
        # The raw SQL of the statistics and of the exports reads where the ORM reads.
        assert (finger_cases(reader), finger_cases(writer)) == (1, 2)
        reader_file = body(reader.get("/api/v1/export/cases.csv")).decode()
        writer_file = body(writer.get("/api/v1/export/cases.csv")).decode()
        assert older.registry_id in reader_file and new not in reader_file
        assert new in writer_file
    replica.caught_up()
    assert reader.get(f"/api/v1/cases/{new}/").status_code == 200


def test_a_writer_reads_the_replica_again_once_the_window_has_passed(replica, clinician_a, settings):
    settings.READ_YOUR_WRITES_SECONDS = 1
    _, key = ApiToken.issue(clinician_a)
    replica.caught_up()
    with replica.paused():
        new = token_client(key).post("/api/v1/cases/", case_document(), format="json").json()["registry_id"]
        assert token_client(key).get(f"/api/v1/cases/{new}/").status_code == 200
        time.sleep(1.2)
        assert token_client(key).get(f"/api/v1/cases/{new}/").status_code == 404


def test_the_browser_reads_the_replica_until_it_saves_and_the_admin_reads_the_primary(
    replica, clinician_a, curator, make_case
):
    case = make_case(user=clinician_a)
    page = reverse("cases:detail", args=[case.registry_id])
    edit = reverse("cases:edit", args=[case.registry_id])
    writer, elsewhere, admin = Client(), Client(), Client()
    writer.force_login(clinician_a)
    elsewhere.force_login(clinician_a)  # the same clinician at another computer
    admin.force_login(curator)
    replica.caught_up()
    values = page_form(writer, edit)
    values.pop("_templates")
    values["summary"] = ["Seen again in clinic."]
    with replica.paused():
        assert writer.post(edit, values).status_code == 302
        assert "Seen again in clinic." in writer.get(page).content.decode()
        assert "Seen again in clinic." not in elsewhere.get(page).content.decode()
        changed = admin.get(reverse("admin:cases_case_change", args=[case.pk]))
        assert "Seen again in clinic." in changed.content.decode()
    replica.caught_up()
    assert "Seen again in clinic." in elsewhere.get(page).content.decode()


def test_raw_sql_reads_the_replica_outside_a_transaction_and_the_primary_inside_one(replica):
    def in_recovery() -> bool:
        with reading_connection().cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            return cursor.fetchone()[0]

    read_from(ALIAS)
    try:
        assert in_recovery()
        with transaction.atomic():
            assert not in_recovery()
    finally:
        read_from(None)
    assert not in_recovery()
