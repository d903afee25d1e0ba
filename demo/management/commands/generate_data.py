"""``manage.py generate_data``: deterministic national-scale synthetic data for benchmarks.

    python manage.py generate_data [--seed 42] [--incidents 1000000] [--patrols 500000] [--tips 300000]
                                   [--agreements 1500] [--clear] [--clear-only] [--verify]

Everything is written in one transaction (all or nothing) under agreements numbered ``GL-…`` and
units named ``[Giả lập] …``; ``--clear`` removes a previous synthetic data set first, and nothing
else is ever touched. The load is not audited (see ``demo/synthetic`` for why and how).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import synthetic
from demo.synthetic import vi_number


def _size(value: int) -> str:
    return f"{vi_number(value / 1024 / 1024, 1)} MB"


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu giả lập quy mô toàn quốc (xác định theo seed) để đo hiệu năng: đơn vị, quy chế, cụm, "
        "ca tuần tra, nguồn tin, vụ việc. Dữ liệu giả lập có quy chế số “GL-…” và đơn vị “[Giả lập] …”."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED, help="Hạt giống ngẫu nhiên.")
        parser.add_argument("--incidents", type=int, default=synthetic.DEFAULT_INCIDENTS, help="Số vụ việc.")
        parser.add_argument("--patrols", type=int, default=synthetic.DEFAULT_PATROLS, help="Số ca tuần tra chung.")
        parser.add_argument("--tips", type=int, default=synthetic.DEFAULT_TIPS, help="Số nguồn tin.")
        parser.add_argument("--agreements", type=int, default=synthetic.DEFAULT_AGREEMENTS,
                            help="Số quy chế phối hợp (mỗi quy chế giữa hai công an huyện giáp ranh).")
        parser.add_argument("--clear", action="store_true", help="Xóa dữ liệu giả lập cũ trước khi sinh.")
        parser.add_argument("--clear-only", action="store_true", help="Chỉ xóa dữ liệu giả lập cũ, không sinh.")
        parser.add_argument("--verify", action="store_true",
                            help="Sau khi nạp, kiểm tra mọi khóa ngoại của các bảng đã ghi (chậm hơn vài giây).")

    def handle(self, *args: Any, **options: Any) -> None:
        log = self.stdout.write
        try:
            if options["clear_only"]:
                deleted = synthetic.clear_synthetic(log=log)
                if not deleted:
                    log("Không có dữ liệu giả lập nào để xóa.")
                return
            log(
                f"Sinh dữ liệu giả lập (seed {options['seed']}): {vi_number(options['agreements'])} quy chế, "
                f"{vi_number(options['patrols'])} ca tuần tra, {vi_number(options['tips'])} nguồn tin, "
                f"{vi_number(options['incidents'])} vụ việc."
            )
            result = synthetic.generate(
                seed=options["seed"],
                incidents=options["incidents"],
                patrols=options["patrols"],
                tips=options["tips"],
                agreements=options["agreements"],
                clear=options["clear"],
                log=log,
            )
        except synthetic.SyntheticDataError as exc:
            raise CommandError(str(exc)) from exc

        rows = sum(s.rows for s in result.stats)
        loading = sum(s.seconds for s in result.stats)
        self.stdout.write(self.style.SUCCESS(
            f"Xong: {vi_number(rows)} dòng vào {vi_number(len(result.stats))} bảng; nạp {vi_number(loading, 1)} giây, "
            f"tổng cộng {vi_number(result.seconds, 1)} giây."
        ))
        tables = [s.table for s in result.stats]
        if tables:
            log("Kích thước bảng (kể cả chỉ mục):")
            for table, estimated, size in synthetic.table_sizes(tables):
                log(f"  {table}: ~{vi_number(estimated)} dòng, {_size(size)}")
        if options["verify"]:
            problems = synthetic.integrity_problems(tables)
            if problems:
                raise CommandError("Khóa ngoại không hợp lệ: " + "; ".join(problems))
            log(self.style.SUCCESS("Kiểm tra khóa ngoại: không có tham chiếu hỏng."))
