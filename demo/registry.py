"""The registry part of the demo data: the units, agreements and clusters of the five seed reports.

Every write goes through :mod:`agreements.services` with ``actor=None`` (the system), so the demo
data carries the same audit trail as data entered by people. Each object is looked up by its
natural key first (unit name + area, agreement number, cluster name within its agreement, commune
+ start date within a cluster, person name within a board or team, model name + commune within an
agreement, username) and only created when missing: a second run writes nothing, and a record
that someone changed while trying the demo is left as they left it.

What comes from the seeds is used as given: the units, communes, the 6 chapters and 22 articles,
the 18-member mobile team, the 139 self-management models, the officers named in the reports,
Nghị định 03/2019/NĐ-CP. Everything else (agreement numbers, dates of signature other than
08/08/2019, places, names of people not named in the reports, chapter titles) is invented for the
demo and looks plausible, no more.

History as it happened (DESIGN §4): district police were dissolved on 1 March 2025, so they and
every agreement with a district-level party end on 28 February 2025 (``valid_to`` and
``effective_to`` are the last day, as ``UnitQuerySet.current`` reads them); legacy communes and
district-level bodies end on 30 June 2025; provinces merged on 1 July 2025 point to the unit of
the province that absorbed them when that unit is part of the demo.

Two names in the seeds do not match the legacy list (the state just before 1 July 2025):
* "Thành Côn" (seed 002) is no commune of Huyện Thạch Thành; it is read as Xã Thành Công.
* Xã Thành Vân was merged into Thị trấn Vân Du in late 2019, so the legacy list no longer has it;
  "Công an xã Thành Vân" keeps its name but its area, and its cluster membership, is Thị trấn Vân Du.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from agreements import services
from agreements.models import (
    AdministrativeUnit,
    AdminLevel,
    Agreement,
    AgreementParty,
    AgreementStatus,
    BoardMember,
    BoardRole,
    Cluster,
    ClusterKind,
    ClusterMember,
    CoordinationArea,
    Era,
    Force,
    LegalBasis,
    MobileTeam,
    MobileTeamMember,
    Role,
    SelfManagementKind,
    SelfManagementModel,
    Unit,
    UnitLevel,
)

D = datetime.date

DEMO_PASSWORD = "demo12345"
# Last day of the district police (dissolved 01/03/2025) and of the legacy three-tier units.
DISTRICT_POLICE_LAST_DAY = D(2025, 2, 28)
LEGACY_LAST_DAY = D(2025, 6, 30)


class DemoDataError(Exception):
    """The database lacks something the demo needs (usually: the geography was not imported)."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    rank: str
    position: str
    role: str
    unit: str  # key of the unit in the loader (see _Loader.units)
    seed: str  # which seed and which side, for the demo_accounts table


def _accounts(prefix: str, unit: str, seed: str, people: Sequence[tuple[str, str, str]]) -> list[DemoAccount]:
    roles = (("canbo", Role.OFFICER), ("chihuy", Role.COMMANDER), ("thammuu", Role.STAFF))
    return [
        DemoAccount(f"{prefix}.{suffix}", name, rank, position, role, unit, seed)
        for (suffix, role), (name, rank, position) in zip(roles, people, strict=True)
    ]


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin", "Nguyễn Minh Quân", "Thiếu tá", "Cán bộ Phòng Tham mưu, quản trị hệ thống",
        Role.ADMINISTRATOR, "ca_danang", "quản trị (thấy mọi dữ liệu)",
    ),
    *_accounts("nguhanhson", "ca_nguhanhson", "000 – bên Ngũ Hành Sơn (Đà Nẵng)", [
        ("Trần Quốc Bảo", "Đại úy", "Cán bộ Đội Cảnh sát hình sự"),
        ("Nguyễn Thanh Tùng", "Thượng tá", "Phó Trưởng Công an quận"),
        ("Lê Thị Mỹ Hạnh", "Thiếu tá", "Cán bộ Đội Tham mưu – Tổng hợp"),
    ]),
    *_accounts("dienban", "ca_dienban", "000 + 004 – bên Công an Điện Bàn (Quảng Nam)", [
        ("Phan Văn Lộc", "Thượng úy", "Cán bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội"),
        ("Huỳnh Tấn Phát", "Thượng tá", "Phó Trưởng Công an thị xã"),
        ("Võ Thị Kim Oanh", "Thiếu tá", "Cán bộ Đội Tham mưu – Tổng hợp"),
    ]),
    *_accounts("songcau", "ca_songcau", "001 – bên Sông Cầu (Phú Yên)", [
        ("Lương Văn Tín", "Đại úy", "Cán bộ Đội Cảnh sát hình sự"),
        ("Đặng Ngọc Sơn", "Thượng tá", "Phó Trưởng Công an thị xã"),
        ("Nguyễn Thị Hồng Nhung", "Đại úy", "Cán bộ Đội Tham mưu – Tổng hợp"),
    ]),
    *_accounts("quinhon", "ca_quinhon", "001 – bên Qui Nhơn (Bình Định)", [
        ("Trương Minh Khoa", "Thượng úy", "Cán bộ Đội Cảnh sát hình sự"),
        ("Hồ Đắc Thịnh", "Thượng tá", "Phó Trưởng Công an thành phố"),
        ("Phạm Thị Thanh Vân", "Thiếu tá", "Cán bộ Đội Tham mưu – Tổng hợp"),
    ]),
    *_accounts("nhoquan", "ca_nhoquan", "002 – bên Nho Quan (Ninh Bình)", [
        ("Đinh Văn Quyết", "Đại úy", "Cán bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội"),
        ("Bùi Văn Thắng", "Thượng tá", "Phó Trưởng Công an huyện"),
        ("Phạm Thị Hương", "Thiếu tá", "Cán bộ Đội Tham mưu – Tổng hợp"),
    ]),
    DemoAccount(
        "phulong.canbo", "Đinh Công Tuấn", "Trung sĩ", "Cán bộ Công an xã, thành viên đội công an cơ động của cụm",
        Role.OFFICER, "ca_phulong", "002 – công an xã Phú Long (cấp xã)",
    ),
    *_accounts("thachthanh", "ca_thachthanh", "002 – bên Thạch Thành (Thanh Hóa)", [
        ("Lê Văn Hải", "Thượng úy", "Cán bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội"),
        ("Trịnh Xuân Lâm", "Thượng tá", "Phó Trưởng Công an huyện"),
        ("Hoàng Thị Lan", "Đại úy", "Cán bộ Đội Tham mưu – Tổng hợp"),
    ]),
    *_accounts("lethuy", "ca_lethuy", "003 – bên Lệ Thủy (Quảng Bình)", [
        ("Nguyễn Hữu Phước", "Đại úy", "Cán bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội"),
        ("Hoàng Minh Tuấn", "Thượng tá", "Phó Trưởng Công an huyện"),
        ("Trần Thị Thu Thủy", "Thiếu tá", "Cán bộ Đội Tham mưu – Tổng hợp"),
    ]),
    *_accounts("vinhlinh", "ca_vinhlinh", "003 – bên Vĩnh Linh (Quảng Trị)", [
        ("Lê Quang Vinh", "Thượng úy", "Cán bộ Đội Cảnh sát hình sự"),
        ("Nguyễn Đăng Khoa", "Trung tá", "Phó Trưởng Công an huyện"),
        ("Hồ Thị Ngọc Ánh", "Đại úy", "Cán bộ Đội Tham mưu – Tổng hợp"),
    ]),
    *_accounts("cuadai", "bp_cuadai", "004 – Biên phòng (Đồn Biên phòng Cửa Đại)", [
        ("Nguyễn Văn Trung", "Thượng úy", "Nhân viên trinh sát"),
        ("Lê Văn Dũng", "Trung tá", "Đồn trưởng"),
        ("Phan Thanh Bình", "Đại úy", "Trợ lý tham mưu"),
    ]),
    *_accounts("quansudienban", "qs_dienban", "004 – Quân sự (Ban CHQS thị xã Điện Bàn)", [
        ("Trần Văn Nam", "Thượng úy", "Trợ lý dân quân tự vệ"),
        ("Đoàn Ngọc Hưng", "Thượng tá", "Chỉ huy trưởng"),
        ("Nguyễn Công Thành", "Thiếu tá", "Trợ lý tác chiến"),
    ]),
)
DEMO_USERNAMES: tuple[str, ...] = tuple(a.username for a in DEMO_ACCOUNTS)

