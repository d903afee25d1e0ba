"""The review part of the demo: the conferences of the five seed reports and the awards given at them.

Runs after :func:`demo.registry_loader.load_registry_demo` and :func:`demo.records_loader.load_records_demo`
and writes only through :mod:`reports.services` with ``actor=None``. A conference is looked up by
its natural key (agreement, kind, date) and an award by (conference, collective or individual,
recipient) before being created, so a second run writes nothing.

From the seeds: the dates 08/08/2019 and 28/12/2023, the places named, the title of the 2023
conference in Điện Bàn, the numbers of collectives and individuals awarded (001: 4 and 10, by UBND
thị xã Sông Cầu and UBND thành phố Qui Nhơn, each to the other side's people; 004: 4 and 7, by UBND
thị xã Điện Bàn), the people named. Other dates, the names of those awarded and the 003 awards
(the report gives no numbers) are invented for the demo.

The service accepts as host and attending units only parties of the agreement (or units under
them), so guests the reports name — people's committees, the border-guard stations at the 2021
conference — are written in the outcomes, and the 2023 conference organised by UBND thị xã Điện
Bàn is hosted by Công an thị xã Điện Bàn.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from agreements.models import Agreement, Cluster, Unit
from agreements.selectors import agreement_unit_ids
from demo import registry
from reports import services
from reports.models import Award, Conference, ConferenceKind, RecipientKind

D = datetime.date

TITLE_000 = "Hội nghị sơ kết Quy chế phối hợp vùng giáp ranh giữa quận Ngũ Hành Sơn và thị xã Điện Bàn năm 2021"
TITLE_001 = "Hội nghị sơ kết qui chế phối hợp trong công tác bảo đảm an ninh, trật tự ở địa bàn giáp ranh năm 2017"
TITLE_002 = "Hội nghị xây dựng cụm giáp ranh an toàn về an ninh trật tự giữa 2 tỉnh Ninh Bình và Thanh Hóa"
TITLE_003 = (
    "Hội nghị tổng kết công tác năm 2017 và triển khai công tác năm 2018 cụm “Liên hoàn về ANTT” vùng giáp ranh "
    "huyện Lệ Thủy – huyện Vĩnh Linh"
)
TITLE_004 = (
    "Hội nghị sơ kết công tác phối hợp thực hiện nhiệm vụ bảo vệ an ninh quốc gia, đảm bảo trật tự an toàn xã hội "
    "theo Nghị định 03/2019/NĐ-CP năm 2023"
)

COUNT_KEYS = ("conferences", "awards")


@dataclass(frozen=True)
class AwardData:
    kind: str
    recipient: str
    unit: str  # name of the party (or unit under it) the recipient belongs to
    authority: str
    reason: str


def _collective(recipient: str, unit: str, authority: str, reason: str) -> AwardData:
    return AwardData(RecipientKind.COLLECTIVE, recipient, unit, authority, reason)


def _individual(recipient: str, unit: str, authority: str, reason: str) -> AwardData:
    return AwardData(RecipientKind.INDIVIDUAL, recipient, unit, authority, reason)


SC, QN = "Công an thị xã Sông Cầu", "Công an thành phố Qui Nhơn"
UB_SC, UB_QN = "UBND thị xã Sông Cầu", "UBND thành phố Qui Nhơn"
REASON_001 = "Có thành tích xuất sắc trong thực hiện qui chế phối hợp bảo đảm ANTT địa bàn giáp ranh năm 2017."
# Qui Nhơn's chairman (Ngô Hoàng Nam) awarded Sông Cầu's people, Sông Cầu's vice-chairman (Trần Xuân Túc)
# awarded Qui Nhơn's: 4 collectives and 10 individuals in all.
AWARDS_001 = (
    _collective("Đội Cảnh sát hình sự, Công an thị xã Sông Cầu", SC, UB_QN, REASON_001),
    _collective("Công an xã Xuân Hải, thị xã Sông Cầu", SC, UB_QN, REASON_001),
    _collective("Đội Cảnh sát điều tra tội phạm về trật tự xã hội, Công an thành phố Qui Nhơn", QN, UB_SC, REASON_001),
    _collective("Công an phường Bùi Thị Xuân, thành phố Qui Nhơn", QN, UB_SC, REASON_001),
    _individual("Đại úy Lương Văn Tín, Đội Cảnh sát hình sự", SC, UB_QN, REASON_001),
    _individual("Thượng úy Nguyễn Văn Hậu, Đội Cảnh sát hình sự", SC, UB_QN, REASON_001),
    _individual("Thiếu tá Trần Minh Đức, Đội Cảnh sát điều tra tội phạm về ma túy", SC, UB_QN, REASON_001),
    _individual("Ông Phan Thanh Sang, Trưởng Công an xã Xuân Lộc", SC, UB_QN, REASON_001),
    _individual("Ông Lê Văn Hòa, Trưởng thôn Hòa Hiệp, xã Xuân Hải", SC, UB_QN,
                "Phát hiện, tố giác kịp thời đối tượng trộm cắp tài sản ở địa bàn giáp ranh."),
    _individual("Thượng úy Trương Minh Khoa, Đội Cảnh sát hình sự", QN, UB_SC, REASON_001),
    _individual("Đại úy Võ Thành Nhân, Đội Cảnh sát điều tra tội phạm về trật tự xã hội", QN, UB_SC, REASON_001),
    _individual("Thiếu tá Nguyễn Hữu Phúc, Công an phường Bùi Thị Xuân", QN, UB_SC, REASON_001),
    _individual("Trung úy Đỗ Quang Vinh, Công an phường Ghềnh Ráng", QN, UB_SC, REASON_001),
    _individual("Bà Trần Thị Mai, Tổ trưởng tổ dân phố, phường Bùi Thị Xuân", QN, UB_SC,
                "Tích cực vận động nhân dân tham gia phong trào toàn dân bảo vệ ANTQ ở địa bàn giáp ranh."),
)

REASON_003 = "Có thành tích trong bảo đảm ANTT tại cụm “Liên hoàn về ANTT” vùng giáp ranh năm 2017."
AWARDS_003 = (
    _collective("Công an xã Ngư Thủy", "Công an xã Ngư Thủy", "UBND huyện Lệ Thủy", REASON_003),
    _collective("Công an xã Vĩnh Thái", "Công an xã Vĩnh Thái", "UBND huyện Vĩnh Linh", REASON_003),
    _individual("Ông Võ Văn Lợi, Trưởng Công an xã Sen Thủy", "Công an xã Sen Thủy", "UBND huyện Lệ Thủy",
                REASON_003),
    _individual("Ông Phạm Văn Định, Trưởng Công an thị trấn NT Lệ Ninh", "Công an thị trấn NT Lệ Ninh",
                "UBND huyện Lệ Thủy", REASON_003),
    _individual("Ông Trần Văn Phú, Trưởng Công an xã Vĩnh Chấp", "Công an xã Vĩnh Chấp", "UBND huyện Vĩnh Linh",
                REASON_003),
    _individual("Ông Hồ Văn Hùng, Phó Trưởng Công an xã Vĩnh Hà", "Công an xã Vĩnh Hà", "UBND huyện Vĩnh Linh",
                REASON_003),
)

CA_DB, QS_DB, BP_CD = "Công an thị xã Điện Bàn", "Ban Chỉ huy Quân sự thị xã Điện Bàn", "Đồn Biên phòng Cửa Đại"
UB_DB = "UBND thị xã Điện Bàn"
REASON_004 = (
    "Có thành tích xuất sắc trong công tác phối hợp thực hiện Nghị định 03/2019/NĐ-CP năm 2023."
)
AWARDS_004 = (
    _collective("Đội Cảnh sát điều tra tội phạm về ma túy, Công an thị xã Điện Bàn", CA_DB, UB_DB, REASON_004),
    _collective("Công an phường Điện Dương", CA_DB, UB_DB, REASON_004),
    _collective("Ban Chỉ huy Quân sự phường Điện Ngọc", QS_DB, UB_DB, REASON_004),
    _collective("Tổ công tác tuần tra “Tuyến biển bình yên”, Đồn Biên phòng Cửa Đại", BP_CD, UB_DB, REASON_004),
    _individual("Thượng úy Phan Văn Lộc, Công an thị xã Điện Bàn", CA_DB, UB_DB, REASON_004),
    _individual("Đại úy Lê Thanh Tùng, Công an phường Điện Ngọc", CA_DB, UB_DB, REASON_004),
    _individual("Thiếu tá Nguyễn Đình Khải, Đội Cảnh sát hình sự, Công an thị xã Điện Bàn", CA_DB, UB_DB,
                REASON_004),
    _individual("Thượng úy Trần Văn Nam, Ban Chỉ huy Quân sự thị xã Điện Bàn", QS_DB, UB_DB, REASON_004),
    _individual("Trung úy Huỳnh Văn Sĩ, Ban Chỉ huy Quân sự phường Điện Dương", QS_DB, UB_DB, REASON_004),
    _individual("Thượng úy Nguyễn Văn Trung, Đồn Biên phòng Cửa Đại", BP_CD, UB_DB, REASON_004),
    _individual("Đại úy Phan Thanh Bình, Đồn Biên phòng Cửa Đại", BP_CD, UB_DB, REASON_004),
)


class _Review:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()

    @staticmethod
    def agreement(number: str) -> Agreement:
        return Agreement.objects.get(number=number)

    @staticmethod
    def units(agreement: Agreement, *names: str) -> list[Unit]:
        """Parties of the agreement, or units under them, by name (in the order given)."""
        found = {u.name: u for u in Unit.objects.filter(name__in=names, pk__in=agreement_unit_ids(agreement=agreement))}
        return [found[name] for name in names]

    def conference(
        self,
        agreement: Agreement,
        *,
        kind: str,
        held_on: datetime.date,
        title: str,
        host: str,
        attending: Sequence[str] = (),
        place: str = "",
        cluster: Cluster | None = None,
        period_year: int | None = None,
        outcomes: str = "",
        new_agreement: Agreement | None = None,
        awards: Sequence[AwardData] = (),
    ) -> Conference:
        conference = Conference.objects.filter(agreement=agreement, kind=kind, held_on=held_on).first()
        if conference is None:
            conference = services.conference_create(
                actor=None, agreement=agreement, kind=kind, title=title, held_on=held_on,
                host_unit=self.units(agreement, host)[0], place=place, cluster=cluster,
                attending_units=self.units(agreement, *attending), period_year=period_year, outcomes=outcomes,
                new_agreement=new_agreement,
            )
            self.created["conferences"] += 1
        for award in awards:
            if Award.objects.filter(conference=conference, recipient_kind=award.kind,
                                    recipient=award.recipient).exists():
                continue
            services.award_create(
                actor=None, conference=conference, recipient_kind=award.kind, recipient=award.recipient,
                authority=award.authority, recipient_unit=self.units(agreement, award.unit)[0], reason=award.reason,
            )
            self.created["awards"] += 1
        return conference

    def run(self) -> dict[str, int]:
        old, new = self.agreement(registry.NUMBER_000_OLD), self.agreement(registry.NUMBER_000_NEW)
        self.conference(
            old, kind=ConferenceKind.INTERIM, held_on=D(2021, 12, 28), title=TITLE_000, period_year=2021,
            host="Công an thị xã Điện Bàn", attending=["Công an quận Ngũ Hành Sơn"],
            place="Thị xã Điện Bàn, tỉnh Quảng Nam", new_agreement=new,
            outcomes=(
                "Dự hội nghị có đại diện lãnh đạo UBND quận Ngũ Hành Sơn (Đà Nẵng), UBND thị xã Điện Bàn (Quảng "
                "Nam), các phường vùng giáp ranh, Đồn Biên phòng Cửa Đại, Đồn Biên phòng Non Nước và các cơ quan, "
                "ban ngành liên quan. Hội nghị thông qua báo cáo sơ kết năm 2021: hai bên chủ động nắm, trao đổi "
                "thông tin về phương thức, thủ đoạn của tội phạm; phối hợp xử lý các vụ việc; lập chốt kiểm soát "
                "covid-19, kiểm soát chặt chẽ công dân lợi dụng đường mòn, lối mở qua lại vùng giáp ranh để trốn "
                "tránh khai báo y tế. Công an quận Ngũ Hành Sơn và Công an thị xã Điện Bàn ký kết quy chế phối hợp "
                "bảo đảm ANTT vùng giáp ranh trong tình hình mới."
            ),
        )

        a001 = self.agreement(registry.NUMBER_001)
        self.conference(
            a001, kind=ConferenceKind.INTERIM, held_on=D(2018, 1, 10), title=TITLE_001, period_year=2017,
            cluster=a001.clusters.get(), host=SC, attending=[QN], place="Thị xã Sông Cầu, tỉnh Phú Yên",
            outcomes=(
                "Dự và chỉ đạo hội nghị có Đại tá Lê Xuân An – Phó Giám đốc Công an tỉnh Phú Yên, Đại tá Nguyễn Đức "
                "Nam – Phó Giám đốc Công an tỉnh Bình Định cùng lãnh đạo cấp ủy, chính quyền, các đơn vị nghiệp vụ "
                "của hai địa phương. Năm 2017 Công an hai địa phương trao đổi, phối hợp kiểm tra xác minh hơn 100 "
                "nguồn tin; thực hiện 06 đợt cao điểm tấn công trấn áp tội phạm; làm rõ 31/35 vụ phạm pháp hình sự "
                "ở địa bàn giáp ranh, trong đó trực tiếp phối hợp điều tra làm rõ 24 vụ, bắt xử lý 7 đối tượng. "
                "Đ/c Ngô Hoàng Nam – Chủ tịch UBND thành phố Qui Nhơn tặng giấy khen cho các tập thể, cá nhân ở thị "
                "xã Sông Cầu; đ/c Trần Xuân Túc – Phó Chủ tịch UBND thị xã Sông Cầu tặng giấy khen cho các tập thể, "
                "cá nhân ở thành phố Qui Nhơn: 4 tập thể và 10 cá nhân."
            ),
            awards=AWARDS_001,
        )

        a002 = self.agreement(registry.NUMBER_002)
        cluster_002 = a002.clusters.get()
        parties_002 = list(a002.parties.order_by("order").values_list("unit__name", flat=True))
        self.conference(
            a002, kind=ConferenceKind.SIGNING, held_on=D(2019, 8, 8), title=TITLE_002, cluster=cluster_002,
            host="Công an huyện Nho Quan", attending=parties_002,
            place="UBND xã Phú Long, huyện Nho Quan, tỉnh Ninh Bình",
            outcomes=(
                "Các đơn vị trong cụm thống nhất thông qua quy chế hoạt động gồm 6 chương, 22 điều, 5 nội dung phối "
                "hợp; phân công trách nhiệm cho từng thành viên ban chỉ đạo; thành lập đội công an cơ động gồm 18 "
                "đồng chí công an xã (mỗi xã 3 đồng chí). Đại diện lãnh đạo 6 xã Phú Long, Kỳ Phú, Cúc Phương, Thành "
                "Vân, Thành Công, Thành Minh ký cam kết thực hiện."
            ),
        )
        self.conference(
            a002, kind=ConferenceKind.BRIEFING, held_on=D(2019, 12, 27), cluster=cluster_002,
            title="Giao ban cụm giáp ranh an toàn về ANTT Nho Quan – Thạch Thành quý IV năm 2019",
            host="Công an huyện Thạch Thành", attending=parties_002,
            place="UBND xã Thành Minh, huyện Thạch Thành, tỉnh Thanh Hóa",
            outcomes="Đánh giá hoạt động của đội công an cơ động từ khi thành lập; thống nhất lịch tuần tra chung "
            "dịp Tết Nguyên đán Canh Tý 2020.",
        )

        a003 = self.agreement(registry.NUMBER_003)
        self.conference(
            a003, kind=ConferenceKind.FINAL, held_on=D(2018, 1, 19), title=TITLE_003, period_year=2017,
            cluster=a003.clusters.get(), host="Công an huyện Lệ Thủy",
            attending=list(a003.parties.order_by("order").values_list("unit__name", flat=True)),
            place="Hội trường UBND xã Sen Thủy, huyện Lệ Thủy, tỉnh Quảng Bình",
            outcomes=(
                "Dự hội nghị có đại diện lãnh đạo UBND hai huyện, Ban Chỉ huy Công an hai huyện. Năm 2017 lực lượng "
                "Công an xã, thị trấn vùng giáp ranh tổ chức 25 ca tuần tra chung với hơn 150 lượt người tham gia; "
                "triển khai đợt cao điểm tấn công trấn áp tội phạm bảo vệ các ngày lễ lớn; giảm 13 vụ việc so với "
                "năm 2016. Nhiệm vụ trọng tâm năm 2018: nắm chắc tình hình, tham mưu cấp ủy, chính quyền; chỉ đạo "
                "Công an các xã, thị trấn thực hiện tốt các giải pháp đấu tranh phòng, chống tội phạm. Đại diện "
                "lãnh đạo hai huyện trao thưởng cho các tập thể, cá nhân có thành tích."
            ),
            awards=AWARDS_003,
        )

        a004 = self.agreement(registry.NUMBER_004)
        self.conference(
            a004, kind=ConferenceKind.INTERIM, held_on=D(2023, 12, 28), title=TITLE_004, period_year=2023,
            host=CA_DB, attending=[QS_DB, BP_CD], place="UBND thị xã Điện Bàn, tỉnh Quảng Nam",
            outcomes=(
                "UBND thị xã Điện Bàn tổ chức hội nghị sơ kết năm 2023 và triển khai công tác phối hợp năm 2024. "
                "Quân sự, biên phòng cung cấp cho Công an thị xã và công an các xã, phường 37 nguồn tin giá trị "
                "(13 vụ đánh bạc, 21 vụ sử dụng trái phép chất ma túy, 1 vụ tổ chức sử dụng trái phép chất ma túy, "
                "2 vụ vận chuyển khoáng sản không rõ nguồn gốc); Công an thị xã cung cấp cho quân sự 29 tin, phối "
                "hợp kiểm tra, xác minh 44 tin. Tuần tra theo mô hình “Tuyến biển bình yên” 215 lượt với 1.290 cán "
                "bộ chiến sĩ của 3 lực lượng; duy trì 139 mô hình tự phòng, tự quản. UBND thị xã khen thưởng 4 tập "
                "thể, 7 cá nhân."
            ),
            awards=AWARDS_004,
        )
        return {key: self.created[key] for key in COUNT_KEYS}


def load_review_demo() -> dict[str, int]:
    """Create the demo conferences and awards in one transaction; a second run creates nothing.

    Returns how many conferences and awards (``COUNT_KEYS``) this run created.
    """
    with transaction.atomic():
        return _Review().run()
