"""The registry of a synthetic data set, planned in memory (it is small) and then written: district and
commune police units, agreements with their parties and coordination areas, clusters and members.

``_RegistryRows`` also holds what the record loops of :mod:`demo.synthetic.patrol_rows`,
:mod:`~demo.synthetic.tip_rows` and :mod:`~demo.synthetic.incident_rows` share: the plan, the random
generator and the writer.
"""

from __future__ import annotations

import datetime
import itertools
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from demo.synthetic.common import (
    _DATE,
    DAYS,
    DISTRICT_POLICE_LAST_DAY,
    FIRST_DAY,
    GIVEN_NAMES,
    LEGACY_LAST_DAY,
    MIDDLE_NAMES,
    NULL,
    SURNAMES,
    SYNTHETIC_AGREEMENT_PREFIX,
    SYNTHETIC_UNIT_PREFIX,
    UTC_OFFSET,
    LogFn,
    SyntheticDataError,
    _esc,
    _Picker,
    vi_number,
)
from demo.synthetic.writer import _chunked, _m2m_table, _tables, _Writer

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


class _RegistryRows:
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