# Numbers of the demo agreements: their natural key.
NUMBER_000_OLD = "01/QCPH-NHS-ĐB"
NUMBER_000_NEW = "02/QCPH-NHS-ĐB"
NUMBER_001 = "01/QCPH-SC-QN"
NUMBER_002 = "01/QCPH-NQ-TT"
NUMBER_003 = "01/QCPH-LT-VL"
NUMBER_004 = "01/QCPH-QS-CA-BP"
DEMO_AGREEMENT_NUMBERS = (NUMBER_000_OLD, NUMBER_000_NEW, NUMBER_001, NUMBER_002, NUMBER_003, NUMBER_004)

CLUSTER_002 = "Cụm giáp ranh an toàn về ANTT Nho Quan – Thạch Thành"
CLUSTER_003 = "Cụm “Liên hoàn về ANTT” vùng giáp ranh Lệ Thủy – Vĩnh Linh"
MOBILE_TEAM_002 = "Đội công an cơ động cụm giáp ranh Nho Quan – Thạch Thành"
SELF_MANAGEMENT_MODELS_004 = 139

# Keys of the dict load_registry_demo() returns: how many objects of each kind this run created.
COUNT_KEYS = (
    "units", "officers", "legal_bases", "agreements", "structures", "clusters", "cluster_members",
    "board_members", "mobile_teams", "mobile_team_members", "self_management_models",
)


def _local_name(area: AdministrativeUnit) -> str:
    """"Xã Phú Long" → "xã Phú Long", as it reads inside a unit's name."""
    prefix = area.division_type
    if area.name.lower().startswith(prefix.lower() + " "):
        return f"{prefix} {area.name[len(prefix) + 1:]}"
    return area.name


