"""``manage.py review_report``: the printed review report of an agreement (or cluster), rendered synchronously.

    python manage.py review_report --agreement 01/QCPH-QS-CA-BP --period 2023 --output bao-cao.pdf
    python manage.py review_report --agreement 7 --cluster "Cụm giáp ranh …" --period 2023-H1 --kind tong_ket
    python manage.py review_report --agreement 7 --period 2023-TK --output bao-cao.pdf   # năm thống kê

The same HTML and PDF as the worker makes (``reports.pdf``), from the figures computed now. The
text (narrative, number, signatory, …) is that of the latest ``ReviewReport`` of the same scope,
period and kind when there is one, otherwise starting defaults. Nothing is written to the database.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from agreements.models import Agreement, Cluster
from borderzone import periods
from borderzone.periods import Period
from reports import pdf
from reports.models import ReportKind, ReviewReport
from reports.statistics import compute_figures


def parse_period(text: str) -> Period:
    try:
        return periods.parse(text)
    except ValueError as exc:
        raise CommandError(f"Kỳ báo cáo không hợp lệ: {text.strip()} ({exc}).") from exc


def find_agreement(value: str) -> Agreement:
    match = Q(number=value)
    if value.isdecimal():
        match |= Q(pk=int(value))
    qs = Agreement.objects.filter(match)
    matches = list(qs[:2])
    if len(matches) != 1:
        raise CommandError(f"Không tìm thấy đúng một quy chế có mã hoặc số, ký hiệu “{value}”.")
    return matches[0]


def find_cluster(agreement: Agreement, value: str) -> Cluster:
    qs = agreement.clusters.all()
    qs = qs.filter(pk=int(value)) if value.isdecimal() else qs.filter(name__iexact=value)
    matches = list(qs[:2])
    if len(matches) != 1:
        raise CommandError(f"Quy chế {agreement.number or agreement.pk} không có cụm “{value}”.")
    return matches[0]


class Command(BaseCommand):
    help = "Tạo file PDF báo cáo sơ kết, tổng kết của một quy chế (hoặc một cụm) cho một kỳ, không qua hàng đợi."

    def add_arguments(self, parser):
        parser.add_argument("--agreement", required=True, help="Mã (id) hoặc số, ký hiệu của quy chế.")
        parser.add_argument("--period", required=True, help=f"Kỳ báo cáo: {periods.PARSE_FORMS}.")
        parser.add_argument("--cluster", help="Mã (id) hoặc tên cụm của quy chế (bỏ trống: toàn quy chế).")
        parser.add_argument("--kind", choices=ReportKind.values, default=None,
                            help="so_ket (mặc định) hoặc tong_ket.")
        parser.add_argument("--no-compare", action="store_true", help="Không so sánh với cùng kỳ năm trước.")
        parser.add_argument("--output", required=True, help="Đường dẫn file PDF.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        agreement = find_agreement(options["agreement"])
        cluster = find_cluster(agreement, options["cluster"]) if options["cluster"] else None
        period = parse_period(options["period"])
        kind = options["kind"]

        reports = ReviewReport.objects.filter(
            agreement=agreement, cluster=cluster, period_start=period.start, period_end=period.end
        )
        if kind:
            reports = reports.filter(kind=kind)
        report = reports.order_by("-updated_at", "-pk").first()
        if report is not None:
            comparison = (Period(report.comparison_start, report.comparison_end)
                          if report.comparison_start and report.comparison_end else None)
            content = report.snapshot()
            self.stdout.write(f"Dùng nội dung của báo cáo #{report.pk} ({report}).")
        else:
            comparison = period.previous_year()
            content = default_content(agreement, cluster, kind or ReportKind.INTERIM, period)
            self.stdout.write("Chưa có báo cáo nào cho phạm vi và kỳ này: dùng nội dung mặc định.")
        if options["no_compare"]:
            comparison = None
        if kind:
            content["kind"] = kind

        figures = compute_figures(agreement=agreement, cluster=cluster, period=period, comparison=comparison,
                                  compare=comparison is not None)
        try:
            rendered = pdf.render_pdf(figures, content, options["output"])
        except pdf.ReportRenderError as exc:
            raise CommandError(str(exc)) from exc
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(
            f"Đã ghi {options['output']}: {rendered.pages} trang, {seconds} giây."
        ))


def default_content(agreement: Agreement, cluster: Cluster | None, kind: str, period: Period) -> dict:
    """The text of a report nobody has written yet: the issuing body and signatory of the first party."""
    party = agreement.parties.select_related("unit__parent").order_by("order", "pk").first()
    unit = party.unit if party else None
    label = period.label
    where = f" tại {cluster.name}" if cluster is not None else " trên địa bàn giáp ranh"
    return {
        "kind": kind,
        "subject": "",
        "situation": (
            f"{label[:1].upper()}{label[1:]}, các lực lượng tham gia quy chế phối hợp đã triển khai thực hiện các "
            f"nội dung phối hợp{where}. Số liệu tại Mục II được tổng hợp từ hệ thống theo dõi phối hợp vùng giáp ranh."
        ),
        "strengths": "",
        "limitations": "",
        "lessons": "",
        "directions": "",
        "recommendations": "",
        "document_number": "",
        "place": "",
        "issued_on": None,
        "parent_body": unit.parent.name if unit is not None and unit.parent_id else "",
        "issuing_unit": unit.name if unit is not None else "",
        "signatory_authority": "",
        "signatory_position": party.signatory_position if party else "",
        "signatory_name": party.signatory_name if party else "",
        "recipients": "\n".join([f"{p.unit.name};" for p in agreement.parties.select_related("unit")] + ["Lưu: VT."]),
    }
