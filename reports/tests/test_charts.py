"""The SVG charts: well-formed, accessible, Vietnamese, zero-safe, one mark per value."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

import pytest

from borderzone.formatting import vn_number
from reports.charts import PDF_FONT, bar_chart, line_chart, nice_scale, table_fallback

SVG = "{http://www.w3.org/2000/svg}"
CATEGORIES = ["Trộm cắp tài sản", "Đánh bạc", "Sử dụng trái phép chất ma túy",
              "Vận chuyển khoáng sản không rõ nguồn gốc"]
MONTHS = [f"T{m}" for m in range(1, 13)]


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    """Every piece of visible or accessible text, tspans joined per line."""
    return ["".join(el.itertext()) for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}tspan", f"{SVG}title",
                                                                      f"{SVG}desc")]


def by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG}{tag}") if el.get("class") == cls]


def assert_accessible(root: ET.Element, title: str) -> None:
    assert root.get("role") == "img"
    title_el, desc_el = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title_el.text == title and desc_el.text
    assert root.get("aria-labelledby") == f"{title_el.get('id')} {desc_el.get('id')}"


def test_bar_chart_is_valid_accessible_vietnamese():
    title = "Số vụ việc theo loại năm 2023"
    markup = bar_chart(title=title, labels=CATEGORIES,
                       series=[("Năm 2023", [12, 1290, 3, 0]), ("Năm 2022", [10, 800, 5, 1])],
                       value_axis_label="Số vụ", category_axis_label="Loại vụ việc")
    root = parse(markup)
    assert_accessible(root, title)
    assert len(by_class(root, "rect", "bar")) == 4 * 2
    values = [t.text for t in by_class(root, "text", "value")]
    assert values == ["12", "10", "1.290", "800", "3", "5", "0", "1"]
    all_text = " ".join(texts(root))
    assert "Đánh bạc" in all_text and "Năm 2022" in all_text and "Số vụ" in all_text
    assert "1.290" in root.find(f"{SVG}desc").text
    # Ticks in Vietnamese style too.
    assert "1.000" in [t.text for t in by_class(root, "text", "tick")]
    assert root.get("font-family") == PDF_FONT
    assert unicodedata.is_normalized("NFC", markup)


def test_text_is_escaped_and_normalised():
    decomposed = unicodedata.normalize("NFD", "Trộm cắp <tài sản> & “khác”")
    markup = bar_chart(title=decomposed, labels=[decomposed], series=[("A & B", [1])], font_family="Arial, \"x\"")
    root = parse(markup)
    assert root.find(f"{SVG}title").text == "Trộm cắp <tài sản> & “khác”"
    assert unicodedata.is_normalized("NFC", markup)
    assert "<tài" not in markup


def test_zero_and_empty_data_do_not_divide_by_zero():
    root = parse(bar_chart(title="Không có vụ việc", labels=["Xã A", "Xã B"], series=[("Năm 2023", [0, 0])]))
    bars = by_class(root, "rect", "bar")
    assert len(bars) == 2 and all(float(b.get("height")) == 0 for b in bars)
    assert [t.text for t in by_class(root, "text", "value")] == ["0", "0"]
    parse(bar_chart(title="Trống", labels=[], series=[]))
    parse(bar_chart(title="Trống", labels=[], series=[("Năm 2023", [])], horizontal=True))
    root = parse(line_chart(title="Không", labels=MONTHS, series=[("Năm 2023", [0] * 12)]))
    assert len(by_class(root, "circle", "point")) == 12
    parse(line_chart(title="Trống", labels=[], series=[]))
    assert nice_scale(0, 0) == (0.0, 5.0, 1.0)
    assert nice_scale(0, 0, integer=False) == (0.0, 1.0, 0.2)


def test_horizontal_bars_scale_with_the_values():
    root = parse(bar_chart(title="Nguồn tin theo hướng", horizontal=True,
                           labels=["Quân sự, Biên phòng → Công an", "Công an → Quân sự, Biên phòng"],
                           series=[("Năm 2023", [37, 29])]))
    bars = by_class(root, "rect", "bar")
    assert len(bars) == 2
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] > widths[1] > 0
    assert widths[0] / widths[1] == pytest.approx(37 / 29, rel=0.01)
    assert [t.text for t in by_class(root, "text", "value")] == ["37", "29"]


def test_line_chart_trend_of_two_years():
    title = "Số vụ việc theo tháng, năm 2023 so với năm 2022"
    current, previous = [1, 1, 2, 1, 1, 0, 1, 1, 0, 0, 0, 1290], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, None]
    root = parse(line_chart(title=title, labels=MONTHS, series=[("Năm 2023", current), ("Năm 2022", previous)],
                            font_family="system-ui, sans-serif"))
    assert_accessible(root, title)
    assert root.get("font-family") == "system-ui, sans-serif"
    assert len(by_class(root, "circle", "point")) == 12 + 11  # a missing value is a gap
    assert "1.290" in [t.text for t in by_class(root, "text", "value")]
    assert len(by_class(root, "polyline", "line")) == 2
    legend = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "legend" for t in g.iter(f"{SVG}text")]
    assert legend == ["Năm 2023", "Năm 2022"]
    assert "T12" in " ".join(texts(root))


def test_value_format_and_mismatched_series():
    root = parse(bar_chart(title="Tỷ lệ làm rõ", labels=["Hình sự"], series=[("2023", [88.571])],
                           value_format=lambda v: vn_number(v, 1) + "%"))
    assert [t.text for t in by_class(root, "text", "value")] == ["88,6%"]
    with pytest.raises(ValueError):
        bar_chart(title="Sai", labels=["a", "b"], series=[("x", [1])])


def test_same_data_same_markup():
    kwargs = {"title": "Ổn định", "labels": ["a"], "series": [("x", [1])]}
    assert bar_chart(**kwargs) == bar_chart(**kwargs)
    assert bar_chart(**kwargs) != bar_chart(**{**kwargs, "title": "Khác"})


def test_table_fallback():
    table = table_fallback(labels=["Xã A", "Xã B"], series=[("Năm 2023", [1290, None]), ("Năm 2022", [5, 6])])
    assert table == {"header": ["", "Năm 2023", "Năm 2022"], "rows": [["Xã A", "1.290", "5"], ["Xã B", "—", "6"]]}
