"""An officer logs a joint patrol on his phone; the partner unit's officer confirms it on hers."""

import re

import pytest
from django.urls import reverse

from agreements.tests.factories import OfficerFactory, jurisdiction
from patrols.models import Patrol, PatrolStatus

from .conftest import PHONE, login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_officer_logs_a_patrol_and_the_partner_confirms_it(phone):
    j = jurisdiction()
    lead_unit, partner_unit = j.unit_a, j.unit_b
    partner = OfficerFactory(unit=partner_unit, user__first_name="Thị Hoa", user__last_name="Trần").user

    # The officer of side A opens the form from the patrol list.
    login(phone, j.user.username)
    phone.goto(reverse("patrols:patrol_list"))
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-01-list")
    phone.get_by_role("link", name="Ghi nhận ca tuần tra").locator("visible=true").click()
    phone.wait_for_load_state("networkidle")
    assert "Ghi nhận ca tuần tra chung" in phone.inner_text("h1")

    # His unit leads and is the first participating row; the cluster and today are prefilled.
    assert lead_unit.name in phone.inner_text("#don-vi-tham-gia")
    assert phone.input_value("#id_don_vi-0-unit") == str(lead_unit.pk)
    assert phone.input_value("#id_scope") == f"c{j.cluster.pk}"
    assert phone.input_value("#id_started_at")
    assert no_horizontal_scroll(phone), "the form must fit a 360 px screen"
    shot(phone, "patrol-02-form")

    phone.fill("#id_programme", "Tuyến biển bình yên")
    phone.get_by_label(re.compile(j.commune_a.name)).check()
    phone.get_by_label(re.compile(j.commune_b.name)).check()
    # Outside the clusters the parties' communes are offered (htmx re-draws the list, ticks kept); back again.
    phone.select_option("#id_scope", f"a{j.agreement.pk}")
    phone.wait_for_selector("text=Các xã, phường thuộc địa bàn của các bên ký quy chế.")
    assert phone.get_by_label(re.compile(j.commune_a.name)).is_checked()
    phone.select_option("#id_scope", f"c{j.cluster.pk}")
    phone.wait_for_selector("text=Các xã, phường thành viên của")
    assert phone.get_by_label(re.compile(j.commune_b.name)).is_checked()
    phone.fill("#id_don_vi-0-officers", "4")
    # The partner unit goes into the empty row; "Thêm đơn vị" adds one more (left empty, so ignored).
    assert phone.locator(".bz-part-row").count() == 2
    last = 1
    phone.select_option(f"#id_don_vi-{last}-unit", str(partner_unit.pk))
    phone.fill(f"#id_don_vi-{last}-officers", "3")
    phone.get_by_role("button", name="Thêm đơn vị").click()
    assert phone.locator(".bz-part-row").count() == 3
    assert phone.input_value("#id_don_vi-TOTAL_FORMS") == "3"
    phone.fill("#id_route", "Tuyến đê biển thôn Đông – cầu Cửa Đại")
    phone.fill("#id_findings", "Nhắc nhở 2 nhóm thanh niên tụ tập sau 23 giờ")
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-03-form-filled")

    # A slip first: the end before the start. The message sits beside the field and nothing is lost.
    started = phone.input_value("#id_started_at")
    ended = phone.input_value("#id_ended_at")
    phone.fill("#id_ended_at", "2000-01-01T00:00")
    phone.get_by_role("button", name="Lưu ca tuần tra").click()
    phone.wait_for_load_state("networkidle")
    assert "Thời điểm kết thúc phải sau thời điểm bắt đầu." in phone.inner_text("#div_id_ended_at")
    assert phone.input_value("#id_programme") == "Tuyến biển bình yên"
    assert phone.input_value(f"#id_don_vi-{last}-officers") == "3"
    assert not Patrol.objects.exists()
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-04-form-error")

    phone.fill("#id_ended_at", ended if ended > started else started)
    phone.get_by_role("button", name="Lưu ca tuần tra").click()
    phone.wait_for_load_state("networkidle")
    patrol = Patrol.objects.get()
    assert phone.url.endswith(reverse("patrols:patrol_detail", args=[patrol.pk]))
    assert "Tuyến biển bình yên" in phone.inner_text("h1")
    assert "Đã ghi nhận ca tuần tra" in phone.inner_text(".bz-messages")
    assert "7 lượt người" in phone.content()
    assert patrol.officer_total == 7 and patrol.status == PatrolStatus.DONE
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-05-detail")

    # The partner unit's officer signs in on the same phone and confirms.
    phone.context.clear_cookies()
    login(phone, partner.username)
    phone.goto(reverse("patrols:patrol_list"))
    phone.get_by_role("link", name="Chờ xác nhận").click()
    phone.wait_for_load_state("networkidle")
    assert "Tuyến biển bình yên" in phone.inner_text("main")
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-06-pending")
    phone.get_by_role("button", name="Xác nhận").click()
    phone.wait_for_load_state("networkidle")
    assert "Đơn vị bạn đã xác nhận" in phone.inner_text("#trang-thai")
    assert "Đã xác nhận ca tuần tra" in phone.inner_text(".bz-messages")
    assert "Trần Thị Hoa" in phone.inner_text("section[aria-labelledby=xac-nhan]")
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-07-confirmed")
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.CONFIRMED and patrol.confirmed_by == partner

    # The list shows it with the headline figures.
    phone.goto(reverse("patrols:patrol_list"))
    assert "1 ca tuần tra, 7 lượt người" in phone.inner_text("#tong-so")
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-08-list")