class _Loader:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.units: dict[str, Unit] = {}

    # Geography -------------------------------------------------------------------------------

    def _admin(self, level: str, name: str, parent: AdministrativeUnit | None = None) -> AdministrativeUnit:
        qs = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=level, name=name)
        if parent is not None:
            qs = qs.filter(parent=parent)
        found = qs.select_related("parent").first()
        if found is None:
            where = f" thuộc {parent.name}" if parent is not None else ""
            raise DemoDataError(
                f"Không tìm thấy đơn vị hành chính «{name}»{where} (trước 01/7/2025). "
                "Hãy chạy «manage.py import_geography» trước."
            )
        return found

    def province(self, name: str) -> AdministrativeUnit:
        return self._admin(AdminLevel.PROVINCE, name)

    def district(self, province: AdministrativeUnit, name: str) -> AdministrativeUnit:
        return self._admin(AdminLevel.DISTRICT, name, province)

    def commune(self, district: AdministrativeUnit, name: str) -> AdministrativeUnit:
        return self._admin(AdminLevel.COMMUNE, name, district)

    # Units and officers --------------------------------------------------------------------

    def unit(
        self,
        key: str,
        *,
        name: str,
        force: str,
        level: str,
        area: AdministrativeUnit,
        parent: str | None = None,
        short_name: str = "",
        valid_from: datetime.date | None = None,
        valid_to: datetime.date | None = None,
        successor: str | None = None,
    ) -> Unit:
        values = {
            "force": force,
            "level": level,
            "parent": self.units[parent] if parent else None,
            "short_name": short_name,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "successor": self.units[successor] if successor else None,
        }
        unit = Unit.objects.filter(name=name, area=area).first()
        if unit is None:
            unit = services.unit_create(actor=None, name=name, area=area, **values)
            self.created["units"] += 1
        self.units[key] = unit
        return unit

    def commune_police(
        self, key: str, commune: AdministrativeUnit, parent: str, *, name: str = "", short_name: str = ""
    ) -> Unit:
        return self.unit(
            key,
            name=name or f"Công an {_local_name(commune)}",
            short_name=short_name,
            force=Force.POLICE,
            level=UnitLevel.COMMUNE,
            area=commune,
            parent=parent,
            valid_to=LEGACY_LAST_DAY,
        )

    def officer(self, account: DemoAccount) -> None:
        if not get_user_model().objects.filter(username__iexact=account.username).exists():
            officer = services.officer_create(
                actor=None,
                username=account.username,
                password_hash=_demo_password_hash(),
                full_name=account.full_name,
                unit=self.units[account.unit],
                role=account.role,
                rank=account.rank,
                position=account.position,
            )
            self.created["officers"] += 1
            if account.role == Role.ADMINISTRATOR:
                # The demo administrator also gets the Django superuser flag (user rows are not audited).
                officer.user.is_superuser = True
                officer.user.save(update_fields=["is_superuser"])

    # Agreements ------------------------------------------------------------------------------

    def legal_basis(self, *, number: str, issued_on: datetime.date | None, title: str) -> LegalBasis:
        exists = LegalBasis.objects.filter(number=number, issued_on=issued_on).exists()
        basis = services.legal_basis_get_or_create(actor=None, number=number, issued_on=issued_on, title=title)
        self.created["legal_bases"] += not exists
        return basis

    @staticmethod
    def areas(*codes: str) -> list[CoordinationArea]:
        found = {a.code: a for a in CoordinationArea.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise DemoDataError(f"Thiếu nội dung phối hợp {', '.join(missing)} (migration agreements 0002).")
        return [found[c] for c in codes]

    def party(self, unit: str, name: str = "", position: str = "") -> services.PartyData:
        return services.PartyData(unit=self.units[unit], signatory_name=name, signatory_position=position)

    def agreement(self, data: services.AgreementData, parties: Sequence[services.PartyData]) -> Agreement:
        existing = Agreement.objects.filter(number=data.number).first()
        if existing is not None:
            return existing
        self.created["agreements"] += 1
        return services.agreement_create(actor=None, data=data, parties=parties)

    def structure(self, agreement: Agreement, chapters: Sequence[tuple[int, str, Sequence[tuple[int, str, str]]]]):
        if not agreement.chapters.exists():
            services.agreement_set_structure(actor=None, agreement=agreement, chapters=chapters)
            self.created["structures"] += 1

    @staticmethod
    def party_of(agreement: Agreement, unit: Unit) -> AgreementParty:
        return AgreementParty.objects.select_related("unit__area").get(agreement=agreement, unit=unit)

    # Clusters ----------------------------------------------------------------------------------

    def cluster(
        self, agreement: Agreement, *, name: str, kind: str, established_on: datetime.date, description: str = ""
    ) -> Cluster:
        existing = Cluster.objects.filter(agreement=agreement, name=name).first()
        if existing is not None:
            return existing
        self.created["clusters"] += 1
        return services.cluster_create(
            actor=None, agreement=agreement, name=name, kind=kind, established_on=established_on,
            description=description,
        )

    def member(
        self,
        cluster: Cluster,
        commune: AdministrativeUnit,
        unit: str,
        valid_from: datetime.date,
        valid_to: datetime.date | None,
    ) -> ClusterMember:
        existing = ClusterMember.objects.filter(cluster=cluster, commune=commune, valid_from=valid_from).first()
        if existing is not None:
            return existing
        self.created["cluster_members"] += 1
        party = self.party_of(cluster.agreement, self.units[unit])
        return services.cluster_member_add(
            actor=None, cluster=cluster, commune=commune, responsible_party=party, valid_from=valid_from,
            valid_to=valid_to,
        )

    def board(
        self, cluster: Cluster, *, full_name: str, unit: str, board_role: str, rank: str, position: str, duties: str
    ) -> None:
        if BoardMember.objects.filter(cluster=cluster, full_name=full_name).exists():
            return
        services.board_member_add(
            actor=None, cluster=cluster, full_name=full_name, unit=self.units[unit], board_role=board_role,
            rank=rank, position=position, duties=duties,
        )
        self.created["board_members"] += 1

    def team(self, cluster: Cluster, *, name: str, established_on: datetime.date, duties: str) -> MobileTeam:
        team = MobileTeam.objects.filter(cluster=cluster).first()
        if team is not None:
            return team
        self.created["mobile_teams"] += 1
        return services.mobile_team_set(
            actor=None, cluster=cluster, name=name, established_on=established_on, duties=duties
        )

    def team_member(self, team: MobileTeam, *, full_name: str, rank: str, unit: str, commune: AdministrativeUnit):
        if MobileTeamMember.objects.filter(team=team, full_name=full_name, commune=commune).exists():
            return
        services.mobile_team_member_add(
            actor=None, team=team, full_name=full_name, rank=rank, unit=self.units[unit], commune=commune
        )
        self.created["mobile_team_members"] += 1

    def self_management(
        self,
        agreement: Agreement,
        *,
        kind: str,
        name: str,
        commune: AdministrativeUnit,
        cluster: Cluster | None,
        started_on: datetime.date,
    ) -> None:
        if SelfManagementModel.objects.filter(agreement=agreement, name=name, commune=commune).exists():
            return
        services.self_management_model_create(
            actor=None, agreement=agreement, kind=kind, name=name, commune=commune, cluster=cluster,
            started_on=started_on,
        )
        self.created["self_management_models"] += 1

    # The whole registry --------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        geo = self.load_geography()
        self.load_units(geo)
        self.seed_000(geo)
        self.seed_001(geo)
        self.seed_002(geo)
        self.seed_003(geo)
        self.seed_004(geo)
        # Last: accounts belong to units created along the way (phulong.canbo to a seed-002 commune police).
        for account in DEMO_ACCOUNTS:
            self.officer(account)
        return {key: self.created[key] for key in COUNT_KEYS}

    def load_geography(self) -> dict[str, AdministrativeUnit]:
        g: dict[str, AdministrativeUnit] = {}
        g["danang"] = self.province("Thành phố Đà Nẵng")
        g["quangnam"] = self.province("Tỉnh Quảng Nam")
        g["phuyen"] = self.province("Tỉnh Phú Yên")
        g["binhdinh"] = self.province("Tỉnh Bình Định")
        g["ninhbinh"] = self.province("Tỉnh Ninh Bình")
        g["thanhhoa"] = self.province("Tỉnh Thanh Hóa")
        g["quangbinh"] = self.province("Tỉnh Quảng Bình")
        g["quangtri"] = self.province("Tỉnh Quảng Trị")
        g["nguhanhson"] = self.district(g["danang"], "Quận Ngũ Hành Sơn")
        g["dienban"] = self.district(g["quangnam"], "Thị xã Điện Bàn")
        g["songcau"] = self.district(g["phuyen"], "Thị xã Sông Cầu")
        # The package (and the post-2008 official spelling) writes "Quy Nhơn"; the seed writes "Qui Nhơn".
        g["quinhon"] = self.district(g["binhdinh"], "Thành phố Quy Nhơn")
        g["nhoquan"] = self.district(g["ninhbinh"], "Huyện Nho Quan")
        g["thachthanh"] = self.district(g["thanhhoa"], "Huyện Thạch Thành")
        g["lethuy"] = self.district(g["quangbinh"], "Huyện Lệ Thủy")
        g["vinhlinh"] = self.district(g["quangtri"], "Huyện Vĩnh Linh")
        return g

    def load_units(self, g: dict[str, AdministrativeUnit]) -> None:
        police, bp, qs, ub = Force.POLICE, Force.BORDER_GUARD, Force.MILITARY, Force.PEOPLES_COMMITTEE
        prov, dist, station = UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.STATION
        # Provinces that persisted after 01/7/2025 come first, so merged ones can name them as successor.
        self.unit("ca_danang", name="Công an thành phố Đà Nẵng", force=police, level=prov, area=g["danang"])
        self.unit("ca_quangtri", name="Công an tỉnh Quảng Trị", force=police, level=prov, area=g["quangtri"])
        self.unit("ca_ninhbinh", name="Công an tỉnh Ninh Bình", force=police, level=prov, area=g["ninhbinh"])
        self.unit("ca_thanhhoa", name="Công an tỉnh Thanh Hóa", force=police, level=prov, area=g["thanhhoa"])
        self.unit(
            "ca_quangnam", name="Công an tỉnh Quảng Nam", force=police, level=prov, area=g["quangnam"],
            valid_to=LEGACY_LAST_DAY, successor="ca_danang",
        )
        self.unit(
            "ca_quangbinh", name="Công an tỉnh Quảng Bình", force=police, level=prov, area=g["quangbinh"],
            valid_to=LEGACY_LAST_DAY, successor="ca_quangtri",
        )
        # Phú Yên went into Đắk Lắk and Bình Định into Gia Lai; neither is part of the demo.
        self.unit(
            "ca_phuyen", name="Công an tỉnh Phú Yên", force=police, level=prov, area=g["phuyen"],
            valid_to=LEGACY_LAST_DAY,
        )
        self.unit(
            "ca_binhdinh", name="Công an tỉnh Bình Định", force=police, level=prov, area=g["binhdinh"],
            valid_to=LEGACY_LAST_DAY,
        )
        self.unit(
            "bp_danang", name="Bộ Chỉ huy Bộ đội Biên phòng thành phố Đà Nẵng", short_name="BĐBP Đà Nẵng",
            force=bp, level=prov, area=g["danang"],
        )
        self.unit(
            "bp_quangnam", name="Bộ Chỉ huy Bộ đội Biên phòng tỉnh Quảng Nam", short_name="BĐBP Quảng Nam",
            force=bp, level=prov, area=g["quangnam"], valid_to=LEGACY_LAST_DAY, successor="bp_danang",
        )
        self.unit(
            "qs_quangnam", name="Bộ Chỉ huy Quân sự tỉnh Quảng Nam", short_name="Bộ CHQS Quảng Nam",
            force=qs, level=prov, area=g["quangnam"], valid_to=LEGACY_LAST_DAY,
        )

        # District police: dissolved 01/03/2025, their work passed to the province police.
        for key, name, short, area, parent in (
            ("ca_nguhanhson", "Công an quận Ngũ Hành Sơn", "CAQ Ngũ Hành Sơn", "nguhanhson", "ca_danang"),
            ("ca_dienban", "Công an thị xã Điện Bàn", "CATX Điện Bàn", "dienban", "ca_quangnam"),
            ("ca_songcau", "Công an thị xã Sông Cầu", "CATX Sông Cầu", "songcau", "ca_phuyen"),
            ("ca_quinhon", "Công an thành phố Qui Nhơn", "CATP Qui Nhơn", "quinhon", "ca_binhdinh"),
            ("ca_nhoquan", "Công an huyện Nho Quan", "CAH Nho Quan", "nhoquan", "ca_ninhbinh"),
            ("ca_thachthanh", "Công an huyện Thạch Thành", "CAH Thạch Thành", "thachthanh", "ca_thanhhoa"),
            ("ca_lethuy", "Công an huyện Lệ Thủy", "CAH Lệ Thủy", "lethuy", "ca_quangbinh"),
            ("ca_vinhlinh", "Công an huyện Vĩnh Linh", "CAH Vĩnh Linh", "vinhlinh", "ca_quangtri"),
        ):
            self.unit(
                key, name=name, short_name=short, force=police, level=dist, area=g[area], parent=parent,
                valid_to=DISTRICT_POLICE_LAST_DAY, successor=parent,
            )

        # District-level people's committees and the town's military command ended with the district tier.
        for key, name, short, area in (
            ("ub_nguhanhson", "Ủy ban nhân dân quận Ngũ Hành Sơn", "UBND quận Ngũ Hành Sơn", "nguhanhson"),
            ("ub_dienban", "Ủy ban nhân dân thị xã Điện Bàn", "UBND thị xã Điện Bàn", "dienban"),
            ("ub_songcau", "Ủy ban nhân dân thị xã Sông Cầu", "UBND thị xã Sông Cầu", "songcau"),
            ("ub_quinhon", "Ủy ban nhân dân thành phố Qui Nhơn", "UBND thành phố Qui Nhơn", "quinhon"),
        ):
            self.unit(key, name=name, short_name=short, force=ub, level=dist, area=g[area], valid_to=LEGACY_LAST_DAY)
        self.unit(
            "qs_dienban", name="Ban Chỉ huy Quân sự thị xã Điện Bàn", short_name="Ban CHQS Điện Bàn", force=qs,
            level=dist, area=g["dienban"], parent="qs_quangnam", valid_to=LEGACY_LAST_DAY,
        )

        # Border-guard stations. Cửa Đại sits in Hội An and guards the coast of Hội An and Điện Bàn; a unit
        # has one area, so its area is the province that contains both.
        self.unit(
            "bp_cuadai", name="Đồn Biên phòng Cửa Đại", short_name="Đồn BP Cửa Đại", force=bp, level=station,
            area=g["quangnam"], parent="bp_quangnam",
        )
        self.unit(
            "bp_nonnuoc", name="Đồn Biên phòng Non Nước", short_name="Đồn BP Non Nước", force=bp, level=station,
            area=g["nguhanhson"], parent="bp_danang",
        )

    # Seed 000: Ngũ Hành Sơn (Đà Nẵng) – Điện Bàn (Quảng Nam), sơ kết 2021 and a new agreement ---------

    def seed_000(self, g: dict[str, AdministrativeUnit]) -> None:
        parties = [
            self.party("ca_nguhanhson", "Thượng tá Trần Đình Chung", "Trưởng Công an quận Ngũ Hành Sơn"),
            self.party("ca_dienban", "Thượng tá Phạm Văn Hữu", "Trưởng Công an thị xã Điện Bàn"),
        ]
        old = self.agreement(
            services.AgreementData(
                number=NUMBER_000_OLD,
                title="Quy chế phối hợp vùng giáp ranh giữa Công an quận Ngũ Hành Sơn và Công an thị xã Điện Bàn",
                signed_on=D(2019, 12, 20),
                signed_at="Công an quận Ngũ Hành Sơn, thành phố Đà Nẵng",
                effective_from=D(2019, 12, 20),
                effective_to=D(2021, 12, 27),
                status=AgreementStatus.SUPERSEDED,
                summary=(
                    "Quy chế phối hợp bảo đảm an ninh, trật tự vùng giáp ranh giữa quận Ngũ Hành Sơn và thị xã "
                    "Điện Bàn; được sơ kết năm 2021 và thay thế bằng quy chế ký tại hội nghị sơ kết."
                ),
                coordination_areas=self.areas("ke-hoach", "trao-doi-thong-tin", "giai-quyet-vu-viec", "phong-trao"),
            ),
            parties,
        )
        # Đồn Biên phòng Cửa Đại and Non Nước attended the 2021 conference but the report says only the two
        # police units signed ("Công an quận Ngũ Hành Sơn và Công an thị xã Điện Bàn thống nhất tiến hành ký
        # kết"), so the stations are not parties; their joint work is under seed 004's agreement.
        new = self.agreement(
            services.AgreementData(
                number=NUMBER_000_NEW,
                title="Quy chế phối hợp bảo đảm an ninh, trật tự vùng giáp ranh trong tình hình mới",
                signed_on=D(2021, 12, 28),
                signed_at="Hội nghị sơ kết Quy chế phối hợp vùng giáp ranh năm 2021, thị xã Điện Bàn, tỉnh Quảng Nam",
                effective_from=D(2021, 12, 28),
                effective_to=DISTRICT_POLICE_LAST_DAY,
                status=AgreementStatus.EXPIRED,
                supersedes=old,
                summary=(
                    "Ký tại hội nghị sơ kết năm 2021 có đại diện UBND quận Ngũ Hành Sơn, UBND thị xã Điện Bàn, "
                    "các phường vùng giáp ranh, Đồn Biên phòng Cửa Đại và Đồn Biên phòng Non Nước. Nội dung: nắm "
                    "và trao đổi thông tin về phương thức, thủ đoạn của tội phạm; phối hợp xử lý vụ việc; xây dựng "
                    "phong trào toàn dân bảo vệ ANTQ; chốt kiểm soát trên đường mòn, lối mở qua vùng giáp ranh. "
                    "Hết hiệu lực khi Công an cấp huyện kết thúc hoạt động (01/3/2025)."
                ),
                coordination_areas=self.areas("ke-hoach", "trao-doi-thong-tin", "giai-quyet-vu-viec", "phong-trao"),
            ),
            parties,
        )
        cluster = self.cluster(
            new,
            name="Vùng giáp ranh Ngũ Hành Sơn – Điện Bàn",
            kind=ClusterKind.OTHER,
            established_on=D(2021, 12, 28),
            description="Các phường hai bên ranh giới quận Ngũ Hành Sơn – thị xã Điện Bàn.",
        )
        for district, unit, names in (
            ("nguhanhson", "ca_nguhanhson", ("Phường Hoà Hải", "Phường Hoà Quý")),
            ("dienban", "ca_dienban", ("Phường Điện Ngọc", "Phường Điện Nam Bắc", "Phường Điện Nam Đông")),
        ):
            for name in names:
                self.member(cluster, self.commune(g[district], name), unit, D(2021, 12, 28), DISTRICT_POLICE_LAST_DAY)

    # Seed 001: Sông Cầu (Phú Yên) – Qui Nhơn (Bình Định), sơ kết 2017 ---------------------------------

    def seed_001(self, g: dict[str, AdministrativeUnit]) -> None:
        agreement = self.agreement(
            services.AgreementData(
                number=NUMBER_001,
                title="Quy chế phối hợp trong công tác bảo đảm an ninh, trật tự ở địa bàn giáp ranh",
                signed_on=D(2016, 11, 15),
                signed_at="Công an thành phố Qui Nhơn, tỉnh Bình Định",
                effective_from=D(2016, 11, 15),
                effective_to=DISTRICT_POLICE_LAST_DAY,
                status=AgreementStatus.EXPIRED,
                summary=(
                    "Quy chế phối hợp giữa Công an thị xã Sông Cầu (Phú Yên) và Công an thành phố Qui Nhơn "
                    "(Bình Định). Hội nghị sơ kết năm 2017 tại thị xã Sông Cầu có Đại tá Lê Xuân An – Phó Giám đốc "
                    "Công an tỉnh Phú Yên và Đại tá Nguyễn Đức Nam – Phó Giám đốc Công an tỉnh Bình Định dự và chỉ "
                    "đạo; 4 tập thể và 10 cá nhân được UBND thị xã Sông Cầu và UBND thành phố Qui Nhơn khen thưởng."
                ),
                coordination_areas=self.areas("trao-doi-thong-tin", "giai-quyet-vu-viec", "phong-trao"),
            ),
            [
                self.party("ca_songcau", "Thượng tá Nguyễn Thanh Bình", "Trưởng Công an thị xã Sông Cầu"),
                self.party("ca_quinhon", "Thượng tá Võ Văn Lâm", "Trưởng Công an thành phố Qui Nhơn"),
            ],
        )
        cluster = self.cluster(
            agreement,
            name="Địa bàn giáp ranh Sông Cầu – Qui Nhơn",
            kind=ClusterKind.OTHER,
            established_on=D(2016, 11, 15),
            description="Các xã, phường hai bên đèo Cù Mông và ven biển giáp ranh hai tỉnh Phú Yên – Bình Định.",
        )
        for district, unit, names in (
            ("songcau", "ca_songcau", ("Xã Xuân Lộc", "Xã Xuân Hải", "Xã Xuân Lâm")),
            ("quinhon", "ca_quinhon", ("Phường Bùi Thị Xuân", "Phường Ghềnh Ráng")),
        ):
            for name in names:
                self.member(cluster, self.commune(g[district], name), unit, D(2016, 11, 15), DISTRICT_POLICE_LAST_DAY)

    # Seed 002: cụm giáp ranh an toàn Nho Quan (Ninh Bình) – Thạch Thành (Thanh Hóa), 08/08/2019 --------

    def seed_002(self, g: dict[str, AdministrativeUnit]) -> None:
        signed = D(2019, 8, 8)
        # (unit key, commune, Trưởng Công an xã, rank, the three mobile-team members with their ranks)
        communes = [
            ("ca_phulong", self.commune(g["nhoquan"], "Xã Phú Long"), "Đinh Văn Hòa", "Đại úy",
             [("Đinh Công Tuấn", "Trung sĩ"), ("Quách Văn Hùng", "Thượng sĩ"), ("Bùi Văn Định", "Hạ sĩ")]),
            ("ca_kyphu", self.commune(g["nhoquan"], "Xã Kỳ Phú"), "Quách Văn Tiến", "Thượng úy",
             [("Quách Văn Mạnh", "Thượng sĩ"), ("Đinh Văn Toản", "Trung sĩ"), ("Bùi Đức Thọ", "Trung sĩ")]),
            ("ca_cucphuong", self.commune(g["nhoquan"], "Xã Cúc Phương"), "Bùi Văn Long", "Đại úy",
             [("Đinh Văn Khánh", "Thượng sĩ"), ("Bùi Văn Tú", "Trung sĩ"), ("Quách Văn Chinh", "Hạ sĩ")]),
            ("ca_thanhvan", self.commune(g["thachthanh"], "Thị trấn Vân Du"), "Trương Văn Thành", "Thượng úy",
             [("Trương Văn Đức", "Thượng sĩ"), ("Hà Văn Sinh", "Trung sĩ"), ("Lê Văn Tuyên", "Trung sĩ")]),
            ("ca_thanhcong", self.commune(g["thachthanh"], "Xã Thành Công"), "Lê Đình Hiếu", "Đại úy",
             [("Trịnh Văn Nam", "Thượng sĩ"), ("Phạm Văn Hậu", "Trung sĩ"), ("Lê Văn Thắng", "Hạ sĩ")]),
            ("ca_thanhminh", self.commune(g["thachthanh"], "Xã Thành Minh"), "Phạm Văn Tâm", "Thượng úy",
             [("Hà Văn Tuấn", "Thượng sĩ"), ("Bùi Văn Lực", "Trung sĩ"), ("Trịnh Đình Kiên", "Trung sĩ")]),
        ]
        for key, commune, *_rest in communes:
            parent = "ca_nhoquan" if commune.parent_id == g["nhoquan"].pk else "ca_thachthanh"
            if key == "ca_thanhvan":
                # Xã Thành Vân is not in the legacy list any more (merged into Thị trấn Vân Du, late 2019).
                self.commune_police(key, commune, parent, name="Công an xã Thành Vân")
            else:
                self.commune_police(key, commune, parent)

        parties = [
            self.party("ca_nhoquan", "Thượng tá Đinh Văn Cường", "Trưởng Công an huyện Nho Quan"),
            self.party("ca_thachthanh", "Thượng tá Lê Văn Quang", "Trưởng Công an huyện Thạch Thành"),
        ] + [
            self.party(key, f"{rank} {chief}", f"Trưởng {self.units[key].name}")
            for key, _commune, chief, rank, _team in communes
        ]
        agreement = self.agreement(
            services.AgreementData(
                number=NUMBER_002,
                title="Quy chế phối hợp xây dựng cụm giáp ranh an toàn về an ninh, trật tự giữa các xã huyện "
                "Nho Quan, tỉnh Ninh Bình và huyện Thạch Thành, tỉnh Thanh Hóa",
                signed_on=signed,
                signed_at="UBND xã Phú Long, huyện Nho Quan, tỉnh Ninh Bình",
                effective_from=signed,
                effective_to=DISTRICT_POLICE_LAST_DAY,
                status=AgreementStatus.EXPIRED,
                chapter_count=6,
                article_count=22,
                summary=(
                    "Thông qua tại Hội nghị xây dựng cụm giáp ranh an toàn về ANTT giữa các xã Phú Long, Kỳ Phú, "
                    "Cúc Phương (huyện Nho Quan) và Thành Vân, Thành Công, Thành Minh (huyện Thạch Thành). Quy chế "
                    "gồm 6 chương, 22 điều; phân công trách nhiệm cho từng thành viên ban chỉ đạo; thành lập đội "
                    "công an cơ động 18 đồng chí công an xã (mỗi xã 3 đồng chí). Đại diện 6 xã ký cam kết thực hiện."
                ),
                coordination_areas=self.areas(
                    "ke-hoach", "trao-doi-thong-tin", "giai-quyet-vu-viec", "thien-tai", "phong-trao"
                ),
            ),
            parties,
        )
        self.structure(agreement, STRUCTURE_002)

        cluster = self.cluster(
            agreement,
            name=CLUSTER_002,
            kind=ClusterKind.SAFE,
            established_on=signed,
            description=(
                "Bài báo ghi «Thành Côn»: huyện Thạch Thành không có xã này, đây là xã Thành Công. Xã Thành Vân "
                "đã sáp nhập vào thị trấn Vân Du (Ủy ban Thường vụ Quốc hội thông qua ngày 16/10/2019); danh mục "
                "hành chính trước 01/7/2025 chỉ còn thị trấn Vân Du nên xã thành viên ghi là thị trấn Vân Du."
            ),
        )
        for key, commune, *_rest in communes:
            self.member(cluster, commune, key, signed, DISTRICT_POLICE_LAST_DAY)

        duties_member = (
            "Chỉ đạo Công an xã thực hiện quy chế trên địa bàn; bố trí 03 đồng chí tham gia đội công an cơ động; "
            "dự giao ban cụm hằng tháng và báo cáo kết quả về Thường trực ban chỉ đạo."
        )
        self.board(
            cluster, full_name="Bùi Văn Thắng", rank="Thượng tá", position="Phó Trưởng Công an huyện Nho Quan",
            unit="ca_nhoquan", board_role=BoardRole.HEAD,
            duties="Phụ trách chung; chủ trì giao ban cụm; chỉ huy đội công an cơ động khi có tình huống phức tạp.",
        )
        self.board(
            cluster, full_name="Trịnh Xuân Lâm", rank="Thượng tá", position="Phó Trưởng Công an huyện Thạch Thành",
            unit="ca_thachthanh", board_role=BoardRole.DEPUTY,
            duties="Giúp Trưởng ban chỉ đạo các xã phía Thạch Thành; phụ trách trao đổi thông tin giữa hai huyện.",
        )
        for key, _commune, chief, rank, _team in communes:
            self.board(
                cluster, full_name=chief, rank=rank, position=f"Trưởng {self.units[key].name}", unit=key,
                board_role=BoardRole.MEMBER, duties=duties_member,
            )

        team = self.team(
            cluster,
            name=MOBILE_TEAM_002,
            established_on=signed,
            duties=(
                "Tham mưu, tổ chức tuyên truyền và thường xuyên tuần tra kiểm soát bảo đảm ANTT trên các địa bàn "
                "giáp ranh; khi có yêu cầu đột xuất của các xã thành viên trong cụm, phối hợp giải quyết kịp thời."
            ),
        )
        for key, commune, _chief, _rank, members in communes:
            for full_name, rank in members:
                self.team_member(team, full_name=full_name, rank=rank, unit=key, commune=commune)

    # Seed 003: cụm "Liên hoàn về ANTT" Lệ Thủy (Quảng Bình) – Vĩnh Linh (Quảng Trị), tổng kết 2017 ------

    def seed_003(self, g: dict[str, AdministrativeUnit]) -> None:
        started = D(2016, 3, 25)
        # Communes and towns on both sides of the Quảng Bình – Quảng Trị boundary, with their police chief
        # (commune police were not yet regular police in 2016, hence no rank).
        communes = [
            ("ca_nguthuy", self.commune(g["lethuy"], "Xã Ngư Thủy"), "Đoàn Văn Thạch"),
            ("ca_senthuy", self.commune(g["lethuy"], "Xã Sen Thủy"), "Võ Văn Lợi"),
            ("ca_kimthuy", self.commune(g["lethuy"], "Xã Kim Thủy"), "Hồ Văn Chiến"),
            ("ca_leninh", self.commune(g["lethuy"], "Thị trấn NT Lệ Ninh"), "Phạm Văn Định"),
            ("ca_vinhthai", self.commune(g["vinhlinh"], "Xã Vĩnh Thái"), "Lê Văn Toàn"),
            ("ca_vinhchap", self.commune(g["vinhlinh"], "Xã Vĩnh Chấp"), "Trần Văn Phú"),
            ("ca_vinhkhe", self.commune(g["vinhlinh"], "Xã Vĩnh Khê"), "Hồ Văn Sáu"),
            ("ca_vinhha", self.commune(g["vinhlinh"], "Xã Vĩnh Hà"), "Nguyễn Văn Thanh"),
        ]
        for key, commune, _chief in communes:
            parent = "ca_lethuy" if commune.parent_id == g["lethuy"].pk else "ca_vinhlinh"
            short = "Công an thị trấn Lệ Ninh" if key == "ca_leninh" else ""
            self.commune_police(key, commune, parent, short_name=short)

        agreement = self.agreement(
            services.AgreementData(
                number=NUMBER_003,
                title="Quy chế hoạt động cụm “Liên hoàn về ANTT” vùng giáp ranh huyện Lệ Thủy, tỉnh Quảng Bình và "
                "huyện Vĩnh Linh, tỉnh Quảng Trị",
                signed_on=started,
                signed_at="Công an huyện Vĩnh Linh, tỉnh Quảng Trị",
                effective_from=started,
                effective_to=DISTRICT_POLICE_LAST_DAY,
                status=AgreementStatus.EXPIRED,
                summary=(
                    "Cụm liên hoàn về ANTT của Công an các xã, thị trấn vùng giáp ranh hai huyện, do Ban điều hành "
                    "cụm chỉ đạo. Năm 2017: 25 ca tuần tra chung với hơn 150 lượt người; giảm 13 vụ việc so với "
                    "năm 2016; duy trì các mô hình “Câu lạc bộ phòng, chống tội phạm”, “Cụm giáp ranh đấu tranh, "
                    "phòng chống tội phạm”, “Cụm giáp ranh an toàn về ANTT”."
                ),
                coordination_areas=self.areas("ke-hoach", "trao-doi-thong-tin", "giai-quyet-vu-viec", "phong-trao"),
            ),
            [
                self.party("ca_lethuy", "Thượng tá Trần Văn Dũng", "Trưởng Công an huyện Lệ Thủy"),
                self.party("ca_vinhlinh", "Thượng tá Lê Văn Hưng", "Trưởng Công an huyện Vĩnh Linh"),
            ]
            + [self.party(key, chief, f"Trưởng {self.units[key].name}") for key, _commune, chief in communes],
        )
        cluster = self.cluster(
            agreement,
            name=CLUSTER_003,
            kind=ClusterKind.LINKED,
            established_on=started,
            description="Ban điều hành cụm gồm lãnh đạo Công an hai huyện và Trưởng Công an các xã, thị trấn.",
        )
        for key, commune, _chief in communes:
            self.member(cluster, commune, key, started, DISTRICT_POLICE_LAST_DAY)

        self.board(
            cluster, full_name="Hoàng Minh Tuấn", rank="Thượng tá", position="Phó Trưởng Công an huyện Lệ Thủy",
            unit="ca_lethuy", board_role=BoardRole.HEAD,
            duties="Trưởng ban điều hành; xây dựng kế hoạch năm của cụm; chủ trì sơ kết, tổng kết.",
        )
        self.board(
            cluster, full_name="Nguyễn Đăng Khoa", rank="Trung tá", position="Phó Trưởng Công an huyện Vĩnh Linh",
            unit="ca_vinhlinh", board_role=BoardRole.DEPUTY,
            duties="Phó Trưởng ban; chỉ đạo các xã phía Vĩnh Linh; phụ trách các đợt cao điểm tấn công tội phạm.",
        )
        self.board(
            cluster, full_name="Nguyễn Hữu Phước", rank="Đại úy",
            position="Cán bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội, Công an huyện Lệ Thủy",
            unit="ca_lethuy", board_role=BoardRole.STANDING,
            duties="Thường trực ban điều hành; tổng hợp thông tin, lịch tuần tra chung và báo cáo định kỳ.",
        )
        for key, _commune, chief in communes:
            self.board(
                cluster, full_name=chief, rank="", position=f"Trưởng {self.units[key].name}", unit=key,
                board_role=BoardRole.MEMBER,
                duties="Tổ chức tuần tra chung, trao đổi thông tin về đối tượng trong diện quản lý; duy trì các mô "
                "hình tự phòng, tự quản của xã.",
            )

        by_key = {key: commune for key, commune, _chief in communes}
        models = [
            (SelfManagementKind.CRIME_CLUB, f"Câu lạc bộ phòng, chống tội phạm {_local_name(c)}", c)
            for c in by_key.values()
        ] + [
            (SelfManagementKind.OTHER, "Cụm giáp ranh đấu tranh, phòng chống tội phạm Ngư Thủy – Vĩnh Thái",
             by_key["ca_nguthuy"]),
            (SelfManagementKind.OTHER, "Cụm giáp ranh đấu tranh, phòng chống tội phạm Sen Thủy – Vĩnh Chấp",
             by_key["ca_senthuy"]),
            (SelfManagementKind.SAFE_CLUSTER, "Cụm giáp ranh an toàn về ANTT Kim Thủy – Vĩnh Hà", by_key["ca_kimthuy"]),
            (SelfManagementKind.SAFE_CLUSTER, "Cụm giáp ranh an toàn về ANTT Lệ Ninh – Vĩnh Khê", by_key["ca_leninh"]),
        ]
        for index, (kind, name, commune) in enumerate(models):
            self.self_management(
                agreement, kind=kind, name=name, commune=commune, cluster=cluster,
                started_on=D(2015 + index % 2, 1 + (index * 5) % 12, 1 + (index * 7) % 28),
            )

    # Seed 004: Điện Bàn, three forces under Nghị định 03/2019/NĐ-CP, sơ kết 2023 ------------------------

    def seed_004(self, g: dict[str, AdministrativeUnit]) -> None:
        decree = self.legal_basis(
            number="03/2019/NĐ-CP",
            issued_on=D(2019, 9, 5),
            title=(
                "Quy định về phối hợp giữa Bộ Công an và Bộ Quốc phòng trong thực hiện nhiệm vụ bảo vệ an ninh quốc "
                "gia, bảo đảm trật tự, an toàn xã hội, đấu tranh phòng, chống tội phạm và nhiệm vụ quốc phòng"
            ),
        )
        signed = D(2020, 1, 15)
        agreement = self.agreement(
            services.AgreementData(
                number=NUMBER_004,
                title="Quy chế phối hợp thực hiện nhiệm vụ bảo vệ an ninh quốc gia, bảo đảm trật tự, an toàn xã hội "
                "theo Nghị định 03/2019/NĐ-CP",
                signed_on=signed,
                signed_at="UBND thị xã Điện Bàn, tỉnh Quảng Nam",
                effective_from=signed,
                effective_to=DISTRICT_POLICE_LAST_DAY,
                status=AgreementStatus.EXPIRED,
                summary=(
                    "Phối hợp giữa ba lực lượng Quân sự thị xã, Công an thị xã và Đồn Biên phòng Cửa Đại. Sơ kết năm "
                    "2023 (28/12/2023): quân sự, biên phòng cung cấp 37 nguồn tin giá trị; Công an thị xã cung cấp "
                    "29 tin, phối hợp xác minh 44 tin; tuần tra theo mô hình “Tuyến biển bình yên” 215 lượt với "
                    "1.290 cán bộ chiến sĩ; duy trì 139 mô hình tự phòng, tự quản."
                ),
                legal_bases=[decree],
                coordination_areas=self.areas("ke-hoach", "trao-doi-thong-tin", "giai-quyet-vu-viec", "thien-tai"),
            ),
            [
                self.party("qs_dienban", "Thượng tá Đoàn Ngọc Hưng", "Chỉ huy trưởng Ban Chỉ huy Quân sự thị xã"),
                self.party("ca_dienban", "Thượng tá Phạm Văn Hữu", "Trưởng Công an thị xã Điện Bàn"),
                self.party("bp_cuadai", "Trung tá Lê Văn Dũng", "Đồn trưởng Đồn Biên phòng Cửa Đại"),
            ],
        )
        coastal_names = ("Phường Điện Ngọc", "Phường Điện Dương")
        cluster = self.cluster(
            agreement,
            name="Địa bàn ven biển thị xã Điện Bàn",
            kind=ClusterKind.OTHER,
            established_on=signed,
            description="Các phường ven biển nơi ba lực lượng tuần tra chung theo mô hình “Tuyến biển bình yên”.",
        )
        for name in coastal_names:
            self.member(cluster, self.commune(g["dienban"], name), "ca_dienban", signed, DISTRICT_POLICE_LAST_DAY)

        # 139 models over the town's 20 communes and wards: 7 in each of the first 19, 6 in the last.
        communes = list(AdministrativeUnit.objects.filter(era=Era.LEGACY, parent=g["dienban"]).order_by("code"))
        index = 0
        for position, commune in enumerate(communes):
            per_commune = SELF_MANAGEMENT_MODELS_004 // len(communes) + (
                position < SELF_MANAGEMENT_MODELS_004 % len(communes)
            )
            in_cluster = cluster if commune.name in coastal_names else None
            for slot in range(per_commune):
                kind, name = _model_004(commune, slot)
                self.self_management(
                    agreement, kind=kind, name=name, commune=commune, cluster=in_cluster,
                    started_on=D(2018 + index % 6, 1 + (index * 5) % 12, 1 + (index * 7) % 28),
                )
                index += 1


