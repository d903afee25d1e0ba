"""The tip and incident lists: filters, bad filters beside their field, totals, paging and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.tests.factories import ClusterMemberFactory, UnitFactory, jurisdiction
from incidents.models import IncidentStatus, TipStatus
from incidents.tests.factories import category
from patrols.tests.factories import local
from tests.helpers import count_queries, error_beside, html_of, incident_of, tip_of

pytestmark = pytest.mark.django_db


# Tips: list ---------------------------------------------------------------------------------------


def test_tip_list_filters(client, j):
    nhs = ClusterMemberFactory(
        cluster=j.cluster, responsible_party=j.party_a, commune__name="Phường Ngũ Hành Sơn"
    ).commune
    late = tip_of(j, deadline=timezone.localdate() - datetime.timedelta(days=3), commune=nhs)
    joint = tip_of(j, status=TipStatus.TRUE, jointly_verified=True, received_at=local(2022, 5, 1, 8, 0),
                   deadline=datetime.date(2022, 5, 8))
    back = tip_of(j, from_unit=j.unit_b, to_unit=j.unit_a, summary="Tin đơn vị bạn gửi sang")
    client.force_login(j.user)
    url = reverse("incidents:tip_list")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return list(response.context["tips"])

    assert set(listed()) == {late, joint, back}
    assert listed(q="ngu hanh son") == [late]
    assert listed(qua_han="on") == [late]
    assert listed(phoi_hop="1") == [joint]
    assert listed(nam="2022") == [joint]
    assert listed(tu_ngay="2022-04-01", den_ngay="2022-05-01") == [joint]
    assert set(listed(huong="gui")) == {late, joint}
    assert listed(huong="nhan") == [back]
    assert listed(don_vi_gui=j.unit_b.pk) == [back]
    assert listed(trang_thai="verified_true") == [joint]
    assert listed(xa=nhs.pk) == [late]
    html = html_of(client.get(url, {"q": "ngu hanh son"}))
    assert '<span class="bz-count">1</span>' in html and "nguồn tin khớp điều kiện lọc" in html


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"nam": "hai nghìn"}, "nam", "Nhập năm bằng số"),
        ({"nam": "1800"}, "nam", "1990"),
        ({"tu_ngay": "2023-05-01", "den_ngay": "2023-04-01"}, "den_ngay", "phải bằng hoặc sau"),
        ({"tu_ngay": "32/13/2023"}, "tu_ngay", "Nhập một ngày hợp lệ"),
        ({"nam": "2023", "tu_ngay": "2023-01-01"}, "nam", "không chọn cả hai"),
        ({"quy_che": "999999"}, "quy_che", "Hãy chọn một lựa chọn hợp lệ"),
        ({"huong": "gui", "don_vi_gui": "me"}, "don_vi_gui", "lựa chọn hợp lệ"),
    ],
)
def test_bad_filters_are_explained_beside_the_field_never_a_500(client, j, params, field, message):
    tip_of(j)
    incident_of(j)
    client.force_login(j.user)
    for name in ("incidents:tip_list", "incidents:incident_list"):
        if field in ("huong", "don_vi_gui") and name == "incidents:incident_list":
            continue
        response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        html = html_of(response)
        assert error_beside(html, field, message), (name, html[html.find(f"div_id_{field}") :][:800])
        assert len(response.context["object_list"]) == 1  # the valid filters (none here) still apply


# Incidents: list ----------------------------------------------------------------------------------


def test_incident_list_filters_counts_and_accent_insensitive_search(client, j, other_j):
    nhs = ClusterMemberFactory(
        cluster=j.cluster, responsible_party=j.party_a, commune__name="Phường Ngũ Hành Sơn"
    ).commune
    solved = incident_of(j, commune=nhs, status=IncidentStatus.SOLVED, solved_at=local(2023, 6, 5, 8, 0))
    gambling = incident_of(j, category=category("danh-bac"), occurred_at=local(2022, 3, 1, 20, 0))
    joint = incident_of(j, lead_unit=j.unit_b, nature="administrative", jointly_handled=True)
    joint.supporting_units.add(j.unit_a)
    incident_of(other_j)  # another jurisdiction: never counted
    client.force_login(j.user)
    url = reverse("incidents:incident_list")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return response, list(response.context["incidents"])

    response, rows = listed()
    assert set(rows) == {solved, gambling, joint}
    assert (response.context["total"], response.context["solved"]) == (3, 1)
    assert "đã làm rõ 1/3" in html_of(response) and "đạt 33,3%" in html_of(response)
    assert listed(q="ngu hanh son")[1] == [solved]
    assert listed(q="NGŨ HÀNH")[1] == [solved]
    assert listed(nam="2022")[1] == [gambling]
    assert set(listed(tu_ngay="2023-01-01", den_ngay="2023-12-31")[1]) == {solved, joint}
    assert listed(lam_ro_tu="2023-06-01", lam_ro_den="2023-06-30")[1] == [solved]
    assert listed(nhom="Cờ bạc")[1] == [gambling]
    assert listed(tinh_chat="administrative")[1] == [joint]
    assert listed(trang_thai="solved")[1] == [solved]
    assert listed(phoi_hop="1")[1] == [joint]
    assert set(listed(don_vi=j.unit_a.pk)[1]) == {solved, gambling, joint}  # led or supported
    assert listed(don_vi=j.unit_b.pk)[1] == [joint]
    assert listed(xa=nhs.pk)[1] == [solved]
    assert listed(loai=category("danh-bac").pk)[1] == [gambling]
    response, rows = listed(q="ngu hanh son")
    html = html_of(response)
    assert '<span class="bz-count">1</span>' in html and "đã làm rõ 1/1" in html


def test_incident_list_paginates_by_25(client, j):
    for _ in range(26):
        incident_of(j)
    client.force_login(j.user)
    response = client.get(reverse("incidents:incident_list"))
    assert len(response.context["incidents"]) == 25 and response.context["total"] == 26
    assert len(client.get(reverse("incidents:incident_list"), {"page": 2}).context["incidents"]) == 1


# Query counts --------------------------------------------------------------------------------------


def _populate(j, n: int) -> None:
    for i in range(n):
        tip = tip_of(j, deadline=timezone.localdate() + datetime.timedelta(days=i - 2))
        incident = incident_of(j, lead_unit=j.unit_b if i % 2 else j.unit_a)
        incident.tips.add(tip)
        incident.supporting_units.add(j.unit_a)


@pytest.mark.parametrize("name", ["incidents:tip_list", "incidents:tip_inbox", "incidents:incident_list"])
def test_list_query_counts_do_not_grow_with_rows(client, name):
    few, many = jurisdiction(), jurisdiction()
    receivers = [few.officer_of_b().user, many.officer_of_b().user]
    _populate(few, 5)
    _populate(many, 50)
    counts = []
    for receiver in receivers:
        client.force_login(receiver)
        counts.append(count_queries(client, reverse(name)))
    assert counts[0] == counts[1]


def test_detail_query_counts_do_not_grow_with_links(client):
    # Every row is written before the first request: a request leaves its audit context (the
    # actor) on the test's transaction, and rows written after it would carry an actor to look up.
    pages = []
    for n in (5, 50):
        j = jurisdiction()
        tip = tip_of(j)
        incident = incident_of(j)
        for _ in range(n):
            other = incident_of(j)
            other.tips.add(tip)
            incident.tips.add(tip_of(j))
            incident.supporting_units.add(UnitFactory())
        pages.append((j.user, tip, incident))
    counts = {"tip": [], "incident": []}
    for user, tip, incident in pages:
        client.force_login(user)
        counts["tip"].append(count_queries(client, tip.get_absolute_url()))
        counts["incident"].append(count_queries(client, incident.get_absolute_url()))
    assert counts["tip"][0] == counts["tip"][1]
    assert counts["incident"][0] == counts["incident"][1]
