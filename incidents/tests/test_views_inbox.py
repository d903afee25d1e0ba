"""The receiving unit's side of a tip: the inbox, the badge in the navigation, acknowledging and verifying."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.tests.factories import UnitFactory
from incidents.models import Tip, TipStatus
from tests.helpers import html_of, tip_of

pytestmark = pytest.mark.django_db


# Tips: inbox and processing -----------------------------------------------------------------------


def test_inbox_lists_open_tips_for_the_receiving_unit_with_overdue_in_red(client, j, partner):
    late = tip_of(j, deadline=timezone.localdate() - datetime.timedelta(days=1), summary="Tin đã quá hạn")
    fresh = tip_of(j, summary="Tin còn hạn")
    tip_of(j, status=TipStatus.TRUE, summary="Tin đã xác minh xong")
    client.force_login(partner)
    response = client.get(reverse("incidents:tip_inbox"))
    html = html_of(response)
    assert list(response.context["tips"]) == [late, fresh]  # oldest deadline first
    assert "Tin đã xác minh xong" not in html
    late_block = html[html.index(f"Nguồn tin #{late.pk}") : html.index(f"Nguồn tin #{fresh.pk}")]
    assert "Quá hạn" in late_block
    assert "Quá hạn" not in html[html.index(f"Nguồn tin #{fresh.pk}") :]
    assert "bz-overdue" in html and "trong đó 1 quá hạn" in html
    # The sender's inbox does not hold what it sent.
    client.force_login(j.user)
    assert list(client.get(reverse("incidents:tip_inbox")).context["tips"]) == []


def test_nav_badge_counts_open_tips_in_the_inbox(client, j, partner):
    tip_of(j)
    tip_of(j)
    tip_of(j, status=TipStatus.FALSE)
    client.force_login(partner)
    html = html_of(client.get(reverse("agreements:agreement_list")))
    assert re.search(r'Nguồn tin <span class="badge[^"]*"[^>]*>2</span>', html)
    assert "2 tin chờ" in html


def test_nav_badge_follows_every_change_at_once(client, j, partner):
    """The count is cached under the audit trail's newest events: any change gives the right number."""
    tip = tip_of(j)
    tip_of(j)
    client.force_login(partner)
    badge = re.compile(r'Nguồn tin <span class="badge[^"]*"[^>]*>(\d+)</span>')

    def shown() -> int:
        match = badge.search(html_of(client.get(reverse("agreements:agreement_list"))))
        return int(match.group(1)) if match else 0

    assert shown() == 2
    tip_of(j)
    assert shown() == 3
    Tip.objects.filter(pk=tip.pk).update(status=TipStatus.FALSE)
    assert shown() == 2
    officer = partner.officer
    officer.unit = UnitFactory()
    officer.save()
    assert shown() == 0


def test_receiver_acknowledges_verifies_and_closes_a_tip(client, j, partner):
    tip = tip_of(j)
    client.force_login(partner)
    inbox = reverse("incidents:tip_inbox")
    response = client.post(reverse("incidents:tip_acknowledge", kwargs={"pk": tip.pk}), {"next": inbox})
    assert response.status_code == 302 and response["Location"] == inbox
    tip.refresh_from_db()
    assert tip.acknowledged_by == partner and tip.acknowledged_at

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


def test_a_wrong_status_move_is_explained_on_the_page(client, j, partner):
    tip = tip_of(j)
    client.force_login(partner)
    response = client.post(reverse("incidents:tip_status", kwargs={"pk": tip.pk}), {"status": "verified_true"})
    assert response.status_code == 200
    assert "Lựa chọn" in html_of(response) or "hợp lệ" in html_of(response)
    tip.refresh_from_db()
    assert tip.status == TipStatus.RECEIVED


def test_only_the_receiving_unit_processes_a_tip(client, j):
    tip = tip_of(j)
    client.force_login(j.user)  # the sender
    assert client.post(reverse("incidents:tip_acknowledge", kwargs={"pk": tip.pk})).status_code == 403
    status_url = reverse("incidents:tip_status", kwargs={"pk": tip.pk})
    assert client.post(status_url, {"status": "verifying"}).status_code == 403
    html = html_of(client.get(tip.get_absolute_url()))
    assert "Xử lý nguồn tin" not in html
    tip.refresh_from_db()
    assert tip.acknowledged_at is None and tip.status == TipStatus.RECEIVED
