"""The seeds whose reports quote yearly figures (001, 003, 004): their records make those figures exact.

Background records (other years, other kinds) are drawn so that they never change the quoted
figures; the figures themselves are listed in the docstring of :mod:`demo.records`.
"""

from __future__ import annotations

import datetime
import random

from agreements.models import AdministrativeUnit, AdminLevel, Agreement, Cluster, Era
from demo import registry
from demo.records import (
    CAMPAIGN_003,
    INCIDENT_TEXT,
    PROGRAMME_004,
    RANDOM_SEED,
    TIP_TEXT,
    D,
    at,
    local_name,
    place_in,
    spread,
)
from demo.records_writer import RecordsWriter
from incidents.models import IncidentSource, IncidentStatus, Nature, Tip, TipStatus
from patrols.models import Campaign, Patrol


class QuotedSeeds(RecordsWriter):
    # Seed 001: Sông Cầu – Qui Nhơn, sơ kết 2017 --------------------------------------------------------

    def seed_001(self) -> None:
        agreement = Agreement.objects.get(number=registry.NUMBER_001)
        if self.has_records([agreement]):
            return
        rng = random.Random(RANDOM_SEED + 1)
        sc = self.party(agreement, "Công an thị xã Sông Cầu")
        qn = self.party(agreement, "Công an thành phố Qui Nhơn")
        other = {sc.pk: qn, qn.pk: sc}
        cluster = agreement.clusters.get()
        members = self.members(cluster)
        communes = [m.commune for m in members]
        side = {m.commune_id: m.responsible_party.unit for m in members}
        by_name = {c.name: c for c in communes}
        pairs = [
            (by_name["Xã Xuân Lộc"], by_name["Phường Bùi Thị Xuân"], "Quốc lộ 1A đoạn qua đèo Cù Mông"),
            (by_name["Xã Xuân Hải"], by_name["Phường Ghềnh Ráng"], "Tuyến ven biển và đầm Cù Mông"),
            (by_name["Xã Xuân Lâm"], by_name["Phường Bùi Thị Xuân"], "Đường liên xã, đường mòn qua đèo Cù Mông"),
        ]

        # Campaigns: one at the end of 2016, the "06 đợt cao điểm" of 2017.
        targets = ("Tấn công trấn áp các loại tội phạm hình sự, ma túy, cờ bạc ở địa bàn giáp ranh; truy bắt đối "
                   "tượng truy nã; bảo đảm an toàn giao thông trên Quốc lộ 1A.")
        self.campaign(
            agreement, cluster=cluster, name="Đợt cao điểm tấn công trấn áp tội phạm dịp cuối năm 2016",
            starts_on=D(2016, 12, 1), ends_on=D(2016, 12, 31), units=[sc, qn], targets=targets,
        )
        campaigns: list[Campaign] = []
        for name, starts_on, ends_on in (
            ("Đợt cao điểm tấn công trấn áp tội phạm, bảo đảm ANTT dịp Tết Nguyên đán Đinh Dậu 2017",
             D(2017, 1, 3), D(2017, 2, 15)),
            ("Đợt cao điểm tấn công trấn áp tội phạm trộm cắp, cướp giật tài sản trên Quốc lộ 1A qua đèo Cù Mông",
             D(2017, 3, 15), D(2017, 4, 30)),
            ("Đợt cao điểm tấn công trấn áp tội phạm, bảo đảm ANTT mùa du lịch biển hè 2017",
             D(2017, 5, 20), D(2017, 7, 31)),
            ("Đợt cao điểm tấn công trấn áp tội phạm, bảo đảm ANTT dịp Quốc khánh 02/9/2017",
             D(2017, 8, 15), D(2017, 9, 10)),
            ("Đợt cao điểm tấn công trấn áp tội phạm, bảo đảm ANTT Tuần lễ Cấp cao APEC 2017",
             D(2017, 10, 15), D(2017, 11, 15)),
            ("Đợt cao điểm tấn công trấn áp tội phạm, bảo đảm ANTT dịp cuối năm 2017",
             D(2017, 12, 1), D(2017, 12, 31)),
        ):
            campaigns.append(self.campaign(
                agreement, cluster=cluster, name=name, starts_on=starts_on, ends_on=ends_on, units=[sc, qn],
                targets=targets,
            ))

        def campaign_on(day: datetime.date) -> Campaign | None:
            return next((c for c in campaigns if c.starts_on <= day <= c.ends_on), None)

        # Joint patrols: a few at the end of 2016, one or two a month in 2017 (not quoted by the report).
        for year, first, last, n in ((2016, D(2016, 11, 20), D(2016, 12, 28), 4), (2017, D(2017, 1, 5),
                                                                                   D(2017, 12, 27), 18)):
            for i, day in enumerate(spread(rng, first, last, n)):
                a, b, road = pairs[i % len(pairs)]
                lead = sc if i % 2 == 0 else qn
                self.patrol(
                    agreement, cluster=cluster, lead=lead, parts=[(lead, rng.choice([4, 5])), (other[lead.pk], 4)],
                    started_at=at(day, rng.choice([19, 20, 21])), minutes=rng.choice([180, 240]), communes=[a, b],
                    route=f"{road} ({local_name(a)} – {local_name(b)})",
                    findings="Kiểm tra phương tiện, người có biểu hiện nghi vấn; tuyên truyền nhân dân tố giác tội "
                    "phạm.",
                    campaign=campaign_on(day) if year == 2017 else None,
                )

        # 2017: 35 criminal incidents in the border communes, 31 solved within the year; 24 of the solved
        # handled jointly (supporting unit: the other police), 7 suspects dealt with in those 24.
        codes = (["trom-cap"] * 14 + ["cuop-giat"] * 5 + ["co-y-gay-thuong-tich"] * 5 + ["danh-bac"] * 4
                 + ["lua-dao"] * 2 + ["tang-tru-ma-tuy"] * 2 + ["huy-hoai"] + ["gay-roi"] * 2)
        outcomes = ["joint"] * 24 + ["alone"] * 7 + [IncidentStatus.INVESTIGATING] * 2 + [IncidentStatus.SUSPENDED] * 2
        rng.shuffle(codes)
        rng.shuffle(outcomes)
        joint_dealt = [1] * 7 + [0] * 17
        rng.shuffle(joint_dealt)
        joint_positions = [i for i, o in enumerate(outcomes) if o == "joint"]
        from_tip = set(rng.sample(joint_positions, 10))
        joint_tips = 0
        for i, (day, code, outcome) in enumerate(zip(spread(rng, D(2017, 1, 10), D(2017, 12, 15), 35), codes,
                                                     outcomes, strict=True)):
            commune = rng.choice(communes)
            lead = side[commune.pk]
            occurred = at(day, rng.randint(0, 23), rng.choice([0, 10, 20, 30, 40, 50]))
            place = place_in(rng, commune)
            tips: list[Tip] = []
            if i in from_tip:
                tips.append(self.tip(
                    agreement, cluster=cluster, from_unit=other[lead.pk], to_unit=lead, commune=commune,
                    received_at=occurred - datetime.timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 5)),
                    code=code, summary=rng.choice(TIP_TEXT[code]).format(place=place), jointly=True,
                    note="Hai bên phối hợp xác minh: thông tin chính xác, đã phối hợp làm rõ vụ việc.",
                ))
                joint_tips += 1
            values: dict = {}
            if outcome in ("joint", "alone"):
                solved = occurred + datetime.timedelta(days=rng.randint(1, 25), hours=rng.randint(1, 9))
                values["solved_at"] = min(solved, max(at(D(2017, 12, 29), 16), occurred + datetime.timedelta(hours=6)))
                if outcome == "joint":
                    dealt = joint_dealt.pop()
                    suspects = rng.randint(1, 3)
                    values.update(supporting=[other[lead.pk]], suspects=suspects, dealt_with=dealt)
                    if dealt:
                        values.update(status=IncidentStatus.PROSECUTED, outcome=(
                            f"Hai bên phối hợp điều tra, bắt giữ {dealt:02d} đối tượng; khởi tố vụ án."))
                    else:
                        outcomes_0 = [
                            f"Phối hợp làm rõ, xác định {suspects:02d} đối tượng; đối tượng bỏ trốn khỏi địa phương, "
                            "đã ra quyết định truy nã.",
                            "Phối hợp làm rõ; đối tượng là người chưa đủ tuổi chịu trách nhiệm hình sự, giao gia đình "
                            "và địa phương quản lý, giáo dục.",
                        ]
                        if code == "trom-cap":
                            outcomes_0.append("Phối hợp làm rõ, thu hồi tài sản trả lại bị hại; giá trị tài sản dưới "
                                              "mức truy cứu, chuyển xử lý hành chính theo thẩm quyền.")
                        values.update(status=IncidentStatus.SOLVED, outcome=rng.choice(outcomes_0))
                else:
                    suspects = rng.randint(1, 2)
                    values.update(status=IncidentStatus.PROSECUTED, suspects=suspects, dealt_with=suspects)
            else:
                values["status"] = outcome
            self.incident(
                agreement, cluster=cluster, occurred_at=occurred, commune=commune, code=code, lead=lead,
                nature=Nature.CRIMINAL, source=IncidentSource.TIP if tips else rng.choice(
                    [IncidentSource.PUBLIC, IncidentSource.PUBLIC, IncidentSource.OWN]),
                summary=rng.choice(INCIDENT_TEXT[code]).format(place=place), place=place, tips=tips,
                campaign=campaign_on(day), **values,
            )

        # 2017: the other tips exchanged ("hơn 100 nguồn tin"): 104 verified jointly in all, 6 by one side.
        statuses = ([(TipStatus.TRUE, True)] * 70 + [(TipStatus.FALSE, True)] * (104 - joint_tips - 70)
                    + [(TipStatus.TRUE, False)] * 4 + [(TipStatus.HANDED_OVER, False)] * 2)
        rng.shuffle(statuses)
        tip_codes = ["trom-cap", "trom-cap", "cuop-giat", "danh-bac", "su-dung-ma-tuy", "mua-ban-ma-tuy", "khac",
                     "khac", "lua-dao", "co-y-gay-thuong-tich"]
        for i, (day, (status, jointly)) in enumerate(zip(spread(rng, D(2017, 1, 2), D(2017, 12, 20), len(statuses)),
                                                         statuses, strict=True)):
            sender, receiver = (sc, qn) if i % 2 == 0 else (qn, sc)
            commune = rng.choice([c for c in communes if side[c.pk] == receiver])
            code = rng.choice(tip_codes)
            self.tip(
                agreement, cluster=cluster, from_unit=sender, to_unit=receiver, commune=commune,
                received_at=at(day, rng.randint(7, 21), rng.choice([0, 15, 30, 45])), code=code,
                summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)), status=status,
                jointly=jointly, days=rng.choice([7, 10, 15]), reliability=rng.choice("ABBC"),
                credibility=rng.choice("1223"),
                note=("Hai bên phối hợp kiểm tra, xác minh." if jointly else
                      "Chuyển Công an xã sở tại tiếp tục theo dõi." if status == TipStatus.HANDED_OVER else ""),
            )

        # 2017: administrative violations (not part of "35 vụ phạm pháp hình sự").
        for day in spread(rng, D(2017, 1, 15), D(2017, 12, 18), 10):
            commune = rng.choice(communes)
            self._background_incident(
                rng, agreement, cluster=cluster, day=day, commune=commune, lead=side[commune.pk],
                partner=other[side[commune.pk].pk], nature=Nature.ADMINISTRATIVE,
                code=rng.choice(["su-dung-ma-tuy", "danh-bac", "gay-roi", "khac"]), latest=D(2017, 12, 29),
            )

        # The end of 2016, right after the agreement was signed.
        for i, day in enumerate(spread(rng, D(2016, 11, 18), D(2016, 12, 28), 6)):
            sender, receiver = (sc, qn) if i % 2 else (qn, sc)
            commune = rng.choice([c for c in communes if side[c.pk] == receiver])
            code = rng.choice(tip_codes)
            self.tip(
                agreement, cluster=cluster, from_unit=sender, to_unit=receiver, commune=commune,
                received_at=at(day, rng.randint(7, 21)), code=code,
                summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)),
                status=rng.choice([TipStatus.TRUE, TipStatus.FALSE]), jointly=rng.random() < 0.7,
            )
        for day in spread(rng, D(2016, 11, 20), D(2016, 12, 26), 5):
            commune = rng.choice(communes)
            self._background_incident(
                rng, agreement, cluster=cluster, day=day, commune=commune, lead=side[commune.pk],
                partner=other[side[commune.pk].pk], code=rng.choice(["trom-cap", "cuop-giat", "danh-bac", "khac"]),
                latest=D(2016, 12, 30),
            )

    # Seed 003: Lệ Thủy – Vĩnh Linh, tổng kết 2017 --------------------------------------------------------

    def seed_003(self) -> None:
        agreement = Agreement.objects.get(number=registry.NUMBER_003)
        if self.has_records([agreement]):
            return
        rng = random.Random(RANDOM_SEED + 3)
        cluster = agreement.clusters.get()
        members = self.members(cluster)
        by_name = {m.commune.name: m.commune for m in members}
        police = {m.commune_id: m.responsible_party.unit for m in members}
        district = {
            "Huyện Lệ Thủy": self.party(agreement, "Công an huyện Lệ Thủy"),
            "Huyện Vĩnh Linh": self.party(agreement, "Công an huyện Vĩnh Linh"),
        }
        pairs = [
            (by_name["Xã Ngư Thủy"], by_name["Xã Vĩnh Thái"]),
            (by_name["Xã Sen Thủy"], by_name["Xã Vĩnh Chấp"]),
            (by_name["Xã Kim Thủy"], by_name["Xã Vĩnh Hà"]),
            (by_name["Thị trấn NT Lệ Ninh"], by_name["Xã Vĩnh Khê"]),
        ]
        partner_of = {a.pk: b for a, b in pairs} | {b.pk: a for a, b in pairs}
        campaign = self.campaign(
            agreement, cluster=cluster, name=CAMPAIGN_003, starts_on=D(2017, 4, 15), ends_on=D(2017, 9, 5),
            units=[*district.values(), *police.values()],
            targets="Bảo đảm tuyệt đối an toàn các ngày lễ 30/4, 01/5, 19/5, 02/9; không để xảy ra tụ tập gây rối, "
            "đua xe trái phép, trộm cắp tài sản ở vùng giáp ranh.",
            results="Các xã, thị trấn tổ chức tuần tra chung trong các ngày lễ; không để xảy ra vụ việc phức tạp.",
        )

        # Joint patrols of the commune police: 2016 (after the cluster started) and the 25 of 2017 with
        # 156 person-participations (19 shifts of 3 + 3 officers, 6 of 4 + 3), the lead alternating.
        for first, last, n, officers in (
            (D(2016, 4, 10), D(2016, 12, 20), 18, [6] * 18),
            (D(2017, 1, 6), D(2017, 12, 24), 25, [7] * 6 + [6] * 19),
        ):
            rng.shuffle(officers)
            for i, (day, total) in enumerate(zip(spread(rng, first, last, n), officers, strict=True)):
                a, b = pairs[i % len(pairs)]
                lead_commune, other_commune = (a, b) if (i // len(pairs)) % 2 == 0 else (b, a)
                lead, partner = police[lead_commune.pk], police[other_commune.pk]
                self.patrol(
                    agreement, cluster=cluster, lead=lead, parts=[(lead, total - 3), (partner, 3)],
                    started_at=at(day, rng.choice([19, 20, 21])), minutes=rng.choice([150, 180, 240]),
                    communes=[lead_commune, other_commune],
                    route=f"Tuyến giáp ranh {local_name(lead_commune)} – {local_name(other_commune)}",
                    findings="Nắm tình hình đối tượng trong diện quản lý; nhắc nhở thanh niên tụ tập khuya.",
                    campaign=campaign if campaign.starts_on <= day <= campaign.ends_on else None,
                )

        # Incidents in the cluster's communes: 41 in 2016 (from 25/3, when the cluster started), 28 in 2017
        # ("giảm 13 vụ việc so với năm 2016"). Criminal cases led by the district police with the commune
        # police, the rest by the commune police.
        criminal = ["trom-cap", "trom-cap", "co-y-gay-thuong-tich", "cuop-giat", "danh-bac"]
        administrative = ["khac", "khac", "gay-roi", "danh-bac", "trom-cap"]
        for first, last, n in ((D(2016, 3, 28), D(2016, 12, 26), 41), (D(2017, 1, 5), D(2017, 12, 20), 28)):
            for day in spread(rng, first, last, n):
                commune = rng.choice([m.commune for m in members])
                if rng.random() < 0.4:
                    code, nature = rng.choice(criminal), Nature.CRIMINAL
                    lead, partner = district[commune.parent.name], police[commune.pk]
                else:
                    code, nature = rng.choice(administrative), Nature.ADMINISTRATIVE
                    lead, partner = police[commune.pk], police[partner_of[commune.pk].pk]
                self._background_incident(
                    rng, agreement, cluster=cluster, day=day, commune=commune, code=code, nature=nature, lead=lead,
                    partner=partner, campaign=campaign if campaign.starts_on <= day <= campaign.ends_on else None,
                )

        # Information on people under management exchanged between the commune police.
        for first, last, n in ((D(2016, 4, 5), D(2016, 12, 20), 8), (D(2017, 1, 8), D(2017, 12, 18), 14)):
            for i, day in enumerate(spread(rng, first, last, n)):
                a, b = pairs[i % len(pairs)]
                sender, receiver = (a, b) if i % 2 else (b, a)
                code = rng.choice(["khac", "khac", "trom-cap", "danh-bac"])
                self.tip(
                    agreement, cluster=cluster, from_unit=police[sender.pk], to_unit=police[receiver.pk],
                    commune=receiver, received_at=at(day, rng.randint(7, 20)), code=code,
                    summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, receiver)),
                    status=rng.choice([TipStatus.TRUE, TipStatus.TRUE, TipStatus.FALSE]), jointly=rng.random() < 0.5,
                    reliability="C", credibility="3",
                )

    # Seed 004: Điện Bàn, three forces under Nghị định 03/2019/NĐ-CP, sơ kết 2023 ---------------------

    def seed_004(self) -> None:
        agreement = Agreement.objects.get(number=registry.NUMBER_004)
        if self.has_records([agreement]):
            return
        rng = random.Random(RANDOM_SEED + 4)
        ca = self.party(agreement, "Công an thị xã Điện Bàn")
        qs = self.party(agreement, "Ban Chỉ huy Quân sự thị xã Điện Bàn")
        bp = self.party(agreement, "Đồn Biên phòng Cửa Đại")
        forces = [ca, bp, qs]
        cluster = agreement.clusters.get()
        coastal = [m.commune for m in self.members(cluster)]
        coastal_ids = {c.pk for c in coastal}
        town = AdministrativeUnit.objects.get(era=Era.LEGACY, level=AdminLevel.DISTRICT, units=ca)
        communes = list(AdministrativeUnit.objects.filter(era=Era.LEGACY, parent=town).order_by("code"))
        riverside = coastal + [c for c in communes if c.name in ("Phường Điện Nam Đông", "Phường Điện Nam Trung")]

        def cluster_of(commune: AdministrativeUnit) -> Cluster | None:
            return cluster if commune.pk in coastal_ids else None

        routes = (
            "Tuyến ven biển phường Điện Dương, khu vực bãi tắm Hà My",
            "Tuyến ven biển phường Điện Ngọc, giáp ranh phường Hòa Hải (Đà Nẵng)",
            "Khu neo đậu tàu thuyền, bến cá phường Điện Dương",
            "Tuyến đường ven biển Điện Ngọc – Điện Dương",
        )

        def patrol_communes(i: int) -> list[AdministrativeUnit]:
            return [coastal[i % 2]] if i % 3 else list(coastal)

        def tuyen_bien(year_slots: list[tuple[datetime.date, int]], *, findings: dict[int, str] | None = None,
                       confirm: bool = True, officers: tuple[int, int, int] = (2, 2, 2)) -> list[Patrol]:
            created = []
            for i, (day, hour) in enumerate(year_slots):
                lead = forces[i % 3]
                parts = [(lead, officers[0])] + [(u, n) for u, n in zip([f for f in forces if f != lead], officers[1:],
                                                                        strict=True)]
                created.append(self.patrol(
                    agreement, cluster=cluster, lead=lead, parts=parts,
                    started_at=at(day, hour, 30 if hour > 12 else 0),
                    minutes=rng.choice([180, 210, 240]), communes=patrol_communes(i), programme=PROGRAMME_004,
                    route=routes[i % len(routes)], confirm=confirm,
                    findings=(findings or {}).get(i, "Tuần tra, tuyên truyền ngư dân; kiểm tra tạm trú, phương tiện; "
                                                     "không phát hiện vi phạm."),
                ))
            return created

        def slots(first: datetime.date, last: datetime.date, n: int) -> list[tuple[datetime.date, int]]:
            days = (last - first).days + 1
            chosen = sorted(rng.sample(range(days * 2), n))
            return [(first + datetime.timedelta(days=s // 2), 6 if s % 2 == 0 else 19) for s in chosen]

        # 2022: the programme's first year (not quoted).
        tuyen_bien(slots(D(2022, 4, 1), D(2022, 12, 31), 36))

        # 2023: 215 patrols of 6 officers, 2 per force (1.290 in all). 24 of them found incidents.
        found = (
            [("tang-tru-ma-tuy", 1)] * 2 + [("to-chuc-su-dung-ma-tuy", 5)] + [("hop-cho-trai-phep", 0)] * 10
            + [("danh-bac", n) for n in (4, 5, 6, 7, 5, 4, 8, 6, 3, 5, 6)]
        )
        rng.shuffle(found)
        slots_2023 = slots(D(2023, 1, 1), D(2023, 12, 27), 215)
        finding_at = dict(zip(sorted(rng.sample(range(215), len(found))), found, strict=True))
        findings = {
            i: {
                "tang-tru-ma-tuy": "Phát hiện 01 đối tượng tàng trữ trái phép chất ma túy, bàn giao Công an xử lý.",
                "to-chuc-su-dung-ma-tuy": "Phát hiện 01 vụ, 05 đối tượng tổ chức sử dụng trái phép chất ma túy.",
                "hop-cho-trai-phep": "Giải tán 01 tụ điểm họp chợ trái phép lấn chiếm tuyến đường ven biển.",
                "danh-bac": f"Phát hiện 01 vụ, {n:02d} đối tượng đánh bạc trái phép.",
            }[code]
            for i, (code, n) in finding_at.items()
        }
        patrols_2023 = tuyen_bien(slots_2023, findings=findings)
        for i, (code, suspects) in sorted(finding_at.items()):
            patrol = patrols_2023[i]
            commune = patrol_communes(i)[0]
            occurred = patrol.started_at + datetime.timedelta(minutes=rng.randint(40, 120))
            place = place_in(rng, commune)
            if code == "hop-cho-trai-phep":
                values = dict(status=IncidentStatus.CLOSED, solved_at=occurred + datetime.timedelta(hours=1),
                              outcome="Giải tán tụ điểm, tuyên truyền, nhắc nhở các hộ buôn bán không tái phạm.")
            elif code == "danh-bac" and suspects <= 5:
                values = dict(status=IncidentStatus.SANCTIONED, nature=Nature.ADMINISTRATIVE,
                              solved_at=occurred + datetime.timedelta(hours=3))
            else:
                values = dict(status=IncidentStatus.PROSECUTED, solved_at=occurred + datetime.timedelta(days=1))
            self.incident(
                agreement, cluster=cluster, occurred_at=occurred, commune=commune, code=code, lead=ca,
                supporting=[bp, qs], source=IncidentSource.PATROL, patrols=[patrol], place=place,
                summary=rng.choice(INCIDENT_TEXT[code]).format(place=place), suspects=suspects,
                dealt_with=suspects, **values,
            )

        # 2023: 37 valuable tips from the military and the border guard to the police, each leading to one
        # incident (13 gambling, 21 drug use, 1 organising drug use, 2 illegal mineral transport); 29 tips
        # from the police to the military / border guard; 44 of the 66 verified jointly.
        codes = ["danh-bac"] * 13 + ["su-dung-ma-tuy"] * 21 + ["to-chuc-su-dung-ma-tuy"] + ["van-chuyen-khoang-san"] * 2
        senders = [bp] * 20 + [qs] * 17
        joint = [True] * 25 + [False] * 12
        for values in (codes, senders, joint):
            rng.shuffle(values)
        for day, code, sender, jointly in zip(spread(rng, D(2023, 1, 4), D(2023, 12, 15), 37), codes, senders, joint,
                                              strict=True):
            commune = rng.choice(riverside if sender == bp else communes)
            place = place_in(rng, commune)
            tip = self.tip(
                agreement, cluster=cluster_of(commune), from_unit=sender, to_unit=ca, commune=commune,
                received_at=at(day, rng.randint(7, 20), rng.choice([0, 15, 30, 45])), code=code,
                summary=rng.choice(TIP_TEXT[code]).format(place=place), jointly=jointly, days=7, reliability="B",
                credibility=rng.choice("12"),
                note=("Phối hợp kiểm tra, xác minh: thông tin chính xác." if jointly
                      else "Xác minh: thông tin chính xác."),
            )
            occurred = tip.received_at + datetime.timedelta(days=rng.randint(0, 3), hours=rng.randint(2, 8))
            if code == "danh-bac":
                suspects = rng.randint(3, 9)
                values = (dict(status=IncidentStatus.PROSECUTED, nature=Nature.CRIMINAL) if suspects >= 7 else
                          dict(status=IncidentStatus.SANCTIONED, nature=Nature.ADMINISTRATIVE))
            elif code == "to-chuc-su-dung-ma-tuy":
                suspects, values = 3, dict(status=IncidentStatus.PROSECUTED)
            else:
                suspects, values = rng.randint(1, 3), dict(status=IncidentStatus.SANCTIONED)
            solved = occurred + datetime.timedelta(hours=rng.randint(3, 30))
            self.incident(
                agreement, cluster=cluster_of(commune), occurred_at=occurred, commune=commune, code=code, lead=ca,
                supporting=[sender] if jointly else [], source=IncidentSource.TIP, tips=[tip], place=place,
                summary=rng.choice(INCIDENT_TEXT[code]).format(place=place), solved_at=solved, suspects=suspects,
                dealt_with=suspects, **values,
            )
        to_military = [
            ("khac", "Đối tượng trong độ tuổi gọi nhập ngũ bỏ địa phương, nghi đang tạm trú tại {place}."),
            ("khac", "Người lạ thường xuyên chụp ảnh, quay phim khu vực thao trường gần {place}."),
            ("trom-cap", "Nhóm đối tượng nghi trộm cắp dây cáp điện, vật tư tại khu vực gần {place}."),
            ("khai-thac-khoang-san", TIP_TEXT["khai-thac-khoang-san"][0]),
        ]
        to_border = [
            ("buon-lau", TIP_TEXT["buon-lau"][0]),
            ("van-chuyen-khoang-san", TIP_TEXT["van-chuyen-khoang-san"][1]),
            ("khac", "Tàu cá lạ không đăng ký, neo đậu nhiều ngày tại {place}."),
            ("mua-ban-ma-tuy", "Đối tượng nghi mua bán ma túy cho ngư dân, thuyền viên tại {place}."),
        ]
        receivers = [qs] * 18 + [bp] * 11
        outcomes = [(TipStatus.TRUE, True)] * 13 + [(TipStatus.FALSE, True)] * 6 + [(TipStatus.TRUE, False)] * 6 + [
            (TipStatus.HANDED_OVER, False)] * 4
        rng.shuffle(receivers)
        rng.shuffle(outcomes)
        for day, receiver, (status, jointly) in zip(spread(rng, D(2023, 1, 6), D(2023, 12, 18), 29), receivers,
                                                    outcomes, strict=True):
            code, text = rng.choice(to_military if receiver == qs else to_border)
            commune = rng.choice(communes if receiver == qs else riverside)
            self.tip(
                agreement, cluster=cluster_of(commune), from_unit=ca, to_unit=receiver, commune=commune,
                received_at=at(day, rng.randint(7, 20)), code=code, summary=text.format(place=place_in(rng, commune)),
                status=status, jointly=jointly, days=10, reliability=rng.choice("BC"), credibility=rng.choice("23"),
                note="Ba lực lượng phối hợp kiểm tra, xác minh." if jointly else "",
            )

        # 2023: incidents reported by the public (no tip, no patrol) — not part of the quoted figures.
        for day in spread(rng, D(2023, 1, 10), D(2023, 12, 20), 8):
            commune = rng.choice(communes)
            self._background_incident(
                rng, agreement, cluster=cluster_of(commune), day=day, commune=commune, lead=ca, partner=None,
                code=rng.choice(["trom-cap", "trom-cap", "cuop-giat", "gay-roi", "co-y-gay-thuong-tich"]),
            )

        # 2022, 2024 and the last weeks before the district police ended (01/3/2025): background.
        for first, last, n_tips, n_incidents in ((D(2022, 1, 10), D(2022, 12, 20), 12, 6),
                                                 (D(2024, 1, 8), D(2024, 4, 28), 6, 5)):
            for i, day in enumerate(spread(rng, first, last, n_tips)):
                sender, receiver = (rng.choice([bp, qs]), ca) if i % 5 < 3 else (ca, rng.choice([bp, qs]))
                code = rng.choice(["danh-bac", "su-dung-ma-tuy", "van-chuyen-khoang-san", "khac"])
                commune = rng.choice(riverside if bp in (sender, receiver) else communes)
                self.tip(
                    agreement, cluster=cluster_of(commune), from_unit=sender, to_unit=receiver, commune=commune,
                    received_at=at(day, rng.randint(7, 20)), code=code,
                    summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)),
                    status=rng.choice([TipStatus.TRUE, TipStatus.TRUE, TipStatus.FALSE]), jointly=rng.random() < 0.6,
                )
            for day in spread(rng, first, last, n_incidents):
                commune = rng.choice(communes)
                self._background_incident(
                    rng, agreement, cluster=cluster_of(commune), day=day, commune=commune, lead=ca,
                    partner=rng.choice([bp, qs]),
                    code=rng.choice(["danh-bac", "su-dung-ma-tuy", "trom-cap", "van-chuyen-khoang-san"]),
                )
        tuyen_bien(slots(D(2024, 1, 2), D(2024, 4, 30), 16))
        # February 2025: the last patrols, not yet confirmed, and tips still open (overdue today).
        tuyen_bien(slots(D(2025, 2, 3), D(2025, 2, 26), 4), confirm=False)
        for day, (sender, receiver), status in zip(
            spread(rng, D(2025, 2, 5), D(2025, 2, 25), 3), [(bp, ca), (ca, qs), (qs, ca)],
            [TipStatus.RECEIVED, TipStatus.VERIFYING, TipStatus.VERIFYING], strict=True,
        ):
            commune = rng.choice(coastal)
            code = rng.choice(["su-dung-ma-tuy", "buon-lau", "danh-bac"])
            self.tip(
                agreement, cluster=cluster, from_unit=sender, to_unit=receiver, commune=commune,
                received_at=at(day, rng.randint(7, 20)), code=code,
                summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)), status=status, days=7,
                jointly=status == TipStatus.VERIFYING,
            )
