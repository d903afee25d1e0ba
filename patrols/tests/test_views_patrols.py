"""Logging a patrol from the phone: the form's defaults, what it saves, and bad input beside its field.

Detail, confirmation and editing are in test_views_confirmations.py, the list in test_views_lists.py.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.tests.factories import (
    AgreementPartyFactory,
    ClusterFactory,
    ClusterMemberFactory,
    CommuneFactory,
    OfficerFactory,
    UnitFactory,
    UserFactory,
)
from patrols.models import Patrol
from tests.helpers import patrol_form_data

pytestmark = pytest.mark.django_db

CREATE = reverse("patrols:patrol_create")



# Logging a patrol -------------------------------------------------------------------------------


def test_create_form_prefills_today_the_users_unit_and_his_cluster(client, j):
    client.force_login(j.user)
    response = client.get(CREATE)
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert form.initial["scope"] == f"c{j.cluster.pk}"
    assert form.initial["lead_unit"] == j.unit_a.pk
    assert form.initial["started_at"].date() == timezone.localdate()
    assert form.initial["ended_at"] >= form.initial["started_at"]
    assert formset.forms[0].initial["unit"] == j.unit_a.pk
    html = response.content.decode()
    assert "Ghi nhận ca tuần tra chung" in html
    assert f'value="c{j.cluster.pk}" selected' in html
    # The cluster's members are offered as checkboxes.
    assert j.commune_a.name in html and j.commune_b.name in html
    assert "Thêm đơn vị" in html


def test_cluster_holding_the_users_area_is_preselected(client, j):
    # A second cluster under the same agreement, listed first by name, without the officer's area.
    other = ClusterFactory(agreement=j.agreement, name="A – cụm khác")
    ClusterMemberFactory(cluster=other, responsible_party=j.party_b)
    # The officer is a commune police officer of a member commune of the fixture's cluster.
    commune_unit = UnitFactory(area=j.commune_a, parent=j.unit_a, name="Công an xã Thử")
    user = OfficerFactory(unit=commune_unit).user
    client.force_login(user)
    form = client.get(CREATE).context["form"]
    assert form.initial["scope"] == f"c{j.cluster.pk}"


def test_create_via_post_lands_on_detail(client, j):
    client.force_login(j.user)
    response = client.post(CREATE, patrol_form_data(j), follow=True)
    patrol = Patrol.objects.get()
    assert response.redirect_chain[-1][0] == reverse("patrols:patrol_detail", args=[patrol.pk])
    assert patrol.officer_total == 7
    assert patrol.lead_unit == j.unit_a
    assert patrol.cluster == j.cluster and patrol.agreement == j.agreement
    assert timezone.localtime(patrol.started_at).strftime("%d/%m/%Y %H:%M") == "10/05/2023 19:00"
    assert set(patrol.communes.all()) == {j.commune_a, j.commune_b}
    html = response.content.decode()
    assert "Đã ghi nhận ca tuần tra ngày 10/05/2023." in html
    assert "Tuyến biển bình yên" in html
    assert "7 lượt người" in html


def test_agreement_wide_patrol_without_cluster(client, j):
    client.force_login(j.user)
    data = patrol_form_data(j, scope=f"a{j.agreement.pk}", communes=[j.commune_a.pk])
    response = client.post(CREATE, data)
    assert response.status_code == 302
    patrol = Patrol.objects.get()
    assert patrol.cluster is None and patrol.agreement == j.agreement


BAD_INPUTS = {
    "end before start": (
        {"ended_at": "2023-05-10T18:00"},
        None,
        "ended_at",
        "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
    ),
    "future and done": (
        {"started_at": "2099-05-10T19:00", "ended_at": "2099-05-10T23:00"},
        None,
        "started_at",
        "Thời điểm này nằm ở tương lai.",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client, j, case):
    overrides, _rows, field, message = BAD_INPUTS[case]
    client.force_login(j.user)
    data = patrol_form_data(j, **overrides)
    response = client.post(CREATE, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    html = response.content.decode()
    assert message in html
    # Typed values are kept.
    assert f'value="{data["started_at"]}"' in html
    assert 'value="Tuyến biển bình yên"' in html
    assert "Nhắc nhở 2 nhóm thanh niên tụ tập" in html
    assert not Patrol.objects.exists()


@pytest.mark.parametrize("officers", ["0", "-2"])
def test_zero_or_negative_officers_are_refused_beside_the_row(client, j, officers):
    client.force_login(j.user)
    rows = [(j.unit_a.pk, "4"), (j.unit_b.pk, officers), ("", "")]
    response = client.post(CREATE, patrol_form_data(j, rows=rows))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors["officers"] == ["Số cán bộ, chiến sĩ phải lớn hơn 0."]
    html = response.content.decode()
    assert "Số cán bộ, chiến sĩ phải lớn hơn 0." in html
    assert f'value="{officers}"' in html
    assert not Patrol.objects.exists()


def test_commune_outside_the_cluster_is_refused_with_the_services_message(client, j):
    outsider = CommuneFactory(parent=j.unit_a.area, name="Xã Ngoài Cụm")  # in the party's area only
    client.force_login(j.user)
    response = client.post(CREATE, patrol_form_data(j, communes=[j.commune_a.pk, outsider.pk]))
    assert response.status_code == 200
    errors = response.context["form"].errors["communes"]
    assert errors == ["Xã Ngoài Cụm không thuộc cụm vào ngày 10/05/2023."]
    html = response.content.decode()
    assert "Xã Ngoài Cụm không thuộc cụm vào ngày 10/05/2023." in html
    # Both ticks survive the round trip, the outsider included so it can be unticked.
    assert html.count('name="communes"') >= 3 and html.count("checked") >= 2
    assert not Patrol.objects.exists()


def test_commune_of_another_jurisdiction_is_an_invalid_choice(client, j, other_j):
    foreign = other_j.commune_a
    client.force_login(j.user)
    response = client.post(CREATE, patrol_form_data(j, communes=[foreign.pk]))
    assert response.context["form"].errors["communes"] == [
        "Xã, phường đã chọn không thuộc cụm hoặc địa bàn của quy chế."
    ]
    assert not Patrol.objects.exists()


def test_service_errors_on_participations_go_above_the_rows(client, j):
    client.force_login(j.user)
    stranger = UnitFactory(name="Đồn Biên phòng Ngoài Quy Chế")
    # A unit the user may pick (a party of his other agreement), only not of this one.
    AgreementPartyFactory(unit=stranger, agreement=AgreementPartyFactory(unit=j.unit_a).agreement)
    rows = [(j.unit_a.pk, "4"), (stranger.pk, "2")]
    response = client.post(CREATE, patrol_form_data(j, rows=rows))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [
        "Đồn Biên phòng Ngoài Quy Chế không thuộc các bên của quy chế."
    ]
    rows = [(j.unit_b.pk, "4")]  # the lead unit is missing
    response = client.post(CREATE, patrol_form_data(j, rows=rows))
    assert response.context["formset"].non_form_errors() == ["Đơn vị chủ trì phải có trong danh sách đơn vị tham gia."]
    assert "Đơn vị chủ trì phải có trong danh sách đơn vị tham gia." in response.content.decode()
    assert not Patrol.objects.exists()


def test_duplicate_unit_and_empty_rows(client, j):
    client.force_login(j.user)
    a = j.unit_a.pk
    response = client.post(CREATE, patrol_form_data(j, rows=[(a, "4"), (a, "2")]))
    assert response.context["formset"].forms[1].errors["unit"] == ["Đơn vị này đã được khai báo ở dòng trên."]
    response = client.post(CREATE, patrol_form_data(j, rows=[("", ""), ("", "")]))
    assert response.context["formset"].non_form_errors() == ["Nhập ít nhất một đơn vị tham gia và số cán bộ, chiến sĩ."]
    response = client.post(CREATE, patrol_form_data(j, rows=[(a, "")]))
    assert response.context["formset"].forms[0].errors["officers"] == ["Nhập số cán bộ, chiến sĩ của đơn vị này."]
    assert not Patrol.objects.exists()


def test_missing_scope_is_reported(client, j, other_j):
    client.force_login(j.user)
    response = client.post(CREATE, patrol_form_data(j, scope=""))
    assert response.context["form"].errors["scope"] == ["Chọn cụm giáp ranh hoặc quy chế phối hợp."]
    foreign = other_j.cluster
    response = client.post(CREATE, patrol_form_data(j, scope=f"c{foreign.pk}"))
    assert "scope" in response.context["form"].errors
    assert not Patrol.objects.exists()


def test_user_without_a_unit_cannot_log(client):
    client.force_login(UserFactory())
    assert client.get(CREATE).status_code == 403


def test_communes_are_redrawn_for_the_chosen_cluster(client, j):
    other = ClusterFactory(agreement=j.agreement)
    member = ClusterMemberFactory(cluster=other, responsible_party=j.party_b)
    client.force_login(j.user)
    response = client.get(
        CREATE,
        {"_cap_nhat": "1", "scope": f"c{other.pk}", "started_at": "2023-05-10T19:00"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="communes-block"' in html and "<html" not in html
    assert member.commune.name in html
    assert j.commune_a.name not in html
    # What was ticked stays ticked when the list is re-drawn.
    ticked = [j.commune_a.pk, j.commune_b.pk]
    response = client.get(
        CREATE, {"_cap_nhat": "1", "scope": f"a{j.agreement.pk}", "communes": ticked}, headers={"HX-Request": "true"}
    )
    form = response.context["form"]
    assert [str(pk) for pk in ticked] == form["communes"].value()
    assert response.content.decode().count("checked") == 2


def test_lead_unit_id_above_999_is_not_localised_in_the_form(client):
    # USE_THOUSAND_SEPARATOR would print 12345 as "12.345" and the POST would be refused.
    unit = UnitFactory(pk=12345)
    AgreementPartyFactory(unit=unit)
    client.force_login(OfficerFactory(unit=unit).user)
    html = client.get(reverse("patrols:patrol_create")).content.decode()
    assert 'value="12345"' in html
    assert "12.345" not in html
