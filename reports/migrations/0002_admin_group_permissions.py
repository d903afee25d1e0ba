"""Administrators keep field records and reviews in the Django admin too (0002 of agreements covers the registry)."""

from django.db import migrations

APPS = ("patrols", "incidents", "reports")


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for label in APPS:
        app_config = apps.get_app_config(label)
        if not getattr(app_config, "models_module", None):
            app_config.models_module = True  # historical app configs have no models module of their own
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Quản trị viên").first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("patrols", "0002_created_by_optional"),
        ("incidents", "0004_created_by_optional"),
        ("agreements", "0002_roles_and_areas"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
