from django.db import migrations, models


class Migration(migrations.Migration):
    """Index for the dashboards: the latest patrols over many agreements."""

    dependencies = [
        ("patrols", "0002_created_by_optional"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="patrol",
            index=models.Index(fields=["started_at"], name="patrol_started_idx"),
        ),
    ]
