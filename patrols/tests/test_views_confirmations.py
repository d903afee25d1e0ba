"""A logged patrol: its detail page, the partner's confirmation, editing by the lead unit, the pending list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from patrols import services
from patrols.models import PatrolParticipant, PatrolStatus
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory
from tests.helpers import log_patrol, patrol_form_data

pytestmark = pytest.mark.django_db



# Detail, confirmation, editing -------------------------------------------------------------------


def test_detail_shows_everything(client, j, partner):
    patrol = log_patrol(j, findings="Phát hiện 1 vụ vận chuyển khoáng sản không rõ nguồn gốc")
    PatrolParticipant.objects.create(patrol=patrol, full_name="Lê Văn Tuần", rank="Thượng úy", unit=j.unit_a)
    client.force_login(j.user)
    html = client.get(patrol.get_absolute_url()).content.decode()
    for text in (
        "Tuyến biển bình yên",
        j.unit_a.name,
        j.unit_b.name,
        "7 lượt người",
        j.commune_a.name,
        "Phát hiện 1 vụ vận chuyển khoáng sản",
        "Lê Văn Tuần",
        "Lịch sử thay đổi",
        "Tạo mới",
        "Đã thực hiện",
        "10/05/2023 19:00",
    ):
        assert text in html, text
    assert "Sửa ca tuần tra" in html
    assert reverse("patrols:patrol_confirm", args=[patrol.pk]) not in html  # the lead cannot confirm


def test_partner_confirms_via_post(client, j, partner):
    patrol = log_patrol(j)
    client.force_login(partner)
    detail = client.get(patrol.get_absolute_url()).content.decode()
    assert reverse("patrols:patrol_confirm", args=[patrol.pk]) in detail
    assert "Sửa ca tuần tra" not in detail
    response = client.post(reverse("patrols:patrol_confirm", args=[patrol.pk]), follow=True)
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.CONFIRMED and patrol.confirmed_by == partner
    html = response.content.decode()
    assert "Đã xác nhận ca tuần tra ngày 10/05/2023" in html
    assert "Đơn vị bạn đã xác nhận" in html
    assert response.redirect_chain[-1][0] == patrol.get_absolute_url()


def test_lead_cannot_confirm(client, j):
    patrol = log_patrol(j)
    client.force_login(j.user)
    assert client.post(reverse("patrols:patrol_confirm", args=[patrol.pk])).status_code == 403
    assert client.get(reverse("patrols:patrol_confirm", args=[patrol.pk])).status_code == 403
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.DONE


def test_planned_patrol_cannot_be_confirmed_yet(client, j, partner):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    patrol = log_patrol(
        j, status=PatrolStatus.PLANNED, started_at=tomorrow, ended_at=tomorrow + datetime.timedelta(hours=2)
    )
    client.force_login(partner)
    assert "btn-success" not in client.get(patrol.get_absolute_url()).content.decode()
    response = client.post(reverse("patrols:patrol_confirm", args=[patrol.pk]), follow=True)
    assert "Ca tuần tra chưa thực hiện, chưa thể xác nhận." in response.content.decode()
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.PLANNED


def test_another_jurisdictions_patrol_is_not_found(client, j, other_j):
    foreign = log_patrol(other_j)
    client.force_login(j.user)
    for name in ("patrols:patrol_detail", "patrols:patrol_update", "patrols:patrol_confirm"):
        url = reverse(name, args=[foreign.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, patrol_form_data(j)).status_code == 404, name
    foreign.refresh_from_db()
    assert foreign.status == PatrolStatus.DONE and foreign.programme == "Tuyến biển bình yên"


def test_partner_cannot_edit(client, j, partner):
    patrol = log_patrol(j)
    client.force_login(partner)
    url = reverse("patrols:patrol_update", args=[patrol.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, patrol_form_data(j, findings="Sửa trái phép")).status_code == 403
    patrol.refresh_from_db()
    assert patrol.findings == ""


def test_lead_edits_and_a_confirmed_patrol_needs_confirming_again(client, j, partner):
    patrol = services.patrol_confirm(actor=partner, patrol=log_patrol(j))
    PatrolParticipant.objects.create(patrol=patrol, full_name="Lê Văn Tuần", unit=j.unit_a)
    client.force_login(j.user)
    url = reverse("patrols:patrol_update", args=[patrol.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "phải xác nhận lại" in page.content.decode()
    form = page.context["form"]
    assert form.initial["scope"] == f"c{j.cluster.pk}"
    assert "lead_unit" not in form.fields
    data = patrol_form_data(
        j,
        findings="Bổ sung: phát hiện 1 điểm tụ tập đánh bạc",
        rows=[(j.unit_a.pk, "5"), (j.unit_b.pk, "3")],
    )
    data.pop("lead_unit")
    response = client.post(url, data, follow=True)
    assert "cần đơn vị bạn xác nhận lại" in response.content.decode()
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.DONE and patrol.confirmed_by is None
    assert patrol.officer_total == 8
    assert patrol.findings == "Bổ sung: phát hiện 1 điểm tụ tập đánh bạc"
    assert list(patrol.participants.values_list("full_name", flat=True)) == ["Lê Văn Tuần"]


def test_edit_with_bad_input_keeps_the_stored_patrol(client, j):
    patrol = log_patrol(j)
    client.force_login(j.user)
    data = patrol_form_data(j, ended_at="2023-05-10T10:00")
    data.pop("lead_unit")
    response = client.post(reverse("patrols:patrol_update", args=[patrol.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ended_at"]
    patrol.refresh_from_db()
    assert timezone.localtime(patrol.ended_at).hour == 23


def test_pending_list_for_the_partner(client, j, partner):
    patrol = log_patrol(j)
    confirmed = services.patrol_confirm(actor=partner, patrol=log_patrol(j, programme="Đã xác nhận rồi"))
    client.force_login(partner)
    html = client.get(reverse("patrols:patrol_pending")).content.decode()
    assert patrol.get_absolute_url() in html
    assert confirmed.get_absolute_url() not in html
    assert reverse("patrols:patrol_confirm", args=[patrol.pk]) in html
    client.force_login(j.user)
    html = client.get(reverse("patrols:patrol_pending")).content.decode()
    assert patrol.get_absolute_url() not in html
    assert "Không có ca tuần tra nào chờ đơn vị của bạn xác nhận." in html


def test_commander_sees_agreement_wide_patrols_officer_only_his_own(client, j, commander):
    foreign_led = PatrolFactory(agreement=j.agreement, cluster=None, lead_unit=j.unit_b, programme="Chỉ bên B")
    PatrolParticipationFactory(patrol=foreign_led, unit=j.unit_b)
    client.force_login(j.user)
    assert client.get(foreign_led.get_absolute_url()).status_code == 404
    client.force_login(commander)
    assert client.get(foreign_led.get_absolute_url()).status_code == 200
