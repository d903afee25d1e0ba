"""The history table of a detail page: audit rows as a reader sees them (templates/includes/history.html).

One presenter for every page that shows a record's history: agreements, clusters, tips, incidents
and patrols. The other apps say how their own record is shown through a ``Focus``; this module
never imports them (dependencies point from them to the registry, not back).
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import AdministrativeUnit, AgreementParty, Unit
from .templatetags.bz_tags import person_name

LABELS = {
    "insert": _("Tạo mới"),
    "update": _("Cập nhật"),
    "delete": _("Xóa"),
    # Link events of many-to-many rows (incidents ↔ tips, patrols, supporting units).
    "tip.add": _("Liên kết nguồn tin"),
    "tip.remove": _("Bỏ liên kết nguồn tin"),
    "patrol.add": _("Liên kết ca tuần tra"),
    "patrol.remove": _("Bỏ liên kết ca tuần tra"),
    "supporting_unit.add": _("Thêm đơn vị phối hợp"),
    "supporting_unit.remove": _("Bỏ đơn vị phối hợp"),
    # ... a patrol's communes, a campaign's or checkpoint's units, an agreement's bases and areas.
    "commune.add": _("Thêm xã, phường"),
    "commune.remove": _("Bỏ xã, phường"),
    "unit.add": _("Thêm đơn vị tham gia"),
    "unit.remove": _("Bỏ đơn vị tham gia"),
    "legal_basis.add": _("Thêm căn cứ pháp lý"),
    "legal_basis.remove": _("Bỏ căn cứ pháp lý"),
    "coordination_area.add": _("Thêm nội dung phối hợp"),
    "coordination_area.remove": _("Bỏ nội dung phối hợp"),
    # Accounts (auth.User): a new password is recorded without its hash.
    "password.change": _("Đổi mật khẩu"),
    "group.add": _("Thêm nhóm quyền"),
    "group.remove": _("Bỏ nhóm quyền"),
    "permission.add": _("Thêm quyền"),
    "permission.remove": _("Bỏ quyền"),
}
# Bookkeeping columns that change on every save and say nothing to a reader.
SKIPPED = frozenset({"id", "created_at", "updated_at", "order", "version"})
# Columns named on every row, whatever the record: reference data every user may read. Link rows
# (many-to-many) have no model to ask, so these go by column name.
NAMED = {"unit_id": Unit, "commune_id": AdministrativeUnit, "responsible_party_id": AgreementParty}
# One column read per kind of reference data rather than whole records.
NAME_COLUMNS = {Unit: "name", AdministrativeUnit: "name", AgreementParty: "unit__name"}
EMPTY = "—"


@dataclass(frozen=True)
class Focus:
    """The record a page is about; its own events are shown in more detail than those of related rows.

    Must hold for the events of ``model``: the ``hidden`` columns are left out and no subject is
    shown (the page names the record already).
    """

    model: type[models.Model]
    hidden: frozenset[str] = frozenset()

    def owns(self, row: dict) -> bool:
        return row["obj_model"] == self.model._meta.label


def history_for(*, user, objects: list[models.Model], focus: Focus | None = None) -> list[dict]:
    """The history table of ``objects``: their events and those of rows pointing at them that ``user``
    may see, newest first.

    The caller has already checked that the user may see the objects.
    """
    return present_history(selectors.record_history(user=user, objects=objects), focus=focus)


def present_history(rows: list[dict], *, focus: Focus | None = None) -> list[dict]:
    """Rows from ``selectors.record_history`` as the history table shows them, in the same order.

    Must hold: each row gives one event with its label, what changed (field name, old → new value
    in words: names for ids, labels for choices, local dates) and its actor; the names take one
    query per kind of record whatever the number of rows.
    """
    names = _names(rows, focus)
    presented = []
    for row in rows:
        model = _model(row["obj_model"])
        focused = focus is not None and focus.owns(row)
        data = row["data"] or {}
        changes = []
        if row["label"] == "update" and model is not None:
            skipped = SKIPPED | focus.hidden if focused else SKIPPED
            fields = {f.attname: f for f in model._meta.concrete_fields}
            for column, pair in (row["diff"] or {}).items():
                if column in skipped or column not in fields:
                    continue
                field = fields[column]
                old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
                changes.append(
                    {
                        "field": capfirst(field.verbose_name),
                        "old": _value(field, old, names, focus if focused else None),
                        "new": _value(field, new, names, focus if focused else None),
                    }
                )
        actor = row["actor"]
        presented.append(
            {
                "at": row["at"],
                "label": LABELS.get(row["label"], row["label"]),
                "kind": row["label"],
                "what": capfirst(model._meta.verbose_name) if model is not None else "",
                "subject": "" if focused else _subject(data, names),
                "actor": actor,
                "actor_name": person_name(actor) if actor is not None else "",
                "changes": changes,
            }
        )
    return presented


def _model(label: str | None) -> type[models.Model] | None:
    if not label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _names(rows: list[dict], focus: Focus | None) -> dict[type[models.Model], dict]:
    """Names of the records the events mention by id, by model: one query per model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for row in rows:
        data, diff = row["data"] or {}, row["diff"] or {}
        for column, model in NAMED.items():
            pair = diff.get(column)
            values = [data.get(column), *(pair if isinstance(pair, list) else [])]
            wanted[model].update(v for v in values if isinstance(v, int))
        model = _model(row["obj_model"])
        if row["label"] == "update" and model is not None:
            hidden = focus.hidden if focus is not None and focus.owns(row) else frozenset()
            fields = {f.attname: f for f in model._meta.concrete_fields}
            for column, pair in diff.items():
                field = fields.get(column)
                if column not in hidden and _named_link(field) and isinstance(pair, list):
                    wanted[field.related_model].update(v for v in pair if isinstance(v, int))
    names = {}
    for model, ids in wanted.items():
        if not ids:
            continue
        if model in NAME_COLUMNS:
            names[model] = dict(model._default_manager.filter(pk__in=ids).values_list("pk", NAME_COLUMNS[model]))
        else:
            names[model] = {o.pk: _display(o) for o in model._default_manager.filter(pk__in=ids)}
    return names


