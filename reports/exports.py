"""The dashboard's tables as Excel (openpyxl) or CSV, with Vietnamese headers.

The rows are the dashboard's own (``reports.dashboards``, i.e. the figures of
``reports.statistics``), read through the same scope lookup as the page, so an export holds exactly
what the user saw and another jurisdiction's export is a 404. CSV starts with a UTF-8 byte-order
mark so Excel reads the diacritics correctly.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from agreements.models import Force
from borderzone.formatting import vn_date
from borderzone.periods import ChosenPeriod, month_label

from . import dashboards, statistics

TABLES = {
    "category": "Vụ việc theo loại",
    "commune": "Vụ việc theo xã, phường",
    "month": "Theo tháng",
    "tips": "Trao đổi nguồn tin",
    "patrols": "Tuần tra theo xã, tháng",
}
FORMATS = ("xlsx", "csv")
TEXT = "text/plain; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these is read by a spreadsheet as a formula (or DDE command); names
# of units, communes and categories are typed by staff, so they are neutralised as OWASP recommends
# ("CSV injection"): a single quote in front keeps them text. Numbers are never touched.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value):
    """``value`` as a cell may hold it safely: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _force(value: str) -> str:
    try:
        return str(Force(value).label)
    except ValueError:
        return value or ""


def _diff(value: int, previous: int | None):
    return None if previous is None else value - previous


def table_rows(table: str, figures: dict, coverage: dict, chosen: ChosenPeriod) -> tuple[list, list]:
    """(header, rows) of one table. Numbers stay numbers (Excel sums them); text is NFC already."""
    incidents, tips, patrols = figures["incidents"], figures["tips"], figures["patrols"]
    now, before = chosen.label, chosen.comparison_label
    if table == "category":
        header = ["Loại vụ việc", "Nhóm", f"Số vụ ({now})", f"Cùng kỳ ({before})", "Tăng (+), giảm (-)",
                  "Đã làm rõ", "Số đối tượng"]
        rows = [[r["name"], r["group"], r["count"], r["previous"], _diff(r["count"], r["previous"]), r["solved"],
                 r["suspects"]] for r in incidents["by_category"] if r["count"] or r["previous"]]
    elif table == "commune":
        header = ["Xã, phường", "Trực thuộc", f"Số vụ ({now})", f"Cùng kỳ ({before})", "Tăng (+), giảm (-)",
                  "Đã làm rõ"]
        rows = [[r["name"], r["parent"], r["count"], r["previous"], _diff(r["count"], r["previous"]), r["solved"]]
                for r in sorted(incidents["by_commune"], key=lambda r: (-r["count"], r["name"], r["commune_id"]))
                if r["count"] or r["previous"]]
    elif table == "month":
        header = ["Tháng", "Vụ việc", "Vụ việc cùng kỳ", "Ca tuần tra", "Lượt người", "Ca tuần tra cùng kỳ"]
        shifts = {r["month"]: r for r in patrols["by_month"]}
        rows = [[month_label(r["month"]), r["count"], r["previous"],
                 shifts.get(r["month"], {}).get("shifts", 0), shifts.get(r["month"], {}).get("participations", 0),
                 shifts.get(r["month"], {}).get("previous_shifts")] for r in incidents["by_month"]]
    elif table == "tips":
        header = ["Đơn vị cung cấp", "Lực lượng", "Đơn vị tiếp nhận", "Lực lượng", "Số nguồn tin"]
        rows = [[r["from_unit"], _force(r["from_force"]), r["to_unit"], _force(r["to_force"]), r["count"]]
                for r in tips["by_direction"]]
    else:
        months = coverage["months"]
        header = ["Xã, phường", "Trực thuộc", *(month_label(m) for m in months), "Tổng số ca"]
        rows = [[r["name"], r["parent"], *(r["months"][m] for m in months), r["total"]] for r in coverage["rows"]]
    return header, rows


def filename(scope: dashboards.Scope, table: str, chosen: ChosenPeriod, fmt: str) -> str:
    period = f"{chosen.period.start:%Y%m%d}-{chosen.last_day:%Y%m%d}"
    return f"bang-dieu-khien-{scope.kind}-{scope.url_pk}-{table}-{period}.{fmt}"


def xlsx_bytes(title_lines: list[str], header: list, rows: list, sheet_title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    for line in title_lines:
        sheet.append([cell_value(line)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([cell_value(name) for name in header])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append([cell_value(value) for value in row])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(r[index - 1])) for r in rows if r[index - 1] is not None])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(header: list, rows: list) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell_value(name) for name in header])
    for row in rows:
        writer.writerow(["" if value is None else cell_value(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def export_response(request, scope: dashboards.Scope, chosen: ChosenPeriod, today: datetime.date):
    fmt = request.GET.get("format") or "xlsx"
    table = request.GET.get("table") or "category"
    if fmt not in FORMATS:
        return HttpResponseBadRequest("Định dạng không hỗ trợ; chọn xlsx hoặc csv.", content_type=TEXT)
    if table not in TABLES:
        return HttpResponseBadRequest(
            "Bảng không có; chọn một trong: " + ", ".join(TABLES) + ".", content_type=TEXT
        )
    figures = dashboards.dashboard_figures(scope, chosen, today)
    coverage = figures.coverage
    if table == "patrols" and coverage["more"]:
        coverage = statistics.patrol_coverage(scope.records, chosen.period, limit=None)
    header, rows = table_rows(table, figures.data, coverage, chosen)
    name = filename(scope, table, chosen, fmt)
    if fmt == "csv":
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    else:
        computed = timezone.localtime(figures.computed_at)
        title_lines = [
            f"{TABLES[table]} – {scope.title}",
            f"Kỳ: {chosen.label}; so với {chosen.comparison_label}",
            f"Số liệu tính đến {computed:%H:%M} {vn_date(computed)}",
        ]
        response = HttpResponse(xlsx_bytes(title_lines, header, rows, TABLES[table]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
