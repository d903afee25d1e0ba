"""``manage.py import_geography``: load or refresh the administrative units of both eras.

Safe to run at any time (also in production after a package upgrade): the import is one
transaction and writes only what changed.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from agreements import geography


def _vi(number: int | float, decimals: int = 0) -> str:
    """Vietnamese digit grouping (3.321; 2,4) whatever locale the command runs under."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


class Command(BaseCommand):
    help = "Nhập danh mục đơn vị hành chính (hiện hành và trước 01/7/2025) từ gói vietnam-provinces."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = geography.geography_import()
        elapsed = time.perf_counter() - started

        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {_vi(counts[geography.CURRENT_PROVINCES])} tỉnh, "
                f"{_vi(counts[geography.CURRENT_COMMUNES])} xã (hiện hành); "
                f"{_vi(counts[geography.LEGACY_PROVINCES])} tỉnh, "
                f"{_vi(counts[geography.LEGACY_DISTRICTS])} huyện, "
                f"{_vi(counts[geography.LEGACY_COMMUNES])} xã (trước 01/7/2025); "
                f"{_vi(counts[geography.SUCCESSIONS])} ánh xạ cũ → mới "
                f"({_vi(counts[geography.MAPPED_LEGACY_COMMUNES])} xã cũ)."
            )
        )
        self.stdout.write(
            f"Lần chạy này: thêm mới {_vi(counts[geography.CREATED_UNITS])} đơn vị, "
            f"cập nhật {_vi(counts[geography.UPDATED_UNITS])} đơn vị; "
            f"thêm mới {_vi(counts[geography.CREATED_SUCCESSIONS])} ánh xạ, "
            f"cập nhật {_vi(counts[geography.UPDATED_SUCCESSIONS])} ánh xạ."
        )
        if counts[geography.SKIPPED_MAPPINGS]:
            self.stdout.write(
                self.style.WARNING(
                    f"Bỏ qua {_vi(counts[geography.SKIPPED_MAPPINGS])} ánh xạ có mã xã không có trong danh mục."
                )
            )
        self.stdout.write(f"Thời gian: {_vi(elapsed, 1)} giây.")