def _named_link(field: models.Field | None) -> bool:
    """A foreign key whose changes show the related record's name. Not accounts: who acted is the
    actor column, and an account's name is not shown to everyone who can read the record."""
    return isinstance(field, models.ForeignKey) and field.related_model is not get_user_model()


def _display(obj: models.Model) -> str:
    if isinstance(obj, get_user_model()):
        return person_name(obj)
    return getattr(obj, "name", None) or str(obj)


def _value(field: models.Field, value, names: dict, focus: Focus | None) -> str:
    """One old or new value in words; ``focus`` is given for the events of the page's own record."""
    if value is None or value == "":
        return EMPTY
    if field.attname in NAMED:
        return names.get(NAMED[field.attname], {}).get(value, EMPTY)
    if isinstance(field, models.ForeignKey):
        return names.get(field.related_model, {}).get(value, EMPTY) if _named_link(field) else EMPTY
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        return _local_datetime(value)
    if isinstance(field, models.DateField):
        try:
            return date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        except ValueError:
            return str(value)
    if isinstance(field, models.BooleanField):
        return gettext("Có") if value else gettext("Không")
    if isinstance(field, models.FileField):
        return os.path.basename(str(value))
    return Truncator(str(value)).chars(120)


def _local_datetime(value) -> str:
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    # The audit trigger stores time stamps with their offset; a bare one can only be UTC.
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _subject(data: dict, names: dict) -> str:
    for key in ("title", "name", "full_name"):
        if data.get(key):
            return Truncator(str(data[key])).chars(120)
    if data.get("commune_id"):
        return names.get(AdministrativeUnit, {}).get(data["commune_id"], "")
    if data.get("unit_id"):
        return names.get(Unit, {}).get(data["unit_id"], "")
    return ""
