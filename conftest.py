import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction

from agreements.models import Role
from agreements.tests.factories import Jurisdiction, jurisdiction
from tests.helpers import put_back_reference_rows


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """Every database test starts with the rows data migrations create (see ``put_back_reference_rows``)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    put_back_reference_rows()
    yield


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """``manage.py load_demo`` once for the requesting module; yields what the command printed.

    The load (the country's geography included) takes tens of seconds, so a module shares it; it runs
    inside a transaction rolled back after the module, so no demo row reaches another module's tests.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


# The shared world ------------------------------------------------------------------------------------
# Most tests need "an agreement, its cluster and someone of side A"; they take ``j`` and add what they
# are about on top. A test that needs two worlds takes ``other_j`` or calls ``jurisdiction()`` again.


@pytest.fixture
def j(db) -> Jurisdiction:
    """Side A's officer (``j.user``) in a two-party agreement with one cluster of two communes."""
    return jurisdiction()


@pytest.fixture
def other_j(db) -> Jurisdiction:
    """A second, unrelated jurisdiction: its records must stay out of sight of ``j``'s users."""
    return jurisdiction()


@pytest.fixture
def partner(j):
    """An officer of side B: he receives side A's tips and confirms side A's patrols."""
    return j.officer_of_b().user


@pytest.fixture
def commander(j):
    """A commander of side A: sees everything under the agreement, agreement-wide records included."""
    return j.officer_of_a(Role.COMMANDER).user


@pytest.fixture
def staff(j):
    """A staff officer of side A: manages the registry and writes the review reports."""
    return j.officer_of_a(Role.STAFF).user
