"""Removing a synthetic data set (and every row that references it), and checking the foreign keys after a load."""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction

from demo.synthetic.common import (
    SYNTHETIC_AGREEMENT_PREFIX,
    SYNTHETIC_UNIT_PREFIX,
    LogFn,
    SyntheticDataError,
    vi_number,
)
from demo.synthetic.writer import _analyze, _audit_bypassed, _written_tables


def _relations() -> list[tuple[type[models.Model], models.Field]]:
    """Every foreign key backed by a database constraint (auto-created M2M tables included).

    The pghistory event tables point at their objects without a constraint, so they are not
    followed: the history of a deleted row stays history.
    """
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and (f.many_to_one or f.one_to_one) and f.db_constraint:
                found.append((model, f))
    return found


def _clear(cursor, log: LogFn) -> dict[str, int]:
    """Delete the synthetic roots and, transitively, every row that references a deleted row.

    Must run inside a transaction with the audit bypass on. Rows referencing a deleted
    row through a SET_NULL key are kept and the key is nulled, as Django would; a synthetic row
    referenced from a record of a non-synthetic agreement stops everything (that would be real data).
    """
    from agreements.models import Agreement, Unit

    started = time.perf_counter()
    qn = connection.ops.quote_name
    relations = _relations()
    # No writer may add a reference to a row we are about to delete: lock the tables the load writes
    # and every table with a foreign key to one of them (readers are not blocked).
    written = set(_written_tables())
    locked = written | {m._meta.db_table for m, f in relations if f.related_model._meta.db_table in written}
    cursor.execute(f"LOCK TABLE {', '.join(qn(t) for t in sorted(locked))} IN SHARE ROW EXCLUSIVE MODE")
    doomed: dict[type[models.Model], str] = {}

    def temp_for(model) -> str:
        """The temporary table of the ids of ``model`` to delete (created on first use)."""
        if model not in doomed:
            name = f"_gl_doomed_{len(doomed)}"
            cursor.execute(f"CREATE TEMP TABLE {name} (id bigint PRIMARY KEY) ON COMMIT DROP")
            doomed[model] = name
        return doomed[model]

    sizes: dict[type[models.Model], int] = {}
    for model, column, prefix in ((Agreement, "number", SYNTHETIC_AGREEMENT_PREFIX),
                                  (Unit, "name", SYNTHETIC_UNIT_PREFIX)):
        temp = temp_for(model)
        cursor.execute(
            f"INSERT INTO {temp} SELECT id FROM {qn(model._meta.db_table)} WHERE {qn(column)} LIKE %s",
            [prefix + "%"],
        )
        sizes[model] = cursor.rowcount
    # Fixpoint: a relation is re-evaluated whenever the set of its target grew since last time.
    seen_size: dict[tuple, int] = {}
    changed = True
    while changed:
        changed = False
        for model, f in relations:
            target = f.related_model._meta.concrete_model
            if target not in doomed or f.remote_field.on_delete is models.SET_NULL:
                continue
            key = (model, f.name)
            if seen_size.get(key) == sizes[target]:
                continue
            seen_size[key] = sizes[target]
            pk = qn(model._meta.pk.column)
            temp = temp_for(model)
            cursor.execute(
                f"INSERT INTO {temp} SELECT m.{pk} FROM {qn(model._meta.db_table)} m "
                f"JOIN {doomed[target]} d ON d.id = m.{qn(f.column)} ON CONFLICT DO NOTHING"
            )
            if cursor.rowcount:
                sizes[model] = sizes.get(model, 0) + cursor.rowcount
                changed = True
            else:
                sizes.setdefault(model, 0)

    # Temporary tables get no statistics from autovacuum; without them the joins below are planned blind.
    for name in doomed.values():
        cursor.execute(f"ANALYZE {name}")

    # Guard: nothing under a non-synthetic agreement may be caught (only possible if someone linked
    # real records to synthetic units by hand).
    for model, name in doomed.items():
        try:
            f = model._meta.get_field("agreement")
        except FieldDoesNotExist:
            continue
        if not (f.is_relation and f.related_model is Agreement) or model is Agreement:
            continue
        cursor.execute(
            f"SELECT count(*) FROM {qn(model._meta.db_table)} m JOIN {name} d ON d.id = m.{qn(model._meta.pk.column)}"
            f" WHERE NOT EXISTS (SELECT 1 FROM {doomed[Agreement]} a WHERE a.id = m.{qn(f.column)})"
        )
        if cursor.fetchone()[0]:
            raise SyntheticDataError(
                f"Có bản ghi {model._meta.verbose_name} thuộc quy chế không phải giả lập tham chiếu tới đơn vị giả lập;"
                " không xóa. Hãy gỡ liên kết đó trước."
            )

    deleted: dict[str, int] = {}
    for model, f in relations:
        target = f.related_model._meta.concrete_model
        if target in doomed and f.remote_field.on_delete is models.SET_NULL:
            # Rows about to be deleted need no update.
            spared = (f" AND NOT EXISTS (SELECT 1 FROM {doomed[model]} s WHERE s.id = m.{qn(model._meta.pk.column)})"
                      if model in doomed else "")
            cursor.execute(
                f"UPDATE {qn(model._meta.db_table)} m SET {qn(f.column)} = NULL FROM {doomed[target]} d "
                f"WHERE d.id = m.{qn(f.column)}{spared}"
            )
    for model, name in doomed.items():
        table = model._meta.db_table
        cursor.execute(f"DELETE FROM {qn(table)} m USING {name} d WHERE d.id = m.{qn(model._meta.pk.column)}")
        if cursor.rowcount:
            deleted[table] = cursor.rowcount
    # ON COMMIT DROP comes too late when a caller's transaction goes on (a second clear in it).
    cursor.execute(f"DROP TABLE {', '.join(doomed.values())}")
    total = sum(deleted.values())
    log(f"Đã xóa dữ liệu giả lập cũ: {vi_number(total)} dòng trong {vi_number(time.perf_counter() - started, 1)} giây"
        + "".join(f"\n  {t}: {vi_number(c)}" for t, c in sorted(deleted.items(), key=lambda kv: -kv[1])))
    return deleted


