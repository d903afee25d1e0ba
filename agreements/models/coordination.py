"""Coordination agreements, their parties and chapters, clusters and what hangs off a cluster.

Validation that needs more than one row (a party listed twice, a member outside its party's
area, overlapping memberships) lives in ``clean()`` so that forms, admin and services all see the
same Vietnamese messages; the database backs the same rules with constraints.
"""

from __future__ import annotations

import datetime

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from borderzone.constraints import sane_dates

from ..querysets import AgreementQuerySet, ClusterQuerySet
from .units import AdministrativeUnit, AdminLevel, Unit, audited, version_field, version_trigger


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_FORCE = "in_force", _("Đang hiệu lực")
    EXPIRED = "expired", _("Hết hiệu lực")
    SUPERSEDED = "superseded", _("Đã được thay thế")


class LegalBasis(models.Model):
    # Numbers such as "03/2019/NĐ-CP" are ambiguous in public databases, so the date and title are kept too.
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=400)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["issued_on", "number"]
        constraints = [models.UniqueConstraint(fields=["number", "issued_on"], name="legalbasis_number_date")]

    def __str__(self) -> str:
        if self.issued_on:
            return f"{self.number} ngày {self.issued_on:%d/%m/%Y} {self.title}"
        return f"{self.number} {self.title}"


class CoordinationArea(models.Model):
    code = models.SlugField(unique=True, verbose_name=_("mã"))
    name = models.CharField(_("nội dung phối hợp"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("nội dung phối hợp")
        verbose_name_plural = _("nội dung phối hợp")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


def agreement_document_path(instance: Agreement, filename: str) -> str:
    return f"agreements/{instance.pk or 'new'}/{filename}"


@pghistory.track(*audited())
class Agreement(models.Model):
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("tên quy chế"), max_length=400)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    signed_at = models.CharField(_("nơi ký"), max_length=200, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_bases = models.ManyToManyField(LegalBasis, verbose_name=_("căn cứ pháp lý"), blank=True)
    coordination_areas = models.ManyToManyField(CoordinationArea, verbose_name=_("nội dung phối hợp"), blank=True)
    chapter_count = models.PositiveSmallIntegerField(_("số chương"), null=True, blank=True)
    article_count = models.PositiveSmallIntegerField(_("số điều"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.IN_FORCE
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("thay thế quy chế"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    document = models.FileField(
        _("văn bản đã ký"),
        upload_to=agreement_document_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("cập nhật lúc"))
    version = version_field()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy chế phối hợp")
        verbose_name_plural = _("quy chế phối hợp")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="agreement_effective_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(supersedes=F("pk")), name="agreement_not_superseding_itself"),
            sane_dates(
                "agreement_sane_dates",
                dates=("signed_on", "effective_from", "effective_to"),
                nullable=("signed_on", "effective_from", "effective_to"),
            ),
        ]
        triggers = [version_trigger()]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            errors["effective_to"] = _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
        if self.signed_on and self.effective_from and self.effective_from < self.signed_on:
            errors["effective_from"] = _("Quy chế không thể có hiệu lực trước ngày ký.")
        if self.supersedes_id and self.pk:
            if self.supersedes_id == self.pk:
                errors["supersedes"] = _("Một quy chế không thể thay thế chính nó.")
            elif self.pk in self.supersedes_chain_ids():
                errors["supersedes"] = _("Chuỗi thay thế bị vòng lặp: quy chế được chọn đã thay thế quy chế này.")
        if errors:
            raise ValidationError(errors)

    def supersedes_chain_ids(self) -> list[int]:
        """Ids of the agreements this one replaced, newest first (stops on a loop)."""
        ids, node = [], self.supersedes
        while node is not None and node.pk not in ids:
            ids.append(node.pk)
            node = node.supersedes
        return ids


# The legal bases and coordination areas an agreement names are part of it: their links are audited.
@pghistory.track(
    pghistory.InsertEvent("legal_basis.add"), pghistory.DeleteEvent("legal_basis.remove"), obj_field=None
)
class AgreementLegalBasisLink(Agreement.legal_bases.through):
    class Meta:
        proxy = True


@pghistory.track(
    pghistory.InsertEvent("coordination_area.add"), pghistory.DeleteEvent("coordination_area.remove"), obj_field=None
)
class AgreementAreaLink(Agreement.coordination_areas.through):
    class Meta:
        proxy = True


@pghistory.track(*audited())
class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("quy chế"),
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="party_to")
    signatory_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signatory_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("bên tham gia")
        verbose_name_plural = _("các bên tham gia")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["agreement", "unit"], name="agreementparty_unique_unit")]

    def __str__(self) -> str:
        return str(self.unit)

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError({"unit": _("Đơn vị này đã là một bên của quy chế.")}) from exc


@pghistory.track(*audited())
class AgreementChapter(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="chapters",
        verbose_name=_("quy chế"),
    )
    number = models.PositiveSmallIntegerField(_("chương số"), validators=[MinValueValidator(1)])
    title = models.CharField(_("tên chương"), max_length=300)

    class Meta:
        verbose_name = _("chương")
        verbose_name_plural = _("chương")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="chapter_unique_number")]

    def __str__(self) -> str:
        return f"Chương {self.number}. {self.title}"


