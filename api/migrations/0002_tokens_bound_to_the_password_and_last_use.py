from django.db import migrations, models


def revoke_unbound_tokens(apps, schema_editor):
    # A token issued before this migration has no session auth hash to compare, so it could never be
    # refused after a password change: revoke it (its owner asks for a new one at /api/v1/auth/token/).
    apps.get_model("api", "ApiToken").objects.filter(session_auth_hash="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="session_auth_hash",
            field=models.CharField(default="", editable=False, max_length=128),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last used"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
        migrations.RunPython(revoke_unbound_tokens, migrations.RunPython.noop),
    ]
