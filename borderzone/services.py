"""What every app's services share."""

from __future__ import annotations

import datetime

import pghistory
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
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


# Versions of records edited through forms ----------------------------------------------------------

# The code of the refusal, so the form can take the stored version in for a deliberate second save.
STALE_VERSION = "stale_version"
# Bookkeeping columns a reader does not need to see among "what changed meanwhile".
_UNCOMPARED = frozenset({"id", "version", "created_at", "updated_at"})


def check_version(instance: models.Model, loaded_version: int | None) -> int:
    """Lock the stored row of ``instance`` and return its version; refuse an edit loaded from an older one.

    Services call it first in their transaction and save ``version + 1``, so of two edits of the
    same version the second waits for the lock, then finds a newer version and is refused instead
    of silently reverting the first. ``loaded_version=None`` (tasks, admin, commands) only locks.
    The refusal (keyed NON_FIELD_ERRORS) names who saved meanwhile and the values now stored.
    """
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if loaded_version is None or stored.version == loaded_version:
        return stored.version
    messages = [
        ValidationError(
            _("Hồ sơ này vừa được %(who)s lưu (lúc %(at)s) sau khi bạn mở trang sửa; thay đổi của bạn chưa được lưu."),
            code=STALE_VERSION,
            params={"version": stored.version, **_last_writer(stored)},
        )
    ]
    changes = _changes_since(stored, loaded_version)
    if changes:
        messages.append(
            ValidationError(_("Giá trị hiện đang lưu: %(changes)s.") % {"changes": "; ".join(changes)})
        )
    messages.append(
        ValidationError(
            _("Nội dung bạn đã nhập vẫn còn dưới đây: đối chiếu lại, rồi bấm Lưu nếu vẫn muốn thay bằng nội dung này.")
        )
    )
    raise ValidationError({NON_FIELD_ERRORS: messages})


def _events_of(stored: models.Model):
    return stored.pgh_event_model.objects.filter(pgh_obj_id=stored.pk).order_by("-pgh_id")


def _last_writer(stored: models.Model) -> dict:
    event = _events_of(stored).select_related("pgh_context").first()
    user_id = (event.pgh_context.metadata or {}).get("user") if event and event.pgh_context else None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    # Family name first, as Vietnamese names are written (like the history panels).
    who = (f"{user.last_name} {user.first_name}".strip() or user.get_username()) if user else _("người khác")
    at = date_format(timezone.localtime(event.pgh_created_at), "SHORT_DATETIME_FORMAT") if event else "—"
    return {"who": who, "at": at}


def _changes_since(stored: models.Model, loaded_version: int) -> list[str]:
    """"Label: stored value" for each field that differs from the audit snapshot of ``loaded_version``.

    Rows hanging off the record (participating units, communes...) are not in the snapshot; the
    message then names only the record's own fields.
    """
    snapshot = _events_of(stored).filter(version=loaded_version).first()
    if snapshot is None:
        return []
    kept = {f.attname for f in snapshot._meta.concrete_fields}
    changes = []
    for field in stored._meta.concrete_fields:
        if field.name in _UNCOMPARED or field.attname not in kept:
            continue
        if getattr(snapshot, field.attname) != getattr(stored, field.attname):
            changes.append(f"{capfirst(field.verbose_name)}: {_shown(stored, field)}")
    return changes


def _shown(record: models.Model, field: models.Field) -> str:
    value = getattr(record, field.name)
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return Truncator(str(value)).chars(120)
