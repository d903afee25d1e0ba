from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes for the dashboards: the latest tips and incidents over many agreements."""

    dependencies = [
        ("incidents", "0005_audit_links"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="tip",
            index=models.Index(fields=["received_at"], name="tip_received_idx"),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["occurred_at"], name="incident_occurred_idx"),
        ),
    ]
