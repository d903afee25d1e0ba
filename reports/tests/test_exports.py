"""Exports of the dashboard's tables: Excel that openpyxl loads, CSV with a BOM, Vietnamese headers, scope rules."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import Role
from agreements.tests.factories import jurisdiction
from borderzone.periods import Period
from incidents.tests.factories import IncidentFactory, TipFactory, category
from patrols.tests.factories import PatrolFactory, local
from reports.exports import TABLES
from reports.statistics import compute_figures


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(j):
    """``j`` with 2023 incidents, tips and patrols of side A (and one 2022 incident) to export."""
    a, unit, partner = j.agreement, j.unit_a, j.unit_b
    commune_a, commune_b = j.commune_a, j.commune_b
    for month, commune, code in ((1, commune_a, "trom-cap"), (2, commune_a, "danh-bac"), (2, commune_b, "danh-bac"),
                                 (5, commune_b, "trom-cap")):
        IncidentFactory(agreement=a, commune=commune, lead_unit=unit, category=category(code),
                        occurred_at=local(2023, month, 3, 10, 0))
    IncidentFactory(agreement=a, commune=commune_a, lead_unit=unit, occurred_at=local(2022, 2, 3, 10, 0))
    TipFactory(agreement=a, from_unit=unit, to_unit=partner, received_at=local(2023, 3, 1, 8, 0))
    TipFactory(agreement=a, from_unit=partner, to_unit=unit, received_at=local(2023, 3, 2, 8, 0))
    for month in (1, 1, 4):
        patrol = PatrolFactory(agreement=a, cluster=j.cluster, lead_unit=unit,
                               started_at=local(2023, month, 9, 20, 0))
        patrol.communes.add(commune_a, commune_b)
    return j


def export(client, j, table: str, fmt: str, kind: str = "quy-che", pk=None, query: str = "nam=2023"):
    url = reverse("reports:dashboard_export", kwargs={"kind": kind, "pk": j.agreement.pk if pk is None else pk})
    return client.get(f"{url}?format={fmt}&table={table}&{query}")


def test_xlsx_opens_and_holds_the_figures(client, world, commander):
    client.force_login(commander)
    figures = compute_figures(agreement=world.agreement, period=Period.year(2023))
    response = export(client, world, "category", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment;" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Vụ việc theo loại")
    header = next(r for r in rows if r[0] == "Loại vụ việc")
    assert header[:2] == ["Loại vụ việc", "Nhóm"] and header[2] == "Số vụ (năm 2023)"
    data = {r[0]: r for r in rows[rows.index(header) + 1:]}
    for row in figures["incidents"]["by_category"]:
        if row["count"] or row["previous"]:
            assert data[row["name"]][2] == row["count"] and data[row["name"]][3] == row["previous"]
    assert sum(r[2] for r in data.values()) == figures["incidents"]["occurred"] == 4


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_in_both_formats(client, world, commander, table):
    client.force_login(commander)
    xlsx = export(client, world, table, "xlsx")
    assert xlsx.status_code == 200
    load_workbook(io.BytesIO(xlsx.content))
    response = export(client, world, table, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the diacritics right
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] and all(rows[0])
    assert any(ch in "".join(rows[0]) for ch in "ạảãáàăâđêôơư")  # Vietnamese headers


def test_csv_month_and_patrol_tables(client, world, commander):
    client.force_login(commander)
    rows = list(csv.reader(io.StringIO(export(client, world, "month", "csv").content.decode("utf-8-sig"))))
    assert rows[0] == ["Tháng", "Vụ việc", "Vụ việc cùng kỳ", "Ca tuần tra", "Lượt người", "Ca tuần tra cùng kỳ"]
    assert [r[0] for r in rows[1:]] == [f"{m:02d}/2023" for m in range(1, 13)]
    assert [int(r[1]) for r in rows[1:4]] == [1, 2, 0] and rows[2][2] == "1"  # February 2022: one incident
    assert [int(r[3]) for r in rows[1:5]] == [2, 0, 0, 1]
    patrols = list(csv.reader(io.StringIO(export(client, world, "patrols", "csv").content.decode("utf-8-sig"))))
    assert patrols[0][0] == "Xã, phường" and patrols[0][-1] == "Tổng số ca"
    assert sorted(int(r[-1]) for r in patrols[1:]) == [3, 3]  # each patrol went through both communes


def test_export_follows_the_period_picker(client, world, commander):
    client.force_login(commander)
    response = export(client, world, "month", "csv", query="ky=quy&nam=2023&quy=1")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["01/2023", "02/2023", "03/2023"]
    assert "20230101-20230331" in response["Content-Disposition"]


def test_cluster_and_unit_exports(client, world, commander):
    client.force_login(commander)
    assert export(client, world, "commune", "csv", kind="cum", pk=world.cluster.pk).status_code == 200
    own = export(client, world, "category", "csv", kind="don-vi", pk=0)
    assert own.status_code == 200
    unit = export(client, world, "category", "csv", kind="don-vi", pk=world.unit_a.pk)
    assert unit.content == own.content


def test_outside_the_jurisdiction_is_not_found(client, world):
    other = jurisdiction(role=Role.COMMANDER)
    client.force_login(other.user)
    for kind, pk in (("quy-che", world.agreement.pk), ("cum", world.cluster.pk),
                     ("don-vi", world.unit_a.pk), ("khong-co", 1)):
        assert export(client, world, "category", "xlsx", kind=kind, pk=pk).status_code == 404, kind
    client.logout()
    response = export(client, world, "category", "xlsx")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_format_or_table_is_refused_in_vietnamese(client, world, commander):
    client.force_login(commander)
    bad = export(client, world, "category", "pdf")
    assert bad.status_code == 400 and "Định dạng không hỗ trợ" in bad.content.decode()
    bad = export(client, world, "khac", "csv")
    assert bad.status_code == 400 and "Bảng không có" in bad.content.decode()


def test_default_export_is_this_years_categories(client, world, commander):
    client.force_login(commander)
    url = reverse("reports:dashboard_export", kwargs={"kind": "quy-che", "pk": world.agreement.pk})
    response = client.get(url)
    assert response.status_code == 200
    year = datetime.date.today().year
    assert f"-category-{year}0101-" in response["Content-Disposition"]
