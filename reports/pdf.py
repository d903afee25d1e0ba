"""The printed review report: figures + narrative → HTML → PDF (WeasyPrint).

One path for every caller (the Celery task through ``services.report_version_render``, the
``review_report`` command, the benchmark): :func:`render_html` builds the HTML from the figures
as stored (``reports.statistics.compute_figures``) and the report's text as snapshotted
(``ReviewReport.snapshot()``); :func:`html_to_pdf` lays it out.

What must hold (docs/ARCHITECTURE.md, "The printed review report"; Nghị định 30/2020/NĐ-CP Phụ lục I):

* A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Liberation Serif from Debian's
  ``fonts-liberation2``, each weight one whole TTF loaded by ``@font-face`` from a ``file://`` URL
  (never a web font split by unicode-range: those garble Vietnamese); the font is embedded;
* page numbers centred in the top margin from page 2 on;
* every string NFC (WeasyPrint shapes decomposed diacritics badly; search in the PDF needs NFC);
* numbers as Vietnamese write them (1.290; 88,6%; 06), through ``borderzone.formatting``;
* long breakdowns are cut to the largest rows plus one "khác" row, so no table runs for pages;
* WeasyPrint fetches nothing but the font files: the URL fetcher refuses every other URL.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from agreements.models import Force
from borderzone.formatting import change_text, clearance_text, nfc, two_digits, vn_date, vn_number, vn_percent

from .models import ReportKind

logger = logging.getLogger(__name__)
# WeasyPrint reports each layout step at INFO; the worker's log needs none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_FAMILY = "LiberationSerif Report"  # our own family name: fontconfig cannot swap in another file
FONT_FILES = (
    ("normal", "normal", "LiberationSerif-Regular.ttf"),
    ("bold", "normal", "LiberationSerif-Bold.ttf"),
    ("normal", "italic", "LiberationSerif-Italic.ttf"),
    ("bold", "italic", "LiberationSerif-BoldItalic.ttf"),
)
STYLESHEET = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf" / "print.css"
# Tables of the printed report list at most this many rows, then one row for the rest.
TOP_ROWS = 12
# Awards are listed by name up to this many; more are counted only.
MAX_AWARD_ROWS = 40


class ReportRenderError(Exception):
    """The PDF cannot be made on this machine (a missing font file); the message says what to install."""


@dataclass(frozen=True)
class Rendered:
    html: str
    pages: int
    seconds: float


# Fonts and fetching --------------------------------------------------------------------------------


def font_dir() -> Path:
    return Path(settings.REPORT_FONT_DIR)


def font_paths() -> list[Path]:
    """The four Liberation Serif files; ReportRenderError naming the Debian package if one is missing."""
    paths = [font_dir() / name for _weight, _style, name in FONT_FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ReportRenderError(
            "Thiếu phông chữ Liberation Serif (" + ", ".join(missing) + "): cài gói fonts-liberation2 "
            "(scripts/install_system_deps.sh) hoặc đặt REPORT_FONT_DIR."
        )
    return paths


def font_face_css() -> str:
    rules = []
    for (weight, style, _name), path in zip(FONT_FILES, font_paths(), strict=True):
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{path.resolve().as_uri()}") format("truetype"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def _fetcher():
    from weasyprint.urls import URLFetcher

    allowed = {p.resolve() for p in font_paths()}

    class FontsOnlyFetcher(URLFetcher):
        """Serves the font files and nothing else: no network, no other local file, whatever the HTML says."""

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
                if path in allowed:
                    return super().fetch(url, headers)
            raise ValueError(f"Báo cáo PDF không tải tài nguyên ngoài: {url[:120]}")

    return FontsOnlyFetcher(allowed_protocols={"file"})


# Wording -------------------------------------------------------------------------------------------

FORCE_NAMES = {value: str(label) for value, label in Force.choices}
FORCE_ORDER = {value: i for i, value in enumerate(Force.values)}  # police, military, border guard, …


def _force(code: str) -> str:
    return FORCE_NAMES.get(code, code or "")


def _n(value) -> str:
    """A count in running text: official style writes numbers below ten with a leading zero."""
    return two_digits(value or 0)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _upper(text: str) -> str:
    return nfc(text).upper()


def comparison_phrase(figures: dict) -> str:
    """"so với cùng kỳ năm 2022" (or "so với kỳ so sánh (từ ngày …)") — "" without a comparison."""
    comparison = figures.get("comparison")
    if not comparison:
        return ""
    label = comparison.get("label") or ""
    if label.startswith(("năm", "6 tháng", "quý", "tháng", "giai đoạn")):
        return f"so với cùng kỳ {label}"
    return f"so với kỳ so sánh ({label})"


def _change(figures: dict, key: str, unit: str) -> str:
    """", so với cùng kỳ năm 2022: giảm 13 vụ (-27,1%)" for a headline figure, or ""."""
    phrase = comparison_phrase(figures)
    item = figures.get("headline", {}).get(key) or {}
    if not phrase or item.get("diff") is None:
        return ""
    return f", {phrase}: {change_text(item['diff'], item.get('pct'), unit)}"


def _date_line(place: str, issued_on: datetime.date | None, year: int) -> str:
    """"Điện Bàn, ngày 28 tháng 12 năm 2023"; days below 10 and months 1–2 take a leading zero (NĐ 30/2020)."""
    place = place.strip()
    if issued_on is None:
        text = f"ngày      tháng      năm {year}"
    else:
        month = f"{issued_on.month:02d}" if issued_on.month < 3 else str(issued_on.month)
        text = f"ngày {issued_on.day:02d} tháng {month} năm {issued_on.year}"
    return f"{place}, {text}" if place else text.capitalize()


def _paragraphs(text: str) -> list[str]:
    return [nfc(line.strip()) for line in (text or "").splitlines() if line.strip()]


def default_subject(figures: dict, kind: str) -> str:
    scope = figures.get("scope", {})
    kind_label = ReportKind(kind).label if kind in ReportKind.values else ReportKind.INTERIM.label
    title = _lower_first(scope.get("agreement_title") or "quy chế phối hợp")
    subject = f"{kind_label} {figures.get('period', {}).get('label', '')} công tác thực hiện {title}"
    if scope.get("cluster_name"):
        subject += f" tại {scope['cluster_name']}"
    return nfc(" ".join(subject.split()))


def _top_rows(rows: list[dict], key=lambda r: (-(r.get("count") or 0), -(r.get("previous") or 0))) -> tuple[
    list[dict], list[dict]
]:
    ordered = sorted(rows, key=key)
    if len(ordered) <= TOP_ROWS + 1:
        return ordered, []
    return ordered[:TOP_ROWS], ordered[TOP_ROWS:]


def _breakdown_table(rows: list[dict], *, name_header: str, name, other_label: str, has_previous: bool) -> dict:
    """Rows by count (largest first), cut after TOP_ROWS with one "other" row, and a total row."""
    shown, rest = _top_rows([r for r in rows if (r.get("count") or 0) or (r.get("previous") or 0)])

    def cells(label: str, count: int, previous: int | None, solved: int) -> list[str]:
        out = [label, vn_number(count)]
        if has_previous:
            out += [vn_number(previous or 0), _signed(count - (previous or 0))]
        out.append(vn_number(solved))
        return out

    body = [[str(i), *cells(name(r), r["count"], r.get("previous"), r.get("solved") or 0)]
            for i, r in enumerate(shown, start=1)]
    if rest:
        body.append(["", *cells(f"{other_label} ({vn_number(len(rest))})", sum(r["count"] for r in rest),
                                sum(r.get("previous") or 0 for r in rest), sum(r.get("solved") or 0 for r in rest))])
    every = shown + rest
    total = ["", *cells("Tổng cộng", sum(r["count"] for r in every), sum(r.get("previous") or 0 for r in every),
                       sum(r.get("solved") or 0 for r in every))]
    head = ["STT", name_header, "Số vụ"]
    if has_previous:
        head += ["Cùng kỳ", "Tăng, giảm"]
    head.append("Làm rõ")
    return {"kind": "table", "head": head, "rows": body, "total": total if every else None,
            "numeric_from": 2, "empty": not every}


def _signed(value: int) -> str:
    return f"+{vn_number(value)}" if value > 0 else vn_number(value) if value < 0 else "0"


def _p(text: str) -> dict:
    return {"kind": "p", "text": nfc(" ".join(text.split()))}


def _item(text: str) -> dict:
    return {"kind": "item", "text": nfc(" ".join(text.split()))}


def _tip_directions(tips: dict) -> list[str]:
    """Tips by direction, as the seed reports word them ("Quân sự, Biên phòng … cung cấp cho Công an 37 nguồn tin").

    Between forces: grouped by receiving force, and receivers fed by the same set of forces are
    merged ("Công an … cung cấp cho Quân sự, Biên phòng 29 tin"). Within one force (e.g. the
    district police of two provinces): by unit.
    """
    lines: list[str] = []
    cross = [r for r in tips.get("by_force_direction", []) if r["from_force"] != r["to_force"] and r["count"]]
    senders: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in cross:
        senders[row["to_force"]].append((row["from_force"], row["count"]))
    groups: dict[tuple[str, ...], list[tuple[str, list[tuple[str, int]]]]] = defaultdict(list)
    for receiver, rows in senders.items():
        groups[tuple(sorted((f for f, _ in rows), key=lambda f: FORCE_ORDER.get(f, 99)))].append((receiver, rows))
    ordered = sorted(groups.items(), key=lambda g: -sum(n for _r, rows in g[1] for _f, n in rows))
    for _from_forces, receivers in ordered:
        receivers.sort(key=lambda r: FORCE_ORDER.get(r[0], 99))
    for from_forces, receivers in ordered:
        total = sum(n for _r, rows in receivers for _f, n in rows)
        froms = ", ".join(_force(f) for f in from_forces)
        tos = ", ".join(_force(r) for r, _rows in receivers)
        text = f"Lực lượng {froms} đã cung cấp cho lực lượng {tos} {_n(total)} nguồn tin"
        if len(from_forces) > 1 and len(receivers) == 1:
            parts = sorted(receivers[0][1], key=lambda x: FORCE_ORDER.get(x[0], 99))
            text += " (" + ", ".join(f"{_force(f)} {_n(n)} tin" for f, n in parts) + ")"
        elif len(receivers) > 1:
            per = [(r, sum(n for _f, n in rows)) for r, rows in receivers]
            text += " (" + ", ".join(f"cho {_force(r)} {_n(n)} tin" for r, n in per) + ")"
        lines.append(text + ";")
    same = [r for r in tips.get("by_direction", []) if r["from_force"] == r["to_force"] and r["count"]]
    for row in same[:TOP_ROWS]:
        lines.append(f"{row['from_unit']} đã cung cấp cho {row['to_unit']} {_n(row['count'])} nguồn tin;")
    if len(same) > TOP_ROWS:
        rest = sum(r["count"] for r in same[TOP_ROWS:])
        lines.append(f"Giữa các đơn vị khác: {_n(rest)} nguồn tin;")
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    return lines


def _count(value, unit: str) -> str:
    """"06 vụ", "1.290 lượt"."""
    return f"{_n(value)} {unit}"


def _with_suspects(cases: int, suspects: int | None) -> str:
    """"07 vụ, 12 đối tượng" (the suspects only when there are some)."""
    return _count(cases, "vụ") + (f", {_count(suspects, 'đối tượng')}" if suspects else "")


def _section_tips(figures: dict) -> list[dict]:
    tips = figures.get("tips", {})
    incidents = figures.get("incidents", {})
    if not tips.get("total"):
        return [_p("Trong kỳ, các lực lượng chưa ghi nhận nguồn tin trao đổi, cung cấp cho nhau"
                   f"{_change(figures, 'tips_exchanged', 'tin')}.")]
    blocks = [_p(
        f"Các lực lượng đã chủ động nắm tình hình, trao đổi, cung cấp cho nhau {_count(tips['total'], 'nguồn tin')}"
        f"{_change(figures, 'tips_exchanged', 'tin')}"
        + (f"; phối hợp kiểm tra, xác minh {_count(tips['jointly_verified'], 'tin')}" if tips.get("jointly_verified")
           else "")
        + ". Cụ thể:"
    )]
    blocks += [_item(line) for line in _tip_directions(tips)]
    outcomes = [
        (tips.get("verified_true"), "tin đúng"), (tips.get("verified_false"), "tin không đúng"),
        (tips.get("handed_over"), "tin chuyển cơ quan có thẩm quyền"),
    ]
    parts = [f"{_n(n)} {what}" for n, what in outcomes if n]
    result = ("Kết quả xác minh: " + ", ".join(parts)) if parts else "Chưa có nguồn tin nào xác minh xong"
    if tips.get("open"):
        result += f"; đang xác minh {_count(tips['open'], 'tin')}"
        if tips.get("overdue"):
            result += f", trong đó {_count(tips['overdue'], 'tin')} quá hạn xác minh"
    result += "."
    if incidents.get("from_tips"):
        result += f" Qua nguồn tin, các lực lượng đã phát hiện, xử lý {_count(incidents['from_tips'], 'vụ việc')}."
    blocks.append(_p(result))
    return blocks


def _section_crime(figures: dict, chart_svg: str) -> list[dict]:
    inc = figures.get("incidents", {})
    has_previous = bool(figures.get("comparison"))
    if inc.get("occurred"):
        kinds = [(inc.get("criminal"), "vụ phạm pháp hình sự"), (inc.get("administrative"), "vụ vi phạm hành chính")]
        text = (
            f"Trên địa bàn giáp ranh xảy ra {_count(inc['occurred'], 'vụ việc')} về an ninh, trật tự ("
            + ", ".join(f"{_n(n)} {what}" for n, what in kinds if n) + ")"
            + f"{_change(figures, 'incidents_occurred', 'vụ')}. Các lực lượng đã điều tra, làm rõ "
            f"{clearance_text(inc.get('solved_of_occurred') or 0, inc['occurred'])}"
            + (f", trong đó phạm pháp hình sự làm rõ "
               f"{clearance_text(inc.get('criminal_solved_of_occurred') or 0, inc['criminal'])}"
               if inc.get("criminal") and inc.get("administrative") else "")
            + "."
        )
    else:
        text = (f"Trên địa bàn giáp ranh không xảy ra vụ việc về an ninh, trật tự"
                f"{_change(figures, 'incidents_occurred', 'vụ')}.")
    blocks = [_p(text)]
    if inc.get("solved_in_period") or inc.get("suspects_dealt_with"):
        solved_text = (f"Tổng số vụ làm rõ trong kỳ: "
                       f"{_with_suspects(inc.get('solved_in_period') or 0, inc.get('solved_in_period_suspects'))}")
        if inc.get("older_solved"):
            solved_text += (f", trong đó {_with_suspects(inc['older_solved'], inc.get('older_solved_suspects'))} "
                            "xảy ra từ trước")
        if inc.get("suspects_dealt_with"):
            solved_text += (f"; bắt, xử lý {_count(inc['suspects_dealt_with'], 'đối tượng')}"
                            f"{_change(figures, 'suspects_dealt_with', 'đối tượng')}")
        solved_text += "."
        blocks.append(_p(solved_text))
    joint = []
    if inc.get("jointly_handled"):
        joint.append(
            f"Trực tiếp phối hợp giải quyết {_count(inc['jointly_handled'], 'vụ')}, làm rõ "
            f"{_count(inc.get('jointly_handled_solved'), 'vụ')}"
            + (f", bắt, xử lý {_count(inc['jointly_suspects_dealt_with'], 'đối tượng')}"
               if inc.get("jointly_suspects_dealt_with") else "") + "."
        )
    sources = [(inc.get("from_tips"), "qua nguồn tin"), (inc.get("from_patrols"), "qua tuần tra chung")]
    if any(n for n, _ in sources):
        joint.append("Phát hiện " + ", ".join(f"{what} {_count(n, 'vụ')}" for n, what in sources if n) + ".")
    if joint:
        blocks.append(_p(" ".join(joint)))
    if inc.get("by_commune"):
        # The district is named only when the communes lie in more than one (both sides of a boundary).
        several = len({r.get("parent") for r in inc["by_commune"]}) > 1
        table = _breakdown_table(
            inc["by_commune"], name_header="Xã, phường, thị trấn", other_label="Các xã, phường khác",
            name=lambda r: r["name"] + (f" ({r['parent']})" if several and r.get("parent") else ""),
            has_previous=has_previous,
        )
        table["caption"] = "Bảng 1. Vụ việc theo xã, phường"
        blocks.append(table)
    if inc.get("by_category"):
        table = _breakdown_table(
            inc["by_category"], name_header="Loại vụ việc", other_label="Các loại khác", name=lambda r: r["name"],
            has_previous=has_previous,
        )
        table["caption"] = "Bảng 2. Vụ việc theo loại"
        blocks.append(table)
    if chart_svg:
        blocks.append({"kind": "chart", "svg": chart_svg, "caption": "Biểu đồ. Số vụ việc theo tháng"})
    return blocks


def _section_patrols(figures: dict) -> list[dict]:
    patrols = figures.get("patrols", {})
    if not patrols.get("shifts"):
        return [_p(f"Trong kỳ, các lực lượng chưa tổ chức tuần tra chung{_change(figures, 'patrol_shifts', 'ca')}.")]
    blocks = [_p(
        f"Các lực lượng tổ chức {_count(patrols['shifts'], 'ca')} tuần tra chung với "
        f"{_count(patrols.get('person_participations'), 'lượt')} cán bộ, chiến sĩ tham gia"
        f"{_change(figures, 'patrol_shifts', 'ca')}"
        + (f"; đơn vị bạn đã xác nhận {_count(patrols['confirmed'], 'ca')}" if patrols.get("confirmed") else "")
        + "."
    )]
    programmes = [r for r in patrols.get("by_programme", []) if r.get("shifts")]
    for row in programmes[:TOP_ROWS]:
        name = row.get("programme") or ""
        lead = f"Tuần tra theo mô hình “{name}”" if name else "Tuần tra chung khác"
        blocks.append(_item(
            f"{lead}: {_n(row['shifts'])} lượt với {_n(row['participations'])} cán bộ, chiến sĩ tham gia;"
        ))
    if len(programmes) > TOP_ROWS:
        rest = programmes[TOP_ROWS:]
        blocks.append(_item(f"Các mô hình khác: {_n(sum(r['shifts'] for r in rest))} lượt với "
                            f"{_n(sum(r['participations'] for r in rest))} cán bộ, chiến sĩ tham gia;"))
    if blocks[-1]["kind"] == "item":
        blocks[-1]["text"] = blocks[-1]["text"][:-1] + "."
    return blocks


def _section_movement(figures: dict) -> list[dict]:
    models = figures.get("self_management_models", {})
    if not models.get("count"):
        return [_p("Tiếp tục đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc ở địa bàn giáp ranh.")]
    text = (
        f"Đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc; duy trì, củng cố hoạt động "
        f"{_n(models.get('active'))} mô hình tự phòng, tự quản"
    )
    if models.get("count") != models.get("active"):
        text += f" (trong tổng số {_n(models.get('count'))} mô hình)"
    kinds = [k for k in models.get("by_kind", []) if k.get("count")]
    if kinds:
        text += ", gồm: " + "; ".join(f"{_lower_first(k['label'])}: {_n(k['count'])}" for k in kinds)
    return [_p(text + ".")]


def _span(starts_on: str | None, ends_on: str | None) -> str:
    start = vn_date(datetime.date.fromisoformat(starts_on)) if starts_on else ""
    end = vn_date(datetime.date.fromisoformat(ends_on)) if ends_on else ""
    return f"từ {start} đến {end}" if end else f"từ {start}"


def _section_campaigns(figures: dict) -> list[dict]:
    campaigns = figures.get("campaigns", {})
    checkpoints = figures.get("checkpoints", {})
    blocks = []
    if campaigns.get("count"):
        blocks.append(_p(f"Phối hợp tổ chức {_n(campaigns['count'])} đợt cao điểm tấn công, trấn áp tội phạm:"))
        items = campaigns.get("items", [])
        blocks += [_item(f"{c['name']} ({_span(c.get('starts_on'), c.get('ends_on'))});") for c in items[:TOP_ROWS]]
        if len(items) > TOP_ROWS:
            blocks.append(_item(f"và {_n(len(items) - TOP_ROWS)} đợt khác;"))
    if checkpoints.get("count"):
        blocks.append(_p(f"Duy trì {_n(checkpoints['count'])} chốt kiểm soát chung:"))
        items = checkpoints.get("items", [])
        for c in items[:TOP_ROWS]:
            where = c["place"] + (f", {c['commune']}" if c.get("commune") else "")
            blocks.append(_item(f"{where} – {_lower_first(c.get('purpose') or '')} "
                                f"({_span(c.get('starts_on'), c.get('ends_on'))});"))
        if len(items) > TOP_ROWS:
            blocks.append(_item(f"và {_n(len(items) - TOP_ROWS)} chốt khác;"))
    if not blocks:
        return [_p("Trong kỳ, các lực lượng không tổ chức đợt cao điểm, chốt kiểm soát chung.")]
    if blocks[-1]["kind"] == "item":
        blocks[-1]["text"] = blocks[-1]["text"][:-1] + "."
    return blocks


def _section_awards(figures: dict) -> list[dict]:
    awards = figures.get("awards", {})
    items = awards.get("items", [])
    if not items:
        return [_p("Trong kỳ chưa tổ chức khen thưởng về thực hiện quy chế phối hợp.")]
    authorities = list(dict.fromkeys(a["authority"] for a in items if a.get("authority")))
    who = ", ".join(authorities) or "cấp có thẩm quyền"
    blocks = [_p(
        f"{who} đã khen thưởng {_n(awards.get('collectives'))} tập thể, {_n(awards.get('individuals'))} cá nhân có "
        "thành tích xuất sắc trong thực hiện quy chế phối hợp."
    )]
    forms = {"giay_khen": "Giấy khen", "bang_khen": "Bằng khen"}
    rows = [[str(i), a["recipient"], forms.get(a.get("form"), a.get("form") or ""), a.get("authority", "")]
            for i, a in enumerate(items[:MAX_AWARD_ROWS], start=1)]
    if len(items) > MAX_AWARD_ROWS:
        rows.append(["", f"Và {vn_number(len(items) - MAX_AWARD_ROWS)} tập thể, cá nhân khác", "", ""])
    blocks.append({"kind": "table", "caption": "Bảng 3. Tập thể, cá nhân được khen thưởng",
                   "head": ["STT", "Tập thể, cá nhân", "Hình thức", "Cấp khen thưởng"], "rows": rows,
                   "total": None, "numeric_from": 99, "empty": False, "class": "awards"})
    return blocks


def trend_chart(figures: dict, *, font_family: str | None = None) -> str:
    """The monthly trend of incidents (this period against the comparison) as inline SVG, or "".

    In the PDF the chart's text uses the report's own embedded font (``font_family`` = FONT_FAMILY);
    on a web page the charts module's default serif stack.
    """
    months = figures.get("incidents", {}).get("by_month", [])
    if len(months) < 2:
        return ""
    from . import charts

    labels = [f"T{int(m['month'][5:7])}/{m['month'][2:4]}" if len(months) > 12 else f"T{int(m['month'][5:7])}"
              for m in months]
    series = [(_upper_first(figures["period"]["label"]), [m.get("count") or 0 for m in months])]
    if figures.get("comparison"):
        series.append(("Cùng kỳ " + figures["comparison"]["label"], [m.get("previous") or 0 for m in months]))
    options = {"font_family": f'"{font_family}"'} if font_family else {}
    return nfc(charts.line_chart(title="Số vụ việc theo tháng", labels=labels, series=series, show_title=False,
                                 **options))


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def result_sections(figures: dict, *, chart: bool = True, font_family: str | None = None) -> list[dict]:
    """Part II of the report (Kết quả thực hiện quy chế), block by block, from the figures alone."""
    svg = trend_chart(figures, font_family=font_family) if chart else ""
    return [
        {"title": "Công tác trao đổi, cung cấp thông tin", "blocks": _section_tips(figures)},
        {"title": "Công tác phối hợp đấu tranh phòng, chống tội phạm", "blocks": _section_crime(figures, svg)},
        {"title": "Công tác tuần tra chung", "blocks": _section_patrols(figures)},
        {"title": "Phong trào toàn dân bảo vệ an ninh Tổ quốc, mô hình tự phòng, tự quản",
         "blocks": _section_movement(figures)},
        {"title": "Đợt cao điểm, chốt kiểm soát", "blocks": _section_campaigns(figures)},
        {"title": "Công tác khen thưởng", "blocks": _section_awards(figures)},
    ]


# The document ----------------------------------------------------------------------------------------


def document_context(figures: dict, content: dict) -> dict:
    """Everything the print template shows, as ready-made NFC strings."""
    issued_on = content.get("issued_on")
    if isinstance(issued_on, str) and issued_on:
        issued_on = datetime.date.fromisoformat(issued_on)
    period_end = datetime.date.fromisoformat(figures["period"]["end"])
    year = (issued_on or period_end - datetime.timedelta(days=1)).year
    kind = content.get("kind") or ReportKind.INTERIM
    number = (content.get("document_number") or "").strip()
    evaluation = [
        {"title": "Ưu điểm", "paragraphs": _paragraphs(content.get("strengths", ""))},
        {"title": "Tồn tại, hạn chế, nguyên nhân", "paragraphs": _paragraphs(content.get("limitations", ""))},
        {"title": "Bài học kinh nghiệm", "paragraphs": _paragraphs(content.get("lessons", ""))},
    ]
    recipients = []
    for line in _paragraphs(content.get("recipients", "")):
        recipients.append(line if line.startswith(("-", "–")) else f"- {line}")
    return {
        "font_family": FONT_FAMILY,
        "parent_body": _upper(content.get("parent_body", "")),
        "issuing_unit": _upper(content.get("issuing_unit", "")),
        "number_line": nfc(f"Số: {number}" if number else "Số:        /BC"),
        "date_line": nfc(_date_line(content.get("place", ""), issued_on, year)),
        "subject": nfc(content.get("subject") or default_subject(figures, kind)),
        "situation": _paragraphs(content.get("situation", "")),
        "results": result_sections(figures, font_family=FONT_FAMILY),
        "evaluation": [e for e in evaluation if e["paragraphs"] or e["title"] != "Ưu điểm"],
        "directions": _paragraphs(content.get("directions", "")),
        "recommendations": _paragraphs(content.get("recommendations", "")),
        "recipients": recipients,
        "signatory_authority": _upper(content.get("signatory_authority", "")),
        "signatory_position": _upper(content.get("signatory_position", "")),
        "signatory_name": nfc(content.get("signatory_name", "")),
        "period_label": figures["period"]["label"],
        "headline_rate": vn_percent(figures.get("incidents", {}).get("clearance_rate")),
    }


def render_html(figures: dict, content: dict) -> str:
    """The report as one HTML string (NFC) with its stylesheet inline; WeasyPrint needs nothing else."""
    context = document_context(figures, content)
    context["stylesheet"] = font_face_css() + "\n" + STYLESHEET.read_text(encoding="utf-8")
    return nfc(render_to_string("reports/pdf/report.html", context))


def html_to_pdf(html: str, target: Path | str) -> int:
    """Lay ``html`` out and write the PDF to ``target``; the number of pages."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _fetcher()
    document = HTML(string=html, base_url=font_dir().resolve().as_uri() + "/", url_fetcher=fetcher).render(
        font_config=FontConfiguration()
    )
    document.write_pdf(target)
    return len(document.pages)


def render_pdf(figures: dict, content: dict, target: Path | str) -> Rendered:
    started = time.perf_counter()
    html = render_html(figures, content)
    pages = html_to_pdf(html, target)
    return Rendered(html=html, pages=pages, seconds=time.perf_counter() - started)
