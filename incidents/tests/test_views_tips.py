"""The tip and incident pages: flows, bad input beside its field, 404 outside the jurisdiction, query counts.

The role × unit × URL matrix lives in tests/test_access_matrix.py; these tests cover the pages.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Role, Unit
from agreements.tests.factories import (
    AgreementPartyFactory,
    ClusterMemberFactory,
    CommuneFactory,
    OfficerFactory,
    UnitFactory,
    jurisdiction,
)
from incidents.models import Incident, IncidentStatus, Tip, TipStatus
from incidents.tests.factories import IncidentFactory, TipFactory, category
from patrols.tests.factories import local

pytestmark = pytest.mark.django_db


# Helpers ------------------------------------------------------------------------------------------


def html_of(response) -> str:
    return response.content.decode()


def error_beside(html: str, field: str, message: str) -> bool:
    """The message is rendered inside the crispy block of ``field`` (before the next field's block)."""
    start = html.find(f'id="div_id_{field}"')
    if start < 0:
        return False
    following = html.find('id="div_id_', start + 1)
    block = html[start : following if following > 0 else len(html)]
    return message in block


def world():
    """A two-party agreement; ``user`` works for side A, ``receiver`` for side B."""
    j = jurisdiction()
    j["receiver"] = OfficerFactory(unit=j["party_b"].unit).user
    return j


def tip_of(j, **overrides) -> Tip:
    values = dict(
        agreement=j["agreement"], cluster=j["cluster"], from_unit=j["party_a"].unit, to_unit=j["party_b"].unit,
        commune=j["member_a"].commune, deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    values.update(overrides)
    return TipFactory(**values)


def incident_of(j, **overrides) -> Incident:
    values = dict(
        agreement=j["agreement"], cluster=j["cluster"], commune=j["member_a"].commune, lead_unit=j["party_a"].unit,
    )
    values.update(overrides)
    return IncidentFactory(**values)


def stamp(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def tip_data(j, **overrides) -> dict:
    data = {
        "agreement": j["agreement"].pk,
        "cluster": j["cluster"].pk,
        "from_unit": j["party_a"].unit.pk,
        "to_unit": j["party_b"].unit.pk,
        "received_at": "2023-04-02T09:00",
        "source_kind": "public",
        "category": category("danh-bac").pk,
        "commune": j["member_a"].commune.pk,
        "summary": "Nhóm đối tượng tụ tập đánh bạc tại bãi sông giáp ranh",
        "reliability": "B",
        "credibility": "2",
        "deadline": "2023-04-12",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def incident_data(j, **overrides) -> dict:
    data = {
        "agreement": j["agreement"].pk,
        "cluster": j["cluster"].pk,
        "occurred_at": "2023-06-01T22:00",
        "commune": j["member_a"].commune.pk,
        "place": "Bãi sông thôn 3",
        "category": category("trom-cap").pk,
        "nature": "",
        "summary": "Trộm cắp xe máy tại bãi sông",
        "lead_unit": j["party_a"].unit.pk,
        "supporting_units": [j["party_b"].unit.pk],
        "source": "public",
        "status": IncidentStatus.RECEIVED,
        "solved_at": "",
        "suspects": "2",
        "suspects_dealt_with": "1",
        "outcome": "",
    }
    data.update(overrides)
    return data


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Tips: recording -----------------------------------------------------------------------------------


def test_tip_form_preselects_the_users_unit_and_offers_partners_only(client):
    j = world()
    client.force_login(j["user"])
    response = client.get(reverse("incidents:tip_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["from_unit"].value() == j["party_a"].unit.pk
    assert form["agreement"].value() == j["agreement"].pk
    partners = list(form.fields["to_unit"].queryset)
    assert j["party_b"].unit in partners and j["party_a"].unit not in partners
    deadline = form["deadline"].value()
    assert deadline == timezone.localdate() + datetime.timedelta(days=7)
    assert abs(form.initial["received_at"] - timezone.now()) < datetime.timedelta(minutes=2)
    # Communes: the party areas' communes until a cluster is chosen.
    communes = set(form.fields["commune"].queryset)
    assert {j["member_a"].commune, j["member_b"].commune} <= communes


def test_tip_create_hands_the_tip_to_the_partner(client):
    j = world()
    client.force_login(j["user"])
    response = client.post(reverse("incidents:tip_create"), tip_data(j))
    tip = Tip.objects.get()
    assert response.status_code == 302 and response["Location"] == tip.get_absolute_url()
    assert (tip.from_unit, tip.to_unit, tip.created_by) == (j["party_a"].unit, j["party_b"].unit, j["user"])
    assert tip.received_at == local(2023, 4, 2, 9, 0)
    assert (tip.reliability, tip.credibility, tip.source_kind) == ("B", "2", "public")
    page = html_of(client.get(response["Location"]))
    assert "Đã ghi nhận nguồn tin" in page and j["party_b"].unit.name in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"received_at": "future"}, "received_at", "Thời điểm này nằm ở tương lai."),
        ({"deadline": "2023-04-01"}, "deadline", "Hạn xác minh không thể trước ngày tiếp nhận."),
        ({"commune": "other"}, "commune", "không phải thành viên của cụm"),
        ({"deadline": "31/02/2023"}, "deadline", "Nhập một ngày hợp lệ"),
        ({"to_unit": ""}, "to_unit", "Trường này là bắt buộc"),
    ],
)
def test_tip_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client, overrides, field, message):
    j = world()
    client.force_login(j["user"])
    if overrides.get("received_at") == "future":
        overrides["received_at"] = stamp(timezone.now() + datetime.timedelta(days=2))
        overrides["deadline"] = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    if overrides.get("commune") == "other":
        # Within party A's area but not a member of the cluster.
        overrides["commune"] = CommuneFactory(parent=j["party_a"].unit.area).pk
    response = client.post(reverse("incidents:tip_create"), tip_data(j, **overrides))
    assert response.status_code == 200
    html = html_of(response)
    assert error_beside(html, field, message), html[html.find(f"div_id_{field}") :][:1500]
    assert "Nhóm đối tượng tụ tập đánh bạc tại bãi sông giáp ranh" in html  # typed values are kept
    assert not Tip.objects.exists()


def test_commune_not_in_the_cluster_on_that_day_is_refused_by_the_service(client):
    j = world()
    late = ClusterMemberFactory(
        cluster=j["cluster"], responsible_party=j["party_a"], valid_from=datetime.date(2024, 1, 1)
    )
    client.force_login(j["user"])
    response = client.post(reverse("incidents:tip_create"), tip_data(j, commune=late.commune.pk))
    assert error_beside(html_of(response), "commune", "không thuộc cụm vào ngày 02/04/2023")
    assert not Tip.objects.exists()


def test_changing_the_agreement_redraws_the_form_without_saving(client):
    j = world()
    second = jurisdiction()
    AgreementPartyFactory(agreement=second["agreement"], unit=j["party_a"].unit)
    client.force_login(j["user"])
    data = tip_data(j, agreement=second["agreement"].pk, _refresh="1")
    response = client.post(reverse("incidents:tip_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and form.agreement == second["agreement"]
    assert form.cluster is None  # the old cluster belongs to the other agreement
    assert second["party_b"].unit in form.fields["to_unit"].queryset
    assert j["party_b"].unit not in form.fields["to_unit"].queryset
    assert "Nhóm đối tượng tụ tập đánh bạc" in html_of(response)
    assert not Tip.objects.exists()


def test_user_without_a_unit_cannot_record(client):
    from agreements.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("incidents:tip_create")).status_code == 403
    assert client.get(reverse("incidents:incident_create")).status_code == 403


# Tips: inbox and processing -----------------------------------------------------------------------


def test_inbox_lists_open_tips_for_the_receiving_unit_with_overdue_in_red(client):
    j = world()
    late = tip_of(j, deadline=timezone.localdate() - datetime.timedelta(days=1), summary="Tin đã quá hạn")
    fresh = tip_of(j, summary="Tin còn hạn")
    tip_of(j, status=TipStatus.TRUE, summary="Tin đã xác minh xong")
    client.force_login(j["receiver"])
    response = client.get(reverse("incidents:tip_inbox"))
    html = html_of(response)
    assert list(response.context["tips"]) == [late, fresh]  # oldest deadline first
    assert "Tin đã xác minh xong" not in html
    late_block = html[html.index(f"Nguồn tin #{late.pk}") : html.index(f"Nguồn tin #{fresh.pk}")]
    assert "Quá hạn" in late_block
    assert "Quá hạn" not in html[html.index(f"Nguồn tin #{fresh.pk}") :]
    assert "bz-overdue" in html and "trong đó 1 quá hạn" in html
    # The sender's inbox does not hold what it sent.
    client.force_login(j["user"])
    assert list(client.get(reverse("incidents:tip_inbox")).context["tips"]) == []


def test_nav_badge_counts_open_tips_in_the_inbox(client):
    j = world()
    tip_of(j)
    tip_of(j)
    tip_of(j, status=TipStatus.FALSE)
    client.force_login(j["receiver"])
    html = html_of(client.get(reverse("agreements:agreement_list")))
    assert re.search(r'Nguồn tin <span class="badge[^"]*"[^>]*>2</span>', html)
    assert "2 tin chờ" in html


def test_nav_badge_follows_every_change_at_once(client):
    """The count is cached under the audit trail's newest events: any change gives the right number."""
    j = world()
    tip = tip_of(j)
    tip_of(j)
    client.force_login(j["receiver"])
    badge = re.compile(r'Nguồn tin <span class="badge[^"]*"[^>]*>(\d+)</span>')

    def shown() -> int:
        match = badge.search(html_of(client.get(reverse("agreements:agreement_list"))))
        return int(match.group(1)) if match else 0

    assert shown() == 2
    tip_of(j)
    assert shown() == 3
    Tip.objects.filter(pk=tip.pk).update(status=TipStatus.FALSE)
    assert shown() == 2
    officer = j["receiver"].officer
    officer.unit = UnitFactory()
    officer.save()
    assert shown() == 0


def test_receiver_acknowledges_verifies_and_closes_a_tip(client):
    j = world()
    tip = tip_of(j)
    client.force_login(j["receiver"])
    inbox = reverse("incidents:tip_inbox")
    response = client.post(reverse("incidents:tip_acknowledge", kwargs={"pk": tip.pk}), {"next": inbox})
    assert response.status_code == 302 and response["Location"] == inbox
    tip.refresh_from_db()
    assert tip.acknowledged_by == j["receiver"] and tip.acknowledged_at

    url = reverse("incidents:tip_status", kwargs={"pk": tip.pk})
    assert client.post(url, {"status": "verifying"}).status_code == 302
    response = client.post(
        url, {"status": "verified_true", "note": "Đã phối hợp kiểm tra, đúng sự thật", "jointly_verified": "on"}
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.TRUE and tip.jointly_verified and tip.verified_at
    assert tip.verification_note == "Đã phối hợp kiểm tra, đúng sự thật"
    html = html_of(client.get(tip.get_absolute_url()))
    assert "Xác minh: đúng" in html and "Xác minh xong" in html
    assert 'action="' + url not in html  # a closed tip has no status buttons
    assert "Lịch sử thay đổi" in html and "Đang xác minh" in html


def test_a_wrong_status_move_is_explained_on_the_page(client):
    j = world()
    tip = tip_of(j)
    client.force_login(j["receiver"])
    response = client.post(reverse("incidents:tip_status", kwargs={"pk": tip.pk}), {"status": "verified_true"})
    assert response.status_code == 200
    assert "Lựa chọn" in html_of(response) or "hợp lệ" in html_of(response)
    tip.refresh_from_db()
    assert tip.status == TipStatus.RECEIVED


def test_only_the_receiving_unit_processes_a_tip(client):
    j = world()
    tip = tip_of(j)
    client.force_login(j["user"])  # the sender
    assert client.post(reverse("incidents:tip_acknowledge", kwargs={"pk": tip.pk})).status_code == 403
    status_url = reverse("incidents:tip_status", kwargs={"pk": tip.pk})
    assert client.post(status_url, {"status": "verifying"}).status_code == 403
    html = html_of(client.get(tip.get_absolute_url()))
    assert "Xử lý nguồn tin" not in html
    tip.refresh_from_db()
    assert tip.acknowledged_at is None and tip.status == TipStatus.RECEIVED


def test_tip_detail_links_an_incident_of_the_same_agreement(client):
    j = world()
    tip = tip_of(j)
    incident = incident_of(j, lead_unit=j["party_b"].unit)
    foreign = incident_of(jurisdiction())
    client.force_login(j["receiver"])
    page = client.get(tip.get_absolute_url())
    choices = [pk for pk, _label in page.context["link_form"].fields["incident"].choices if pk]
    assert choices == [incident.pk]
    assert f'href="{reverse("incidents:incident_create")}?tip={tip.pk}"' in html_of(page)
    url = reverse("incidents:tip_link_incident", kwargs={"pk": tip.pk})
    response = client.post(url, {"incident": foreign.pk})
    assert response.status_code == 200 and error_beside(html_of(response), "incident", "Chỉ liên kết được")
    response = client.post(url, {"incident": incident.pk})
    assert response.status_code == 302
    assert list(tip.incidents.all()) == [incident]
    html = html_of(client.get(tip.get_absolute_url()))
    assert incident.get_absolute_url() in html and "Vụ việc liên quan (1)" in html


def test_tip_detail_hides_linked_incidents_the_user_cannot_see(client):
    j = world()
    tip = tip_of(j)
    third = AgreementPartyFactory(agreement=j["agreement"])
    hidden = incident_of(j, cluster=None, commune=CommuneFactory(parent=third.unit.area), lead_unit=third.unit)
    hidden.tips.add(tip)
    client.force_login(j["user"])
    html = html_of(client.get(tip.get_absolute_url()))
    assert hidden.get_absolute_url() not in html
    assert "Còn 1 vụ việc liên quan ngoài phạm vi bạn được xem." in html


# Tips: jurisdiction ------------------------------------------------------------------------------

TIP_URLS = ["tip_detail", "tip_acknowledge", "tip_status", "tip_link_incident"]
INCIDENT_URLS = ["incident_detail", "incident_update", "incident_status"]


def test_every_tip_and_incident_url_is_404_for_another_jurisdiction(client):
    j = world()
    tip, incident = tip_of(j), incident_of(j)
    outsider = jurisdiction()
    client.force_login(outsider["user"])
    for name in TIP_URLS:
        url = reverse(f"incidents:{name}", kwargs={"pk": tip.pk})
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"status": "verifying", "incident": incident.pk}).status_code == 404, name
    for name in INCIDENT_URLS:
        url = reverse(f"incidents:{name}", kwargs={"pk": incident.pk})
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"status": "investigating"}).status_code == 404, name
    assert client.get(reverse("incidents:incident_create") + f"?tip={tip.pk}").status_code == 404
    tip.refresh_from_db()
    incident.refresh_from_db()
    assert tip.status == TipStatus.RECEIVED and incident.status == IncidentStatus.RECEIVED


