"""Helpers the page tests share: reading a response, counting queries, and the records and form posts
the tip, incident and patrol pages are tested with.

Record builders take a :class:`agreements.tests.factories.Jurisdiction` (the root ``j`` fixture) and
default to side A's unit and commune, so a test only spells out what it is about.
"""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.tests.factories import Jurisdiction
from incidents.models import Incident, IncidentStatus, Tip
from incidents.tests.factories import IncidentFactory, TipFactory, category
from patrols import services as patrol_services
from patrols.models import Patrol
from patrols.services import ParticipationData
from patrols.tests.factories import local

# The database --------------------------------------------------------------------------------------


def put_back_reference_rows() -> None:
    """Put back the rows data migrations create (role groups, coordination areas, categories).

    A ``transaction=True`` test ends with a flush that empties every table, including those rows,
    and later tests rely on them exactly as a migrated production database does.
    """
    if not Group.objects.exists():
        for module in (
            "agreements.migrations.0002_roles_and_areas",
            "incidents.migrations.0003_categories",
            "reports.migrations.0002_admin_group_permissions",
        ):
            importlib.import_module(module).forwards(apps, None)


# Pages ----------------------------------------------------------------------------------------------


def html_of(response) -> str:
    return response.content.decode()


def error_beside(html: str, field: str, message: str) -> bool:
    """The message is rendered inside the crispy block of ``field`` (before the next field's block).

    ``field`` is the form field's HTML name, formset prefix included (``"parties-2-unit"``).
    """
    start = html.find(f'id="div_id_{field}"')
    if start < 0:
        return False
    following = html.find('id="div_id_', start + 1)
    block = html[start : following if following > 0 else len(html)]
    return message in block


def count_queries(client, url: str, params: dict | None = None) -> int:
    """How many SQL queries one GET of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def stamp(moment: datetime.datetime) -> str:
    """``moment`` as a ``datetime-local`` input posts it, in local time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# Tips and incidents ----------------------------------------------------------------------------------


def tip_of(j: Jurisdiction, **overrides) -> Tip:
    """A tip from side A to side B about commune A, due in five days."""
    values = dict(
        agreement=j.agreement, cluster=j.cluster, from_unit=j.unit_a, to_unit=j.unit_b,
        commune=j.commune_a, deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    values.update(overrides)
    return TipFactory(**values)


def incident_of(j: Jurisdiction, **overrides) -> Incident:
    """An incident in commune A led by side A."""
    values = dict(agreement=j.agreement, cluster=j.cluster, commune=j.commune_a, lead_unit=j.unit_a)
    values.update(overrides)
    return IncidentFactory(**values)


def tip_data(j: Jurisdiction, **overrides) -> dict:
    """What the tip form posts; an override of ``None`` leaves the field out."""
    data = {
        "scope": f"c{j.cluster.pk}",
        "from_unit": j.unit_a.pk,
        "to_unit": j.unit_b.pk,
        "received_at": "2023-04-02T09:00",
        "source_kind": "public",
        "category": category("danh-bac").pk,
        "commune": j.commune_a.pk,
        "summary": "Nhóm đối tượng tụ tập đánh bạc tại bãi sông giáp ranh",
        "reliability": "B",
        "credibility": "2",
        "deadline": "2023-04-12",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def incident_data(j: Jurisdiction, **overrides) -> dict:
    """What the incident form posts: a theft in commune A led by side A with side B's support."""
    data = {
        "scope": f"c{j.cluster.pk}",
        "occurred_at": "2023-06-01T22:00",
        "commune": j.commune_a.pk,
        "place": "Bãi sông thôn 3",
        "category": category("trom-cap").pk,
        "nature": "",
        "summary": "Trộm cắp xe máy tại bãi sông",
        "lead_unit": j.unit_a.pk,
        "supporting_units": [j.unit_b.pk],
        "source": "public",
        "status": IncidentStatus.RECEIVED,
        "solved_at": "",
        "suspects": "2",
        "suspects_dealt_with": "1",
        "outcome": "",
    }
    data.update(overrides)
    return data


# Patrols --------------------------------------------------------------------------------------------


def patrol_form_data(j: Jurisdiction, *, rows=None, **overrides) -> dict:
    """What the phone posts: the patrol's fields plus three rows of participating units."""
    a, b = j.unit_a.pk, j.unit_b.pk
    rows = rows if rows is not None else [(a, "4"), (b, "3"), ("", "")]
    data = {
        "scope": f"c{j.cluster.pk}",
        "programme": "Tuyến biển bình yên",
        "started_at": "2023-05-10T19:00",
        "ended_at": "2023-05-10T23:00",
        "status": "done",
        "communes": [j.commune_a.pk, j.commune_b.pk],
        "route": "Đường ven biển thôn Đông",
        "findings": "Nhắc nhở 2 nhóm thanh niên tụ tập",
        "lead_unit": a,
        "don_vi-TOTAL_FORMS": str(len(rows)),
        "don_vi-INITIAL_FORMS": "1",
        "don_vi-MIN_NUM_FORMS": "0",
        "don_vi-MAX_NUM_FORMS": "1000",
    }
    for index, (unit, officers) in enumerate(rows):
        data[f"don_vi-{index}-unit"] = unit
        data[f"don_vi-{index}-officers"] = officers
    data.update(overrides)
    return data


def log_patrol(j: Jurisdiction, **overrides) -> Patrol:
    """A cluster patrol in communes A and B logged through the service by side A's officer (A: 4, B: 3)."""
    values = dict(
        actor=j.user,
        agreement=j.agreement,
        cluster=j.cluster,
        lead_unit=j.unit_a,
        started_at=local(2023, 5, 10, 19, 0),
        ended_at=local(2023, 5, 10, 23, 0),
        communes=[j.commune_a, j.commune_b],
        participations=[ParticipationData(j.unit_a, 4), ParticipationData(j.unit_b, 3)],
        programme="Tuyến biển bình yên",
    )
    values.update(overrides)
    return patrol_services.patrol_create(**values)
