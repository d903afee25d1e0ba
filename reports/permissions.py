"""Who may read and write the review reports. Jurisdiction (which reports exist for a user) is
decided only in ``querysets.visible_to``; these role rules come after it."""

from __future__ import annotations

from agreements.models import Role
from agreements.permissions import can_manage_registry, role_of

# Commanders read the reports of their agreements; staff officers and administrators also write them.
REPORT_READER_ROLES = (Role.COMMANDER, Role.STAFF, Role.ADMINISTRATOR)


def can_view_reports(user) -> bool:
    return role_of(user) in REPORT_READER_ROLES


def can_write_reports(user) -> bool:
    return can_manage_registry(user)