def test_tip_between_two_other_units_of_the_same_agreement_is_404_for_a_third_party(client):
    j = world()
    third = AgreementPartyFactory(agreement=j["agreement"])
    tip = tip_of(j, from_unit=j["party_b"].unit, to_unit=third.unit)
    for user in (j["user"], OfficerFactory(unit=j["party_a"].unit, role=Role.COMMANDER).user):
        client.force_login(user)
        for name in TIP_URLS:
            url = reverse(f"incidents:{name}", kwargs={"pk": tip.pk})
            assert client.get(url).status_code == 404, name
            assert client.post(url, {"status": "verifying"}).status_code == 404, name
        assert client.get(reverse("incidents:incident_create") + f"?tip={tip.pk}").status_code == 404
        html = html_of(client.get(reverse("incidents:tip_list")))
        assert tip.get_absolute_url() not in html
    # Both ends of it do see it.
    client.force_login(j["receiver"])
    assert client.get(tip.get_absolute_url()).status_code == 200


# Tips: list ---------------------------------------------------------------------------------------


def test_tip_list_filters(client):
    j = world()
    nhs = ClusterMemberFactory(
        cluster=j["cluster"], responsible_party=j["party_a"], commune__name="Phường Ngũ Hành Sơn"
    ).commune
    late = tip_of(j, deadline=timezone.localdate() - datetime.timedelta(days=3), commune=nhs)
    joint = tip_of(j, status=TipStatus.TRUE, jointly_verified=True, received_at=local(2022, 5, 1, 8, 0),
                   deadline=datetime.date(2022, 5, 8))
    back = tip_of(j, from_unit=j["party_b"].unit, to_unit=j["party_a"].unit, summary="Tin đơn vị bạn gửi sang")
    client.force_login(j["user"])
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
    assert listed(don_vi_gui=j["party_b"].unit.pk) == [back]
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
def test_bad_filters_are_explained_beside_the_field_never_a_500(client, params, field, message):
    j = world()
    tip_of(j)
    incident_of(j)
    client.force_login(j["user"])
    for name in ("incidents:tip_list", "incidents:incident_list"):
        if field in ("huong", "don_vi_gui") and name == "incidents:incident_list":
            continue
        response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        html = html_of(response)
        assert error_beside(html, field, message), (name, html[html.find(f"div_id_{field}") :][:800])
        assert len(response.context["object_list"]) == 1  # the valid filters (none here) still apply


