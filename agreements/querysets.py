"""The access choke point: every read of a jurisdiction's records starts from ``visible_to(user)``.

A user sees the agreements that their unit, or a unit above it, is party to, and everything under
those agreements. Administrators see everything. Anything else behaves as if it did not exist, so
views turn an out-of-scope lookup into the same 404 as a missing row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection, models

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


def user_unit_lines(user) -> tuple[list[int], list[int]]:
    """The user's unit with the units above it, and with the units under it; one query per request.

    Both come with the same query: the menu's inbox badge and the access rules ask on every page,
    commanders' tips need the subtree.
    """
    officer = officer_of(user)
    if officer is None:
        return [], []
    lines = getattr(user, "_borderzone_unit_lines", None)
    if lines is None:
        lines = user._borderzone_unit_lines = unit_lines(officer.unit_id)
    return lines


def user_unit_ids(user) -> list[int]:
    """The user's unit and the units above it: a sub-unit acts under its parent's agreements."""
    return user_unit_lines(user)[0]


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


# Units form a short tree (province → district → commune police); a bad edit could make a cycle, so
# both walks stop after a few levels and each unit is listed once, nearest first.
_UNIT_LINES_SQL = """
WITH RECURSIVE up(id, parent_id, n) AS (
    SELECT id, parent_id, 0 FROM agreements_unit WHERE id = %(unit)s
    UNION ALL
    SELECT u.id, u.parent_id, up.n + 1 FROM agreements_unit u JOIN up ON u.id = up.parent_id WHERE up.n < 8
), down(id, n) AS (
    SELECT id, 0 FROM agreements_unit WHERE id = %(unit)s
    UNION ALL
    SELECT u.id, down.n + 1 FROM agreements_unit u JOIN down ON u.parent_id = down.id WHERE down.n < %(depth)s
)
SELECT ARRAY(SELECT id FROM up GROUP BY id ORDER BY min(n)),
       ARRAY(SELECT id FROM down GROUP BY id ORDER BY min(n), id)
"""


def unit_lines(unit_id: int, depth: int = 3) -> tuple[list[int], list[int]]:
    """One query: the unit and the units above it, and the unit and the units under it (``depth`` levels)."""
    with connection.cursor() as cursor:
        cursor.execute(_UNIT_LINES_SQL, {"unit": unit_id, "depth": depth})
        up, down = cursor.fetchone()
    return list(up), list(down)


def unit_subtree_ids(unit_id: int, depth: int = 3) -> list[int]:
    """A unit and the units under it (commune police under district police under province police)."""
    return unit_lines(unit_id, depth)[1]


def record_scope(user) -> dict:
    """What a user may see of field records (patrols, tips, incidents), computed once per request.

    ``all``: everything; otherwise ``agreements`` (visible agreement ids), ``own_units`` (the
    user's unit and those above it) and ``tip_units`` (units whose tips the user may read: his own
    unit, and for commanders every unit under it).
    """
    cached = getattr(user, "_borderzone_record_scope", None) if user is not None else None
    if cached is not None:
        return cached
    from .models import Agreement, Role

    if sees_everything(user):
        scope = {"all": True}
    else:
        officer = officer_of(user)
        if officer is None:
            scope = {"all": False, "agreements": [], "own_units": [], "tip_units": [], "role": None}
        else:
            own_units, subtree = user_unit_lines(user)
            tip_units = subtree if officer.role == Role.COMMANDER else [officer.unit_id]
            scope = {
                "all": False,
                "agreements": list(Agreement.objects.visible_to(user).values_list("pk", flat=True)),
                "own_units": own_units,
                "tip_units": tip_units,
                "role": officer.role,
            }
    if user is not None and user.is_authenticated:
        user._borderzone_record_scope = scope
    return scope
