"""The printed review report of seed 004 (Điện Bàn, 2023), rendered through the services and read back.

``manage.py load_demo`` runs once per module inside a transaction rolled back at the end; the
report is created, queued and rendered by the same services the worker calls (the task body runs
in this process). The PDF's text is extracted with pypdf and compared NFC-exact; its fonts are
inspected; page 1 is rendered to test-artifacts/report-page1.png with poppler's ``pdftoppm``.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from pypdf import PdfReader

from agreements.models import Agreement
from borderzone.formatting import change_text, clearance_text
from demo import registry
from reports import pdf, services
from reports.models import ReportKind
from reports.tasks import render_report_version
from tests.helpers import put_back_reference_rows

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(MEDIA_ROOT=media):
        put_back_reference_rows()  # an earlier transaction=True test's flush may have emptied them
        call_command("load_demo", stdout=io.StringIO())
        agreement = Agreement.objects.get(number=registry.NUMBER_004)
        report = services.report_create(
            actor=None, agreement=agreement, kind=ReportKind.INTERIM,
            period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2024, 1, 1),
            comparison_start=datetime.date(2022, 1, 1), comparison_end=datetime.date(2023, 1, 1),
            document_number="05/BC-CATX", place="Điện Bàn", issued_on=datetime.date(2023, 12, 28),
            parent_body="Công an tỉnh Quảng Nam", issuing_unit="Công an thị xã Điện Bàn",
            signatory_authority="KT. Trưởng Công an thị xã", signatory_position="Phó Trưởng Công an thị xã",
            signatory_name="Thượng tá Huỳnh Tấn Phát",
            # Typed decomposed (as some keyboards and PDFs paste it): the report must print it NFC.
            situation=unicodedata.normalize("NFD", "Năm 2023, ba lực lượng thực hiện tốt vai trò xung kích."),
            limitations="Việc trao đổi thông tin có lúc chưa kịp thời.",
            lessons="Phải duy trì giao ban định kỳ giữa ba lực lượng.",
            directions="Tiếp tục tuần tra theo mô hình “Tuyến biển bình yên”.",
            recommendations="Đề nghị UBND thị xã tiếp tục quan tâm kinh phí.",
            recipients="Công an tỉnh Quảng Nam (để b/c);\nUBND thị xã Điện Bàn;\nLưu: VT, TH.",
        )
        with mock.patch.object(render_report_version, "apply_async"):
            version = services.report_request_pdf(actor=None, report=report)
        assert services.report_version_render(version_id=version.pk) == "ready"
        version.refresh_from_db()
        with version.pdf.open("rb") as handle:
            data = handle.read()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "report-004-2023.pdf").write_bytes(data)
        yield {"pdf": data, "figures": version.figures, "html": version.html, "pages": version.page_count}
        transaction.set_rollback(True)
    with django_db_blocker.unblock():
        # Close the connection this module used: left open, it kept the test database from being
        # dropped at the end of the session (seen when browser tests ran in the same session).
        connection.close()


@pytest.fixture(scope="module")
def reader(rendered) -> PdfReader:
    return PdfReader(io.BytesIO(rendered["pdf"]))


@pytest.fixture(scope="module")
def text(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Line breaks of the justified layout become single spaces."""
    return " ".join(text.split())


def test_the_text_is_nfc_and_has_the_national_header(text):
    assert unicodedata.is_normalized("NFC", text)
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
                 "CÔNG AN TỈNH QUẢNG NAM", "CÔNG AN THỊ XÃ ĐIỆN BÀN", "Số: 05/BC-CATX",
                 "Điện Bàn, ngày 28 tháng 12 năm 2023"):
        assert line in text.splitlines(), line
    assert "Năm 2023, ba lực lượng thực hiện tốt vai trò xung kích." in flat(text)


def test_the_sections_follow_the_decree(text):
    positions = [flat(text).find(title) for title in (
        "I. ĐẶC ĐIỂM TÌNH HÌNH", "II. KẾT QUẢ THỰC HIỆN QUY CHẾ", "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ",
        "V. ĐỀ XUẤT, KIẾN NGHỊ", "Nơi nhận:",
    )]
    assert -1 not in positions and positions == sorted(positions)
    assert "KT. TRƯỞNG CÔNG AN THỊ XÃ" in text and "PHÓ TRƯỞNG CÔNG AN THỊ XÃ" in text
    assert "Thượng tá Huỳnh Tấn Phát" in text
    assert "- Lưu: VT, TH." in text


