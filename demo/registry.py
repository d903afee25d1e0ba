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

History as it happened (docs/ARCHITECTURE.md, "Administrative eras"): district police were
dissolved on 1 March 2025, so they and
every agreement with a district-level party end on 28 February 2025 (``valid_to`` and
``effective_to`` are the last day, as ``UnitQuerySet.current`` reads them); legacy communes and
district-level bodies end on 30 June 2025; provinces merged on 1 July 2025 point to the unit of
the province that absorbed them when that unit is part of the demo.

Two names in the seeds do not match the legacy list (the state just before 1 July 2025):
* "Thành Côn" (seed 002) is no commune of Huyện Thạch Thành; it is read as Xã Thành Công.
* Xã Thành Vân was merged into Thị trấn Vân Du in late 2019, so the legacy list no longer has it;
  "Công an xã Thành Vân" keeps its name but its area, and its cluster membership, is Thị trấn Vân Du.

This module holds what the rest of the demo and the tests refer to: the dates, the natural keys of
the agreements and clusters, the accounts. The loading itself is :func:`demo.registry_loader.load_registry_demo`
(get-or-create helpers in :mod:`demo.registry_builder`, the five seeds in :mod:`demo.registry_seeds`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from agreements.models import Role

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
