from django.db import migrations


# Registry ids come from a sequence: a number handed out is never handed out
# again, even when the transaction that took it rolls back or the case is deleted.
class Migration(migrations.Migration):
    dependencies = [("cases", "0001_clinical_model")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS cases_registry_id_seq START 1",
            "DROP SEQUENCE IF EXISTS cases_registry_id_seq",
        ),
    ]
