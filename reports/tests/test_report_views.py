"""Review report pages: list, create, detail/edit, the htmx status row, download, retry, and who may see what."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import Role
from agreements.tests.factories import OfficerFactory, jurisdiction
from incidents.models import IncidentStatus
from incidents.tests.factories import IncidentFactory
from patrols.tests.factories import local
from reports import services
from reports.models import ReportStatus, ReportVersion, ReviewReport, VersionStatus
from reports.tasks import render_report_version

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _incidents(j):
    """Two incidents of side A solved in February 2023 and one from August 2023 still open."""
    for day in (3, 4):
        IncidentFactory(agreement=j.agreement, commune=j.commune_a, lead_unit=j.unit_a,
                        occurred_at=local(2023, 2, day, 9), status=IncidentStatus.SOLVED,
                        solved_at=local(2023, 2, day + 1, 9))
    IncidentFactory(agreement=j.agreement, commune=j.commune_a, lead_unit=j.unit_a, occurred_at=local(2023, 8, 1, 9))


@pytest.fixture
def report(j, staff):
    return services.report_create(
        actor=staff, agreement=j.agreement, period_start=D(2023, 1, 1), period_end=D(2024, 1, 1),
        comparison_start=D(2022, 1, 1), comparison_end=D(2023, 1, 1), situation="Tình hình ổn định.",
        document_number="05/BC-CAH",
    )


def _version(report, status, **values) -> ReportVersion:
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(report=report, number=number, status=status, **values)
    if status == VersionStatus.READY:
        version.pdf.save("bao-cao.pdf", ContentFile(b"%PDF-1.7\n% demo\n%%EOF\n"), save=True)
    return version


# List ------------------------------------------------------------------------------------------------


def test_list_shows_the_reports_of_the_users_agreements_only(client, j, staff, report):
    other = jurisdiction(role=Role.STAFF)
    services.report_create(actor=other.user, agreement=other.agreement, period_start=D(2022, 1, 1),
                           period_end=D(2023, 1, 1), document_number="99/BC-KHAC")
    client.force_login(staff)
    html = client.get(reverse("reports:report_list")).content.decode()
    assert "05/BC-CAH" in html and "99/BC-KHAC" not in html
    assert reverse("reports:report_create") in html


def test_commanders_read_and_officers_are_refused(client, j, commander, report):
    client.force_login(commander)
    html = client.get(reverse("reports:report_list")).content.decode()
    assert "05/BC-CAH" in html and reverse("reports:report_create") not in html
    detail = client.get(report.get_absolute_url())
    assert detail.status_code == 200
    assert reverse("reports:report_update", args=[report.pk]) not in detail.content.decode()
    client.force_login(j.user)
    assert client.get(reverse("reports:report_list")).status_code == 403
    assert client.get(report.get_absolute_url()).status_code == 403


def test_outside_the_jurisdiction_is_404_before_the_role(client, report):
    other = jurisdiction(role=Role.OFFICER)
    client.force_login(other.user)  # an officer elsewhere: 404 (not 403) for the report
    assert client.get(report.get_absolute_url()).status_code == 404
    version = _version(report, VersionStatus.READY)
    for name in ("reports:report_version_status", "reports:report_version_download"):
        assert client.get(reverse(name, args=[version.pk])).status_code == 404


def test_the_nav_link_shows_for_report_readers_only(client, j, staff):
    link = f'href="{reverse("reports:report_list")}"'
    client.force_login(staff)
    assert link in client.get(reverse("agreements:agreement_list")).content.decode()
    client.force_login(j.user)
    assert link not in client.get(reverse("agreements:agreement_list")).content.decode()


# Create ----------------------------------------------------------------------------------------------


def test_create_offers_only_visible_scopes(client, j, staff):
    other = jurisdiction()
    client.force_login(staff)
    html = client.get(reverse("reports:report_create")).content.decode()
    assert j.cluster.name in html and j.agreement.number in html
    assert other.cluster.name not in html and other.agreement.number not in html


def test_create_a_yearly_report_with_defaults(client, j, staff):
    client.force_login(staff)
    response = client.post(reverse("reports:report_create"), {
        "scope": f"c{j.cluster.pk}", "kind": "so_ket", "period_kind": "year", "year": "2023", "compare": "on",
    })
    report = ReviewReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.cluster == j.cluster and report.agreement == j.agreement
    assert (report.period_start, report.period_end) == (D(2023, 1, 1), D(2024, 1, 1))
    assert (report.comparison_start, report.comparison_end) == (D(2022, 1, 1), D(2023, 1, 1))
    assert report.issuing_unit == j.unit_a.name
    assert report.signatory_name == j.party_a.signatory_name
    assert report.situation.startswith("Năm 2023, ") and report.created_by == staff


def test_create_half_year_and_custom_periods(client, j, staff):
    client.force_login(staff)
    client.post(reverse("reports:report_create"), {
        "scope": f"a{j.agreement.pk}", "kind": "so_ket", "period_kind": "half1", "year": "2023",
    })
    half = ReviewReport.objects.get()
    assert (half.period_start, half.period_end, half.comparison_start) == (D(2023, 1, 1), D(2023, 7, 1), None)
    assert half.period_label == "6 tháng đầu năm 2023"
    client.post(reverse("reports:report_create"), {
        "scope": f"a{j.agreement.pk}", "kind": "tong_ket", "period_kind": "custom",
        "period_start": "2021-03-01", "period_end": "2023-12-31", "compare": "on",
        "comparison_start": "2019-01-01", "comparison_end": "2021-02-28",
    })
    custom = ReviewReport.objects.exclude(pk=half.pk).get()
    assert (custom.period_start, custom.period_end) == (D(2021, 3, 1), D(2024, 1, 1))
    assert (custom.comparison_start, custom.comparison_end) == (D(2019, 1, 1), D(2021, 3, 1))


def test_create_shows_vietnamese_errors_by_field(client, j, staff):
    client.force_login(staff)
    response = client.post(reverse("reports:report_create"), {
        "scope": f"a{j.agreement.pk}", "kind": "so_ket", "period_kind": "custom",
        "period_start": "2023-06-01", "period_end": "2023-05-01",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["period_end"] == ["Ngày kết thúc kỳ báo cáo không thể trước ngày bắt đầu."]
    response = client.post(reverse("reports:report_create"), {
        "scope": f"a{j.agreement.pk}", "kind": "so_ket", "period_kind": "year", "year": "2023", "compare": "on",
        "comparison_start": "2022-07-01", "comparison_end": "2023-06-30",
    })
    assert response.context["form"].errors["comparison_end"] == [
        "Kỳ so sánh phải kết thúc trước khi kỳ báo cáo bắt đầu."
    ]
    other = jurisdiction()
    response = client.post(reverse("reports:report_create"), {
        "scope": f"a{other.agreement.pk}", "kind": "so_ket", "period_kind": "year", "year": "2023",
    })
    assert "scope" in response.context["form"].errors
    assert not ReviewReport.objects.exists()


def test_commanders_cannot_create(client, j, commander):
    client.force_login(commander)
    assert client.get(reverse("reports:report_create")).status_code == 403


# Detail and edit -------------------------------------------------------------------------------------


def test_detail_shows_live_figures_and_the_narrative_form(client, j, staff, report):
    client.force_login(staff)
    response = client.get(report.get_absolute_url())
    html = response.content.decode()
    assert "2/3 vụ (đạt 66,7%)" in html  # clearance, as the report writes it
    assert 'name="situation"' in html and "Lưu nháp" in html and "Tạo file PDF" in html
    assert "Chưa tạo file PDF nào." in html
    assert "<svg" in html  # the monthly trend, drawn on the server


def test_save_draft_and_request_a_pdf(client, j, staff, report):
    client.force_login(staff)
    form = client.get(report.get_absolute_url()).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data |= {"lessons": "Giữ vững giao ban định kỳ.", "action": "save"}
    response = client.post(reverse("reports:report_update", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.lessons == "Giữ vững giao ban định kỳ." and not report.versions.exists()

    data["action"] = "pdf"
    data["recommendations"] = "Đề nghị bổ sung kinh phí."
    with mock.patch.object(render_report_version, "apply_async"):
        response = client.post(reverse("reports:report_update", args=[report.pk]), data)
    assert response.status_code == 302 and response["Location"].endswith("#phien-ban")
    version = report.versions.get()
    assert version.status == VersionStatus.QUEUED and version.requested_by == staff
    assert version.content["recommendations"] == "Đề nghị bổ sung kinh phí."
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Đang chờ xử lý" in html and 'hx-trigger="every 2s"' in html


def test_request_pdf_button(client, j, staff, report):
    client.force_login(staff)
    assert client.get(reverse("reports:report_request_pdf", args=[report.pk])).status_code == 405
    response = client.post(reverse("reports:report_request_pdf", args=[report.pk]))
    assert response.status_code == 302
    assert report.versions.get().number == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED


def test_update_errors_stay_on_the_page(client, j, staff, report):
    client.force_login(staff)
    response = client.post(reverse("reports:report_update", args=[report.pk]), {
        "kind": "so_ket", "issued_on": "2022-12-01", "action": "save",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["issued_on"] == ["Ngày ban hành không thể trước ngày bắt đầu kỳ báo cáo."]


# The htmx status row ----------------------------------------------------------------------------------


def test_status_row_polls_while_pending_and_stops_when_done(client, j, staff, commander, report):
    client.force_login(commander)
    version = _version(report, VersionStatus.QUEUED, requested_by=staff)
    url = reverse("reports:report_version_status", args=[version.pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Đang chờ xử lý" in html and f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html
    assert "Nguyễn Văn" in html  # who asked

    ReportVersion.objects.filter(pk=version.pk).update(status=VersionStatus.RENDERING, started_at=timezone.now())
    assert "Đang tạo" in client.get(url).content.decode()

    version.refresh_from_db()
    version.status = VersionStatus.READY
    version.pdf.save("bao-cao.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    version.finished_at = timezone.now()
    version.save()
    html = client.get(url).content.decode()
    assert "Sẵn sàng" in html and "hx-trigger" not in html
    assert reverse("reports:report_version_download", args=[version.pk]) in html


def test_failed_row_shows_the_reason_and_retry_for_staff_only(client, j, staff, commander, report):
    version = _version(report, VersionStatus.FAILED, error="Lỗi khi tạo PDF: RuntimeError: hết bộ nhớ")
    url = reverse("reports:report_version_status", args=[version.pk])
    client.force_login(commander)
    html = client.get(url).content.decode()
    assert "Lỗi" in html and "hết bộ nhớ" in html and "Thử lại" not in html
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "Thử lại" in html and reverse("reports:report_version_retry", args=[version.pk]) in html


def test_retry_with_htmx_returns_the_row_queued_again(client, j, staff, report):
    version = _version(report, VersionStatus.FAILED, error="boom")
    client.force_login(staff)
    with mock.patch.object(render_report_version, "apply_async"):
        response = client.post(reverse("reports:report_version_retry", args=[version.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Đang chờ xử lý" in html and 'hx-trigger="every 2s"' in html
    version.refresh_from_db()
    assert version.status == VersionStatus.QUEUED and version.error == ""
    # Without htmx: back to the report page; a version in the queue is not retried again.
    response = client.post(reverse("reports:report_version_retry", args=[version.pk]))
    assert response.status_code == 302


# Download -------------------------------------------------------------------------------------------


def test_download_is_a_pdf_attachment_through_the_choke_point(client, j, commander, report):
    version = _version(report, VersionStatus.READY)
    url = reverse("reports:report_version_download", args=[version.pk])
    client.force_login(commander)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-so-ket-nam-2023-v1.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(j.user)
    assert client.get(url).status_code == 403
    client.force_login(jurisdiction(role=Role.STAFF).user)
    assert client.get(url).status_code == 404


def test_a_version_without_a_file_is_not_found(client, j, staff, report):
    version = _version(report, VersionStatus.QUEUED)
    client.force_login(staff)
    assert client.get(reverse("reports:report_version_download", args=[version.pk])).status_code == 404


def test_administrators_see_reports_and_versions_in_the_admin(client, j, report):
    version = _version(report, VersionStatus.FAILED, error="boom")
    admin = OfficerFactory(unit=j.unit_a, role=Role.ADMINISTRATOR).user
    client.force_login(admin)
    for url in (
        reverse("admin:reports_reviewreport_changelist"),
        reverse("admin:reports_reviewreport_change", args=[report.pk]),
        reverse("admin:reports_reportversion_changelist"),
        reverse("admin:reports_reportversion_change", args=[version.pk]),
    ):
        assert client.get(url).status_code == 200, url
    with mock.patch.object(render_report_version, "apply_async"):
        response = client.post(reverse("admin:reports_reportversion_changelist"),
                               {"action": "retry", "_selected_action": [version.pk]})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.QUEUED
