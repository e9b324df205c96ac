"""A backup restores to the same registry: every table, every row."""

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cases.backups import database_url, drop_database
from cases.demo import load_demo
from cases.models import Case
from cases.services import case_create
from conftest import case_document

TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"


def fingerprint(name: str) -> dict:
    """Row count and a checksum of the content of every table."""
    with psycopg.connect(database_url(name)) as conn:
        tables = [row[0] for row in conn.execute(TABLES)]
        result = {}
        for table in tables:
            count, digest = conn.execute(
                psycopg.sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"
                ).format(psycopg.sql.Identifier(table))
            ).fetchone()
            result[table] = (count, digest)
        return result


@pytest.mark.django_db(transaction=True)
def test_a_backup_round_trips_the_whole_registry(tmp_path, curator, site_a):
    load_demo(password="backup-test-password")
    for index in range(1000):
        case_create(user=curator, data=case_document(age_at_presentation=index % 100, summary=f"case {index}"))
    assert Case.objects.count() == 1002
    archive = tmp_path / "registry.dump"
    call_command("backup_registry", output=str(archive))
    target = f"{settings.DATABASES['default']['NAME']}_restored"
    try:
        call_command("restore_registry", str(archive), database=target)
        original, restored = fingerprint(settings.DATABASES["default"]["NAME"]), fingerprint(target)
        assert restored == original
        assert original["cases_case"][0] == 1002 and len(original) > 20
        with pytest.raises(CommandError, match="not empty"):
            call_command("restore_registry", str(archive), database=target)
    finally:
        drop_database(target)
