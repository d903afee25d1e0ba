"""``manage.py load_demo``: the demo data of the five seed reports (registry part for now).

Lives in ``reports``, the most downstream app, so that later parts can add patrols, incidents and
reviews here without an app importing "upwards". Safe to run again: a second run writes nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from agreements import demo
from agreements.models import AdministrativeUnit, Era

LABELS = {
    "units": "đơn vị",
    "officers": "tài khoản",
    "legal_bases": "căn cứ pháp lý",
    "agreements": "quy chế phối hợp",
    "structures": "bộ chương, điều",
    "clusters": "cụm",
    "cluster_members": "xã thành viên",
    "board_members": "thành viên ban chỉ đạo",
    "mobile_teams": "đội cơ động",
    "mobile_team_members": "đội viên cơ động",
    "self_management_models": "mô hình tự phòng, tự quản",
}


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = "Nạp dữ liệu demo (đơn vị, quy chế, cụm, tài khoản) theo năm bài báo nguồn; chạy lại không tạo trùng."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if not AdministrativeUnit.objects.filter(era=Era.LEGACY).exists():
            from agreements.geography import geography_import

            self.stdout.write("Chưa có danh mục đơn vị hành chính: đang nhập từ gói vietnam-provinces…")
            geography_import()
            self.stdout.write(f"Đã nhập danh mục hành chính ({_seconds(started)} giây).")

        counts = demo.load_registry_demo()

        created = [f"{counts[key]} {LABELS[key]}" for key in demo.COUNT_KEYS if counts[key]]
        if created:
            self.stdout.write(self.style.SUCCESS("Đã tạo mới: " + ", ".join(created) + "."))
        else:
            self.stdout.write(self.style.SUCCESS("Dữ liệu demo đã đầy đủ, không có gì thay đổi."))
        self.stdout.write(f"Thời gian: {_seconds(started)} giây. Xem tài khoản demo: manage.py demo_accounts")
