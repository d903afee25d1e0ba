"""What every app's services share."""

from __future__ import annotations

import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def audit_context(actor) -> pghistory.context:
    """The audit context of a write: every event it records names ``actor`` (None for the system).

    Services open it themselves (inside their transaction) because pghistory's middleware does not
    wrap reads, and writes also come from tasks and commands with no request at all.
    """
    return pghistory.context(user=getattr(actor, "pk", None))


def validate_not_future(value: datetime.datetime | None, field: str) -> None:
    if value is not None and value > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({field: _("Thời điểm này nằm ở tương lai.")})
