import importlib

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """Put back the rows data migrations create (role groups, coordination areas, categories).

    A ``transaction=True`` test ends with a flush that empties every table, including those rows,
    and later tests rely on them exactly as a migrated production database does.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.exists():
        for module in (
            "agreements.migrations.0002_roles_and_areas",
            "incidents.migrations.0003_categories",
            "reports.migrations.0002_admin_group_permissions",
        ):
            importlib.import_module(module).forwards(apps, None)
    yield
