"""Tips passed between units (nguồn tin) and incidents (vụ việc, vụ phạm pháp)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models import AdministrativeUnit, Agreement, Cluster, Unit, audited, version_field, version_trigger
from borderzone.constraints import sane_dates
from patrols.models import Campaign, Patrol

from .querysets import IncidentQuerySet, TipQuerySet


class Nature(models.TextChoices):
    CRIMINAL = "criminal", _("Hình sự")
    ADMINISTRATIVE = "administrative", _("Vi phạm hành chính")


class IncidentCategory(models.Model):
    """A controlled taxonomy (docs/ARCHITECTURE.md, "Incident taxonomy").

    Rows come from a data migration; staff never type categories."""

    code = models.SlugField(unique=True, verbose_name=_("mã"))
    name = models.CharField(_("loại vụ việc"), max_length=200)
    group = models.CharField(_("nhóm"), max_length=100)
    default_nature = models.CharField(_("tính chất thường gặp"), max_length=20, choices=Nature.choices)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("loại vụ việc")
        verbose_name_plural = _("loại vụ việc")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    UNIT = "unit", _("Đơn vị bạn cung cấp")
    PUBLIC = "public", _("Quần chúng nhân dân")
    PATROL = "patrol", _("Qua tuần tra")
    OWN = "own", _("Đơn vị tự phát hiện")


class Reliability(models.TextChoices):
    # NATO admiralty grading, as used for criminal intelligence in Vietnam's training material.
    A = "A", _("A – Hoàn toàn tin cậy")
    B = "B", _("B – Thường tin cậy")
    C = "C", _("C – Khá tin cậy")
    D = "D", _("D – Thường không tin cậy")
    E = "E", _("E – Không tin cậy")
    F = "F", _("F – Chưa đánh giá được")


class Credibility(models.TextChoices):
    ONE = "1", _("1 – Đã được xác nhận")
    TWO = "2", _("2 – Có thể đúng")
    THREE = "3", _("3 – Có lẽ đúng")
    FOUR = "4", _("4 – Đáng ngờ")
    FIVE = "5", _("5 – Khó có thể đúng")
    SIX = "6", _("6 – Chưa đánh giá được")


class TipStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    VERIFYING = "verifying", _("Đang xác minh")
    TRUE = "verified_true", _("Xác minh: đúng")
    FALSE = "verified_false", _("Xác minh: không đúng")
    HANDED_OVER = "handed_over", _("Đã chuyển giao")


@pghistory.track(*audited())
class Tip(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.PROTECT, related_name="tips"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.PROTECT, related_name="tips"
    )
    source_kind = models.CharField(_("nguồn"), max_length=10, choices=SourceKind.choices, default=SourceKind.UNIT)
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cung cấp"), on_delete=models.PROTECT, related_name="tips_sent"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tiếp nhận"), on_delete=models.PROTECT, related_name="tips_received"
    )
    patrol = models.ForeignKey(
        Patrol, verbose_name=_("ca tuần tra"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tips"
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    category = models.ForeignKey(
        IncidentCategory, verbose_name=_("loại"), on_delete=models.PROTECT, related_name="tips"
    )
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã, phường"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tips",
    )
    summary = models.TextField(_("nội dung"))
    reliability = models.CharField(_("độ tin cậy của nguồn"), max_length=1, choices=Reliability.choices, default="F")
    credibility = models.CharField(_("độ xác thực của tin"), max_length=1, choices=Credibility.choices, default="6")
    status = models.CharField(_("trạng thái"), max_length=20, choices=TipStatus.choices, default=TipStatus.RECEIVED)
    deadline = models.DateField(_("hạn xác minh"))
    jointly_verified = models.BooleanField(_("phối hợp xác minh"), default=False)
    acknowledged_at = models.DateTimeField(_("đơn vị nhận xác nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người tiếp nhận"),
    )
    verified_at = models.DateTimeField(_("xác minh xong lúc"), null=True, blank=True)
    verification_note = models.TextField(_("kết quả xác minh"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))
    version = version_field()

    objects = TipQuerySet.as_manager()

    class Meta:
        verbose_name = _("nguồn tin")
        verbose_name_plural = _("nguồn tin")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_unit=F("to_unit")), name="tip_between_two_units"),
            sane_dates("tip_sane_dates", moments=("received_at",), dates=("deadline",)),
        ]
        triggers = [version_trigger()]
        indexes = [
            # Covering: the statistics of one agreement read only this index (an index-only scan of
            # the agreement's entries), not one heap page per tip; see docs/BENCHMARKS.md.
            models.Index(
                fields=["agreement", "received_at"],
                include=["status", "deadline", "jointly_verified", "from_unit", "to_unit", "cluster", "id"],
                name="tip_agreement_cover_idx",
            ),
            models.Index(fields=["to_unit", "status"]),
            models.Index(fields=["from_unit", "received_at"]),
            models.Index(fields=["status", "deadline"]),
            # The latest tips across many agreements (dashboards of a unit, of the whole country).
            models.Index(fields=["received_at"], name="tip_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{_('Nguồn tin')} #{self.pk} ({self.received_at:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:tip_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (TipStatus.RECEIVED, TipStatus.VERIFYING)


class IncidentStatus(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận")
    INVESTIGATING = "investigating", _("Đang xác minh, điều tra")
    SOLVED = "solved", _("Đã làm rõ")
    PROSECUTED = "prosecuted", _("Đã khởi tố")
    SANCTIONED = "sanctioned", _("Đã xử phạt hành chính")
    SUSPENDED = "suspended", _("Tạm đình chỉ")
    CLOSED = "closed", _("Đã kết thúc")


# A case counts as cleared ("làm rõ") from the moment it is solved, whatever happens to it next.
CLEARED_STATUSES = (IncidentStatus.SOLVED, IncidentStatus.PROSECUTED, IncidentStatus.SANCTIONED,
                    IncidentStatus.CLOSED)


class IncidentSource(models.TextChoices):
    TIP = "tip", _("Từ nguồn tin")
    PATROL = "patrol", _("Qua tuần tra")
    PUBLIC = "public", _("Quần chúng tố giác")
    OWN = "own", _("Đơn vị tự phát hiện")


@pghistory.track(*audited())
class Incident(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.PROTECT, related_name="incidents"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    occurred_at = models.DateTimeField(_("thời điểm xảy ra"))
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="incidents"
    )
    place = models.CharField(_("địa điểm cụ thể"), max_length=300, blank=True)
    category = models.ForeignKey(
        IncidentCategory, verbose_name=_("loại vụ việc"), on_delete=models.PROTECT, related_name="incidents"
    )
    nature = models.CharField(_("tính chất"), max_length=20, choices=Nature.choices)
    summary = models.TextField(_("tóm tắt"), blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="led_incidents"
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), related_name="supported_incidents", blank=True
    )
    source = models.CharField(_("nguồn phát hiện"), max_length=10, choices=IncidentSource.choices)
    tips = models.ManyToManyField(Tip, verbose_name=_("nguồn tin liên quan"), related_name="incidents", blank=True)
    patrols = models.ManyToManyField(
        Patrol, verbose_name=_("ca tuần tra phát hiện"), related_name="incidents", blank=True
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("đợt cao điểm"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="incidents",
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.RECEIVED
    )
    solved_at = models.DateTimeField(_("thời điểm làm rõ"), null=True, blank=True)
    suspects = models.PositiveIntegerField(_("số đối tượng"), default=0)
    suspects_dealt_with = models.PositiveIntegerField(_("số đối tượng bị bắt, xử lý"), default=0)
    outcome = models.TextField(_("kết quả xử lý"), blank=True)
    # Kept by the services: true when a unit other than the lead took part ("trực tiếp phối hợp").
    jointly_handled = models.BooleanField(_("phối hợp giải quyết"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))
    version = version_field()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(solved_at__isnull=True) | Q(solved_at__gte=F("occurred_at")),
                name="incident_solved_after_occurred",
            ),
            models.CheckConstraint(
                condition=Q(suspects_dealt_with__lte=F("suspects")), name="incident_dealt_with_not_above_suspects"
            ),
            sane_dates("incident_sane_dates", moments=("occurred_at", "solved_at"), nullable=("solved_at",)),
        ]
        triggers = [version_trigger()]
        indexes = [
            # Covering: every column the statistics count, so an agreement's figures come from an
            # index-only scan of its entries, whose cost does not grow with the rest of the table.
            models.Index(
                fields=["agreement", "occurred_at"],
                include=["solved_at", "status", "nature", "source", "category", "commune", "suspects",
                         "suspects_dealt_with", "jointly_handled", "id"],
                name="incident_agreement_cover_idx",
            ),
            models.Index(fields=["cluster", "occurred_at"]),
            models.Index(fields=["commune", "occurred_at"]),
            models.Index(fields=["agreement", "solved_at"]),
            models.Index(fields=["lead_unit", "occurred_at"]),
            # The latest incidents across many agreements (dashboards of a unit, of the whole country).
            models.Index(fields=["occurred_at"], name="incident_occurred_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.category} – {self.commune.name} ({self.occurred_at:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])


# Links between incidents and the tips, patrols and units behind them are part of the record: a tip
# cut loose from its incident changes the "tips that led to incidents" figure, so they are audited.
@pghistory.track(pghistory.InsertEvent("tip.add"), pghistory.DeleteEvent("tip.remove"), obj_field=None)
class IncidentTipLink(Incident.tips.through):
    class Meta:
        proxy = True


@pghistory.track(pghistory.InsertEvent("patrol.add"), pghistory.DeleteEvent("patrol.remove"), obj_field=None)
class IncidentPatrolLink(Incident.patrols.through):
    class Meta:
        proxy = True


@pghistory.track(
    pghistory.InsertEvent("supporting_unit.add"), pghistory.DeleteEvent("supporting_unit.remove"), obj_field=None
)
class IncidentSupportLink(Incident.supporting_units.through):
    class Meta:
        proxy = True
