"""Tips: recording one, linking it to an incident, and 404 outside the jurisdiction (the incident
pages' included). The inbox is in test_views_inbox.py, the lists in test_views_lists.py.

The role × unit × URL matrix lives in tests/test_access_matrix.py; these tests cover the pages.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.tests.factories import (
    AgreementPartyFactory,
    ClusterMemberFactory,
    CommuneFactory,
    UserFactory,
    jurisdiction,
)
from incidents.models import IncidentStatus, Tip, TipStatus
from patrols.tests.factories import local
from tests.helpers import error_beside, html_of, incident_of, stamp, tip_data, tip_of

pytestmark = pytest.mark.django_db


# Tips: recording -----------------------------------------------------------------------------------


def test_tip_form_preselects_the_users_unit_and_offers_partners_only(client, j):
    client.force_login(j.user)
    response = client.get(reverse("incidents:tip_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["from_unit"].value() == j.unit_a.pk
    assert form["scope"].value() == f"a{j.agreement.pk}"
    partners = list(form.fields["to_unit"].queryset)
    assert j.unit_b in partners and j.unit_a not in partners
    deadline = form["deadline"].value()
    assert deadline == timezone.localdate() + datetime.timedelta(days=7)
    assert abs(form.initial["received_at"] - timezone.now()) < datetime.timedelta(minutes=2)
    # Communes: the party areas' communes until a cluster is chosen.
    communes = set(form.fields["commune"].queryset)
    assert {j.commune_a, j.commune_b} <= communes


def test_tip_create_hands_the_tip_to_the_partner(client, j):
    client.force_login(j.user)
    response = client.post(reverse("incidents:tip_create"), tip_data(j))
    tip = Tip.objects.get()
    assert response.status_code == 302 and response["Location"] == tip.get_absolute_url()
    assert (tip.from_unit, tip.to_unit, tip.created_by) == (j.unit_a, j.unit_b, j.user)
    assert tip.received_at == local(2023, 4, 2, 9, 0)
    assert (tip.reliability, tip.credibility, tip.source_kind) == ("B", "2", "public")
    page = html_of(client.get(response["Location"]))
    assert "Đã ghi nhận nguồn tin" in page and j.unit_b.name in page


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
def test_tip_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client, j, overrides, field, message):
    client.force_login(j.user)
    if overrides.get("received_at") == "future":
        overrides["received_at"] = stamp(timezone.now() + datetime.timedelta(days=2))
        overrides["deadline"] = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    if overrides.get("commune") == "other":
        # Within party A's area but not a member of the cluster.
        overrides["commune"] = CommuneFactory(parent=j.unit_a.area).pk
    response = client.post(reverse("incidents:tip_create"), tip_data(j, **overrides))
    assert response.status_code == 200
    html = html_of(response)
    assert error_beside(html, field, message), html[html.find(f"div_id_{field}") :][:1500]
    assert "Nhóm đối tượng tụ tập đánh bạc tại bãi sông giáp ranh" in html  # typed values are kept
    assert not Tip.objects.exists()


def test_commune_not_in_the_cluster_on_that_day_is_refused_by_the_service(client, j):
    late = ClusterMemberFactory(
        cluster=j.cluster, responsible_party=j.party_a, valid_from=datetime.date(2024, 1, 1)
    )
    client.force_login(j.user)
    response = client.post(reverse("incidents:tip_create"), tip_data(j, commune=late.commune.pk))
    assert error_beside(html_of(response), "commune", "không thuộc cụm vào ngày 02/04/2023")
    assert not Tip.objects.exists()


def test_changing_the_scope_redraws_the_form_without_saving(client, j):
    second = jurisdiction()
    AgreementPartyFactory(agreement=second.agreement, unit=j.unit_a)
    client.force_login(j.user)
    data = tip_data(j, scope=f"a{second.agreement.pk}", _cap_nhat="1")
    response = client.post(reverse("incidents:tip_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and form.agreement == second.agreement
    assert form.cluster is None  # outside the clusters of the other agreement
    assert second.unit_b in form.fields["to_unit"].queryset
    assert j.unit_b not in form.fields["to_unit"].queryset
    assert "Nhóm đối tượng tụ tập đánh bạc" in html_of(response)
    assert not Tip.objects.exists()


def test_user_without_a_unit_cannot_record(client):
    client.force_login(UserFactory())
    assert client.get(reverse("incidents:tip_create")).status_code == 403
    assert client.get(reverse("incidents:incident_create")).status_code == 403


# Tips: linking incidents -------------------------------------------------------------------------


def test_tip_detail_links_an_incident_of_the_same_agreement(client, j, partner, other_j):
    tip = tip_of(j)
    incident = incident_of(j, lead_unit=j.unit_b)
    foreign = incident_of(other_j)
    client.force_login(partner)
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


def test_tip_detail_hides_linked_incidents_the_user_cannot_see(client, j):
    tip = tip_of(j)
    third = j.third_party()
    hidden = incident_of(j, cluster=None, commune=CommuneFactory(parent=third.unit.area), lead_unit=third.unit)
    hidden.tips.add(tip)
    client.force_login(j.user)
    html = html_of(client.get(tip.get_absolute_url()))
    assert hidden.get_absolute_url() not in html
    assert "Còn 1 vụ việc liên quan ngoài phạm vi bạn được xem." in html


# Tips: jurisdiction ------------------------------------------------------------------------------

TIP_URLS = ["tip_detail", "tip_acknowledge", "tip_status", "tip_link_incident"]
INCIDENT_URLS = ["incident_detail", "incident_update", "incident_status"]


def test_every_tip_and_incident_url_is_404_for_another_jurisdiction(client, j, other_j):
    tip, incident = tip_of(j), incident_of(j)
    client.force_login(other_j.user)
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


def test_tip_between_two_other_units_of_the_same_agreement_is_404_for_a_third_party(client, j, commander, partner):
    third = j.third_party()
    tip = tip_of(j, from_unit=j.unit_b, to_unit=third.unit)
    for user in (j.user, commander):
        client.force_login(user)
        for name in TIP_URLS:
            url = reverse(f"incidents:{name}", kwargs={"pk": tip.pk})
            assert client.get(url).status_code == 404, name
            assert client.post(url, {"status": "verifying"}).status_code == 404, name
        assert client.get(reverse("incidents:incident_create") + f"?tip={tip.pk}").status_code == 404
        html = html_of(client.get(reverse("incidents:tip_list")))
        assert tip.get_absolute_url() not in html
    # Both ends of it do see it.
    client.force_login(partner)
    assert client.get(tip.get_absolute_url()).status_code == 200
