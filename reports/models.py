"""Review conferences (hội nghị sơ kết / tổng kết / ký kết / giao ban) and the awards given at them."""

from __future__ import annotations

import pghistory
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Cluster, Unit, audited


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
