"""Text a person typed (a unit's, commune's or category's name) never becomes a live formula in an export.

A cell starting with =, +, -, @, a tab or a carriage return is read by Excel or LibreOffice as a formula
(or a DDE command); OWASP's advice for "CSV injection" is a leading single quote, which keeps it text.
Numbers stay numbers, negative differences included.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from incidents.tests.factories import TipFactory
from patrols.tests.factories import local
from reports.exports import csv_text, xlsx_bytes

DANGEROUS = ["=HYPERLINK(\"http://x\",\"bấm\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _xlsx_cells(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def test_xlsx_keeps_dangerous_text_as_quoted_text_and_numbers_numeric():
    rows = [[name, -3, 2.5] for name in DANGEROUS]
    content = xlsx_bytes(["=tiêu đề"], ["@Tên", "Tăng (+), giảm (-)", "Tỷ lệ"], rows, "Bảng")
    cells = _xlsx_cells(content)
    assert all(cell.data_type != "f" for row in cells for cell in row)
    assert cells[0][0].value == "'=tiêu đề"
    header = next(row for row in cells if row[0].value == "'@Tên")
    assert header[1].value == "Tăng (+), giảm (-)"
    body = cells[-len(DANGEROUS):]
    # XML reads a carriage return back as a line feed; the quote in front is what matters.
    assert [row[0].value for row in body] == ["'" + name.replace("\r", "\n") for name in DANGEROUS]
    assert [(row[1].value, row[1].data_type) for row in body] == [(-3, "n")] * len(DANGEROUS)
    assert body[0][2].value == 2.5


def test_csv_quotes_dangerous_text_and_leaves_numbers_alone():
    text = csv_text(["=Tên", "Số"], [[name, -3] for name in DANGEROUS] + [["Xã Phú Long", None]])
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["'=Tên", "Số"]
    assert rows[1:-1] == [["'" + name, "-3"] for name in DANGEROUS]
    assert rows[-1] == ["Xã Phú Long", ""]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_unit_named_like_a_formula_is_exported_as_text(client, j, commander, fmt):
    cache.clear()
    unit = j.unit_a
    unit.name = "=HYPERLINK(\"http://x\",\"Công an xã\")"
    unit.save(update_fields=["name"])
    TipFactory(agreement=j.agreement, from_unit=unit, to_unit=j.unit_b, received_at=local(2023, 3, 1, 8, 0))
    client.force_login(commander)
    url = reverse("reports:dashboard_export", kwargs={"kind": "quy-che", "pk": j.agreement.pk})
    response = client.get(f"{url}?format={fmt}&table=tips&nam=2023")
    assert response.status_code == 200
    if fmt == "xlsx":
        cells = [cell for row in _xlsx_cells(response.content) for cell in row]
        assert not [cell.value for cell in cells if cell.data_type == "f"]
        assert "'" + unit.name in [cell.value for cell in cells]
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode().removeprefix("\ufeff"))))
        assert ["'" + unit.name] == [value for row in rows for value in row if unit.name in value]
    cache.clear()
