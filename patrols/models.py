"""Joint patrols (ca tuần tra chung), crackdown campaigns (đợt cao điểm) and checkpoints (chốt kiểm soát)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models import AdministrativeUnit, Agreement, Cluster, Unit, audited, version_field, version_trigger
from borderzone.constraints import sane_dates

from .querysets import AgreementScopedQuerySet, PatrolQuerySet


class PatrolStatus(models.TextChoices):
    PLANNED = "planned", _("Kế hoạch")
    DONE = "done", _("Đã thực hiện")
    CONFIRMED = "confirmed", _("Đơn vị bạn đã xác nhận")


@pghistory.track(*audited())
class Patrol(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.PROTECT, related_name="patrols"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.PROTECT, related_name="patrols"
    )
    programme = models.CharField(
        _("mô hình tuần tra"), max_length=200, blank=True, help_text=_("Ví dụ: “Tuyến biển bình yên”.")
    )
    started_at = models.DateTimeField(_("bắt đầu"))
    ended_at = models.DateTimeField(_("kết thúc"))
    communes = models.ManyToManyField(
        AdministrativeUnit, verbose_name=_("xã, phường đi qua"), related_name="patrols", blank=True
    )
    route = models.TextField(_("tuyến, địa bàn tuần tra"), blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="led_patrols"
    )
    findings = models.TextField(_("kết quả, tình hình phát hiện"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=PatrolStatus.choices, default=PatrolStatus.DONE)
    campaign = models.ForeignKey(
        "Campaign", verbose_name=_("đợt cao điểm"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="patrols",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người xác nhận"),
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))
    # Denormalised sum of participations, kept by the services: "lượt người" is summed over
    # hundreds of thousands of patrols on dashboards.
    officer_total = models.PositiveIntegerField(_("số lượt người"), default=0)
    version = version_field()

    objects = PatrolQuerySet.as_manager()

    class Meta:
        verbose_name = _("ca tuần tra chung")
        verbose_name_plural = _("ca tuần tra chung")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gte=F("started_at")), name="patrol_end_after_start"),
            sane_dates("patrol_sane_dates", moments=("started_at", "ended_at")),
        ]
        triggers = [version_trigger()]
        indexes = [
            # Covering, for index-only scans by the statistics (see incidents.Incident).
            models.Index(
                fields=["agreement", "started_at"],
                include=["officer_total", "status", "programme", "cluster", "id"],
                name="patrol_agreement_cover_idx",
            ),
            models.Index(fields=["cluster", "started_at"]),
            models.Index(fields=["lead_unit", "started_at"]),
            # The latest patrols across many agreements (dashboards of a unit, of the whole country).
            models.Index(fields=["started_at"], name="patrol_started_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.programme or _('Tuần tra chung')} {self.started_at:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:patrol_detail", args=[self.pk])


@pghistory.track(*audited())
class PatrolParticipation(models.Model):
    patrol = models.ForeignKey(
        Patrol,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("ca tuần tra"),
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="patrol_shifts")
    officers = models.PositiveSmallIntegerField(_("số cán bộ, chiến sĩ"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("đơn vị tham gia")
        verbose_name_plural = _("đơn vị tham gia")
        constraints = [
            models.UniqueConstraint(fields=["patrol", "unit"], name="participation_unique_unit"),
            models.CheckConstraint(condition=Q(officers__gte=1), name="participation_officers_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.officers}"


@pghistory.track(*audited())
class PatrolParticipant(models.Model):
    patrol = models.ForeignKey(
        Patrol,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("ca tuần tra"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    rank = models.CharField(_("cấp bậc"), max_length=60, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("người tham gia")
        verbose_name_plural = _("người tham gia")

    def __str__(self) -> str:
        return self.full_name


@pghistory.track(*audited())
class Campaign(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.PROTECT, related_name="campaigns"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("tên đợt cao điểm"), max_length=300)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    units = models.ManyToManyField(Unit, verbose_name=_("đơn vị tham gia"), related_name="campaigns", blank=True)
    targets = models.TextField(_("mục tiêu, chỉ tiêu"), blank=True)
    results = models.TextField(_("kết quả"), blank=True)

    objects = AgreementScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt cao điểm")
        verbose_name_plural = _("đợt cao điểm")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates"),
            sane_dates("campaign_sane_dates", dates=("starts_on", "ends_on")),
        ]

    def __str__(self) -> str:
        return self.name


@pghistory.track(*audited())
class Checkpoint(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.PROTECT, related_name="checkpoints"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.PROTECT, related_name="checkpoints"
    )
    place = models.CharField(_("vị trí"), max_length=300)
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="checkpoints"
    )
    purpose = models.CharField(_("mục đích"), max_length=300)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    units = models.ManyToManyField(Unit, verbose_name=_("đơn vị tham gia"), related_name="checkpoints", blank=True)

    objects = AgreementScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chốt kiểm soát")
        verbose_name_plural = _("chốt kiểm soát")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="checkpoint_dates"
            ),
            sane_dates("checkpoint_sane_dates", dates=("starts_on", "ends_on"), nullable=("ends_on",)),
        ]

    def __str__(self) -> str:
        return self.place


# Links of many-to-many fields are part of the record (where a patrol went, who took part in a
# campaign or a checkpoint), so adding and removing them is audited like the record itself.
@pghistory.track(pghistory.InsertEvent("commune.add"), pghistory.DeleteEvent("commune.remove"), obj_field=None)
class PatrolCommuneLink(Patrol.communes.through):
    class Meta:
        proxy = True


@pghistory.track(pghistory.InsertEvent("unit.add"), pghistory.DeleteEvent("unit.remove"), obj_field=None)
class CampaignUnitLink(Campaign.units.through):
    class Meta:
        proxy = True


@pghistory.track(pghistory.InsertEvent("unit.add"), pghistory.DeleteEvent("unit.remove"), obj_field=None)
class CheckpointUnitLink(Checkpoint.units.through):
    class Meta:
        proxy = True
