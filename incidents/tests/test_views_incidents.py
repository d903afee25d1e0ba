"""Incidents: recording one (from scratch or from a tip), editing by the lead unit, status moves, the admin."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from agreements.models import Unit
from agreements.tests.factories import CommuneFactory
from incidents.models import Incident, IncidentStatus
from incidents.tests.factories import category
from tests.helpers import error_beside, html_of, incident_data, incident_of, stamp, tip_of

pytestmark = pytest.mark.django_db


# Incidents: recording -----------------------------------------------------------------------------


def test_incident_create_saves_through_the_service(client, j):
    client.force_login(j.user)
    response = client.get(reverse("incidents:incident_create"))
    assert response.context["form"]["lead_unit"].value() == j.unit_a.pk
    response = client.post(reverse("incidents:incident_create"), incident_data(j))
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.nature == "criminal"  # from the category
    assert incident.jointly_handled and list(incident.supporting_units.all()) == [j.unit_b]
    assert (incident.suspects, incident.suspects_dealt_with, incident.created_by) == (2, 1, j.user)
    html = html_of(client.get(incident.get_absolute_url()))
    assert "Trộm cắp tài sản" in html and j.unit_b.name in html and "Lịch sử thay đổi" in html


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
def test_incident_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client, j, overrides, field, message):
    client.force_login(j.user)
    if overrides.get("occurred_at") == "future":
        overrides["occurred_at"] = stamp(timezone.now() + datetime.timedelta(days=1))
    if overrides.get("commune") == "other":
        overrides["commune"] = CommuneFactory(parent=j.unit_a.area).pk
    response = client.post(reverse("incidents:incident_create"), incident_data(j, **overrides))
    assert response.status_code == 200
    html = html_of(response)
    assert error_beside(html, field, message), html[html.find(f"div_id_{field}") :][:1500]
    assert "Bãi sông thôn 3" in html and "Trộm cắp xe máy tại bãi sông" in html  # typed values are kept
    assert not Incident.objects.exists()


def test_incident_from_a_tip_is_prefilled_and_linked(client, j, partner):
    tip = tip_of(j, summary="Có đối tượng lạ vận chuyển khoáng sản", category=category("van-chuyen-khoang-san"))
    client.force_login(partner)
    url = reverse("incidents:incident_create") + f"?tip={tip.pk}"
    form = client.get(url).context["form"]
    assert form["category"].value() == tip.category_id
    assert form["commune"].value() == tip.commune_id
    assert form["scope"].value() == f"c{tip.cluster_id}"
    assert form["tips"].value() == [tip.pk]
    assert form["source"].value() == "tip"
    assert form["lead_unit"].value() == j.unit_b.pk
    data = incident_data(
        j, lead_unit=j.unit_b.pk, supporting_units=[], source="tip", tips=[tip.pk],
        category=tip.category_id, occurred_at=stamp(tip.received_at),
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    incident = Incident.objects.get()
    assert list(incident.tips.all()) == [tip] and incident.nature == "administrative"
    assert incident.get_absolute_url() in html_of(client.get(tip.get_absolute_url()))


def test_incident_update_is_for_the_lead_unit_and_keeps_tips_the_editor_cannot_see(client, j, partner):
    incident = incident_of(j)
    third = j.third_party()
    unseen = tip_of(j, from_unit=j.unit_b, to_unit=third.unit)
    incident.tips.add(unseen)
    url = reverse("incidents:incident_update", kwargs={"pk": incident.pk})

    client.force_login(partner)  # sees the cluster's incident, does not lead it
    assert client.get(url).status_code == 403
    assert client.post(url, incident_data(j)).status_code == 403

    client.force_login(j.user)
    form = client.get(url).context["form"]
    # The incident keeps its agreement: only that agreement's clusters (and "outside") are offered.
    offered = {value for _group, options in form.fields["scope"].choices[1:] for value, _label in options}
    assert form["tips"].value() == [] and offered == {f"c{j.cluster.pk}", f"a{j.agreement.pk}"}
    data = incident_data(j, place="Ngã ba chợ", suspects="3", suspects_dealt_with="3")
    del data["status"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    incident.refresh_from_db()
    assert incident.place == "Ngã ba chợ" and incident.suspects_dealt_with == 3
    assert list(incident.tips.all()) == [unseen]


def test_incident_status_moves_and_errors(client, j, partner):
    incident = incident_of(j, suspects=2)
    url = reverse("incidents:incident_status", kwargs={"pk": incident.pk})
    client.force_login(j.user)
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
    client.force_login(partner)
    assert client.post(url, {"status": "prosecuted"}).status_code == 403


def test_units_are_offered_from_the_agreement_only(client, j):
    stranger = Unit.objects.create(name="Công an huyện Xa Lạ", force="police", level="district",
                                   area=CommuneFactory().parent)
    client.force_login(j.user)
    form = client.get(reverse("incidents:incident_create")).context["form"]
    assert stranger not in form.fields["supporting_units"].queryset
    response = client.post(reverse("incidents:incident_create"), incident_data(j, supporting_units=[stranger.pk]))
    assert response.status_code == 200 and error_beside(html_of(response), "supporting_units", "hợp lệ")
    assert not Incident.objects.exists()


def test_admin_lists_tips_and_incidents_read_only(client, j):
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
