"""Role rights. Jurisdiction (which rows exist for a user) is decided only in ``querysets.visible_to``."""

from __future__ import annotations

from .models import Role
from .querysets import officer_of, record_scope, sees_everything


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    officer = officer_of(user)
    return officer.role if officer else None


def can_manage_registry(user) -> bool:
    """Staff officers and administrators create and edit agreements and clusters."""
    return role_of(user) in (Role.STAFF, Role.ADMINISTRATOR)


def can_manage_units(user) -> bool:
    """Only administrators keep reference data: units, accounts, roles."""
    return role_of(user) == Role.ADMINISTRATOR


# Field records (patrols, tips, incidents) are written for a unit under an agreement. -------------


def can_record(user) -> bool:
    """Field records are written for a unit: the user needs one (administrators act for any)."""
    return sees_everything(user) or officer_of(user) is not None


def works_under(user, agreement_id: int) -> bool:
    """The user's unit is a party to the agreement (or under one), or the user sees everything."""
    if sees_everything(user):
        return True
    return agreement_id in record_scope(user)["agreements"]


def acts_for(user, unit_id: int) -> bool:
    """The user works for ``unit_id`` (or a unit under it), or sees everything."""
    if sees_everything(user):
        return True
    return unit_id in record_scope(user).get("own_units", [])
