"""Review conferences (hội nghị sơ kết / tổng kết / ký kết / giao ban), the awards given at them, and the review
reports (báo cáo sơ kết / tổng kết) staff prepare, with every PDF version generated from them."""

from __future__ import annotations

import datetime

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Cluster, Unit, audited
from borderzone.periods import Period


class ConferenceKind(models.TextChoices):
    INTERIM = "interim", _("Sơ kết")
    FINAL = "final", _("Tổng kết")
    SIGNING = "signing", _("Ký kết")
    BRIEFING = "briefing", _("Giao ban")


@pghistory.track(*audited())
class Conference(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.PROTECT, related_name="conferences"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    kind = models.CharField(_("loại hội nghị"), max_length=20, choices=ConferenceKind.choices)
    title = models.CharField(_("tên hội nghị"), max_length=400)
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="hosted_conferences"
    )
    attending_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị tham dự"), related_name="attended_conferences", blank=True
    )
    period_year = models.PositiveSmallIntegerField(_("năm được đánh giá"), null=True, blank=True)
    outcomes = models.TextField(_("kết quả"), blank=True)
    new_agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế được ký tại hội nghị"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="signed_at_conferences",
    )

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class AwardForm(models.TextChoices):
    CERTIFICATE = "giay_khen", _("Giấy khen")
    MERIT = "bang_khen", _("Bằng khen")


