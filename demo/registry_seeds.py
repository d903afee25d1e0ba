"""The five seed reports, one method each: their agreements, clusters, boards, mobile team and models.

Each seed needs the units of :meth:`demo.registry_loader._Loader.load_units` and the geography of
:meth:`~demo.registry_loader._Loader.load_geography` (``g``).
"""

from __future__ import annotations

import datetime

from agreements import services
from agreements.models import AdministrativeUnit, AgreementStatus, BoardRole, ClusterKind, Era, SelfManagementKind
from demo.registry import (
    CLUSTER_002,
    CLUSTER_003,
    DISTRICT_POLICE_LAST_DAY,
    MOBILE_TEAM_002,
    NUMBER_000_NEW,
    NUMBER_000_OLD,
    NUMBER_001,
    NUMBER_002,
    NUMBER_003,
    NUMBER_004,
    SELF_MANAGEMENT_MODELS_004,
)
from demo.registry_builder import RegistryBuilder, _local_name

D = datetime.date


class RegistrySeeds(RegistryBuilder):
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
