"""Deterministic, national-scale synthetic data for benchmarks (``manage.py generate_data``).

What one run writes, from one seed (the same seed gives the same rows, only the ids differ):

* district police units for pairs of adjacent legacy districts ("adjacent" is approximated by
  districts close to each other in code order within a province, or the last and first district of
  neighbouring province codes) and commune police units under them, all named ``[Giả lập] …``;
* agreements numbered ``GL-…`` with their two parties and the five coordination areas, signed in
  2019–2020 and ending on 28/02/2025 with the district police (DESIGN §4); one or two clusters each,
  with 2–8 legacy communes per side, a few of which leave the cluster during the data's period;
* joint patrols (with participations, officer_total = their sum, and the communes patrolled), tips
  between the parties (realistic status mix, deadlines, some overdue open ones, joint verification)
  and incidents (taxonomy categories, nature, lead unit, commune that was a member of the incident's
  cluster on that day, status mix, solved_at ≥ occurred_at for cleared cases, suspects dealt with
  ≤ suspects, supporting units when jointly handled, links to the tip or patrol it came from),
  spread over 01/01/2021–28/02/2025 in Asia/Ho_Chi_Minh, with a slight yearly decline and a Tết peak.

No row outside those agreements and units is written or deleted: the demo data (``demo.registry``)
and everything people entered stay as they are. :func:`clear_synthetic` removes a previous run: the
``GL-`` agreements, the ``[Giả lập]`` units and every row that references them.

Speed: rows are formatted in Python and streamed with PostgreSQL ``COPY`` (psycopg 3), so Python and
the server work on both cores at once; ids are allocated up front from each table's sequence under a
table lock, so children are written without reading anything back; the secondary indexes of big
tables are rebuilt once after their COPY instead of being maintained row by row
(:data:`INDEX_REBUILD_THRESHOLD`). The default load (1,000,000 incidents, 500,000 patrols, 300,000
tips, 4.6 million rows in all) takes about 45 s on the 2-core development machine.

The load is not audited, on purpose. The pghistory triggers answer "who changed this record, when
and how"; generated rows are no record of anything, and auditing them would write one event per
row (millions of ``…event`` rows that bury the real history) and double the cost of the load. The
triggers are bypassed for this transaction only — ``SET LOCAL session_replication_role = replica``
when the database role may set it, otherwise pgtrigger's own transaction-local ``pgtrigger.ignore``
— so other sessions, and later edits of synthetic rows through the application, are audited as
usual. In replica mode PostgreSQL also skips the foreign-key checks: integrity then rests on this
module (every id written was allocated or read in the same transaction under a lock), and
:func:`integrity_problems` checks it after the fact (the tests run it).
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, connection, models, transaction

SYNTHETIC_UNIT_PREFIX = "[Giả lập] "
SYNTHETIC_AGREEMENT_PREFIX = "GL-"

DEFAULT_SEED = 42
DEFAULT_INCIDENTS = 1_000_000
DEFAULT_PATROLS = 500_000
DEFAULT_TIPS = 300_000
DEFAULT_AGREEMENTS = 1_500

# The data's period, in local dates: [FIRST_DAY, END_DAY). District police, the parties of every
# synthetic agreement, were dissolved on 01/03/2025, so nothing happens from that day on.
FIRST_DAY = datetime.date(2021, 1, 1)
END_DAY = datetime.date(2025, 3, 1)
DISTRICT_POLICE_LAST_DAY = datetime.date(2025, 2, 28)
LEGACY_LAST_DAY = datetime.date(2025, 6, 30)
DAYS = (END_DAY - FIRST_DAY).days
SPAN = DAYS * 86400  # seconds; a time t (0 ≤ t < SPAN) is local seconds since FIRST_DAY 00:00
UTC_OFFSET = "+07"  # Vietnam has had no daylight saving time since 1975

NULL = "\\N"
LogFn = Callable[[str], None]


class SyntheticDataError(Exception):
    """The database cannot take the requested load (no geography, too many agreements, leftovers)."""


def vi_number(value: float, decimals: int = 0) -> str:
    """Vietnamese digit grouping whatever the locale: 1.000.000; 12,5."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _esc(text: str) -> str:
    """Escape for COPY's text format (names come from the database; be safe)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# Time formatting: "2023-04-05 " + "21:30:00+07", both precomputed, so a timestamp costs two lookups.
_DATE = [(FIRST_DAY + datetime.timedelta(days=d)).isoformat() for d in range(DAYS + 400)]
_DAY_PREFIX = [f"{d} " for d in _DATE]
_HMS = [f"{h:02d}:{m:02d}:{s:02d}{UTC_OFFSET}" for h in range(24) for m in range(60) for s in range(60)]


# Relative frequencies by category code (codes from incidents/migrations/0003_categories.py); a
# category added later gets DEFAULT_WEIGHT.
INCIDENT_WEIGHTS = {
    "trom-cap": 22, "cuop-giat": 4, "cuop": 2, "lua-dao": 6, "huy-hoai": 3, "giet-nguoi": 0.3,
    "co-y-gay-thuong-tich": 7, "danh-bac": 10, "to-chuc-danh-bac": 2, "su-dung-ma-tuy": 12,
    "to-chuc-su-dung-ma-tuy": 1.5, "tang-tru-ma-tuy": 5, "mua-ban-ma-tuy": 2.5, "van-chuyen-khoang-san": 4,
    "khai-thac-khoang-san": 2, "buon-lau": 3, "hop-cho-trai-phep": 3, "gay-roi": 6, "khac": 5,
}
TIP_WEIGHTS = {
    **INCIDENT_WEIGHTS, "trom-cap": 8, "danh-bac": 14, "to-chuc-danh-bac": 6, "mua-ban-ma-tuy": 8,
    "tang-tru-ma-tuy": 9, "to-chuc-su-dung-ma-tuy": 5, "buon-lau": 7, "van-chuyen-khoang-san": 6,
}
DEFAULT_WEIGHT = 2.0
# Categories whose cases are sometimes the other nature (petty theft, small gambling, a brawl...).
MIXED_NATURE = {"trom-cap", "danh-bac", "co-y-gay-thuong-tich", "gay-roi", "van-chuyen-khoang-san",
                "khai-thac-khoang-san", "buon-lau", "hop-cho-trai-phep", "huy-hoai", "khac"}

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Đinh", "Trương"]
MIDDLE_NAMES = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc", "Xuân", "Công", "Đình", "Trọng"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phong", "Quang",
               "Sơn", "Thắng", "Tuấn", "Việt", "Trung", "Lâm", "Hưng", "Tài"]
PROGRAMMES = ["Tuyến giáp ranh bình yên", "Đêm giáp ranh an toàn", "Cao điểm Tết", "Liên xã tuần tra"]
PLACES = ["Thôn {n}", "Xóm {n}", "Tổ dân phố {n}", "Khu vực chợ", "Đường liên xã", "Quốc lộ, km {n}",
          "Bến đò", "Khu vực giáp ranh"]

# Local hour of day: incidents peak in the evening and at night, patrols start in the evening,
# tips arrive during working hours.
INCIDENT_HOURS = [5, 4, 3, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 7, 8, 9, 10, 10, 8, 6]
PATROL_HOURS = [1, 0, 0, 0, 0, 1, 1, 3, 3, 2, 1, 1, 1, 1, 2, 2, 2, 3, 5, 10, 12, 10, 6, 3]
TIP_HOURS = [1, 1, 1, 1, 1, 1, 2, 6, 10, 10, 10, 8, 4, 6, 10, 10, 9, 6, 4, 3, 3, 2, 2, 1]


class _Picker:
    """Weighted choice with precomputed cumulative weights: ``values[bisect_right(cum, r * scale)]``.

    Hot loops inline that expression with ``cum`` and ``scale`` bound to locals.
    """

    __slots__ = ("cum", "scale", "values")

    def __init__(self, values: list, weights: Iterable[float]):
        self.values = values
        self.cum = list(itertools.accumulate(weights))
        # Slightly below the total, so that r * scale < cum[-1] for every r < 1 despite rounding.
        self.scale = self.cum[-1] * (1 - 2**-50)

    def index(self, r: float) -> int:
        return bisect.bisect_right(self.cum, r * self.scale)

    def pick(self, r: float):
        return self.values[bisect.bisect_right(self.cum, r * self.scale)]


def _day_picker(kind: str) -> _Picker:
    """Days of the period, weighted: incidents decline ~4 % a year and peak around Tết."""
    weights = []
    for d in range(DAYS):
        day = FIRST_DAY + datetime.timedelta(days=d)
        season = {1: 1.25, 2: 1.2, 12: 1.1}.get(day.month, 1.0)
        if kind == "incident":
            weights.append((1.0 - 0.04 * (day.year - 2021)) * season)
        elif kind == "patrol":
            weights.append(season * (1.0 + 0.03 * (day.year - 2021)))
        else:
            weights.append(1.0 + 0.02 * (day.year - 2021))
    return _Picker(list(range(DAYS)), weights)


# --- the plan: units, agreements, clusters, members (small, built in memory first) -------------


@dataclass
class _Agreement:
    index: int
    side_districts: tuple[int, int]  # district ids
    signed_on: datetime.date = FIRST_DAY
    party_units: tuple[int, int] = (0, 0)
    party_ids: tuple[int, int] = (0, 0)
    clusters: list[int] = field(default_factory=list)
    cluster_picker: _Picker | None = None
    weight: float = 1.0


@dataclass
class _Cluster:
    agreement: int
    members: list[int]  # global member indexes
    permanent: tuple[list[int], list[int]]  # per side, members that never leave


@dataclass
class _Geography:
    districts: list[tuple[int, int, str, str, int]]  # id, code, name, division_type, province code
    communes: dict[int, list[tuple[int, int, str, str]]]  # district id → [(id, code, name, division type)]


def _bare(name: str, division_type: str) -> str:
    """'Huyện Nho Quan' → 'Nho Quan' (the unit's name adds its own kind)."""
    if division_type and name.lower().startswith(division_type.lower() + " "):
        return name[len(division_type) + 1:]
    return name


def _load_geography() -> _Geography:
    from agreements.models import AdministrativeUnit, AdminLevel, Era

    districts = [
        (pk, code, name, division_type, province_code)
        for pk, code, name, division_type, province_code in AdministrativeUnit.objects.filter(
            era=Era.LEGACY, level=AdminLevel.DISTRICT
        ).order_by("parent__code", "code").values_list("pk", "code", "name", "division_type", "parent__code")
    ]
    communes: dict[int, list[tuple[int, int, str, str]]] = {}
    for pk, code, name, division_type, parent_id in AdministrativeUnit.objects.filter(
        era=Era.LEGACY, level=AdminLevel.COMMUNE
    ).order_by("code").values_list("pk", "code", "name", "division_type", "parent_id"):
        communes.setdefault(parent_id, []).append((pk, code, name, division_type))
    return _Geography(districts=districts, communes=communes)


def _district_pairs(geo: _Geography, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """``count`` pairs of (approximately) adjacent districts, nearest neighbours first."""
    usable = [d for d in geo.districts if len(geo.communes.get(d[0], ())) >= 2]
    by_province: dict[int, list[int]] = {}
    for pk, _code, _name, _type, province_code in usable:
        by_province.setdefault(province_code, []).append(pk)
    provinces = sorted(by_province)
    pairs: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    distance = 1
    longest = max((len(v) for v in by_province.values()), default=0)
    while len(pairs) < count and distance < max(longest, 2):
        level: list[tuple[int, int]] = []
        for province in provinces:
            ids = by_province[province]
            level.extend((ids[i], ids[i + distance]) for i in range(len(ids) - distance))
        if distance <= 2:
            # Neighbouring province codes: the last districts of one with the first of the next.
            for left, right in itertools.pairwise(provinces):
                a, b = by_province[left], by_province[right]
                if len(a) >= distance and len(b) >= distance:
                    level.append((a[-distance], b[distance - 1]))
        level = [p for p in level if p not in seen]
        rng.shuffle(level)
        take = level[: count - len(pairs)]
        pairs.extend(take)
        seen.update(take)
        distance += 1
    if len(pairs) < count:
        raise SyntheticDataError(
            f"Danh mục chỉ cho phép {vi_number(len(pairs))} cặp huyện giáp ranh, không đủ "
            f"{vi_number(count)} quy chế."
        )
    return pairs


# --- writing ------------------------------------------------------------------------------------


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
    """Keep the pghistory triggers quiet for the current transaction only (see the module docstring).

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


# --- generation ---------------------------------------------------------------------------------


@dataclass
class GenerationResult:
    mode: str
    stats: list[TableStat]
    cleared: dict[str, int]
    seconds: float
    geography_imported: bool


class _Generator:
    def __init__(self, *, seed: int, agreements: int, patrols: int, tips: int, incidents: int,
                 writer: _Writer, log: LogFn):
        self.seed = seed
        self.rng = random.Random(seed)
        self.n_agreements = agreements
        self.n_patrols = patrols
        self.n_tips = tips
        self.n_incidents = incidents
        self.w = writer
        self.log = log
        # Members, globally indexed: commune id, side (0/1), last day index (or a big number), cluster.
        self.m_commune = array("q")
        self.m_side = array("b")
        self.m_last = array("i")
        self.m_cluster = array("i")
        self.commune_name: dict[int, str] = {}
        self.commune_esc: dict[int, str] = {}  # the same, escaped for COPY once
        self.commune_police: dict[int, int] = {}
        self.agreements: list[_Agreement] = []
        self.clusters: list[_Cluster] = []
        self.cluster_ids: list[int] = []

    # Helpers ------------------------------------------------------------------------------------

    def _name(self) -> str:
        r = self.rng
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLE_NAMES)} {r.choice(GIVEN_NAMES)}"

    def _active_member(self, cluster: _Cluster, day: int, r: float) -> int:
        """A member of ``cluster`` on ``day`` (members that left before are skipped)."""
        members = cluster.members
        member = members[int(r * len(members))]
        if self.m_last[member] >= day:
            return member
        permanent = cluster.permanent[self.m_side[member]] or cluster.permanent[1 - self.m_side[member]]
        return permanent[int(r * 7919) % len(permanent)]

    # Registry -----------------------------------------------------------------------------------

    def plan_and_write_registry(self, geo: _Geography) -> None:
        rng = self.rng
        pairs = _district_pairs(geo, self.n_agreements, rng)
        district = {d[0]: d for d in geo.districts}
        district_ids = sorted({d for pair in pairs for d in pair}, key=lambda pk: district[pk][1])

        # Agreements, their clusters and members (communes drawn from each side's district).
        for index, (left, right) in enumerate(pairs):
            agreement = _Agreement(index=index, side_districts=(left, right), weight=rng.lognormvariate(0, 0.6),
                                   signed_on=datetime.date(2019, 3, 1) + datetime.timedelta(days=rng.randrange(640)))
            self.agreements.append(agreement)
            pools = [list(geo.communes[left]), list(geo.communes[right])]
            for pool in pools:
                rng.shuffle(pool)
            n_clusters = 2 if rng.random() < 0.25 and min(len(p) for p in pools) >= 4 else 1
            for c in range(n_clusters):
                members: list[int] = []
                permanent: tuple[list[int], list[int]] = ([], [])
                for side in (0, 1):
                    share = len(pools[side]) // n_clusters
                    available = pools[side][c * share:(c + 1) * share]
                    take = min(len(available), rng.randint(2, 8))
                    for k, (commune_id, _code, name, _type) in enumerate(available[:take]):
                        leaves = k > 0 and rng.random() < 0.08
                        last = rng.randrange(365, DAYS - 60) if leaves else 1 << 30
                        member = len(self.m_commune)
                        self.m_commune.append(commune_id)
                        self.m_side.append(side)
                        self.m_last.append(last)
                        self.m_cluster.append(len(self.clusters))
                        self.commune_name[commune_id] = name
                        self.commune_esc[commune_id] = _esc(name)
                        members.append(member)
                        if not leaves:
                            permanent[side].append(member)
                agreement.clusters.append(len(self.clusters))
                self.clusters.append(_Cluster(agreement=index, members=members, permanent=permanent))
            agreement.cluster_picker = _Picker(agreement.clusters,
                                               [len(self.clusters[c].members) for c in agreement.clusters])

        commune_info = {c[0]: c for cs in geo.communes.values() for c in cs}
        commune_district = {c[0]: d for d, cs in geo.communes.items() for c in cs}
        # By official code, not by id: the same order in every database.
        communes = sorted(set(self.m_commune), key=lambda pk: commune_info[pk][1])

        # Units: district police per district, commune police per member commune (under its district's).
        n_units = len(district_ids) + len(communes)
        first_unit = self.w.allocate(_tables("agreements.Unit")[0], n_units)
        district_unit = {pk: first_unit + i for i, pk in enumerate(district_ids)}
        for i, pk in enumerate(communes):
            self.commune_police[pk] = first_unit + len(district_ids) + i

        def unit_lines() -> Iterator[str]:
            for pk in district_ids:
                _pk, _code, name, division_type, _province = district[pk]
                bare = _bare(name, division_type)
                yield (f"{district_unit[pk]}\t{_esc(SYNTHETIC_UNIT_PREFIX + 'Công an ' + division_type + ' ' + bare)}"
                       f"\t{_esc(('CA ' + bare)[:40])}\tpolice\tdistrict\t{pk}\t{NULL}\t2010-01-01"
                       f"\t{DISTRICT_POLICE_LAST_DAY.isoformat()}\t{NULL}\n")
            for pk in communes:
                _pk, _code, name, division_type = commune_info[pk]
                bare = _bare(name, division_type)
                unit_name = SYNTHETIC_UNIT_PREFIX + "Công an " + division_type + " " + bare
                yield (f"{self.commune_police[pk]}\t{_esc(unit_name)}"
                       f"\t{_esc(('CA ' + bare)[:40])}\tpolice\tcommune\t{pk}\t{district_unit[commune_district[pk]]}"
                       f"\t2020-01-01\t{LEGACY_LAST_DAY.isoformat()}\t{NULL}\n")

        self.w.copy("Đơn vị", _tables("agreements.Unit")[0],
                    ["id", "name", "short_name", "force", "level", "area_id", "parent_id", "valid_from", "valid_to",
                     "successor_id"], _chunked(unit_lines()))

        # Agreements, parties, coordination areas.
        from agreements.models import CoordinationArea

        areas = list(CoordinationArea.objects.order_by("order", "code").values_list("pk", flat=True))
        n = len(self.agreements)
        first_agreement = self.w.allocate(_tables("agreements.Agreement")[0], n)
        first_party = self.w.allocate(_tables("agreements.AgreementParty")[0], 2 * n)
        agreement_lines, party_lines, area_lines = [], [], []
        for a in self.agreements:
            a.party_units = (district_unit[a.side_districts[0]], district_unit[a.side_districts[1]])
            a.party_ids = (first_party + 2 * a.index, first_party + 2 * a.index + 1)
            names = [_bare(district[d][2], district[d][3]) for d in a.side_districts]
            kinds = [district[d][3] for d in a.side_districts]
            signed = a.signed_on
            chapters = rng.randint(4, 6)
            title = (f"{SYNTHETIC_UNIT_PREFIX}Quy chế phối hợp bảo đảm an ninh, trật tự vùng giáp ranh giữa "
                     f"Công an {kinds[0]} {names[0]} và Công an {kinds[1]} {names[1]}")
            stamp = f"{signed.isoformat()} 09:00:00{UTC_OFFSET}"
            agreement_lines.append(
                f"{first_agreement + a.index}\t{SYNTHETIC_AGREEMENT_PREFIX}{a.index + 1:04d}/QC-CA\t{_esc(title)}"
                f"\t{signed.isoformat()}\t{_esc('Trụ sở Công an ' + kinds[0] + ' ' + names[0])}\t{signed.isoformat()}"
                f"\t{DISTRICT_POLICE_LAST_DAY.isoformat()}\t{chapters}\t{chapters * 4 + rng.randint(0, 6)}\texpired"
                f"\t{NULL}\t\t\t{stamp}\t{stamp}\n"
            )
            for side in (0, 1):
                party_lines.append(
                    f"{a.party_ids[side]}\t{first_agreement + a.index}\t{a.party_units[side]}\t{_esc(self._name())}"
                    f"\t{_esc('Trưởng Công an ' + kinds[side] + ' ' + names[side])}\t{side}\n"
                )
            area_lines.extend(f"{first_agreement + a.index}\t{area}\n" for area in areas)
        self.agreement_ids = [first_agreement + a.index for a in self.agreements]
        self.w.copy("Quy chế phối hợp", _tables("agreements.Agreement")[0],
                    ["id", "number", "title", "signed_on", "signed_at", "effective_from", "effective_to",
                     "chapter_count", "article_count", "status", "supersedes_id", "document", "summary", "created_at",
                     "updated_at"], [agreement_lines])
        self.w.copy("Bên tham gia quy chế", _tables("agreements.AgreementParty")[0],
                    ["id", "agreement_id", "unit_id", "signatory_name", "signatory_position", "order"], [party_lines])
        self.w.copy("Nội dung phối hợp của quy chế", _m2m_table("agreements.Agreement", "coordination_areas"),
                    ["agreement_id", "coordinationarea_id"], [area_lines])

        # Clusters and members; everyone joined before the data's period.
        first_cluster = self.w.allocate(_tables("agreements.Cluster")[0], len(self.clusters))
        self.cluster_ids = [first_cluster + i for i in range(len(self.clusters))]
        kinds = ["safe", "safe", "linked", "crime_fighting"]
        cluster_lines, member_lines = [], []
        first_member = self.w.allocate(_tables("agreements.ClusterMember")[0], len(self.m_commune))
        for ci, cluster in enumerate(self.clusters):
            a = self.agreements[cluster.agreement]
            # Established after the signing and before the data's period.
            established = a.signed_on + datetime.timedelta(days=rng.randrange((FIRST_DAY - a.signed_on).days))
            first_names = [self.commune_name[self.m_commune[cluster.members[0]]]]
            other = [m for m in cluster.members if self.m_side[m] == 1]
            if other:
                first_names.append(self.commune_name[self.m_commune[other[0]]])
            name = f"{SYNTHETIC_UNIT_PREFIX}Cụm giáp ranh {' – '.join(first_names)} (QC {a.index + 1:04d})"
            cluster_lines.append(
                f"{self.cluster_ids[ci]}\t{_esc(name)}\t{rng.choice(kinds)}\t{first_agreement + a.index}"
                f"\t{established.isoformat()}\t\n"
            )
            for member in cluster.members:
                last = self.m_last[member]
                valid_to = _DATE[last] if last < DAYS else NULL
                member_lines.append(
                    f"{first_member + member}\t{self.cluster_ids[ci]}\t{self.m_commune[member]}"
                    f"\t{a.party_ids[self.m_side[member]]}\t{established.isoformat()}\t{valid_to}\n"
                )
        self.w.copy("Cụm giáp ranh", _tables("agreements.Cluster")[0],
                    ["id", "name", "kind", "agreement_id", "established_on", "description"], [cluster_lines])
        self.w.copy("Xã thành viên cụm", _tables("agreements.ClusterMember")[0],
                    ["id", "cluster_id", "commune_id", "responsible_party_id", "valid_from", "valid_to"],
                    [member_lines])
        self.agreement_picker = _Picker(list(range(n)), [a.weight for a in self.agreements])

    # The three loops below run millions of times: everything they touch is bound to a local first,
    # pickers are inlined as bisect_right(cum, rnd() * scale), timestamps as two list lookups.

    # Patrols ------------------------------------------------------------------------------------

    def write_patrols(self) -> None:
        n = self.n_patrols
        table = _tables("patrols.Patrol")[0]
        first = self.w.allocate(table, n)
        self.patrol_first = first
        # Per patrol, for tips and incidents: a representative member, its start and end, done or not.
        p_member = self.p_member = array("i", bytes(4 * n))
        p_start = self.p_start = array("i", bytes(4 * n))
        p_end = self.p_end = array("i", bytes(4 * n))
        p_done = self.p_done = bytearray(n)
        participation_lines: list[str] = []
        commune_lines: list[str] = []
        rnd = self.rng.random
        agreements, clusters, agreement_ids, cluster_ids = self.agreements, self.clusters, self.agreement_ids, \
            self.cluster_ids
        m_commune, commune_police, commune_esc = self.m_commune, self.commune_police, self.commune_esc
        active_member = self._active_member
        a_cum, a_scale = self.agreement_picker.cum, self.agreement_picker.scale
        days = _day_picker("patrol")
        d_cum, d_scale = days.cum, days.scale
        hours = _Picker(list(range(24)), PATROL_HOURS)
        h_cum, h_scale = hours.cum, hours.scale
        dp, hms, last = _DAY_PREFIX, _HMS, SPAN - 1
        last_days = DAYS - 14
        add_participation, add_commune = participation_lines.append, commune_lines.append

        def lines() -> Iterator[list[str]]:
            chunk: list[str] = []
            for i in range(n):
                a = agreements[bisect.bisect_right(a_cum, rnd() * a_scale)]
                cluster_index = a.cluster_picker.pick(rnd())
                with_cluster = rnd() < 0.9
                day = bisect.bisect_right(d_cum, rnd() * d_scale)
                start = day * 86400 + bisect.bisect_right(h_cum, rnd() * h_scale) * 3600 + int(rnd() * 4) * 900
                end = start + (4 + int(rnd() * 9)) * 1800
                if end > last:
                    end = last
                # Communes patrolled: 1–4 members of the cluster on the patrol's last day.
                cluster = clusters[cluster_index]
                end_day = end // 86400
                picked: list[int] = []
                for _ in range(1 + int(rnd() * rnd() * 4)):
                    member = active_member(cluster, end_day, rnd())
                    if member not in picked:
                        picked.append(member)
                p_member[i], p_start[i], p_end[i] = picked[0], start, end
                pid = first + i
                # Participations: both parties, sometimes the commune police of patrolled communes.
                party_a, party_b = a.party_units
                units = [(party_a, 2 + int(rnd() * 7)), (party_b, 2 + int(rnd() * 7))]
                if rnd() < 0.4:
                    for member in picked[:2]:
                        units.append((commune_police[m_commune[member]], 1 + int(rnd() * 4)))
                r = rnd()
                lead = units[2][0] if r < 0.1 and len(units) > 2 else (party_a if r < 0.55 else party_b)
                total = 0
                for unit, officers in units:
                    add_participation(f"{pid}\t{unit}\t{officers}\n")
                    total += officers
                for member in picked:
                    add_commune(f"{pid}\t{m_commune[member]}\n")
                # Status: planned patrols only near the end of the period (and a few never updated).
                r = rnd()
                if day >= last_days:
                    status = "planned" if r < 0.4 else "done"
                else:
                    status = "confirmed" if r < 0.55 else ("done" if r < 0.98 else "planned")
                if status == "confirmed":
                    t = end + 3600 + int(rnd() * 47 * 3600)
                    if t > last:
                        t = last
                    confirmed_at = dp[t // 86400] + hms[t % 86400]
                    p_done[i] = 1
                else:
                    confirmed_at = NULL
                    p_done[i] = status == "done"
                if status == "planned":
                    created = start - 86400 - int(rnd() * 2 * 86400)
                    if created < 0:
                        created = 0
                else:
                    created = end + int(rnd() * 6 * 3600)
                    if created > last:
                        created = last
                r = rnd()
                programme = PROGRAMMES[int(r * 10)] if r < 0.4 else ""
                route = " – ".join([commune_esc[m_commune[m]] for m in picked])
                findings = f"Nhắc nhở {1 + int(rnd() * 5)} trường hợp vi phạm trật tự" if rnd() < 0.15 else ""
                chunk.append(
                    f"{pid}\t{agreement_ids[a.index]}\t{cluster_ids[cluster_index] if with_cluster else NULL}"
                    f"\t{programme}\t{dp[start // 86400]}{hms[start % 86400]}\t{dp[end // 86400]}{hms[end % 86400]}"
                    f"\t{route}\t{lead}\t{findings}\t{status}\t{confirmed_at}"
                    f"\t{dp[created // 86400]}{hms[created % 86400]}\t{total}\n"
                )
                if len(chunk) >= _Writer.CHUNK:
                    yield chunk
                    chunk = []
            yield chunk

        self.w.copy("Ca tuần tra chung", table,
                    ["id", "agreement_id", "cluster_id", "programme", "started_at", "ended_at", "route", "lead_unit_id",
                     "findings", "status", "confirmed_at", "created_at", "officer_total"], lines(), expected=n,
                    progress=True)
        self.w.copy_lines("Đơn vị tham gia tuần tra", _tables("patrols.PatrolParticipation")[0],
                          ["patrol_id", "unit_id", "officers"], participation_lines)
        participation_lines.clear()
        self.w.copy_lines("Xã, phường tuần tra qua", _m2m_table("patrols.Patrol", "communes"),
                          ["patrol_id", "administrativeunit_id"], commune_lines)
        self.done_patrols = array("i", (i for i in range(n) if p_done[i]))

    # Tips ---------------------------------------------------------------------------------------

    def write_tips(self, categories: list[tuple[int, str, str, str, str]]) -> None:
        n = self.n_tips
        table = _tables("incidents.Tip")[0]
        first = self.w.allocate(table, n)
        self.tip_first = first
        # Per tip, for incidents: its member and receipt; which tips can have led to an incident
        # (verified true or handed over, with a commune).
        t_useful = self.t_useful = array("i")
        t_member = self.t_member = array("i", bytes(4 * n))
        t_received = self.t_received = array("i", bytes(4 * n))
        rnd = self.rng.random
        agreements, clusters, agreement_ids, cluster_ids = self.agreements, self.clusters, self.agreement_ids, \
            self.cluster_ids
        m_commune, m_side, m_last, m_cluster = self.m_commune, self.m_side, self.m_last, self.m_cluster
        commune_police, commune_esc = self.commune_police, self.commune_esc
        done_patrols, p_member, p_end, patrol_first = self.done_patrols, self.p_member, self.p_end, self.patrol_first
        n_done = len(done_patrols)
        active_member = self._active_member
        a_cum, a_scale = self.agreement_picker.cum, self.agreement_picker.scale
        days = _day_picker("tip")
        d_cum, d_scale = days.cum, days.scale
        hours = _Picker(list(range(24)), TIP_HOURS)
        h_cum, h_scale = hours.cum, hours.scale
        category = _Picker(categories, [TIP_WEIGHTS.get(c[1], DEFAULT_WEIGHT) for c in categories])
        reliability = _Picker(list("ABCDEF"), [5, 25, 35, 10, 5, 20])
        credibility = _Picker(list("123456"), [10, 30, 30, 10, 5, 15])
        closed_statuses = _Picker(["verified_true", "verified_false", "handed_over"], [45, 30, 25])
        notes = {"verified_true": "Xác minh: tin đúng, đã xử lý theo quy định",
                 "verified_false": "Xác minh: tin không đúng",
                 "handed_over": "Đã chuyển giao cơ quan có thẩm quyền giải quyết"}
        dp, hms, dates, last = _DAY_PREFIX, _HMS, _DATE, SPAN - 1

        def lines() -> Iterator[list[str]]:
            chunk: list[str] = []
            for i in range(n):
                r = rnd()
                patrol = NULL
                if r < 0.10 and n_done:
                    source = "patrol"
                    p = done_patrols[int(rnd() * n_done)]
                    member = p_member[p]
                    received = p_end[p] + int(rnd() * 7200)
                    if received > last or m_last[member] < received // 86400:
                        received = p_end[p]
                    patrol = patrol_first + p
                    cluster_index = m_cluster[member]
                    with_cluster = with_commune = True
                else:
                    source = "unit" if r < 0.75 else ("public" if r < 0.9 else "own")
                    a = agreements[bisect.bisect_right(a_cum, rnd() * a_scale)]
                    cluster_index = a.cluster_picker.pick(rnd())
                    day = bisect.bisect_right(d_cum, rnd() * d_scale)
                    received = day * 86400 + bisect.bisect_right(h_cum, rnd() * h_scale) * 3600 + int(rnd() * 3600)
                    member = active_member(clusters[cluster_index], day, rnd())
                    with_cluster = rnd() < 0.85
                    with_commune = with_cluster or rnd() < 0.7
                a = agreements[clusters[cluster_index].agreement]
                side = m_side[member]
                commune_id = m_commune[member]
                # From the side that learnt it to the partner; sometimes from a commune police post.
                if rnd() < 0.5:
                    from_unit = a.party_units[side]
                    if rnd() < 0.15 and with_commune:
                        from_unit = commune_police[commune_id]
                    to_unit = a.party_units[1 - side]
                else:
                    from_unit, to_unit = a.party_units[1 - side], a.party_units[side]
                cat_id, _code, _name, cat_lower, _nature = category.pick(rnd())
                rday = received // 86400
                deadline = rday + 15 + int(rnd() * 16)
                # Status by age: open tips are mostly recent, but some are overdue.
                r = rnd()
                if deadline >= DAYS:
                    status = ("received" if r < 0.15 else "verifying") if r < 0.55 else closed_statuses.pick(rnd())
                else:
                    status = ("received" if r < 0.01 else "verifying") if r < 0.04 else closed_statuses.pick(rnd())
                verified = NULL
                if status != "received" and status != "verifying":
                    late = 1.15 if rnd() < 0.1 else 0.95
                    done = received + 3600 + int(rnd() * (deadline - rday) * 86400 * late)
                    if done > last:
                        status = "verifying"
                    elif status != "handed_over":  # as tip_set_status: only a verification sets it
                        verified = dp[done // 86400] + hms[done % 86400]
                if status == "received" and rnd() < 0.5:
                    acknowledged = NULL
                else:
                    t = received + 300 + int(rnd() * 12 * 3600)
                    if t > last:
                        t = last
                    acknowledged = dp[t // 86400] + hms[t % 86400]
                if status == "received" or status == "verifying":
                    jointly = "t" if status == "verifying" and rnd() < 0.3 else "f"
                    note = ""
                else:
                    jointly = "t" if rnd() < 0.45 else "f"
                    note = notes[status]
                    if with_commune and status != "verified_false":
                        t_useful.append(i)
                t_member[i] = member
                t_received[i] = received
                created = received + int(rnd() * 3600)
                if created > last:
                    created = last
                chunk.append(
                    f"{first + i}\t{agreement_ids[a.index]}\t{cluster_ids[cluster_index] if with_cluster else NULL}"
                    f"\t{source}\t{from_unit}\t{to_unit}\t{patrol}\t{dp[rday]}{hms[received % 86400]}\t{cat_id}"
                    f"\t{commune_id if with_commune else NULL}"
                    f"\tTin về {cat_lower} tại {commune_esc[commune_id] if with_commune else 'địa bàn giáp ranh'}"
                    f"\t{reliability.pick(rnd())}\t{credibility.pick(rnd())}\t{status}\t{dates[deadline]}\t{jointly}"
                    f"\t{acknowledged}\t{verified}\t{note}\t{dp[created // 86400]}{hms[created % 86400]}\n"
                )
                if len(chunk) >= _Writer.CHUNK:
                    yield chunk
                    chunk = []
            yield chunk

        self.w.copy("Nguồn tin", table,
                    ["id", "agreement_id", "cluster_id", "source_kind", "from_unit_id", "to_unit_id", "patrol_id",
                     "received_at", "category_id", "commune_id", "summary", "reliability", "credibility", "status",
                     "deadline", "jointly_verified", "acknowledged_at", "verified_at", "verification_note",
                     "created_at"], lines(), expected=n,
                    progress=True)

    # Incidents ----------------------------------------------------------------------------------

    def write_incidents(self, categories: list[tuple[int, str, str, str, str]]) -> None:
        n = self.n_incidents
        table = _tables("incidents.Incident")[0]
        first = self.w.allocate(table, n)
        supporting_lines: list[str] = []
        tip_lines: list[str] = []
        patrol_lines: list[str] = []
        rng = self.rng
        rnd, expovariate = rng.random, rng.expovariate
        agreements, clusters, agreement_ids, cluster_ids = self.agreements, self.clusters, self.agreement_ids, \
            self.cluster_ids
        m_commune, m_side, m_last, m_cluster = self.m_commune, self.m_side, self.m_last, self.m_cluster
        commune_police, commune_esc = self.commune_police, self.commune_esc
        done_patrols, p_member, p_start, p_end = self.done_patrols, self.p_member, self.p_start, self.p_end
        n_done = len(done_patrols)
        useful_tips, t_member, t_received = self.t_useful, self.t_member, self.t_received
        n_useful = len(useful_tips)
        patrol_first, tip_first = self.patrol_first, self.tip_first
        active_member = self._active_member
        a_cum, a_scale = self.agreement_picker.cum, self.agreement_picker.scale
        days = _day_picker("incident")
        d_cum, d_scale = days.cum, days.scale
        hours = _Picker(list(range(24)), INCIDENT_HOURS)
        h_cum, h_scale = hours.cum, hours.scale
        category = _Picker(categories, [INCIDENT_WEIGHTS.get(c[1], DEFAULT_WEIGHT) for c in categories])
        c_cum, c_scale, c_values = category.cum, category.scale, category.values
        criminal_cleared = _Picker(["solved", "prosecuted", "closed"], [35, 45, 20])
        administrative_cleared = _Picker(["sanctioned", "solved", "closed"], [75, 10, 15])
        open_statuses = _Picker(["investigating", "suspended", "received"], [70, 20, 10])
        places = [p.format(n=k) for p in PLACES for k in range(1, 13)]
        n_places = len(places)
        dp, hms, last = _DAY_PREFIX, _HMS, SPAN - 1
        add_support = supporting_lines.append

        def lines() -> Iterator[list[str]]:
            chunk: list[str] = []
            for i in range(n):
                iid = first + i
                r = rnd()
                if r < 0.12 and n_done:
                    source = "patrol"
                    p = done_patrols[int(rnd() * n_done)]
                    member = p_member[p]
                    occurred = p_start[p] + int(rnd() * (p_end[p] - p_start[p]))
                    patrol_lines.append(f"{iid}\t{patrol_first + p}\n")
                elif r < 0.27 and n_useful:
                    source = "tip"
                    t = useful_tips[int(rnd() * n_useful)]
                    member = t_member[t]
                    received = t_received[t]
                    occurred = received + 3600 + int(rnd() * 10 * 86400)
                    if occurred > last or m_last[member] < occurred // 86400:
                        occurred = received
                    tip_lines.append(f"{iid}\t{tip_first + t}\n")
                else:
                    source = "public" if r < 0.75 else "own"
                    a = agreements[bisect.bisect_right(a_cum, rnd() * a_scale)]
                    day = bisect.bisect_right(d_cum, rnd() * d_scale)
                    occurred = day * 86400 + bisect.bisect_right(h_cum, rnd() * h_scale) * 3600 + int(rnd() * 3600)
                    member = active_member(clusters[a.cluster_picker.pick(rnd())], day, rnd())
                cluster_index = m_cluster[member]
                a = agreements[clusters[cluster_index].agreement]
                side = m_side[member]
                commune_id = m_commune[member]
                cat_id, code, cat_name, _lower, nature = c_values[bisect.bisect_right(c_cum, rnd() * c_scale)]
                if code in MIXED_NATURE and rnd() < 0.2:
                    nature = "administrative" if nature == "criminal" else "criminal"
                criminal = nature == "criminal"
                # Lead: the responsible party, or the commune police; sometimes handled jointly.
                district_police = a.party_units[side]
                local_police = commune_police[commune_id]
                lead = local_police if rnd() < 0.25 else district_police
                jointly = rnd() < 0.35
                if jointly:
                    add_support(f"{iid}\t{a.party_units[1 - side]}\n")
                    if rnd() < 0.3:
                        add_support(f"{iid}\t{district_police if lead == local_police else local_police}\n")
                # Outcome: cleared with a delay (criminal cases take weeks, administrative days).
                r = rnd()
                solved = -1
                if r < (0.78 if criminal else 0.92):
                    if criminal:
                        delay = int(expovariate(1 / (2 * 86400) if r < 0.3 else 1 / (30 * 86400)))
                    else:
                        delay = int(expovariate(1 / (1.5 * 86400)))
                    if occurred + 1800 + delay <= last:
                        solved = occurred + 1800 + delay
                if solved >= 0:
                    status = (criminal_cleared if criminal else administrative_cleared).pick(rnd())
                    suspects = 1 + int(rnd() * rnd() * 6)
                    dealt = suspects if rnd() < 0.8 else int(rnd() * (suspects + 1))
                    outcome = f"Đã làm rõ, xử lý {dealt:02d} đối tượng"
                    solved_at = dp[solved // 86400] + hms[solved % 86400]
                else:
                    status = open_statuses.pick(rnd())
                    suspects = 0 if rnd() < 0.6 else 1 + int(rnd() * 3)
                    dealt = 0 if rnd() < 0.9 else int(rnd() * (suspects + 1))
                    outcome = ""
                    solved_at = NULL
                created = occurred + int(rnd() * 48 * 3600)
                if created > last:
                    created = last
                chunk.append(
                    f"{iid}\t{agreement_ids[a.index]}\t{cluster_ids[cluster_index]}"
                    f"\t{dp[occurred // 86400]}{hms[occurred % 86400]}\t{commune_id}\t{places[int(rnd() * n_places)]}"
                    f"\t{cat_id}\t{nature}\t{cat_name} tại {commune_esc[commune_id]}\t{lead}\t{source}\t{status}"
                    f"\t{solved_at}\t{suspects}\t{dealt}\t{outcome}\t{'t' if jointly else 'f'}"
                    f"\t{dp[created // 86400]}{hms[created % 86400]}\n"
                )
                if len(chunk) >= _Writer.CHUNK:
                    yield chunk
                    chunk = []
            yield chunk

        self.w.copy("Vụ việc", table,
                    ["id", "agreement_id", "cluster_id", "occurred_at", "commune_id", "place", "category_id", "nature",
                     "summary", "lead_unit_id", "source", "status", "solved_at", "suspects", "suspects_dealt_with",
                     "outcome", "jointly_handled", "created_at"], lines(), expected=n,
                    progress=True)
        self.w.copy_lines("Đơn vị phối hợp giải quyết vụ việc", _m2m_table("incidents.Incident", "supporting_units"),
                          ["incident_id", "unit_id"], supporting_lines)
        self.w.copy_lines("Vụ việc – nguồn tin", _m2m_table("incidents.Incident", "tips"),
                          ["incident_id", "tip_id"], tip_lines)
        self.w.copy_lines("Vụ việc – ca tuần tra", _m2m_table("incidents.Incident", "patrols"),
                          ["incident_id", "patrol_id"], patrol_lines)


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
    """Write one deterministic synthetic data set in one transaction (see the module docstring).

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


def _analyze(log: LogFn, tables: Iterable[str]) -> None:
    started = time.perf_counter()
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in dict.fromkeys(tables):
            cursor.execute(f"{verb} {qn(table)}")
    log(f"  {verb}: {vi_number(time.perf_counter() - started, 1)} giây")


# --- clearing -----------------------------------------------------------------------------------


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
