"""The database side of the load: COPY streams with id allocation and deferred indexes, the tables the load
writes, the audit bypass, and the statistics refresh afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError, connection, transaction

from demo.synthetic.common import LogFn, vi_number


@dataclass
class TableStat:
    label: str
    table: str
    rows: int
    seconds: float


# From this many rows, a table's secondary indexes (those backing no constraint) are dropped before
# its COPY and rebuilt from their own definitions after it, in the same transaction: a failed load
# rolls the drop back too. Maintaining a dozen b-trees row by row costs far more than building them
# once: on the 2-core development machine (128 MB shared_buffers) 1,000,000 incidents took ~98 s
# with their 13 indexes in place and ~23 s with 12 of them rebuilt afterwards (7 s of the 23).
# The price: the table is locked against readers too until the load commits.
INDEX_REBUILD_THRESHOLD = 50_000
# Big tables report their progress every this many rows.
PROGRESS_EVERY = 250_000


class _Writer:
    """COPY streams on the transaction's connection, with per-table timing."""

    CHUNK = 4096

    def __init__(self, cursor, log: LogFn):
        self.cursor = cursor
        self.log = log
        self.stats: list[TableStat] = []

    def allocate(self, table: str, count: int) -> int:
        """Reserve ``count`` consecutive ids of ``table`` (the table is locked against writers)."""
        if count <= 0:
            return 0
        self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = self.cursor.fetchone()[0]
        self.cursor.execute("SELECT nextval(%s)", [sequence])
        first = self.cursor.fetchone()[0]
        self.cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        return first

    def _secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        """(name, CREATE INDEX statement) of the indexes of ``table`` that back no constraint."""
        self.cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [connection.ops.quote_name(table)],
        )
        return list(self.cursor.fetchall())

    def copy(self, label: str, table: str, columns: list[str], chunks: Iterable[list[str]],
             expected: int = 0, progress: bool = False) -> int:
        """Stream ``chunks`` (lists of COPY text lines) into ``table``.

        ``expected``: the row count, if known; ``progress``: report every PROGRESS_EVERY rows (for
        the tables generated while they stream, which take a while).
        """
        qn = connection.ops.quote_name
        sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        started = time.perf_counter()
        deferred = self._secondary_indexes(table) if expected >= INDEX_REBUILD_THRESHOLD else []
        for name, _definition in deferred:
            self.cursor.execute(f"DROP INDEX {name}")
        rows = 0
        report_at = PROGRESS_EVERY if progress and expected >= 2 * PROGRESS_EVERY else None
        with self.cursor.copy(sql) as copy:
            for chunk in chunks:
                if chunk:
                    copy.write("".join(chunk))
                    rows += len(chunk)
                    if report_at is not None and report_at <= rows < expected:
                        self.log(f"    … {label}: {vi_number(rows)}/{vi_number(expected)} dòng "
                                 f"({vi_number(time.perf_counter() - started, 1)} giây)")
                        report_at = (rows // PROGRESS_EVERY + 1) * PROGRESS_EVERY
        loaded = time.perf_counter()
        for _name, definition in deferred:
            self.cursor.execute(definition)
        elapsed = time.perf_counter() - started
        self.stats.append(TableStat(label, table, rows, elapsed))
        rate = f", {vi_number(rows / elapsed)} dòng/giây" if elapsed > 0.5 else ""
        rebuilt = (f", trong đó dựng lại {len(deferred)} chỉ mục {vi_number(elapsed - (loaded - started), 1)} giây"
                   if deferred else "")
        self.log(f"  {label} ({table}): {vi_number(rows)} dòng trong {vi_number(elapsed, 1)} giây{rate}{rebuilt}")
        return rows

    def copy_lines(self, label: str, table: str, columns: list[str], lines: list[str]) -> int:
        return self.copy(label, table, columns, _chunked(lines), expected=len(lines))


def _chunked(lines: Iterable[str], size: int = _Writer.CHUNK) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _tables(*labels: str) -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in labels]


def _m2m_table(label: str, field_name: str) -> str:
    return apps.get_model(label)._meta.get_field(field_name).remote_field.through._meta.db_table


# Tables the load writes (locked against other writers, analysed afterwards).
def _written_tables() -> list[str]:
    return _tables(
        "agreements.Unit", "agreements.Agreement", "agreements.AgreementParty", "agreements.Cluster",
        "agreements.ClusterMember", "patrols.Patrol", "patrols.PatrolParticipation", "incidents.Tip",
        "incidents.Incident",
    ) + [
        _m2m_table("agreements.Agreement", "coordination_areas"),
        _m2m_table("patrols.Patrol", "communes"),
        _m2m_table("incidents.Incident", "supporting_units"),
        _m2m_table("incidents.Incident", "tips"),
        _m2m_table("incidents.Incident", "patrols"),
    ]


@contextmanager
def _audit_bypassed(cursor, mode: str = "auto") -> Iterator[str]:
    """Keep the pghistory triggers quiet for the current transaction only (see :mod:`demo.synthetic`).

    ``mode``: "replica" (session_replication_role; needs superuser or, on PostgreSQL 15+, the SET
    privilege on it; also skips foreign-key checks), "pgtrigger" (pgtrigger's ignore list; foreign
    keys still checked at commit), or "auto" (the first that the role may use). Yields the mode used.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("the audit bypass must run inside a transaction")
    if mode in ("auto", "replica"):
        try:
            with transaction.atomic():
                cursor.execute("SHOW session_replication_role")
                previous = cursor.fetchone()[0]
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            if mode == "replica":
                raise
        else:
            yield "replica"
            # SET LOCAL lasts until the end of the outermost transaction, which may be a caller's (a
            # test's): restore it now. After an error there is nothing to do: rolling back the
            # caller's atomic block (a savepoint, at least) undoes the SET LOCAL too.
            cursor.execute("SELECT set_config('session_replication_role', %s, true)", [previous])
            return
    import pghistory.trigger
    import pgtrigger

    # Only the audit triggers: any other trigger (a protection, say) keeps working.
    audit = [f"{model._meta.label}:{trigger.name}" for model, trigger in pgtrigger.registered()
             if isinstance(trigger, pghistory.trigger.Event)]
    with pgtrigger.ignore(*audit):
        # pgtrigger prefixes every statement Django runs with a transaction-local set_config; run one
        # so that the COPY statements, which bypass Django's execute wrappers, see the setting too.
        cursor.execute("SELECT 1")
        yield "pgtrigger"


def _analyze(log: LogFn, tables: Iterable[str]) -> None:
    started = time.perf_counter()
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in dict.fromkeys(tables):
            cursor.execute(f"{verb} {qn(table)}")
    log(f"  {verb}: {vi_number(time.perf_counter() - started, 1)} giây")