def clear_synthetic(*, trigger_bypass: str = "auto", analyze: bool = True,
                    log: LogFn = lambda message: None) -> dict[str, int]:
    """Remove every synthetic row (and what references it); returns deleted rows per table.

    One transaction; ``analyze``: VACUUM ANALYZE the tables afterwards (ANALYZE inside an outer
    transaction), which makes the space of the deleted rows reusable at once.
    """
    with transaction.atomic(), connection.cursor() as cursor, _audit_bypassed(cursor, trigger_bypass):
        deleted = _clear(cursor, log)
    if analyze and deleted:
        _analyze(log, deleted)
    return deleted


# --- checking -----------------------------------------------------------------------------------


def integrity_problems(tables: Iterable[str] | None = None) -> list[str]:
    """Foreign keys of ``tables`` (default: the tables the load writes) that point nowhere.

    PostgreSQL skips these checks in replica mode; this runs them by hand (one anti-join per key).
    """
    wanted = set(tables or _written_tables())
    qn = connection.ops.quote_name
    problems = []
    with connection.cursor() as cursor:
        for model, f in _relations():
            table = model._meta.db_table
            if table not in wanted:
                continue
            target = f.related_model._meta
            cursor.execute(
                f"SELECT count(*) FROM {qn(table)} m WHERE m.{qn(f.column)} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {qn(target.db_table)} t WHERE t.{qn(f.target_field.column)} = m.{qn(f.column)})"
            )
            dangling = cursor.fetchone()[0]
            if dangling:
                problems.append(f"{table}.{f.column}: {dangling} dangling")
    return problems


def table_sizes(tables: Iterable[str] | None = None) -> list[tuple[str, int, int]]:
    """(table, estimated rows, total bytes with indexes and TOAST) for reporting."""
    qn = connection.ops.quote_name
    result = []
    with connection.cursor() as cursor:
        for table in dict.fromkeys(tables or _written_tables()):
            cursor.execute(
                "SELECT c.reltuples::bigint, pg_total_relation_size(c.oid) FROM pg_class c WHERE c.oid = %s::regclass",
                [qn(table)],
            )
            rows, size = cursor.fetchone()
            result.append((table, max(rows, 0), size))
    return result