@pghistory.track(*audited())
class Award(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE,
                                   related_name="awards")
    recipient_kind = models.CharField(_("đối tượng"), max_length=20, choices=RecipientKind.choices)
    recipient = models.CharField(_("tập thể, cá nhân được khen"), max_length=300)
    recipient_unit = models.ForeignKey(
        Unit, verbose_name=_("thuộc đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    authority = models.CharField(_("cấp khen thưởng"), max_length=300)
    form = models.CharField(_("hình thức"), max_length=20, choices=AwardForm.choices, default=AwardForm.CERTIFICATE)
    reason = models.TextField(_("thành tích"), blank=True)

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["recipient_kind", "pk"]

    def __str__(self) -> str:
        return self.recipient

    def clean(self) -> None:
        if not self.recipient.strip():
            raise ValidationError({"recipient": _("Nhập tên tập thể hoặc cá nhân được khen thưởng.")})


# Review reports (báo cáo sơ kết / tổng kết) ---------------------------------------------------


class ReportKind(models.TextChoices):
    INTERIM = "so_ket", _("Sơ kết")
    FINAL = "tong_ket", _("Tổng kết")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    QUEUED = "queued", _("Đang chờ xử lý")
    RENDERING = "rendering", _("Đang tạo")
    READY = "ready", _("Sẵn sàng")
    FAILED = "failed", _("Lỗi")


class VersionStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RENDERING = "rendering", _("Đang tạo")
    READY = "ready", _("Sẵn sàng")
    FAILED = "failed", _("Lỗi")


# The narrative parts written by staff, in the order the printed report reads them
# (docs/ARCHITECTURE.md, "The printed review report").
NARRATIVE_FIELDS = ("situation", "strengths", "limitations", "lessons", "directions", "recommendations")
# What a generated version snapshots besides the figures, so the printed report can be reproduced.
SNAPSHOT_FIELDS = (
    "kind", "subject", *NARRATIVE_FIELDS, "document_number", "place", "issued_on", "parent_body", "issuing_unit",
    "signatory_authority", "signatory_position", "signatory_name", "recipients",
)


class ReviewReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReviewReportQuerySet:
        """Reports of the agreements the user sees (the registry's choke point); roles are checked by the views."""
        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class ReportVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportVersionQuerySet:
        return self.filter(report__agreement__in=Agreement.objects.visible_to(user))

    def pending(self) -> ReportVersionQuerySet:
        return self.filter(status__in=(VersionStatus.QUEUED, VersionStatus.RENDERING))


@pghistory.track(*audited())
class ReviewReport(models.Model):
    """The yearly (or multi-year) review of an agreement or one of its clusters, as staff prepare it."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.PROTECT, related_name="review_reports"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.PROTECT, related_name="review_reports"
    )
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices, default=ReportKind.INTERIM)
    # Half-open intervals of local dates: [start, end).
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("kỳ báo cáo đến trước ngày"))
    comparison_start = models.DateField(_("kỳ so sánh từ ngày"), null=True, blank=True)
    comparison_end = models.DateField(_("kỳ so sánh đến trước ngày"), null=True, blank=True)
    subject = models.CharField(
        _("trích yếu"), max_length=400, blank=True,
        help_text=_("Dòng dưới chữ BÁO CÁO; để trống để dùng trích yếu mặc định."),
    )
    situation = models.TextField(_("đặc điểm tình hình"), blank=True)
    strengths = models.TextField(_("ưu điểm"), blank=True)
    limitations = models.TextField(_("tồn tại, hạn chế, nguyên nhân"), blank=True)
    lessons = models.TextField(_("bài học kinh nghiệm"), blank=True)
    directions = models.TextField(_("phương hướng, nhiệm vụ"), blank=True)
    recommendations = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    document_number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True, help_text=_("Ví dụ: 05/BC-CATX"))
    place = models.CharField(_("địa danh"), max_length=120, blank=True, help_text=_("Ví dụ: Điện Bàn"))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    # Names as printed, snapshotted when the report is written (units are renamed and merged later).
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=200, blank=True)
    issuing_unit = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    signatory_authority = models.CharField(
        _("quyền hạn ký"), max_length=200, blank=True, help_text=_("Ví dụ: TM. BAN CHỈ ĐẠO hoặc KT. TRƯỞNG CÔNG AN")
    )
    signatory_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signatory_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    status = models.CharField(_("trạng thái"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ReviewReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo sơ kết, tổng kết")
        verbose_name_plural = _("báo cáo sơ kết, tổng kết")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")), name="reviewreport_period_ordered"),
            models.CheckConstraint(
                condition=(Q(comparison_start__isnull=True) & Q(comparison_end__isnull=True))
                | Q(comparison_end__gt=F("comparison_start")),
                name="reviewreport_comparison_ordered",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "period_start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scope_name} ({self.period_label})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def scope_name(self) -> str:
        return self.cluster.name if self.cluster_id else (self.agreement.number or self.agreement.title)

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def period_last_day(self) -> datetime.date:
        return self.period_end - datetime.timedelta(days=1)

    @property
    def comparison_label(self) -> str:
        if self.comparison_start is None or self.comparison_end is None:
            return ""
        return period_label(self.comparison_start, self.comparison_end)

    def snapshot(self) -> dict:
        """The text of the report (narrative, number, signatory…) as JSON, stored with every version."""
        data = {name: getattr(self, name) for name in SNAPSHOT_FIELDS}
        data["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        return data


def period_label(start: datetime.date, end: datetime.date) -> str:
    """"năm 2023", "6 tháng đầu năm 2023", … as every period is named (one wording everywhere)."""
    return Period(start, end).label


def report_version_path(instance: ReportVersion, filename: str) -> str:
    return f"reports/{instance.report_id}/{filename}"


# The rendered HTML and the figures are large and never change after the row is written: the audit
# keeps who asked, when, and how the status moved, not copies of the document on every update.
# The heartbeat moves every few seconds while a worker renders: it is liveness, not history.
@pghistory.track(*audited(), exclude=["figures", "html", "heartbeat_at"])
class ReportVersion(models.Model):
    """One generated PDF of a report; every version is kept, with the figures it was printed from."""

    report = models.ForeignKey(ReviewReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE,
                               related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    status = models.CharField(_("trạng thái"), max_length=20, choices=VersionStatus.choices,
                              default=VersionStatus.QUEUED)
    started_at = models.DateTimeField(_("bắt đầu tạo lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    error = models.TextField(_("lý do lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    figures = models.JSONField(_("số liệu"), default=dict, encoder=DjangoJSONEncoder)
    content = models.JSONField(_("nội dung"), default=dict, encoder=DjangoJSONEncoder)
    html = models.TextField(_("HTML đã dựng"), blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to=report_version_path, blank=True, max_length=300)
    page_count = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True)
    # The database, not the broker, is the source of truth of a request: when the message was last
    # handed to the broker (None: never, the broker was unreachable), so a lost one is sent again.
    sent_at = models.DateTimeField(_("gửi vào hàng đợi lúc"), null=True, blank=True)
    # Which worker process holds the rendering claim ("host:pid"), and when it last said it was alive:
    # a claim whose heartbeat stopped belongs to a dead worker and is taken over.
    claimed_by = models.CharField(_("tiến trình xử lý"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("tín hiệu hoạt động lúc"), null=True, blank=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.report} – v{self.number}"

    @property
    def is_pending(self) -> bool:
        return self.status in (VersionStatus.QUEUED, VersionStatus.RENDERING)
