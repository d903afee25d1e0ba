"""A staff officer prepares the 2023 review report in the browser and a real Celery worker prints it.

The PDF is requested while no worker runs, so the page shows "Đang chờ xử lý" (not an error); the
worker is then started as a subprocess on the test database (see reports/tests/test_tasks.py) and
the versions table turns to "Sẵn sàng" by htmx polling, without reloading the page; the download
is a PDF with the report's text. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements.models import Role
from agreements.tests.factories import OfficerFactory, jurisdiction
from incidents.models import IncidentStatus
from incidents.tests.factories import IncidentFactory
from patrols.tests.factories import PatrolFactory, local
from reports.models import ReportVersion, ReviewReport, VersionStatus
from reports.tests.test_tasks import running_worker

from .conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def _scene():
    j = jurisdiction(role=Role.STAFF)
    staff = j.user
    staff.first_name, staff.last_name = "Thị Kim Oanh", "Võ"
    staff.save()
    for day in range(1, 11):
        IncidentFactory(agreement=j.agreement, cluster=j.cluster, commune=j.commune_a,
                        lead_unit=j.unit_a, occurred_at=local(2023, day, 5, 21),
                        status=IncidentStatus.SOLVED if day % 3 else IncidentStatus.INVESTIGATING,
                        solved_at=local(2023, day, 9, 9) if day % 3 else None)
    for month in (2, 5, 9):
        PatrolFactory(agreement=j.agreement, cluster=j.cluster, lead_unit=j.unit_a,
                      programme="Tuyến biển bình yên", started_at=local(2023, month, 10, 20))
    return j


def test_staff_prepares_and_downloads_the_2023_report(desktop, settings):
    j = _scene()
    queue = f"bz-test-browser-{uuid.uuid4().hex[:10]}"
    settings.REPORT_TASK_QUEUE = queue
    page = desktop
    login(page, j.user.username)

    # The menu leads to the reports; a new report for the cluster, year 2023, compared with 2022.
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.wait_for_url(re.compile(r"/bao-cao/$"))
    page.get_by_role("link", name="Lập báo cáo mới").click()
    page.select_option("#id_scope", f"c{j.cluster.pk}")
    page.check("input[name=period_kind][value=year]")
    page.fill("#id_year", "2023")
    shot(page, "report-01-create")
    page.get_by_role("button", name="Tạo báo cáo").click()
    page.wait_for_url(re.compile(r"/bao-cao/\d+/$"))
    report = ReviewReport.objects.get()
    assert (report.cluster, report.period_label, report.comparison_label) == (j.cluster, "năm 2023", "năm 2022")

    # The page shows the figures computed now; staff write the narrative and the number.
    assert "7/10 vụ (đạt 70,0%)" in page.content()
    page.fill("#id_document_number", "05/BC-CAH")
    page.fill("#id_place", "Thử Nghiệm")
    page.fill("#id_issued_on", "2023-12-28")
    page.fill("#id_limitations", "Việc trao đổi thông tin có lúc chưa kịp thời.")
    page.fill("#id_lessons", "Duy trì giao ban định kỳ giữa các lực lượng.")
    page.fill("#id_directions", "Tiếp tục tuần tra chung theo mô hình “Tuyến biển bình yên”.")
    page.fill("#id_recommendations", "Đề nghị cấp trên hỗ trợ kinh phí tuần tra.")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Đã lưu nháp báo cáo.").wait_for()
    shot(page, "report-02-draft")

    # No worker is running yet: the request waits in the queue, and the page says so.
    page.get_by_role("button", name="Lưu và tạo file PDF").click()
    page.get_by_text("Đã lưu và gửi yêu cầu tạo file PDF (phiên bản 1).").wait_for()
    row = page.locator("#bz-versions tbody tr").first
    assert row.get_attribute("data-status") == VersionStatus.QUEUED
    assert "Đang chờ xử lý" in row.inner_text() and "Võ Thị Kim Oanh" in row.inner_text()
    shot(page, "report-03-queued")

    # From here on the page is not reloaded: a marker on window would not survive a reload, and an
    # observer records every status the row shows.
    page.evaluate("""() => {
        window.bzNoReload = true;
        window.bzStatuses = [];
        const record = () => {
            const row = document.querySelector('#bz-versions tbody tr');
            const status = row && row.dataset.status;
            if (status && window.bzStatuses[window.bzStatuses.length - 1] !== status) window.bzStatuses.push(status);
        };
        record();
        new MutationObserver(record).observe(document.querySelector('#bz-versions'), {subtree: true, childList: true});
    }""")
    with running_worker(queue=queue, media_root=Path(settings.MEDIA_ROOT)) as log:
        try:
            page.locator("#bz-versions tbody tr[data-status=ready]").wait_for(timeout=90_000)
        except Exception:
            shot(page, "report-debug")
            raise AssertionError("the version never became ready; worker log:\n" + "\n".join(log[-40:])) from None
        statuses = page.evaluate("window.bzStatuses")
        assert page.evaluate("window.bzNoReload") is True
        assert statuses[0] == "queued" and statuses[-1] == "ready", statuses
        assert set(statuses) <= {"queued", "rendering", "ready"}, statuses
        row = page.locator("#bz-versions tbody tr").first
        assert "Sẵn sàng" in row.inner_text()
        page.locator("#bz-report-status", has_text="Sẵn sàng").wait_for(timeout=5_000)  # the header follows
        shot(page, "report-04-ready")

    # The download goes through the application and is the printed report.
    with page.expect_download() as info:
        row.get_by_role("link", name="Tải PDF").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-so-ket-nam-2023-v1.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Số: 05/BC-CAH" in text and "7/10 vụ (đạt 70,0%)" in text
    assert "Tuần tra theo mô hình “Tuyến biển bình yên”: 03 lượt" in text
    version = ReportVersion.objects.get()
    assert version.status == VersionStatus.READY and version.attempts == 1


def test_commanders_read_the_report_without_writing(desktop):
    j = _scene()
    commander = OfficerFactory(unit=j.unit_a, role=Role.COMMANDER).user
    report = ReviewReport.objects.create(agreement=j.agreement, cluster=j.cluster,
                                         period_start=local(2023, 1, 1).date(), period_end=local(2024, 1, 1).date(),
                                         situation="Tình hình ổn định.")
    login(desktop, commander.username)
    desktop.goto(reverse("reports:report_detail", args=[report.pk]))
    assert "Tình hình ổn định." in desktop.content()
    assert desktop.get_by_role("button", name="Lưu nháp").count() == 0
    assert desktop.get_by_role("button", name="Tạo file PDF").count() == 0
    shot(desktop, "report-05-commander")
