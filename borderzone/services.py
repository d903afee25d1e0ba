"""What every app's services share."""

from __future__ import annotations

import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import periods
from .formatting import vn_date

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def audit_context(actor) -> pghistory.context:
    """The audit context of a write: every event it records names ``actor`` (None for the system).

    Services open it themselves (inside their transaction) because pghistory's middleware does not
    wrap reads, and writes also come from tasks and commands with no request at all.
    """
    return pghistory.context(user=getattr(actor, "pk", None))


def _local_day(value: datetime.date | datetime.datetime) -> datetime.date:
    if not isinstance(value, datetime.datetime):
        return value
    if timezone.is_naive(value):
        return value.date()
    try:
        return timezone.localdate(value)
    except OverflowError:
        # Year 1 or 9999 shifted into the local zone leaves the calendar; its own date is as good.
        return value.date()


def moment_problem(
    value: datetime.date | datetime.datetime | None,
    *,
    not_before: datetime.date = periods.EARLIEST,
    not_in_future: bool = False,
) -> str | None:
    """Why a date or time a person entered cannot be kept, or None when it can.

    The one rule for every entered date and time (forms, filters and services call it; the database
    checks the same bounds): from ``not_before`` (1990-01-01) up to the end of the last year periods
    know, and, for what must already have happened, not in the future.
    """
    if value is None:
        return None
    day = _local_day(value)
    if day < not_before:
        return _("Ngày này quá xa trong quá khứ: chỉ nhận từ ngày %(day)s.") % {"day": vn_date(not_before)}
    if day >= periods.LATEST:
        return _("Ngày này quá xa: chỉ nhận đến ngày %(day)s.") % {"day": vn_date(periods.LATEST - periods.ONE_DAY)}
    if not_in_future:
        if isinstance(value, datetime.datetime):
            aware = value if timezone.is_aware(value) else timezone.make_aware(value)
            future = aware > timezone.now() + CLOCK_SKEW
        else:
            future = value > timezone.localdate()
        if future:
            return _("Thời điểm này nằm ở tương lai.")
    return None


def validate_moment(
    value: datetime.date | datetime.datetime | None,
    field: str,
    *,
    not_before: datetime.date = periods.EARLIEST,
    not_in_future: bool = False,
) -> None:
    """Refuse an entered date or time outside :func:`moment_problem`'s rule, beside ``field``."""
    problem = moment_problem(value, not_before=not_before, not_in_future=not_in_future)
    if problem is not None:
        raise ValidationError({field: problem})


def validate_not_future(value: datetime.datetime | None, field: str) -> None:
    validate_moment(value, field, not_in_future=True)