# Incidents: recording -----------------------------------------------------------------------------


def test_incident_create_saves_through_the_service(client):
    j = world()
    client.force_login(j["user"])
    response = client.get(reverse("incidents:incident_create"))
    assert response.context["form"]["lead_unit"].value() == j["party_a"].unit.pk
    response = client.post(reverse("incidents:incident_create"), incident_data(j))
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.nature == "criminal"  # from the category
    assert incident.jointly_handled and list(incident.supporting_units.all()) == [j["party_b"].unit]
    assert (incident.suspects, incident.suspects_dealt_with, incident.created_by) == (2, 1, j["user"])
    html = html_of(client.get(incident.get_absolute_url()))
    assert "Trộm cắp tài sản" in html and j["party_b"].unit.name in html and "Lịch sử thay đổi" in html


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"occurred_at": "future"}, "occurred_at", "Thời điểm này nằm ở tương lai."),
        (
            {"status": "solved", "solved_at": "2023-05-31T10:00"},
            "solved_at",
            "Thời điểm làm rõ không thể trước thời điểm xảy ra.",
        ),
        ({"suspects": "1", "suspects_dealt_with": "3"}, "suspects_dealt_with", "không thể lớn hơn số đối tượng"),
        ({"commune": "other"}, "commune", "không phải thành viên của cụm"),
        ({"status": "solved"}, "solved_at", "Nhập thời điểm làm rõ vụ việc."),
        ({"suspects": "-1"}, "suspects", "Số đối tượng không thể âm."),
    ],
)
def test_incident_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client, overrides, field, message):
    j = world()
    client.force_login(j["user"])
    if overrides.get("occurred_at") == "future":
        overrides["occurred_at"] = stamp(timezone.now() + datetime.timedelta(days=1))
    if overrides.get("commune") == "other":
        overrides["commune"] = CommuneFactory(parent=j["party_a"].unit.area).pk
    response = client.post(reverse("incidents:incident_create"), incident_data(j, **overrides))
    assert response.status_code == 200
    html = html_of(response)
    assert error_beside(html, field, message), html[html.find(f"div_id_{field}") :][:1500]
    assert "Bãi sông thôn 3" in html and "Trộm cắp xe máy tại bãi sông" in html  # typed values are kept
    assert not Incident.objects.exists()


