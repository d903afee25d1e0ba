"""The access choke point: every read of a jurisdiction's records starts from ``visible_to(user)``.

A user sees the agreements that their unit, or a unit above it, is party to, and everything under
those agreements. Administrators see everything. Anything else behaves as if it did not exist, so
views turn an out-of-scope lookup into the same 404 as a missing row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def officer_of(user: AbstractBaseUser | AnonymousUser | None):
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "officer", None)


def sees_everything(user) -> bool:
    from .models import Role

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    officer = officer_of(user)
    return officer is not None and officer.role == Role.ADMINISTRATOR


def user_unit_ids(user) -> list[int]:
    """The user's unit and the units above it: a sub-unit acts under its parent's agreements."""
    officer = officer_of(user)
    if officer is None:
        return []
    cache = getattr(user, "_borderzone_unit_ids", None)
    if cache is None:
        cache = officer.unit.ancestor_ids()
        user._borderzone_unit_ids = cache
    return cache


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgreementQuerySet:
        if sees_everything(user):
            return self.all()
        unit_ids = user_unit_ids(user)
        if not unit_ids:
            return self.none()
        return self.filter(pk__in=self.model.parties.rel.related_model.objects.filter(unit_id__in=unit_ids).values(
            "agreement_id"
        ))


class ClusterQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClusterQuerySet:
        if sees_everything(user):
            return self.all()
        from .models import Agreement

        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class UnitQuerySet(models.QuerySet):
    def current(self, on=None) -> UnitQuerySet:
        import datetime

        on = on or datetime.date.today()
        return self.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on))
