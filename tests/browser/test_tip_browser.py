"""A tip's whole journey on a 360 px phone: recorded by unit A, received and verified by unit B, and
turned into an incident that the tip's page then shows."""

import re

import pytest
from django.urls import reverse

from agreements.tests.factories import OfficerFactory, jurisdiction
from incidents.models import Incident, Tip, TipStatus

from .conftest import PHONE, login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_phone(page) -> None:
    # A horizontal scrollbar makes one-handed use miserable.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_tip_from_unit_a_verified_by_unit_b_and_turned_into_an_incident(phone):
    j = jurisdiction()
    j.user.first_name, j.user.last_name = "Văn An", "Nguyễn"
    j.user.save()
    receiver = OfficerFactory(unit=j.unit_b, user__first_name="Thị Bình", user__last_name="Lê").user
    cluster, commune = j.cluster, j.commune_b

    # Unit A's officer records the tip and hands it to unit B.
    login(phone, j.user.username)
    phone.goto(reverse("incidents:tip_create"))
    assert phone.inner_text("h1") == "Ghi nhận nguồn tin"
    fits_the_phone(phone)
    shot(phone, "tip-01-form")
    # Choosing the cluster redraws the form (htmx) with the cluster's communes only.
    phone.select_option("#id_scope", f"c{cluster.pk}")
    phone.get_by_text("Các xã, phường thành viên của cụm đã chọn.").wait_for()
    phone.select_option("#id_to_unit", str(j.unit_b.pk))
    phone.select_option("#id_category", label="Đánh bạc")
    phone.select_option("#id_commune", str(commune.pk))
    phone.fill("#id_summary", "Nhóm 6–7 đối tượng tụ tập đánh bạc ở bãi sông, thường vào tối thứ Bảy.")
    phone.select_option("#id_reliability", "B")
    phone.select_option("#id_credibility", "2")
    fits_the_phone(phone)
    shot(phone, "tip-02-filled")
    phone.get_by_role("button", name="Ghi nhận và chuyển").click()
    try:
        phone.wait_for_url(re.compile(r"/nguon-tin/\d+/$"))
    except Exception:
        shot(phone, "tip-debug")
        raise
    tip = Tip.objects.get()
    assert (tip.from_unit, tip.to_unit, tip.commune) == (j.unit_a, j.unit_b, commune)
    assert "Đã ghi nhận nguồn tin" in phone.content()
    assert "Xử lý nguồn tin" not in phone.content()  # the sender does not process it
    fits_the_phone(phone)
    shot(phone, "tip-03-recorded")

    # Unit B's officer finds it in the inbox: the badge beside the menu button says so.
    phone.context.clear_cookies()
    login(phone, receiver.username)
    waiting = phone.get_by_role("link", name="1 tin chờ")
    assert waiting.is_visible()
    waiting.click()
    phone.wait_for_url("**" + reverse("incidents:tip_inbox"))
    item = phone.locator(".bz-item", has_text=f"Nguồn tin #{tip.pk}")
    assert "Nhóm 6–7 đối tượng" in item.inner_text()
    fits_the_phone(phone)
    shot(phone, "tip-04-inbox")

    item.get_by_role("button", name="Đã nhận").click()
    phone.wait_for_load_state("networkidle")
    assert "Đã xác nhận tiếp nhận nguồn tin" in phone.content()
    tip.refresh_from_db()
    assert tip.acknowledged_by == receiver
    shot(phone, "tip-05-acknowledged")

    phone.locator(".bz-item", has_text=f"Nguồn tin #{tip.pk}").get_by_role("button", name="Bắt đầu xác minh").click()
    phone.wait_for_load_state("networkidle")
    tip.refresh_from_db()
    assert tip.status == TipStatus.VERIFYING

    phone.locator(".bz-item", has_text=f"Nguồn tin #{tip.pk}").get_by_role("link", name="Ghi kết quả xác minh").click()
    phone.wait_for_url("**" + tip.get_absolute_url())
    phone.fill("#id_note", "Hai bên cùng kiểm tra bãi sông tối 08/4: đúng có tụ điểm đánh bạc.")
    phone.get_by_label("Phối hợp xác minh").check()
    fits_the_phone(phone)
    shot(phone, "tip-06-verifying")
    phone.get_by_role("button", name="Xác minh: đúng").click()
    phone.wait_for_load_state("networkidle")
    tip.refresh_from_db()
    assert tip.status == TipStatus.TRUE and tip.jointly_verified
    assert "Xác minh xong" in phone.content()
    fits_the_phone(phone)
    shot(phone, "tip-07-verified")

    # B records the incident the tip led to, from the tip's page.
    phone.get_by_role("link", name="Tạo vụ việc từ nguồn tin này").click()
    phone.wait_for_url(re.compile(r"/vu-viec/ghi-nhan/\?tip=\d+$"))
    assert phone.input_value("#id_commune") == str(commune.pk)
    assert phone.is_checked(f"input[name=tips][value='{tip.pk}']")
    phone.fill("#id_place", "Bãi sông thôn Đông")
    phone.fill("#id_suspects", "7")
    phone.fill("#id_suspects_dealt_with", "7")
    fits_the_phone(phone)
    shot(phone, "tip-08-incident-form")
    phone.get_by_role("button", name="Ghi nhận vụ việc").click()
    phone.wait_for_url(re.compile(r"/vu-viec/\d+/$"))
    incident = Incident.objects.get()
    assert list(incident.tips.all()) == [tip] and incident.lead_unit == j.unit_b
    fits_the_phone(phone)
    shot(phone, "tip-09-incident")

    # The tip's page shows the incident it led to.
    phone.goto(tip.get_absolute_url())
    linked = phone.locator(f"a[href='{incident.get_absolute_url()}']")
    assert linked.is_visible() and "Đánh bạc" in linked.inner_text()
    assert "Vụ việc liên quan (1)" in phone.content()
    fits_the_phone(phone)
    shot(phone, "tip-10-tip-with-incident")

    # Lists on the phone: the tips list and the incidents list with the cleared figure.
    phone.goto(reverse("incidents:tip_list") + "?q=bai song")
    assert phone.inner_text(".bz-count") == "1"
    fits_the_phone(phone)
    shot(phone, "tip-11-list")
    phone.goto(reverse("incidents:incident_list"))
    fits_the_phone(phone)
    shot(phone, "tip-12-incident-list")
    # A bad filter opens the panel with the message beside the field; still nothing wider than the phone.
    phone.goto(reverse("incidents:incident_list") + "?tu_ngay=2023-05-01&den_ngay=2023-04-01&trang_thai=received")
    assert "“Đến ngày” phải bằng hoặc sau “Từ ngày”." in phone.content()
    assert phone.locator("details.bz-filters").get_attribute("open") is not None
    fits_the_phone(phone)
    shot(phone, "tip-13-incident-filters")
