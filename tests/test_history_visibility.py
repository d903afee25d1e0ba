"""History panels show only the events of records the viewer may see (the access choke point).

A third party of an agreement sees the agreement, its cluster and its cluster patrols, but not a tip
between the two other parties, an incident outside the clusters led by another unit, nor (as an
officer) the text of review reports. The history panels of those pages must not tell them either.
"""

import datetime

import pghistory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import selectors
from agreements.models import Role
from agreements.tests.factories import OfficerFactory
from reports import services as report_services
from tests.helpers import html_of, incident_of, log_patrol, tip_of

pytestmark = pytest.mark.django_db

NOTE = "Đã xác minh: ổ nhóm đánh bạc do Nguyễn Văn Bí mật tổ chức"
OUTCOME = "Khởi tố vụ án, tạm giữ hai đối tượng ở thôn Kín"
SITUATION = "Tình hình an ninh vùng giáp ranh có diễn biến phức tạp ở bến đò Ẩn"


def _change(obj, **values):
    with pghistory.context(user=None):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()


@pytest.fixture
def world(j):
    patrol = log_patrol(j)
    tip = tip_of(j, patrol=patrol)
    _change(tip, verification_note=NOTE)
    incident = incident_of(j, cluster=None)
    _change(incident, outcome=OUTCOME)
    staff = OfficerFactory(unit=j.unit_a, role=Role.STAFF).user
    report = report_services.report_create(
        actor=staff, agreement=j.agreement, cluster=j.cluster,
        period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2024, 1, 1),
    )
    _change(report, situation=SITUATION)
    return {"patrol": patrol, "tip": tip, "incident": incident}


def _pages(j, world) -> list[str]:
    return [
        reverse("agreements:agreement_detail", args=[j.agreement.pk]),
        reverse("agreements:cluster_detail", args=[j.cluster.pk]),
        reverse("patrols:patrol_detail", args=[world["patrol"].pk]),
    ]


def test_a_third_party_officer_reads_nothing_of_hidden_records_in_the_history(client, j, world):
    third = OfficerFactory(unit=j.third_party().unit, role=Role.OFFICER)
    client.force_login(third.user)
    assert client.get(reverse("incidents:tip_detail", args=[world["tip"].pk])).status_code == 404
    assert client.get(reverse("incidents:incident_detail", args=[world["incident"].pk])).status_code == 404

    for url in _pages(j, world):
        html = html_of(client.get(url))
        assert "Lịch sử" in html or "Cập nhật" in html, url
        assert NOTE not in html, url
        assert OUTCOME not in html, url
        assert SITUATION not in html, url


def test_the_units_of_the_records_still_read_their_history(client, j, world):
    # Side A's officer sent the tip and leads the incident; a commander reads the reports.
    client.force_login(OfficerFactory(unit=j.unit_a, role=Role.COMMANDER).user)
    agreement_page = html_of(client.get(_pages(j, world)[0]))
    assert NOTE in agreement_page and OUTCOME in agreement_page and SITUATION in agreement_page
    cluster_page = html_of(client.get(_pages(j, world)[1]))
    assert NOTE in cluster_page and SITUATION in cluster_page
    assert NOTE in html_of(client.get(_pages(j, world)[2]))

    client.force_login(j.officer_of_b().user)
    assert NOTE in html_of(client.get(_pages(j, world)[2]))


def test_a_commander_of_the_third_party_reads_the_reports_but_not_the_tip(client, j, world):
    commander = OfficerFactory(unit=j.third_party().unit, role=Role.COMMANDER)
    client.force_login(commander.user)
    html = html_of(client.get(_pages(j, world)[0]))
    assert SITUATION in html
    assert NOTE not in html


def test_checking_visibility_costs_one_query_per_kind_of_record(j):
    viewer = OfficerFactory(unit=j.third_party().unit, role=Role.OFFICER).user

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.record_history(user=viewer, objects=[j.agreement])
        return len(captured)

    patrol = log_patrol(j)
    tip_of(j, patrol=patrol)
    incident_of(j, cluster=None)
    queries()  # the viewer's scope is read once and kept on the user
    few = queries()
    for _ in range(4):
        tip_of(j, patrol=log_patrol(j))
        incident_of(j, cluster=None)
        incident_of(j)
    assert queries() == few