def _model_004(commune: AdministrativeUnit, slot: int) -> tuple[str, str]:
    """The ``slot``-th self-management model of a commune of Điện Bàn: a deterministic kind and name."""
    where = _local_name(commune)
    ward = commune.division_type == "phường"
    place = "khối phố" if ward else "thôn"
    coastal = commune.name in ("Phường Điện Ngọc", "Phường Điện Dương")
    match slot:
        case 0 | 1 | 6:
            return SelfManagementKind.CAMERA, f"Camera giám sát an ninh {place} {slot // 3 + slot % 3 + 1}, {where}"
        case 2 if ward:
            return SelfManagementKind.BOARDING_HOUSE, f"Khu nhà trọ an toàn về ANTT {place} 2, {where}"
        case 2:
            return SelfManagementKind.OTHER, f"Tổ an ninh tự quản {place} 2, {where}"
        case 3:
            return (
                SelfManagementKind.ELDERLY,
                f"“Người cao tuổi không có con cháu vi phạm pháp luật” {place} 3, {where}",
            )
        case 4:
            return SelfManagementKind.CRIME_CLUB, f"Câu lạc bộ phòng, chống tội phạm {where}"
        case _ if coastal:
            return SelfManagementKind.OTHER, f"Tổ tàu thuyền an toàn về ANTT, {where}"
        case _:
            return SelfManagementKind.OTHER, f"{place.capitalize()} 4 an toàn về ANTT, {where}"


