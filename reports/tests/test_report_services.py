"""Review report services: validation, rights, PDF versions, the atomic claim, failures and retries."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from pghistory.models import Events

from agreements.models import Role
from agreements.tests.factories import ClusterFactory, OfficerFactory, jurisdiction
from incidents.models import IncidentStatus
from incidents.tests.factories import IncidentFactory
from patrols.tests.factories import local
from reports import pdf, services
from reports.models import ReportKind, ReportStatus, ReportVersion, VersionStatus
from reports.tasks import render_report_version

pytestmark = pytest.mark.django_db

D = datetime.date


def _report(j, **overrides):
    values = dict(
        actor=j.user, agreement=j.agreement, kind=ReportKind.INTERIM,
        period_start=D(2023, 1, 1), period_end=D(2024, 1, 1),
        comparison_start=D(2022, 1, 1), comparison_end=D(2023, 1, 1),
        situation="Năm 2023, tình hình cơ bản ổn định.", document_number="05/BC-CAH", place="Điện Bàn",
        issued_on=D(2023, 12, 28), issuing_unit="Công an huyện Thử Nghiệm", parent_body="Công an tỉnh Thử Nghiệm",
        signatory_position="Trưởng Công an huyện", signatory_name="Trần Văn Ký",
    )
    values.update(overrides)
    return services.report_create(**values)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def staff():
    return jurisdiction(role=Role.STAFF)


# Create and update ------------------------------------------------------------------------------


def test_staff_creates_a_report_audited_with_the_actor(staff):
    report = _report(staff, cluster=staff.cluster, subject="  Sơ kết năm 2023  ")
    assert report.status == ReportStatus.DRAFT
    assert report.subject == "Sơ kết năm 2023"
    assert report.created_by == staff.user
    assert report.period_label == "năm 2023" and report.comparison_label == "năm 2022"
    event = Events.objects.tracks(report).get()
    assert event.pgh_label == "insert" and event.pgh_context["user"] == staff.user.pk


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"period_end": D(2023, 1, 1)}, "period_end", "Ngày kết thúc kỳ báo cáo không thể trước ngày bắt đầu."),
        ({"period_end": D(2012, 1, 1), "period_start": D(2000, 1, 1), "comparison_start": None,
          "comparison_end": None, "issued_on": None}, "period_end", "Kỳ báo cáo dài quá 10 năm."),
        ({"comparison_end": None}, "comparison_end",
         "Nhập đủ ngày bắt đầu và ngày kết thúc của kỳ so sánh, hoặc bỏ trống cả hai."),
        ({"comparison_start": None}, "comparison_start",
         "Nhập đủ ngày bắt đầu và ngày kết thúc của kỳ so sánh, hoặc bỏ trống cả hai."),
        ({"comparison_end": D(2021, 1, 1)}, "comparison_end",
         "Ngày kết thúc kỳ so sánh không thể trước ngày bắt đầu."),
        ({"comparison_start": D(2022, 7, 1), "comparison_end": D(2023, 7, 1)}, "comparison_end",
         "Kỳ so sánh phải kết thúc trước khi kỳ báo cáo bắt đầu."),
        ({"issued_on": D(2022, 12, 31)}, "issued_on", "Ngày ban hành không thể trước ngày bắt đầu kỳ báo cáo."),
        ({"kind": "nam"}, "kind", None),
    ],
)
def test_invalid_reports_are_refused_with_a_message_by_field(staff, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        _report(staff, **overrides)
    errors = _errors(excinfo)
    assert field in errors
    if message:
        assert errors[field] == [message]


def test_a_period_that_has_not_begun_is_refused(staff):
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as excinfo:
        _report(staff, period_start=D(next_year, 1, 1), period_end=D(next_year + 1, 1, 1), issued_on=None,
                comparison_start=None, comparison_end=None)
    assert _errors(excinfo) == {"period_start": ["Kỳ báo cáo chưa bắt đầu."]}


def test_the_cluster_must_belong_to_the_agreement(staff):
    with pytest.raises(ValidationError) as excinfo:
        _report(staff, cluster=ClusterFactory())
    assert _errors(excinfo)["cluster"] == ["Cụm phải thuộc quy chế phối hợp đã chọn."]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COMMANDER])
def test_officers_and_commanders_do_not_write_reports(role):
    j = jurisdiction(role=role)
    with pytest.raises(PermissionDenied):
        _report(j)


def test_staff_of_another_jurisdiction_cannot_write_or_queue(staff):
    report = _report(staff)
    outsider = jurisdiction(role=Role.STAFF).user
    with pytest.raises(PermissionDenied):
        _report(staff, actor=outsider)
    with pytest.raises(PermissionDenied):
        services.report_update(actor=outsider, report=report, situation="x")
    with pytest.raises(PermissionDenied):
        services.report_request_pdf(actor=outsider, report=report)


def test_update_changes_the_text_and_revalidates(staff):
    report = _report(staff)
    services.report_update(actor=staff.user, report=report, lessons="Bài học: phối hợp chặt chẽ.",
                           recipients="UBND huyện;\nLưu: VT.")
    report.refresh_from_db()
    assert report.lessons == "Bài học: phối hợp chặt chẽ."
    with pytest.raises(ValidationError) as excinfo:
        services.report_update(actor=staff.user, report=report, period_end=D(2022, 6, 1))
    assert "period_end" in _errors(excinfo)
    with pytest.raises(TypeError):
        services.report_update(actor=staff.user, report=report, agreement=None)


# Requesting a PDF ---------------------------------------------------------------------------------


def _incidents(j, solved: int, unsolved: int) -> None:
    commune = j.commune_a
    for i in range(solved):
        IncidentFactory(agreement=j.agreement, commune=commune, lead_unit=j.unit_a,
                        occurred_at=local(2023, 3, 1 + i, 10), status=IncidentStatus.SOLVED,
                        solved_at=local(2023, 3, 2 + i, 10))
    for i in range(unsolved):
        IncidentFactory(agreement=j.agreement, commune=commune, lead_unit=j.unit_a,
                        occurred_at=local(2023, 5, 1 + i, 10))


def test_request_queues_a_version_with_the_figures_and_text_of_now(staff, django_capture_on_commit_callbacks):
    _incidents(staff, solved=3, unsolved=1)
    report = _report(staff)
    with (
        mock.patch.object(render_report_version, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        version = services.report_request_pdf(actor=staff.user, report=report)
    assert version.number == 1 and version.status == VersionStatus.QUEUED
    assert version.requested_by == staff.user
    assert version.figures["incidents"]["occurred"] == 4
    assert version.figures["incidents"]["solved_of_occurred"] == 3
    assert version.figures["period"]["label"] == "năm 2023"
    assert version.content["document_number"] == "05/BC-CAH"
    send.assert_called_once()
    assert send.call_args.args == ((version.pk,),)
    assert send.call_args.kwargs["task_id"] == version.task_id
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED
    # Later edits do not touch what the version will print.
    services.report_update(actor=staff.user, report=report, document_number="06/BC-CAH")
    version.refresh_from_db()
    assert version.content["document_number"] == "05/BC-CAH"
    with mock.patch.object(render_report_version, "apply_async"):
        assert services.report_request_pdf(actor=staff.user, report=report).number == 2


def test_nothing_is_sent_when_the_transaction_rolls_back(staff, django_capture_on_commit_callbacks):
    report = _report(staff)
    with django_capture_on_commit_callbacks() as callbacks:
        services.report_request_pdf(actor=staff.user, report=report)
    assert len(callbacks) == 1  # sent only on commit (pytest-django's transaction never commits)


def test_a_broker_that_cannot_be_reached_keeps_the_version_queued_with_a_reason(
    staff, django_capture_on_commit_callbacks
):
    report = _report(staff)
    with (
        mock.patch.object(render_report_version, "apply_async", side_effect=BrokerError("Connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        version = services.report_request_pdf(actor=staff.user, report=report)
    version.refresh_from_db()
    # The request is kept: the sweep sends it when the broker is back (tests/test_redis_outage.py).
    assert version.status == VersionStatus.QUEUED and version.sent_at is None
    assert "Không gửi được yêu cầu tới hàng đợi xử lý" in version.error


# Rendering: the atomic claim ----------------------------------------------------------------------


@pytest.fixture
def queued(staff):
    _incidents(staff, solved=2, unsolved=1)
    report = _report(staff)
    with mock.patch.object(render_report_version, "apply_async"):
        version = services.report_request_pdf(actor=staff.user, report=report)
    return version


def test_render_attaches_the_whole_pdf_and_marks_ready(queued):
    assert services.report_version_render(version_id=queued.pk) == VersionStatus.READY
    queued.refresh_from_db()
    assert queued.status == VersionStatus.READY and queued.attempts == 1
    assert queued.started_at and queued.finished_at and queued.finished_at >= queued.started_at
    assert queued.page_count >= 1 and "BÁO CÁO" in queued.html
    with queued.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    queued.report.refresh_from_db()
    assert queued.report.status == ReportStatus.READY


def test_rendering_twice_renders_once(queued):
    real = pdf.render_pdf
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        # A duplicate delivery arriving while this one renders finds the row claimed.
        assert services.report_version_render(version_id=queued.pk) is None
        return real(*args, **kwargs)

    with mock.patch.object(pdf, "render_pdf", side_effect=counting):
        assert services.report_version_render(version_id=queued.pk) == VersionStatus.READY
        assert services.report_version_render(version_id=queued.pk) is None  # and one arriving after it
    assert len(calls) == 1
    queued.refresh_from_db()
    assert queued.attempts == 1 and queued.status == VersionStatus.READY


def test_a_claim_abandoned_by_a_dead_worker_is_taken_again(queued):
    long_ago = timezone.now() - services.STALE_RENDERING - datetime.timedelta(minutes=1)
    ReportVersion.objects.filter(pk=queued.pk).update(status=VersionStatus.RENDERING, started_at=long_ago, attempts=1)
    assert services.report_version_render(version_id=queued.pk) == VersionStatus.READY
    queued.refresh_from_db()
    assert queued.attempts == 2


def test_a_fresh_claim_is_left_alone(queued):
    ReportVersion.objects.filter(pk=queued.pk).update(status=VersionStatus.RENDERING, started_at=timezone.now())
    assert services.report_version_render(version_id=queued.pk) is None
    assert ReportVersion.objects.get(pk=queued.pk).status == VersionStatus.RENDERING


# Failure and retry --------------------------------------------------------------------------------


def test_a_failure_records_the_reason_and_a_retry_renders_it(staff, queued, django_capture_on_commit_callbacks):
    with mock.patch.object(pdf, "render_pdf", side_effect=RuntimeError("hết bộ nhớ")), pytest.raises(RuntimeError):
        services.report_version_render(version_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == VersionStatus.FAILED
    assert queued.error == "Lỗi khi tạo PDF: RuntimeError: hết bộ nhớ"
    assert not queued.pdf
    queued.report.refresh_from_db()
    assert queued.report.status == ReportStatus.FAILED

    old_task = queued.task_id
    with (
        mock.patch.object(render_report_version, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        retried = services.report_version_retry(actor=staff.user, version=queued)
    assert retried.status == VersionStatus.QUEUED and retried.error == "" and retried.task_id != old_task
    send.assert_called_once()
    assert services.report_version_render(version_id=queued.pk) == VersionStatus.READY
    queued.refresh_from_db()
    assert queued.attempts == 2 and queued.pdf
    # The retry printed the figures stored with the version, not new ones.
    assert queued.figures["incidents"]["occurred"] == 3


def test_a_missing_font_fails_with_what_to_install(queued, settings):
    settings.REPORT_FONT_DIR = "/nonexistent/fonts"
    with pytest.raises(pdf.ReportRenderError):
        services.report_version_render(version_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == VersionStatus.FAILED and "fonts-liberation2" in queued.error


def test_retry_is_refused_while_a_version_is_fresh_in_the_queue_or_done(staff, queued):
    with pytest.raises(ValidationError):
        services.report_version_retry(actor=staff.user, version=queued)
    services.report_version_render(version_id=queued.pk)
    queued.refresh_from_db()
    with pytest.raises(ValidationError):
        services.report_version_retry(actor=staff.user, version=queued)


def test_a_version_stuck_in_the_queue_may_be_retried(staff, queued):
    ReportVersion.objects.filter(pk=queued.pk).update(
        requested_at=timezone.now() - services.STALE_QUEUED - datetime.timedelta(seconds=5)
    )
    queued.refresh_from_db()
    with mock.patch.object(render_report_version, "apply_async"):
        assert services.report_version_retry(actor=staff.user, version=queued).status == VersionStatus.QUEUED


def test_commanders_cannot_retry(queued):
    commander = OfficerFactory(unit=queued.report.agreement.parties.first().unit, role=Role.COMMANDER).user
    ReportVersion.objects.filter(pk=queued.pk).update(status=VersionStatus.FAILED)
    queued.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.report_version_retry(actor=commander, version=queued)