def test_the_seed_figures_are_printed(text):
    body = flat(text)
    assert "Lực lượng Quân sự, Biên phòng đã cung cấp cho lực lượng Công an 37 nguồn tin" in body
    assert "Lực lượng Công an đã cung cấp cho lực lượng Quân sự, Biên phòng 29 nguồn tin" in body
    assert "phối hợp kiểm tra, xác minh 44 tin" in body
    assert "Tuần tra theo mô hình “Tuyến biển bình yên”: 215 lượt với 1.290 cán bộ, chiến sĩ tham gia" in body
    assert "đã khen thưởng 04 tập thể, 07 cá nhân" in body
    assert "139 mô hình tự phòng, tự quản" in body


def test_clearance_and_comparison_are_worded_as_reports_write_them(text, rendered):
    body, figures = flat(text), rendered["figures"]
    incidents, headline = figures["incidents"], figures["headline"]["incidents_occurred"]
    assert f"làm rõ {clearance_text(incidents['solved_of_occurred'], incidents['occurred'])}" in body
    change = change_text(headline["diff"], headline["pct"], "vụ")
    assert f"so với cùng kỳ năm 2022: {change}" in body
    assert "Bảng 1. Vụ việc theo xã, phường" in body and "Bảng 2. Vụ việc theo loại" in body


def test_the_monthly_chart_is_inline_svg(rendered):
    assert "<svg" in rendered["html"]
    assert "Biểu đồ. Số vụ việc theo tháng" in rendered["html"]


def test_liberation_serif_is_embedded_and_the_only_font(reader):
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert "LiberationSerif" in name, name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
    assert any("Bold" in name for name in fonts) and any("Italic" in name for name in fonts)


def _texts_in_top_margin(page) -> list[str]:
    top = float(page.mediabox.height) - 20 * MM
    found = []

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y > top:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


def test_page_numbers_start_on_page_two(reader, rendered):
    assert 2 <= len(reader.pages) == rendered["pages"] <= 12
    assert _texts_in_top_margin(reader.pages[0]) == []
    assert _texts_in_top_margin(reader.pages[1]) == ["2"]
    assert _texts_in_top_margin(reader.pages[-1]) == [str(len(reader.pages))]


def test_a4_with_the_decree_margins(reader, rendered):
    page = reader.pages[0]
    assert round(float(page.mediabox.width) / MM) == 210 and round(float(page.mediabox.height) / MM) == 297
    css = pdf.STYLESHEET.read_text()
    assert "margin: 20mm 15mm 20mm 30mm" in css


def test_page_one_renders_to_png(rendered):
    assert shutil.which("pdftoppm"), "poppler-utils is missing: run `make test` (scripts/install_system_deps.sh)"
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / "report-004-2023.pdf"
    for page in (1, 2):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(source),
             str(ARTIFACTS / f"report-page{page}")],
            check=True, timeout=60,
        )
        image = ARTIFACTS / f"report-page{page}.png"
        assert image.stat().st_size > 10_000
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
def test_the_command_renders_the_same_report_synchronously(rendered, tmp_path):
    target = tmp_path / "bao-cao.pdf"
    out = io.StringIO()
    call_command("review_report", "--agreement", registry.NUMBER_004, "--period", "2023", "--output", str(target),
                 stdout=out)
    assert "Dùng nội dung của báo cáo" in out.getvalue()  # the report the module's fixture wrote
    body = flat("\n".join(p.extract_text() for p in PdfReader(target).pages))
    assert "BÁO CÁO" in body and "215 lượt với 1.290 cán bộ, chiến sĩ tham gia" in body
    assert "Số: 05/BC-CATX" in body and "Sơ kết năm 2023" in body

    out = io.StringIO()
    call_command("review_report", "--agreement", registry.NUMBER_004, "--period", "2023-H1", "--kind", "tong_ket",
                 "--output", str(target), stdout=out)
    assert "Chưa có báo cáo nào" in out.getvalue()
    body = flat("\n".join(p.extract_text() for p in PdfReader(target).pages))
    assert "Tổng kết 6 tháng đầu năm 2023" in body and "(Chưa nhập nội dung)" in body


def test_weasyprint_fetches_the_font_files_and_nothing_else():
    fetch = pdf._fetcher()
    regular = pdf.font_paths()[0]
    response = fetch(regular.as_uri())
    assert response.read(4) in (b"\x00\x01\x00\x00", b"true")  # a TrueType file
    response.close()
    for url in ("file:///etc/hostname", "http://127.0.0.1/x.css", "https://example.org/font.woff2",
                regular.parent.as_uri() + "/../../../../etc/hostname"):
        with pytest.raises(ValueError):
            fetch(url)
