"""The database's own check on the dates and times people enter (the rule is ``borderzone.services.moment_problem``).

Forms and services refuse such a value with a message beside the field; this constraint is the last
guard, so that no other path (the admin, a shell, a future import) can store a timestamp psycopg
cannot read back, which would break every page of the record's agreement.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .periods import EARLIEST, EARLIEST_MOMENT, LATEST, LATEST_MOMENT

MESSAGE = _("Ngày tháng phải từ 01/01/1990 đến 31/12/2100.")


def sane_dates(name: str, *, dates: tuple[str, ...] = (), moments: tuple[str, ...] = (),
               nullable: tuple[str, ...] = ()) -> models.CheckConstraint:
    """One check that every named date column lies in [EARLIEST, LATEST) and every timestamp in the same local days.

    A column named in ``nullable`` may also be empty.
    """
    condition = Q()
    for field in dates + moments:
        low, high = (EARLIEST, LATEST) if field in dates else (EARLIEST_MOMENT, LATEST_MOMENT)
        within = Q(**{f"{field}__gte": low, f"{field}__lt": high})
        condition &= (Q(**{f"{field}__isnull": True}) | within) if field in nullable else within
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=MESSAGE)


def refuse_rows_outside(app_label: str, constraints: dict[str, models.CheckConstraint]):
    """A migration step run before adding ``constraints``: stop, naming the rows, when existing rows break them.

    The rows are not clamped: a date moved to 1990 would be a made-up fact in an official record, and
    its figures would count in the wrong year. Someone who knows the case enters the real date (or
    deletes a test row), then runs the migration again.
    """

    def check(apps, schema_editor) -> None:
        problems = []
        for model_name, constraint in constraints.items():
            model = apps.get_model(app_label, model_name)
            rows = model._base_manager.using(schema_editor.connection.alias).exclude(constraint.condition)
            ids = list(rows.order_by("pk").values_list("pk", flat=True)[:20])
            if ids:
                problems.append(f"  {model._meta.db_table}: {rows.count()} dòng, id {', '.join(map(str, ids))}")
        if problems:
            raise RuntimeError(
                "Có dòng mang ngày tháng ngoài khoảng 01/01/1990 - 31/12/2100 (kiểm tra "
                f"{', '.join(c.name for c in constraints.values())}):\n" + "\n".join(problems)
                + "\nHãy sửa các ngày này theo hồ sơ gốc (hoặc xoá dòng nhập thử), rồi chạy lại migrate."
            )

    return check