def test_campaign_and_checkpoint_pages_on_a_phone(phone):
    j = jurisdiction()
    login(phone, j.user.username)
    phone.goto(reverse("patrols:campaign_create"))
    assert no_horizontal_scroll(phone)
    phone.fill("#id_name", "Đợt cao điểm tấn công trấn áp tội phạm dịp Tết")
    phone.fill("#id_starts_on", "2023-01-05")
    phone.fill("#id_ends_on", "2023-02-15")
    phone.get_by_label(j.unit_b.name).check()
    shot(phone, "patrol-campaign-form")
    phone.get_by_role("button", name="Lưu đợt cao điểm").click()
    phone.wait_for_load_state("networkidle")
    assert "Đã thêm đợt cao điểm" in phone.inner_text(".bz-messages")
    assert "05/01/2023 – 15/02/2023" in phone.inner_text("main")
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-campaign-list")

    phone.goto(reverse("patrols:checkpoint_create"))
    phone.fill("#id_place", "Đường liên xã giáp ranh, thôn Đông")
    phone.select_option("#id_commune", str(j.commune_a.pk))
    phone.fill("#id_purpose", "Kiểm soát vận chuyển khoáng sản trái phép")
    phone.fill("#id_starts_on", "2023-03-01")
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-checkpoint-form")
    phone.get_by_role("button", name="Lưu chốt kiểm soát").click()
    phone.wait_for_load_state("networkidle")
    assert "Đã thêm chốt kiểm soát" in phone.inner_text(".bz-messages")
    assert no_horizontal_scroll(phone)
    shot(phone, "patrol-checkpoint-list")


def test_patrol_list_with_filters_on_a_desktop(desktop):
    from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory, local

    j = jurisdiction()
    for day in range(1, 8):
        patrol = PatrolFactory(
            agreement=j.agreement,
            cluster=j.cluster,
            lead_unit=j.unit_a,
            started_at=local(2023, 5, day, 20),
            officer_total=7,
            programme="Tuyến biển bình yên" if day % 2 else "Tuần tra đêm",
        )
        PatrolParticipationFactory(patrol=patrol, unit=j.unit_a, officers=4)
        PatrolParticipationFactory(patrol=patrol, unit=j.unit_b, officers=3)
    login(desktop, j.user.username)
    desktop.goto(reverse("patrols:patrol_list") + "?q=tuyen+bien&nam=2023&tu_ngay=2023-13-01")
    assert "4 ca tuần tra, 28 lượt người" in desktop.inner_text("#tong-so")
    assert desktop.locator("#div_id_tu_ngay .invalid-feedback").is_visible()
    shot(desktop, "patrol-list-desktop")