def test_incident_from_a_tip_is_prefilled_and_linked(client):
    j = world()
    tip = tip_of(j, summary="Có đối tượng lạ vận chuyển khoáng sản", category=category("van-chuyen-khoang-san"))
    client.force_login(j["receiver"])
    url = reverse("incidents:incident_create") + f"?tip={tip.pk}"
    form = client.get(url).context["form"]
    assert form["category"].value() == tip.category_id
    assert form["commune"].value() == tip.commune_id
    assert form["cluster"].value() == tip.cluster_id
    assert form["tips"].value() == [tip.pk]
    assert form["source"].value() == "tip"
    assert form["lead_unit"].value() == j["party_b"].unit.pk
    data = incident_data(
        j, lead_unit=j["party_b"].unit.pk, supporting_units=[], source="tip", tips=[tip.pk],
        category=tip.category_id, occurred_at=stamp(tip.received_at),
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    incident = Incident.objects.get()
    assert list(incident.tips.all()) == [tip] and incident.nature == "administrative"
    assert incident.get_absolute_url() in html_of(client.get(tip.get_absolute_url()))


def test_incident_update_is_for_the_lead_unit_and_keeps_tips_the_editor_cannot_see(client):
    j = world()
    incident = incident_of(j)
    third = AgreementPartyFactory(agreement=j["agreement"])
    unseen = tip_of(j, from_unit=j["party_b"].unit, to_unit=third.unit)
    incident.tips.add(unseen)
    url = reverse("incidents:incident_update", kwargs={"pk": incident.pk})

    client.force_login(j["receiver"])  # sees the cluster's incident, does not lead it
    assert client.get(url).status_code == 403
    assert client.post(url, incident_data(j)).status_code == 403

    client.force_login(j["user"])
    form = client.get(url).context["form"]
    assert form["tips"].value() == [] and form.fields["agreement"].disabled
    data = incident_data(j, place="Ngã ba chợ", suspects="3", suspects_dealt_with="3")
    del data["status"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    incident.refresh_from_db()
    assert incident.place == "Ngã ba chợ" and incident.suspects_dealt_with == 3
    assert list(incident.tips.all()) == [unseen]


def test_incident_status_moves_and_errors(client):
    j = world()
    incident = incident_of(j, suspects=2)
    url = reverse("incidents:incident_status", kwargs={"pk": incident.pk})
    client.force_login(j["user"])
    assert client.get(url).status_code == 405
    form = client.get(incident.get_absolute_url()).context["status_form"]
    assert form["solved_at"].value()  # prefilled with "now" for a quick "solved"
    # ... which means nothing for a move that does not clear the case.
    response = client.post(url, {"status": "investigating", "solved_at": "2023-06-20T10:00"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.INVESTIGATING and incident.solved_at is None
    response = client.post(url, {"status": "solved", "solved_at": ""})
    assert response.status_code == 200
    assert error_beside(html_of(response), "solved_at", "Nhập thời điểm làm rõ vụ việc.")
    response = client.post(url, {"status": "solved", "solved_at": "2023-05-01T08:00"})
    assert error_beside(html_of(response), "solved_at", "không thể trước thời điểm xảy ra")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.INVESTIGATING
    response = client.post(url, {"status": "solved", "solved_at": "2023-06-20T10:00", "suspects_dealt_with": "2"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SOLVED and incident.suspects_dealt_with == 2
    # The partner unit sees the incident but cannot move it.
    client.force_login(j["receiver"])
    assert client.post(url, {"status": "prosecuted"}).status_code == 403


# Incidents: list ----------------------------------------------------------------------------------


def test_incident_list_filters_counts_and_accent_insensitive_search(client):
    j = world()
    nhs = ClusterMemberFactory(
        cluster=j["cluster"], responsible_party=j["party_a"], commune__name="Phường Ngũ Hành Sơn"
    ).commune
    solved = incident_of(j, commune=nhs, status=IncidentStatus.SOLVED, solved_at=local(2023, 6, 5, 8, 0))
    gambling = incident_of(j, category=category("danh-bac"), occurred_at=local(2022, 3, 1, 20, 0))
    joint = incident_of(j, lead_unit=j["party_b"].unit, nature="administrative", jointly_handled=True)
    joint.supporting_units.add(j["party_a"].unit)
    incident_of(jurisdiction())  # another jurisdiction: never counted
    client.force_login(j["user"])
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
    assert set(listed(don_vi=j["party_a"].unit.pk)[1]) == {solved, gambling, joint}  # led or supported
    assert listed(don_vi=j["party_b"].unit.pk)[1] == [joint]
    assert listed(xa=nhs.pk)[1] == [solved]
    assert listed(loai=category("danh-bac").pk)[1] == [gambling]
    response, rows = listed(q="ngu hanh son")
    html = html_of(response)
    assert '<span class="bz-count">1</span>' in html and "đã làm rõ 1/1" in html


def test_incident_list_paginates_by_25(client):
    j = world()
    for _ in range(26):
        incident_of(j)
    client.force_login(j["user"])
    response = client.get(reverse("incidents:incident_list"))
    assert len(response.context["incidents"]) == 25 and response.context["total"] == 26
    assert len(client.get(reverse("incidents:incident_list"), {"page": 2}).context["incidents"]) == 1


# Query counts --------------------------------------------------------------------------------------


def _populate(j, n: int) -> None:
    for i in range(n):
        tip = tip_of(j, deadline=timezone.localdate() + datetime.timedelta(days=i - 2))
        incident = incident_of(j, lead_unit=j["party_b"].unit if i % 2 else j["party_a"].unit)
        incident.tips.add(tip)
        incident.supporting_units.add(j["party_a"].unit)


@pytest.mark.parametrize("name", ["incidents:tip_list", "incidents:tip_inbox", "incidents:incident_list"])
def test_list_query_counts_do_not_grow_with_rows(client, name):
    few, many = world(), world()
    _populate(few, 5)
    _populate(many, 50)
    counts = []
    for j in (few, many):
        client.force_login(j["receiver"])
        counts.append(count_queries(client, reverse(name)))
    assert counts[0] == counts[1]


def test_detail_query_counts_do_not_grow_with_links(client):
    # Every row is written before the first request: a request leaves its audit context (the
    # actor) on the test's transaction, and rows written after it would carry an actor to look up.
    pages = []
    for n in (5, 50):
        j = world()
        tip = tip_of(j)
        incident = incident_of(j)
        for _ in range(n):
            other = incident_of(j)
            other.tips.add(tip)
            incident.tips.add(tip_of(j))
            incident.supporting_units.add(UnitFactory())
        pages.append((j["user"], tip, incident))
    counts = {"tip": [], "incident": []}
    for user, tip, incident in pages:
        client.force_login(user)
        counts["tip"].append(count_queries(client, tip.get_absolute_url()))
        counts["incident"].append(count_queries(client, incident.get_absolute_url()))
    assert counts["tip"][0] == counts["tip"][1]
    assert counts["incident"][0] == counts["incident"][1]


def test_units_are_offered_from_the_agreement_only(client):
    j = world()
    stranger = Unit.objects.create(name="Công an huyện Xa Lạ", force="police", level="district",
                                   area=CommuneFactory().parent)
    client.force_login(j["user"])
    form = client.get(reverse("incidents:incident_create")).context["form"]
    assert stranger not in form.fields["supporting_units"].queryset
    response = client.post(reverse("incidents:incident_create"), incident_data(j, supporting_units=[stranger.pk]))
    assert response.status_code == 200 and error_beside(html_of(response), "supporting_units", "hợp lệ")
    assert not Incident.objects.exists()


def test_admin_lists_tips_and_incidents_read_only(client):
    from django.contrib.auth import get_user_model

    j = world()
    tip, incident = tip_of(j), incident_of(j)
    admin = get_user_model().objects.create_superuser("quantri", password="matkhau-thu-nghiem")
    client.force_login(admin)
    for name in ("tip", "incident", "incidentcategory"):
        assert client.get(reverse(f"admin:incidents_{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:incidents_{name}_add")).status_code == 403, name
    assert client.get(reverse("admin:incidents_tip_change", args=[tip.pk])).status_code == 200
    assert client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).status_code == 200
    response = client.post(reverse("admin:incidents_incident_change", args=[incident.pk]), {"place": "x"})
    assert response.status_code == 403