# Seed 002: "6 chương, 22 điều". The titles are plausible, the report gives only the counts and the
# five coordination areas (chapter II).
STRUCTURE_002: list[tuple[int, str, list[tuple[int, str, str]]]] = [
    (1, "Quy định chung", [
        (1, "Phạm vi điều chỉnh",
         "Quy chế này quy định mục đích, nguyên tắc, nội dung và trách nhiệm phối hợp bảo đảm an ninh, trật tự "
         "giữa các đơn vị trong cụm giáp ranh."),
        (2, "Đối tượng áp dụng",
         "Công an huyện Nho Quan, Công an huyện Thạch Thành và Công an các xã Phú Long, Kỳ Phú, Cúc Phương, "
         "Thành Vân, Thành Công, Thành Minh."),
        (3, "Mục đích phối hợp", ""),
        (4, "Nguyên tắc phối hợp", ""),
    ]),
    (2, "Nội dung phối hợp", [
        (5, "Phối hợp xây dựng chương trình, kế hoạch công tác", ""),
        (6, "Phối hợp trao đổi thông tin", ""),
        (7, "Phối hợp giải quyết các vụ việc, đấu tranh phòng, chống tội phạm và tệ nạn xã hội", ""),
        (8, "Phối hợp phòng, chống thiên tai, tìm kiếm cứu nạn", ""),
        (9, "Phối hợp xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc", ""),
    ]),
    (3, "Ban chỉ đạo và đội công an cơ động của cụm", [
        (10, "Thành phần ban chỉ đạo cụm", ""),
        (11, "Nhiệm vụ của Trưởng ban, Phó Trưởng ban", ""),
        (12, "Nhiệm vụ của các thành viên ban chỉ đạo", ""),
        (13, "Đội công an cơ động của cụm",
         "Thành lập đội công an cơ động gồm 18 đồng chí công an xã, mỗi xã 03 đồng chí."),
        (14, "Nhiệm vụ và chế độ hoạt động của đội công an cơ động", ""),
    ]),
    (4, "Chế độ giao ban, thông tin, báo cáo", [
        (15, "Giao ban định kỳ", ""),
        (16, "Thông tin, báo cáo", ""),
        (17, "Sơ kết, tổng kết", ""),
    ]),
    (5, "Trách nhiệm của các đơn vị trong cụm", [
        (18, "Trách nhiệm của Công an hai huyện", ""),
        (19, "Trách nhiệm của Công an các xã", ""),
        (20, "Kinh phí bảo đảm", ""),
    ]),
    (6, "Điều khoản thi hành", [
        (21, "Khen thưởng, kỷ luật", ""),
        (22, "Hiệu lực thi hành", "Quy chế có hiệu lực kể từ ngày ký."),
    ]),
]


def load_registry_demo() -> dict[str, int]:
    """Create (or bring back) the registry demo data in one transaction.

    Needs the legacy geography (``geography_import``) and the coordination areas of migration 0002.
    Returns how many objects of each kind (``COUNT_KEYS``) this run created; a second run returns
    zeros everywhere and leaves existing rows, including ones changed since, untouched.
    """
    with transaction.atomic():
        return _Loader().run()


@functools.cache
def _demo_password_hash() -> str:
    # One hash shared by every demo account: they share the password, and hashing it 32 times
    # (about half a second each) would double the first `make run`.
    return make_password(DEMO_PASSWORD)
