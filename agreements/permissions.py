"""Role rights. Jurisdiction (which rows exist for a user) is decided only in ``querysets.visible_to``."""

from __future__ import annotations

from .models import Role
from .querysets import officer_of


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
