"""``manage.py demo_accounts``: the demo logins that exist in this database (printed by ``make run``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from agreements.models import Role
from demo import registry


class Command(BaseCommand):
    help = "In danh sách tài khoản demo (tên đăng nhập, vai trò, đơn vị, bài báo nguồn)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            u.username: u
            for u in get_user_model()
            .objects.filter(username__in=registry.DEMO_USERNAMES)
            .select_related("officer__unit")
        }
        rows = []
        for account in registry.DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                continue
            officer = getattr(user, "officer", None)
            role = Role(officer.role).label if officer else ""
            unit = officer.unit.name if officer else ""
            rows.append((account.username, str(role), unit, account.seed))
        if not rows:
            self.stdout.write("Chưa có tài khoản demo. Chạy: manage.py load_demo")
            return
        self.stdout.write(f"Tài khoản demo (mật khẩu chung: {registry.DEMO_PASSWORD})")
        headers = ("Tên đăng nhập", "Vai trò", "Đơn vị", "Bài báo – bên")
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(3)]
        for row in [headers, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
            self.stdout.write("  ".join([*cells, row[3]]))
