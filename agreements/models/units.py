"""Administrative geography of both eras, acting units and officers."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..querysets import UnitQuerySet


# Deletes are audited too: a removed party or member must stay visible in the record's history.
def audited() -> tuple:
    # Trackers bind to the model they decorate, so every model gets fresh instances.
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


def version_field() -> models.PositiveIntegerField:
    """The version of a record edited through forms (``borderzone.services.check_version``).

    Also a database default: the synthetic load writes rows with COPY, outside the ORM.
    """
    return models.PositiveIntegerField(_("phiên bản"), default=1, db_default=1, editable=False)


def version_trigger() -> pgtrigger.Trigger:
    """Numbers every change of the row, also those that bypass the services (the admin, bulk updates).

    Services set ``version`` themselves (so the saved instance knows it); the trigger steps in only
    when a change leaves it as it was, so an edit page loaded before any such change is refused too.
    """
    return pgtrigger.Trigger(
        name="bump_version",
        level=pgtrigger.Row,
        when=pgtrigger.Before,
        operation=pgtrigger.Update,
        condition=pgtrigger.Condition("OLD.version = NEW.version AND OLD.* IS DISTINCT FROM NEW.*"),
        func="NEW.version := OLD.version + 1; RETURN NEW;",
    )


class Era(models.TextChoices):
    # Codes were reused after the 1 July 2025 reform, so (era, level, code) is the key.
    LEGACY = "legacy", _("Trước 01/7/2025 (3 cấp)")
    CURRENT = "current", _("Từ 01/7/2025 (2 cấp)")


class AdminLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện, thị xã")
    COMMUNE = "commune", _("Xã, phường, thị trấn")


class AdministrativeUnit(models.Model):
    era = models.CharField(_("thời kỳ"), max_length=10, choices=Era.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=AdminLevel.choices)
    code = models.PositiveIntegerField(_("mã"))
    name = models.CharField(_("tên"), max_length=120)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.CharField(max_length=120, verbose_name=_("tên mã"))
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    successors = models.ManyToManyField(
        "self",
        through="AdministrativeSuccession",
        symmetrical=False,
        related_name="predecessors",
        verbose_name=_("nay thuộc"),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["era", "level", "code"]
        constraints = [models.UniqueConstraint(fields=["era", "level", "code"], name="adminunit_era_level_code")]
        indexes = [models.Index(fields=["era", "level", "name"])]

    def __str__(self) -> str:
        if self.parent_id and self.level != AdminLevel.PROVINCE:
            return f"{self.name}, {self.parent.name}"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agreements:adminunit_detail", args=[self.pk])

    def ancestor_ids(self) -> list[int]:
        """Ids of this unit and every unit above it (at most three levels, one query per level)."""
        ids, node = [], self
        while node is not None:
            ids.append(node.pk)
            node = node.parent if node.parent_id else None
        return ids

    def lies_within(self, area: AdministrativeUnit) -> bool:
        return area.pk in self.ancestor_ids()


class AdministrativeSuccession(models.Model):
    """Old commune → new commune(s) of the 2025 reform; one old commune may be split."""

    old = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="succession_rows",
        verbose_name=_("xã cũ"),
    )
    new = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="predecession_rows",
        verbose_name=_("xã mới"),
    )
    partly = models.BooleanField(_("chỉ một phần"), default=False)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="adminsuccession_old_new")]

    def __str__(self) -> str:
        return f"{self.old_id} → {self.new_id}"


class Force(models.TextChoices):
    POLICE = "police", _("Công an")
    MILITARY = "military", _("Quân sự")
    BORDER_GUARD = "border_guard", _("Biên phòng")
    PEOPLES_COMMITTEE = "committee", _("Ủy ban nhân dân")
    MILITIA = "militia", _("Dân quân")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    STATION = "station", _("Đồn, trạm")


@pghistory.track(*audited())
class Unit(models.Model):
    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=40, blank=True)
    force = models.CharField(_("lực lượng"), max_length=20, choices=Force.choices)
    level = models.CharField(_("cấp"), max_length=20, choices=UnitLevel.choices)
    area = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn phụ trách"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    valid_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("đơn vị kế thừa"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_dates_ordered",
            ),
            models.UniqueConstraint(fields=["name", "area"], name="unit_name_area"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày kết thúc hoạt động phải sau ngày bắt đầu.")
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("Một đơn vị không thể trực thuộc chính nó.")
        if self.successor_id and self.pk and self.successor_id == self.pk:
            errors["successor"] = _("Một đơn vị không thể kế thừa chính nó.")
        if errors:
            raise ValidationError(errors)

    def ancestor_ids(self) -> list[int]:
        ids, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            ids.append(node.pk)
            node = node.parent if node.parent_id else None
        return ids


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ, chiến sĩ")
    COMMANDER = "commander", _("Chỉ huy")
    STAFF = "staff", _("Cán bộ tham mưu")
    ADMINISTRATOR = "administrator", _("Quản trị viên")


# Django auth groups carrying each role's model permissions; created by a data migration.
ROLE_GROUPS = {
    Role.OFFICER: "Cán bộ, chiến sĩ",
    Role.COMMANDER: "Chỉ huy",
    Role.STAFF: "Cán bộ tham mưu",
    Role.ADMINISTRATOR: "Quản trị viên",
}


@pghistory.track(*audited())
class Officer(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="officer",
        verbose_name=_("tài khoản"),
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="officers")
    rank = models.CharField(_("cấp bậc"), max_length=60, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


# Accounts are audited from here (a proxy keeps the triggers' migrations in this app, not in
# django.contrib.auth). The password hash is never copied into an event, and a login (which only
# sets last_login) is no change of the account; a new password is recorded as "password.change".
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.UpdateEvent("password.change", condition=pghistory.AnyChange("password")),
    pghistory.DeleteEvent(),
    exclude=["password", "last_login"],
)
class AuditedUser(User):
    class Meta:
        proxy = True
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")


@pghistory.track(pghistory.InsertEvent("group.add"), pghistory.DeleteEvent("group.remove"), obj_field=None)
class UserGroupLink(User.groups.through):
    class Meta:
        proxy = True


@pghistory.track(
    pghistory.InsertEvent("permission.add"), pghistory.DeleteEvent("permission.remove"), obj_field=None
)
class UserPermissionLink(User.user_permissions.through):
    class Meta:
        proxy = True
