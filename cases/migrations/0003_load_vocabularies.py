from django.db import migrations


def forward(apps, schema_editor):
    from cases.vocabulary_loader import sync_vocabularies

    sync_vocabularies(lambda name: apps.get_model("cases", name))


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_registry_id_sequence")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