@pghistory.track(*audited())
class AgreementArticle(models.Model):
    chapter = models.ForeignKey(
        AgreementChapter,
        on_delete=models.CASCADE,
        related_name="articles",
        verbose_name=_("chương"),
    )
    number = models.PositiveSmallIntegerField(_("điều số"), validators=[MinValueValidator(1)])
    title = models.CharField(_("tên điều"), max_length=300)
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("điều")
        verbose_name_plural = _("điều")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["chapter", "number"], name="article_unique_number")]

    def __str__(self) -> str:
        return f"Điều {self.number}. {self.title}"


class ClusterKind(models.TextChoices):
    SAFE = "safe", _("Cụm giáp ranh an toàn về ANTT")
    LINKED = "linked", _("Cụm liên hoàn về ANTT")
    CRIME_FIGHTING = "crime_fighting", _("Cụm giáp ranh đấu tranh, phòng chống tội phạm")
    OTHER = "other", _("Khác")


@pghistory.track(*audited())
class Cluster(models.Model):
    name = models.CharField(_("tên cụm"), max_length=300)
    kind = models.CharField(_("loại cụm"), max_length=20, choices=ClusterKind.choices, default=ClusterKind.SAFE)
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.PROTECT, related_name="clusters"
    )
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    description = models.TextField(_("ghi chú"), blank=True)
    version = version_field()

    objects = ClusterQuerySet.as_manager()

    class Meta:
        verbose_name = _("cụm giáp ranh")
        verbose_name_plural = _("cụm giáp ranh")
        ordering = ["name"]
        triggers = [version_trigger()]
        constraints = [sane_dates("cluster_sane_dates", dates=("established_on",), nullable=("established_on",))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agreements:cluster_detail", args=[self.pk])


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


@pghistory.track(*audited())
class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members", verbose_name=_("cụm"))
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="cluster_memberships",
        limit_choices_to={"level": AdminLevel.COMMUNE},
    )
    responsible_party = models.ForeignKey(
        AgreementParty, verbose_name=_("bên phụ trách"), on_delete=models.PROTECT, related_name="cluster_members"
    )
    valid_from = models.DateField(_("tham gia từ"))
    valid_to = models.DateField(
        _("tham gia đến"), null=True, blank=True, help_text=_("Để trống nếu vẫn là thành viên.")
    )

    class Meta:
        verbose_name = _("xã thành viên")
        verbose_name_plural = _("xã thành viên")
        ordering = ["responsible_party__order", "commune__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="clustermember_dates_ordered",
            ),
            sane_dates("clustermember_sane_dates", dates=("valid_from", "valid_to"), nullable=("valid_to",)),
            # One commune cannot be a member of the same cluster twice at once; '[]' because valid_to is
            # the last day of membership.
            ExclusionConstraint(
                name="clustermember_no_overlap",
                expressions=[
                    ("cluster", RangeOperators.EQUAL),
                    ("commune", RangeOperators.EQUAL),
                    (DateRange("valid_from", "valid_to", models.Value("[]")), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("Xã này đã là thành viên của cụm trong khoảng thời gian trùng lặp."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.commune)

    def is_active_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        errors = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày rời cụm phải sau ngày tham gia.")
        if self.commune_id and self.commune.level != AdminLevel.COMMUNE:
            errors["commune"] = _("Thành viên của cụm phải là đơn vị hành chính cấp xã.")
        if self.responsible_party_id and self.cluster_id:
            party = self.responsible_party
            if party.agreement_id != self.cluster.agreement_id:
                errors["responsible_party"] = _("Bên phụ trách phải là một bên của quy chế mà cụm thực hiện.")
            elif self.commune_id and not self.commune.lies_within(party.unit.area):
                errors["commune"] = _("Xã %(commune)s nằm ngoài địa bàn phụ trách của %(unit)s (%(area)s).") % {
                    "commune": self.commune.name,
                    "unit": party.unit.name,
                    "area": party.unit.area.name,
                }
        if not errors and self.cluster_id and self.commune_id and self.valid_from:
            overlapping = ClusterMember.objects.filter(cluster_id=self.cluster_id, commune_id=self.commune_id).exclude(
                pk=self.pk
            )
            end = self.valid_to or datetime.date.max
            overlapping = overlapping.filter(valid_from__lte=end).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if overlapping.exists():
                errors["valid_from"] = _("Xã này đã là thành viên của cụm trong khoảng thời gian trùng lặp.")
        if errors:
            raise ValidationError(errors)


class BoardRole(models.TextChoices):
    HEAD = "head", _("Trưởng ban")
    DEPUTY = "deputy", _("Phó trưởng ban")
    STANDING = "standing", _("Thường trực")
    MEMBER = "member", _("Thành viên")


@pghistory.track(*audited())
class BoardMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="board_members", verbose_name=_("cụm"))
    full_name = models.CharField(_("họ và tên"), max_length=120)
    rank = models.CharField(_("cấp bậc"), max_length=60, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="board_seats")
    board_role = models.CharField(_("chức danh trong ban"), max_length=20, choices=BoardRole.choices)
    duties = models.TextField(_("nhiệm vụ được phân công"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành viên ban chỉ đạo")
        verbose_name_plural = _("ban chỉ đạo cụm")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_board_role_display()})"


@pghistory.track(*audited())
class MobileTeam(models.Model):
    cluster = models.OneToOneField(Cluster, on_delete=models.CASCADE, related_name="mobile_team", verbose_name=_("cụm"))
    name = models.CharField(_("tên đội"), max_length=200)
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    duties = models.TextField(_("nhiệm vụ"), blank=True)

    class Meta:
        verbose_name = _("đội công an cơ động của cụm")
        verbose_name_plural = _("đội công an cơ động của cụm")
        constraints = [sane_dates("mobileteam_sane_dates", dates=("established_on",), nullable=("established_on",))]

    def __str__(self) -> str:
        return self.name


@pghistory.track(*audited())
class MobileTeamMember(models.Model):
    team = models.ForeignKey(MobileTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("đội"))
    full_name = models.CharField(_("họ và tên"), max_length=120)
    rank = models.CharField(_("cấp bậc"), max_length=60, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="team_members")
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="team_members"
    )

    class Meta:
        verbose_name = _("thành viên đội cơ động")
        verbose_name_plural = _("thành viên đội cơ động")
        ordering = ["commune__name", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.team_id and self.commune_id:
            cluster = self.team.cluster
            if not cluster.members.filter(commune_id=self.commune_id).exists():
                raise ValidationError({"commune": _("Xã này không phải thành viên của cụm.")})


class SelfManagementStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    SUSPENDED = "suspended", _("Tạm dừng")
    ENDED = "ended", _("Đã kết thúc")


class SelfManagementKind(models.TextChoices):
    CAMERA = "camera", _("Camera giám sát an ninh")
    BOARDING_HOUSE = "boarding_house", _("Khu nhà trọ an toàn về ANTT")
    CRIME_CLUB = "crime_club", _("Câu lạc bộ phòng, chống tội phạm")
    ELDERLY = "elderly", _("Người cao tuổi không có con cháu vi phạm pháp luật")
    SAFE_CLUSTER = "safe_cluster", _("Cụm giáp ranh an toàn về ANTT")
    OTHER = "other", _("Mô hình khác")


@pghistory.track(*audited())
class SelfManagementModel(models.Model):
    kind = models.CharField(_("loại mô hình"), max_length=20, choices=SelfManagementKind.choices)
    name = models.CharField(_("tên mô hình"), max_length=300)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="self_management_models",
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("quy chế phối hợp"), on_delete=models.CASCADE, related_name="self_management_models"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="self_management_models",
    )
    started_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=SelfManagementStatus.choices, default=SelfManagementStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("mô hình tự phòng, tự quản")
        verbose_name_plural = _("mô hình tự phòng, tự quản")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="selfmanagement_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
        if self.cluster_id and self.agreement_id and self.cluster.agreement_id != self.agreement_id:
            errors["cluster"] = _("Cụm phải thuộc quy chế phối hợp đã chọn.")
        if errors:
            raise ValidationError(errors)
