"""``manage.py load_demo``: the demo data of the five seed reports.

Three parts, in order: the registry (units, agreements, clusters, accounts), the field records
(patrols, campaigns, checkpoints, tips, incidents) and the review conferences with their awards.
Lives in ``demo``, above every domain app, so that it may call every part without a domain app
importing "upwards" (production does not install ``demo``). Safe to run again: a second run writes nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from agreements.models import AdministrativeUnit, Era
from demo import records, registry, reviews
from demo.records_loader import load_records_demo
from demo.registry_loader import load_registry_demo

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
    "campaigns": "đợt cao điểm",
    "checkpoints": "chốt kiểm soát",
    "patrols": "ca tuần tra chung",
    "patrol_confirmations": "xác nhận tuần tra của đơn vị bạn",
    "tips": "nguồn tin",
    "incidents": "vụ việc",
    "conferences": "hội nghị",
    "awards": "khen thưởng",
}


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu demo (đơn vị, quy chế, cụm, tài khoản, tuần tra, nguồn tin, vụ việc, hội nghị, khen thưởng) "
        "theo năm bài báo nguồn; chạy lại không tạo trùng."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if not AdministrativeUnit.objects.filter(era=Era.LEGACY).exists():
            from agreements.geography import geography_import

            self.stdout.write("Chưa có danh mục đơn vị hành chính: đang nhập từ gói vietnam-provinces…")
            geography_import()
            self.stdout.write(f"Đã nhập danh mục hành chính ({_seconds(started)} giây).")

        # All or nothing: a failure in a later part leaves no half-loaded demo behind.
        with transaction.atomic():
            counts = load_registry_demo()
            part = time.perf_counter()
            counts |= load_records_demo()
            records_took = _seconds(part)
            counts |= reviews.load_review_demo()
        keys = (*registry.COUNT_KEYS, *records.COUNT_KEYS, *reviews.COUNT_KEYS)

        created = [f"{counts[key]} {LABELS[key]}" for key in keys if counts[key]]
        if created:
            self.stdout.write(self.style.SUCCESS("Đã tạo mới: " + ", ".join(created) + "."))
            self.stdout.write(f"Trong đó nạp tuần tra, nguồn tin, vụ việc: {records_took} giây.")
        else:
            self.stdout.write(self.style.SUCCESS("Dữ liệu demo đã đầy đủ, không có gì thay đổi."))
        self.stdout.write(f"Thời gian: {_seconds(started)} giây. Xem tài khoản demo: manage.py demo_accounts")
