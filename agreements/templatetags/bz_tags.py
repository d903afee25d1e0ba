"""Small presentation helpers: Vietnamese names and numbers, status colours, the user's role."""

from __future__ import annotations

import os

from django import template

from agreements.models import AgreementStatus, Role
from agreements.permissions import role_of
from borderzone import formatting

register = template.Library()

STATUS_CLASSES = {
    AgreementStatus.IN_FORCE: "text-bg-success",
    AgreementStatus.DRAFT: "text-bg-secondary",
    AgreementStatus.EXPIRED: "text-bg-warning",
    AgreementStatus.SUPERSEDED: "text-bg-dark",
}


@register.filter
def person_name(user) -> str:
    """Family name first, as Vietnamese names are written ("Nguyễn Văn An"); the username if no name."""
    if not user:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


@register.filter
def vn_number(value, decimals=None) -> str:
    """1290 → "1.290", 88.6 → "88,6" (with ``decimals`` digits after the comma when given).

    Delegates to :func:`borderzone.formatting.vn_number`: one definition, locale-independent.
    """
    return formatting.vn_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def two_digits(value) -> str:
    """Official documents write numbers below ten with a leading zero: 6 → "06" (see :mod:`borderzone.formatting`)."""
    return formatting.two_digits(value)


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.simple_tag
def user_role(user) -> str:
    role = role_of(user)
    return Role(role).label if role else ""


@register.filter
def startswith(value, prefix) -> bool:
    return bool(prefix) and str(value).startswith(str(prefix))


@register.filter
def basename(value) -> str:
    """The file name of a stored file ("agreements/12/quy-che.pdf" → "quy-che.pdf")."""
    return os.path.basename(str(value or ""))
