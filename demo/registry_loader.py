"""The registry demo as a whole: geography, units, the five seeds, then the accounts (entry point
:func:`load_registry_demo`).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from agreements.models import AdministrativeUnit, Force, UnitLevel
from demo.registry import COUNT_KEYS, DEMO_ACCOUNTS, DISTRICT_POLICE_LAST_DAY, LEGACY_LAST_DAY
from demo.registry_seeds import RegistrySeeds

D = datetime.date


class _Loader(RegistrySeeds):
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


def load_registry_demo() -> dict[str, int]:
    """Create (or bring back) the registry demo data in one transaction.

    Needs the legacy geography (``geography_import``) and the coordination areas of migration 0002.
    Returns how many objects of each kind (``COUNT_KEYS``) this run created; a second run returns
    zeros everywhere and leaves existing rows, including ones changed since, untouched.
    """
    with transaction.atomic():
        return _Loader().run()
