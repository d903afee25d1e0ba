"""One synthetic data set, generated in one transaction: the entry point :func:`generate`."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction

from demo.synthetic.clearing import clear_synthetic
from demo.synthetic.common import (
    DEFAULT_AGREEMENTS,
    DEFAULT_INCIDENTS,
    DEFAULT_PATROLS,
    DEFAULT_SEED,
    DEFAULT_TIPS,
    SYNTHETIC_AGREEMENT_PREFIX,
    SYNTHETIC_UNIT_PREFIX,
    LogFn,
    SyntheticDataError,
    _esc,
)
from demo.synthetic.incident_rows import _IncidentRows
from demo.synthetic.patrol_rows import _PatrolRows
from demo.synthetic.registry_rows import _load_geography
from demo.synthetic.tip_rows import _TipRows
from demo.synthetic.writer import TableStat, _analyze, _audit_bypassed, _tables, _Writer, _written_tables


@dataclass
class GenerationResult:
    mode: str
    stats: list[TableStat]
    cleared: dict[str, int]
    seconds: float
    geography_imported: bool


class _Generator(_PatrolRows, _TipRows, _IncidentRows):
    """The whole data set: registry first, then patrols, tips and incidents (each refers to the ones before)."""


def _categories() -> list[tuple[int, str, str, str, str]]:
    """(id, code, name, name starting in lower case, default nature), names escaped for COPY."""
    from incidents.models import IncidentCategory

    rows = [
        (pk, code, _esc(name), _esc(name[:1].lower() + name[1:]), nature)
        for pk, code, name, nature in IncidentCategory.objects.order_by("order", "code").values_list(
            "pk", "code", "name", "default_nature"
        )
    ]
    if not rows:
        raise SyntheticDataError("Chưa có danh mục loại vụ việc (chạy migrate).")
    return rows


def synthetic_exists() -> bool:
    from agreements.models import Agreement, Unit

    return (Agreement.objects.filter(number__startswith=SYNTHETIC_AGREEMENT_PREFIX).exists()
            or Unit.objects.filter(name__startswith=SYNTHETIC_UNIT_PREFIX).exists())


def ensure_geography(log: LogFn) -> bool:
    """Import the administrative units when the database has none; True when it did."""
    from agreements.geography import geography_import
    from agreements.models import AdministrativeUnit, AdminLevel, Era

    if AdministrativeUnit.objects.filter(era=Era.LEGACY, level=AdminLevel.DISTRICT).exists():
        return False
    log("Chưa có danh mục đơn vị hành chính: đang nhập từ gói vietnam-provinces…")
    geography_import()
    return True


def generate(
    *,
    seed: int = DEFAULT_SEED,
    incidents: int = DEFAULT_INCIDENTS,
    patrols: int = DEFAULT_PATROLS,
    tips: int = DEFAULT_TIPS,
    agreements: int = DEFAULT_AGREEMENTS,
    clear: bool = False,
    trigger_bypass: str = "auto",
    analyze: bool = True,
    log: LogFn = lambda message: None,
) -> GenerationResult:
    """Write one deterministic synthetic data set in one transaction (see :mod:`demo.synthetic`).

    With ``clear``, a previous synthetic data set is removed first, in its own transaction followed
    by VACUUM, so that the load does not index millions of dead rows (if the load then fails, the
    old synthetic data is gone and nothing else has changed); without it, an existing synthetic data
    set is an error. ``analyze`` refreshes the planner statistics afterwards (VACUUM ANALYZE when not
    inside an outer transaction, so that index-only scans work as on a settled database).
    """
    for name, value in (("incidents", incidents), ("patrols", patrols), ("tips", tips), ("agreements", agreements)):
        if value < 0:
            raise SyntheticDataError(f"{name} phải ≥ 0.")
    if agreements == 0 and (incidents or patrols or tips):
        raise SyntheticDataError("Cần ít nhất một quy chế để sinh tuần tra, nguồn tin, vụ việc.")
    started = time.perf_counter()
    imported = ensure_geography(log)
    cleared = clear_synthetic(trigger_bypass=trigger_bypass, analyze=analyze, log=log) if clear else {}
    with transaction.atomic(), connection.cursor() as cursor, _audit_bypassed(cursor, trigger_bypass) as mode:
        log(f"Bỏ qua ghi vết (pghistory) trong giao dịch này: {mode}.")
        # Writers wait until we commit (readers do not): the ids we allocate stay ours, and the rows
        # we refer to (communes, categories, coordination areas) cannot vanish meanwhile.
        qn = connection.ops.quote_name
        written = ", ".join(qn(t) for t in _written_tables())
        referenced = ", ".join(
            qn(t) for t in _tables("agreements.AdministrativeUnit", "incidents.IncidentCategory",
                                   "agreements.CoordinationArea")
        )
        cursor.execute(f"LOCK TABLE {written} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"LOCK TABLE {referenced} IN SHARE MODE")
        # Deferred indexes are rebuilt in memory (the default 64 MB spills a 1,000,000-row sort to disk).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        if synthetic_exists():
            raise SyntheticDataError(
                "Cơ sở dữ liệu đã có dữ liệu giả lập (quy chế GL-…, đơn vị [Giả lập] …); dùng --clear để thay."
            )
        writer = _Writer(cursor, log)
        if agreements:
            categories = _categories()
            gen = _Generator(seed=seed, agreements=agreements, patrols=patrols, tips=tips, incidents=incidents,
                             writer=writer, log=log)
            gen.plan_and_write_registry(_load_geography())
            gen.write_patrols()
            gen.write_tips(categories)
            gen.write_incidents(categories)
    stats = writer.stats
    if analyze and stats:
        _analyze(log, [s.table for s in stats])
    return GenerationResult(mode=mode, stats=stats, cleared=cleared, seconds=time.perf_counter() - started,
                            geography_imported=imported)
