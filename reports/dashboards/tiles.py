"""What the dashboard shows from the figures: the tiles, the tables under them, the patrol coverage
table and the charts, each figure with the link to the list of the records behind it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from borderzone.formatting import change_text, clearance_text, vn_number
from borderzone.periods import ONE_DAY, ChosenPeriod, month_label
from reports import charts

from .links import Links


@dataclass
class Tile:
    key: str
    label: str
    value: str
    previous: str
    change: str
    diff: float | int | None
    lower_is_better: bool = False
    url: str | None = None
    link_text: str = ""
    note: str = ""

    @property
    def trend(self) -> str:
        if not self.diff:
            return "flat"
        return "up" if self.diff > 0 else "down"

    @property
    def tone(self) -> str:
        """"good", "bad" or "neutral": for incidents and overdue tips a fall is good."""
        if not self.diff:
            return "neutral"
        better = self.diff < 0 if self.lower_is_better else self.diff > 0
        return "good" if better else "bad"


def _rate_change(diff: float | None) -> str:
    if diff is None:
        return ""
    if round(diff, 1) == 0:
        return "không thay đổi"
    word = "tăng" if diff > 0 else "giảm"
    return f"{word} {vn_number(abs(diff), 1)} điểm phần trăm"


def build_tiles(figures: dict, links: Links, chosen: ChosenPeriod, today: datetime.date) -> list[Tile]:
    head, incidents = figures["headline"], figures["incidents"]
    prev_solved = head["solved_of_occurred"]["previous"]
    prev_occurred = head["incidents_occurred"]["previous"]

    def simple(key: str, label: str, unit: str, *, lower_is_better=False, url=None, link_text="", note=""):
        item = head[key]
        return Tile(
            key=key, label=label, value=vn_number(item["value"] or 0), previous=vn_number(item["previous"]),
            change=change_text(item["diff"], item["pct"], unit), diff=item["diff"],
            lower_is_better=lower_is_better, url=url, link_text=link_text, note=note,
        )

    last_day = (chosen.period.end - ONE_DAY).isoformat()
    overdue_url = links.url("tips", qua_han="1") if chosen.period.end > today else None
    rate = head["clearance_rate"]
    return [
        simple("incidents_occurred", "Vụ việc xảy ra", "vụ", lower_is_better=True, url=links.url("incidents")),
        Tile(
            key="clearance_rate", label="Làm rõ (vụ xảy ra trong kỳ)",
            value=clearance_text(incidents["solved_of_occurred"], incidents["occurred"]),
            previous=clearance_text(prev_solved, prev_occurred) if prev_occurred is not None else "",
            change=_rate_change(rate["diff"]), diff=rate["diff"],
            url=links.url("incidents", lam_ro_den=last_day),
            note=(f"Ngoài ra làm rõ {vn_number(incidents['older_solved'])} vụ xảy ra từ trước"
                  if incidents.get("older_solved") else ""),
        ),
        simple("suspects_dealt_with", "Đối tượng bị bắt, xử lý", "đối tượng", url=links.url("incidents"),
               link_text="Các vụ xảy ra trong kỳ"),
        simple("tips_exchanged", "Nguồn tin trao đổi", "tin", url=links.url("tips")),
        simple("tips_jointly_verified", "Nguồn tin phối hợp xác minh", "tin", url=links.url("tips", phoi_hop="1")),
        simple("tips_overdue", "Nguồn tin quá hạn xác minh", "tin", lower_is_better=True, url=overdue_url,
               note="" if chosen.period.end > today else "Tính tại ngày cuối của kỳ"),
        simple("patrol_shifts", "Ca tuần tra chung", "ca", url=links.url("patrols")),
        simple("person_participations", "Lượt người tham gia tuần tra", "lượt", url=links.url("patrols"),
               link_text="Danh sách ca tuần tra"),
    ]


def _change(value: int, previous: int | None, unit: str) -> dict:
    if previous is None:
        return {"text": "", "diff": None}
    diff = value - previous
    pct = diff * 100 / previous if previous else None
    return {"text": change_text(diff, pct, unit), "diff": diff}


def breakdowns(figures: dict, links: Links, chosen: ChosenPeriod) -> dict:
    """The tables under the tiles (each row a figure of ``compute_figures`` with the link to its list)."""
    incidents, patrols, tips = figures["incidents"], figures["patrols"], figures["tips"]
    categories = [
        {**row, "change": _change(row["count"], row["previous"], "vụ"),
         "url": links.url("incidents", loai=row["category_id"])}
        for row in incidents["by_category"] if row["count"] or row["previous"]
    ]
    communes = [
        {**row, "change": _change(row["count"], row["previous"], "vụ"),
         "url": links.url("incidents", xa=row["commune_id"])}
        for row in sorted(incidents["by_commune"], key=lambda r: (-r["count"], r["name"], r["commune_id"]))
        if row["count"] or row["previous"]
    ]
    patrol_months = {row["month"]: row for row in patrols["by_month"]}
    months = []
    for row in incidents["by_month"]:
        within = chosen.period.month_part(row["month"])
        patrol_row = patrol_months.get(row["month"], {})
        months.append({
            "month": row["month"], "label": month_label(row["month"]), "count": row["count"],
            "previous": row["previous"], "url": links.url("incidents", period=within),
            "shifts": patrol_row.get("shifts", 0), "participations": patrol_row.get("participations", 0),
            "previous_shifts": patrol_row.get("previous_shifts"),
            "patrols_url": links.url("patrols", period=within),
        })
    statuses = {row["status"]: row for row in tips["by_status"]}
    pipeline = [
        {"status": status, "label": statuses[status]["label"], "count": statuses[status]["count"],
         "url": links.url("tips", trang_thai=status)}
        for status in ("received", "verifying", "verified_true", "verified_false", "handed_over")
        if status in statuses
    ]
    return {"categories": categories, "communes": communes, "months": months, "pipeline": pipeline,
            "directions": tips["by_direction"]}


def coverage_table(coverage: dict, links: Links, chosen: ChosenPeriod) -> dict:
    """The heat table: one row per commune, one cell per month, shaded by the number of shifts."""
    peak = coverage["peak"] or 1
    rows = []
    for entry in coverage["rows"]:
        cells = []
        for month in coverage["months"]:
            shifts = entry["months"][month]
            cells.append({
                "month": month, "shifts": shifts, "level": 0 if not shifts else min(4, 1 + (4 * shifts - 1) // peak),
                "url": links.url("patrols", period=chosen.period.month_part(month), xa=entry["commune_id"])
                if shifts else None,
            })
        rows.append({**entry, "cells": cells,
                     "url": links.url("patrols", xa=entry["commune_id"])})
    return {"months": [{"month": m, "label": month_label(m)} for m in coverage["months"]], "rows": rows,
            "more": coverage["more"]}


# The page's own font stack (the charts' default is the PDF's serif).
CHART_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', Arial, sans-serif"


def charts_for(figures: dict, chosen: ChosenPeriod, parts: dict) -> dict:
    """Server-side SVG (``reports.charts``): the monthly trend and the two breakdowns, this period vs a year earlier.

    Each chart's table is on the page right below it (the SVG names its data in ``<desc>`` too).
    """
    current = "Kỳ này"
    previous = "Cùng kỳ năm trước"
    months = parts["months"]
    trend = charts.line_chart(
        title="Vụ việc theo tháng",
        labels=[m["label"] for m in months],
        series=[(current, [m["count"] for m in months]), (previous, [m["previous"] for m in months])],
        font_family=CHART_FONT, chart_id="bieu-do-thang", width=760, height=280,
    )

    def bars(title: str, rows: list[dict], chart_id: str):
        rows = rows[:12]
        return charts.bar_chart(
            title=title, labels=[row["name"] for row in rows],
            series=[(current, [row["count"] for row in rows]), (previous, [row["previous"] for row in rows])],
            horizontal=True, font_family=CHART_FONT, chart_id=chart_id, width=560,
            height=70 + 30 * max(1, len(rows)),
        )

    return {
        "trend": trend,
        "categories": bars("Vụ việc theo loại (12 loại nhiều nhất)", sorted(
            parts["categories"], key=lambda r: (-r["count"], r["name"])), "bieu-do-loai"),
        "communes": bars("Vụ việc theo xã, phường (12 xã nhiều nhất)", parts["communes"], "bieu-do-xa"),
    }


