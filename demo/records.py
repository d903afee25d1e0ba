"""The field-record part of the demo: patrols, campaigns, checkpoints, tips and incidents of the five seeds.

Runs after the registry demo (:func:`demo.registry.load_registry_demo`) and writes only through
the services (:mod:`patrols.services`, :mod:`incidents.services`) with ``actor=None``, so the
records pass the same rules and carry the same audit trail as records entered by people. The one
exception is the partner's confirmation of a patrol: ``patrol_confirm`` accepts only a user of a
partner unit, so the demo commander of that unit confirms (patrols between commune police, whose
units have no demo account, stay "done").

The yearly figures the seed reports quote come out exactly when counted per DESIGN §5; background
records in other years (or of other kinds) never change them:

* 001 (Sông Cầu – Qui Nhơn, 2017): 104 tips exchanged and verified jointly (of 110 exchanged);
  06 campaigns; 35 criminal incidents in the border communes, 31 solved within 2017; 24 of the
  solved ones handled jointly, with 7 suspects dealt with.
* 003 (Lệ Thủy – Vĩnh Linh, 2017): 25 joint patrols with 156 person-participations; 28 incidents in
  the cluster communes against 41 in 2016 (13 fewer); the campaign for the national holidays.
* 004 (Điện Bàn, 2023): 37 tips from the military and the border guard to the police, leading to
  13 gambling, 21 drug-use, 1 organising-drug-use and 2 mineral-transport incidents; 29 tips from
  the police to the military / border guard; 44 of the 66 verified jointly; patrols found 2 drug
  possession incidents (2 suspects), 1 organising drug use (5), 10 illegal markets and 11 gambling
  incidents (59); 215 patrols of “Tuyến biển bình yên” with 1.290 officers.
* 000 (Ngũ Hành Sơn – Điện Bàn, 2021): covid-19 checkpoints on the paths across the boundary, a few
  tips and incidents under the 2019 agreement; background records under the 2021 one.
* 002 (Nho Quan – Thạch Thành, 2019): patrols of the cluster's mobile team after 08/08/2019.

Idempotent per seed: when any patrol, campaign, checkpoint, tip or incident already exists under a
seed's agreement(s), that seed is skipped, so a second run writes nothing. Background records use a
``random.Random`` with a fixed seed per seed report, so every run produces the same data.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from agreements.models import (
    AdministrativeUnit,
    AdminLevel,
    Agreement,
    Cluster,
    ClusterMember,
    Era,
    MobileTeamMember,
    Officer,
    Role,
    Unit,
)
from demo import registry
from incidents import services
from incidents.models import (
    Incident,
    IncidentCategory,
    IncidentSource,
    IncidentStatus,
    Nature,
    SourceKind,
    Tip,
    TipStatus,
)
from patrols import services as patrol_services
from patrols.models import Campaign, Checkpoint, Patrol
from patrols.services import ParticipantData, ParticipationData

D = datetime.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RANDOM_SEED = 20231228

PROGRAMME_004 = "Tuyến biển bình yên"
PROGRAMME_002 = "Tuần tra kiểm soát của đội công an cơ động cụm"
PROGRAMME_000 = "Tuần tra chung vùng giáp ranh"
COVID_PURPOSE = "Kiểm soát phòng, chống dịch Covid-19"
CAMPAIGN_003 = (
    "Đợt cao điểm tấn công trấn áp tội phạm, bảo đảm ANTT bảo vệ các ngày lễ lớn của đất nước năm 2017"
)

# Keys of the dict load_records_demo() returns: how many objects of each kind this run created.
COUNT_KEYS = ("campaigns", "checkpoints", "patrols", "patrol_confirmations", "tips", "incidents")

CLEARED = (IncidentStatus.SOLVED, IncidentStatus.PROSECUTED, IncidentStatus.SANCTIONED, IncidentStatus.CLOSED)

# What a tip says, per category ("{place}" is filled in).
TIP_TEXT: dict[str, tuple[str, ...]] = {
    "trom-cap": (
        "Đối tượng lạ mặt thường xuyên lui tới {place} vào ban đêm, nghi trộm cắp xe máy, tài sản của người dân.",
        "Nhóm thanh niên nghi tiêu thụ tài sản trộm cắp (xe máy, điện thoại) tại {place}.",
    ),
    "cuop-giat": (
        "Hai đối tượng đi xe máy không biển số nghi cướp giật túi xách của người đi đường tại {place}.",
    ),
    "co-y-gay-thuong-tich": (
        "Mâu thuẫn giữa hai nhóm thanh niên ở {place}, có nguy cơ hẹn nhau đánh nhau gây thương tích.",
    ),
    "danh-bac": (
        "Nhóm đối tượng tụ tập đánh bạc ăn tiền dưới hình thức xóc đĩa tại {place}.",
        "Có tụ điểm đá gà ăn tiền vào chiều tối tại {place}.",
    ),
    "to-chuc-danh-bac": ("Đối tượng tổ chức sới bạc lưu động, thay đổi địa điểm liên tục quanh {place}.",),
    "su-dung-ma-tuy": (
        "Nhóm thanh niên nghi sử dụng trái phép chất ma túy tại nhà trọ ở {place}.",
        "Đối tượng có biểu hiện sử dụng ma túy tổng hợp, thường tụ tập tại quán cà phê ở {place}.",
    ),
    "to-chuc-su-dung-ma-tuy": (
        "Đối tượng nghi cho thuê phòng hát karaoke để các nhóm thanh niên sử dụng ma túy tại {place}.",
    ),
    "tang-tru-ma-tuy": ("Đối tượng nghi cất giấu ma túy để sử dụng, thường xuyên qua lại {place}.",),
    "mua-ban-ma-tuy": ("Đối tượng nghi mua bán lẻ trái phép chất ma túy tại {place}.",),
    "van-chuyen-khoang-san": (
        "Xe tải chở cát không rõ nguồn gốc thường xuyên đi qua {place} vào ban đêm.",
        "Ghe máy nghi vận chuyển cát, sỏi không rõ nguồn gốc cập bến tại {place}.",
    ),
    "khai-thac-khoang-san": ("Có hoạt động hút cát trái phép trên sông vào ban đêm gần {place}.",),
    "buon-lau": ("Tàu cá lạ nghi vận chuyển thuốc lá điếu nhập lậu, cập bến tại {place}.",),
    "hop-cho-trai-phep": ("Tụ điểm họp chợ trái phép lấn chiếm lòng đường, gây mất ATGT tại {place}.",),
    "gay-roi": ("Nhóm thanh niên tụ tập đua xe, gây rối trật tự công cộng tại {place}.",),
    "lua-dao": ("Đối tượng giả danh cán bộ ngân hàng vay vốn để lừa đảo người dân tại {place}.",),
    "huy-hoai": ("Mâu thuẫn đất đai, có đối tượng đe dọa phá hoại tài sản, cây trồng tại {place}.",),
    "khac": (
        "Trao đổi thông tin về đối tượng trong diện quản lý thường xuyên qua lại giữa hai địa bàn, ở {place}.",
        "Đối tượng có tiền án bỏ địa phương, nghi đang tạm trú tại {place}.",
    ),
}

# What an incident was, per category.
INCIDENT_TEXT: dict[str, tuple[str, ...]] = {
    "trom-cap": (
        "Trộm cắp xe máy để trước nhà dân tại {place}.",
        "Trộm cắp tài sản (điện thoại, tiền mặt) tại {place}.",
        "Trộm cắp gia súc, gia cầm của người dân tại {place}.",
    ),
    "cuop-giat": ("Cướp giật túi xách của người đi đường tại {place}.",),
    "cuop": ("Dùng hung khí đe dọa, cướp tài sản của người đi đường tại {place}.",),
    "co-y-gay-thuong-tich": ("Xô xát giữa hai nhóm thanh niên, gây thương tích cho 01 người tại {place}.",),
    "danh-bac": (
        "Bắt quả tang nhóm đối tượng đánh bạc ăn tiền dưới hình thức xóc đĩa tại {place}.",
        "Bắt quả tang nhóm đối tượng đánh bạc dưới hình thức đá gà tại {place}.",
        "Bắt quả tang nhóm đối tượng đánh bạc dưới hình thức đánh bài tại {place}.",
    ),
    "su-dung-ma-tuy": ("Phát hiện đối tượng sử dụng trái phép chất ma túy tại {place}.",),
    "to-chuc-su-dung-ma-tuy": ("Phát hiện đối tượng tổ chức cho nhóm thanh niên sử dụng ma túy tại {place}.",),
    "tang-tru-ma-tuy": ("Phát hiện đối tượng tàng trữ trái phép chất ma túy tại {place}.",),
    "van-chuyen-khoang-san": ("Phát hiện phương tiện vận chuyển cát không rõ nguồn gốc tại {place}.",),
    "khai-thac-khoang-san": ("Phát hiện hoạt động khai thác cát trái phép tại {place}.",),
    "hop-cho-trai-phep": ("Giải tán tụ điểm họp chợ trái phép tại {place}.",),
    "gay-roi": ("Nhóm thanh niên gây rối trật tự công cộng tại {place}.",),
    "lua-dao": ("Lừa đảo chiếm đoạt tài sản của người dân tại {place}.",),
    "huy-hoai": ("Cố ý làm hư hỏng tài sản do mâu thuẫn đất đai tại {place}.",),
    "buon-lau": ("Phát hiện vận chuyển hàng cấm (thuốc lá điếu nhập lậu) tại {place}.",),
    "khac": (
        "Tranh chấp, mâu thuẫn trong nhân dân có nguy cơ phức tạp tại {place}.",
        "Tụ tập đông người, đốt pháo trái phép gây mất trật tự tại {place}.",
    ),
}
COVID_INCIDENT = "Người dân đi qua đường mòn, lối mở vùng giáp ranh để trốn tránh khai báo y tế tại {place}."


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time in Asia/Ho_Chi_Minh."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def spread(rng: random.Random, first: datetime.date, last: datetime.date, n: int) -> list[datetime.date]:
    """``n`` days from ``first`` to ``last`` (inclusive), one in each of ``n`` equal slices, in order."""
    span = (last - first).days + 1
    days = []
    for i in range(n):
        lo, hi = span * i // n, max(span * (i + 1) // n - 1, span * i // n)
        days.append(first + datetime.timedelta(days=rng.randint(lo, hi)))
    return days


def local_name(commune: AdministrativeUnit) -> str:
    """"Phường Điện Ngọc" → "phường Điện Ngọc"."""
    prefix = commune.division_type
    if commune.name.lower().startswith(prefix.lower() + " "):
        return f"{prefix} {commune.name[len(prefix) + 1:]}"
    return commune.name


def place_in(rng: random.Random, commune: AdministrativeUnit) -> str:
    quarter = "khối phố" if commune.division_type == "phường" else "thôn"
    return f"{quarter} {rng.randint(1, 9)}, {local_name(commune)}"


def split_total(rng: random.Random, total: int, parts: int, low: int, high: int) -> list[int]:
    """``parts`` integers in [low, high] summing to ``total`` (deterministic for a given rng state)."""
    values = [low] * parts
    rest = total - low * parts
    if rest < 0 or rest > (high - low) * parts:
        raise ValueError("impossible split")
    while rest:
        i = rng.randrange(parts)
        if values[i] < high:
            values[i] += 1
            rest -= 1
    return values


class _Records:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.categories = {c.code: c for c in IncidentCategory.objects.all()}
        # Who may confirm a patrol for a unit: its demo commander, else another demo account of it.
        users = get_user_model().objects.filter(username__in=registry.DEMO_USERNAMES)
        officers = Officer.objects.filter(user__in=users).exclude(role=Role.ADMINISTRATOR).select_related("user")
        self.confirmers: dict[int, object] = {}
        for officer in sorted(officers, key=lambda o: (o.role != Role.COMMANDER, o.user.username)):
            self.confirmers.setdefault(officer.unit_id, officer.user)

    # Writers ------------------------------------------------------------------------------------

    def campaign(self, agreement: Agreement, *, name: str, starts_on: datetime.date, ends_on: datetime.date,
                 units: Sequence[Unit], cluster: Cluster | None = None, targets: str = "",
                 results: str = "") -> Campaign:
        self.created["campaigns"] += 1
        return patrol_services.campaign_create(
            actor=None, agreement=agreement, name=name, starts_on=starts_on, ends_on=ends_on, units=units,
            cluster=cluster, targets=targets, results=results,
        )

    def checkpoint(self, agreement: Agreement, **values) -> Checkpoint:
        self.created["checkpoints"] += 1
        return patrol_services.checkpoint_create(actor=None, agreement=agreement, **values)

    def patrol(
        self,
        agreement: Agreement,
        *,
        lead: Unit,
        parts: Sequence[tuple[Unit, int]],
        started_at: datetime.datetime,
        minutes: int,
        communes: Sequence[AdministrativeUnit],
        cluster: Cluster | None = None,
        programme: str = "",
        route: str = "",
        findings: str = "",
        campaign: Campaign | None = None,
        participants: Sequence[ParticipantData] = (),
        confirm: bool = True,
    ) -> Patrol:
        patrol = patrol_services.patrol_create(
            actor=None, agreement=agreement, cluster=cluster, lead_unit=lead, started_at=started_at,
            ended_at=started_at + datetime.timedelta(minutes=minutes),
            participations=[ParticipationData(unit=unit, officers=n) for unit, n in parts],
            programme=programme, communes=communes, route=route, findings=findings, campaign=campaign,
            participants=participants,
        )
        self.created["patrols"] += 1
        if confirm:
            partner = next((self.confirmers[u.pk] for u, _n in parts if u.pk != lead.pk and u.pk in self.confirmers),
                           None)
            if partner is not None:
                patrol = patrol_services.patrol_confirm(actor=partner, patrol=patrol)
                self.created["patrol_confirmations"] += 1
        return patrol

    def tip(
        self,
        agreement: Agreement,
        *,
        from_unit: Unit,
        to_unit: Unit,
        received_at: datetime.datetime,
        code: str,
        summary: str,
        status: str = TipStatus.TRUE,
        jointly: bool = False,
        days: int = 10,
        cluster: Cluster | None = None,
        commune: AdministrativeUnit | None = None,
        reliability: str = "B",
        credibility: str = "2",
        note: str = "",
        source_kind: str = SourceKind.UNIT,
    ) -> Tip:
        tip = services.tip_create(
            actor=None, agreement=agreement, from_unit=from_unit, to_unit=to_unit, received_at=received_at,
            category=self.categories[code], summary=summary,
            deadline=received_at.date() + datetime.timedelta(days=days),
            source_kind=source_kind, cluster=cluster, commune=commune, reliability=reliability,
            credibility=credibility,
        )
        self.created["tips"] += 1
        steps = {
            TipStatus.RECEIVED: [],
            TipStatus.VERIFYING: [TipStatus.VERIFYING],
            TipStatus.TRUE: [TipStatus.VERIFYING, TipStatus.TRUE],
            TipStatus.FALSE: [TipStatus.VERIFYING, TipStatus.FALSE],
            TipStatus.HANDED_OVER: [TipStatus.HANDED_OVER],
        }[TipStatus(status)]
        for step in steps:
            last = step == steps[-1]
            tip = services.tip_set_status(
                actor=None, tip=tip, status=step, note=note if last else "", jointly_verified=jointly if last else None
            )
        return tip

    def incident(
        self,
        agreement: Agreement,
        *,
        occurred_at: datetime.datetime,
        commune: AdministrativeUnit,
        code: str,
        lead: Unit,
        source: str,
        summary: str,
        status: str,
        cluster: Cluster | None = None,
        nature: str | None = None,
        place: str = "",
        supporting: Sequence[Unit] = (),
        tips: Sequence[Tip] = (),
        patrols: Sequence[Patrol] = (),
        campaign: Campaign | None = None,
        solved_at: datetime.datetime | None = None,
        suspects: int = 0,
        dealt_with: int = 0,
        outcome: str = "",
    ) -> Incident:
        self.created["incidents"] += 1
        return services.incident_create(
            actor=None, agreement=agreement, cluster=cluster, occurred_at=occurred_at, commune=commune,
            category=self.categories[code], lead_unit=lead, source=source, nature=nature, place=place,
            summary=summary, supporting_units=supporting, tips=tips, patrols=patrols, campaign=campaign,
            status=status, solved_at=solved_at, suspects=suspects, suspects_dealt_with=dealt_with,
            outcome=outcome or default_outcome(status, suspects, dealt_with),
        )

    # Lookups ------------------------------------------------------------------------------------

    @staticmethod
    def has_records(agreements: Sequence[Agreement]) -> bool:
        return any(
            model.objects.filter(agreement__in=agreements).exists()
            for model in (Patrol, Campaign, Checkpoint, Tip, Incident)
        )

    @staticmethod
    def members(cluster: Cluster) -> list[ClusterMember]:
        return list(
            ClusterMember.objects.filter(cluster=cluster)
            .select_related("commune__parent", "responsible_party__unit")
            .order_by("commune__code", "valid_from")
        )

    @staticmethod
    def party(agreement: Agreement, name: str) -> Unit:
        return Unit.objects.get(party_to__agreement=agreement, name=name)

    # The whole demo -----------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.seed_000()
        self.seed_001()
        self.seed_002()
        self.seed_003()
        self.seed_004()
        return {key: self.created[key] for key in COUNT_KEYS}

    # Seed 000: Ngũ Hành Sơn – Điện Bàn, covid-19 checkpoints in 2021 ----------------------------------

    def seed_000(self) -> None:
        old = Agreement.objects.get(number=registry.NUMBER_000_OLD)
        new = Agreement.objects.get(number=registry.NUMBER_000_NEW)
        if self.has_records([old, new]):
            return
        rng = random.Random(RANDOM_SEED + 0)
        nhs = self.party(old, "Công an quận Ngũ Hành Sơn")
        db = self.party(old, "Công an thị xã Điện Bàn")
        cluster = new.clusters.get()
        members = self.members(cluster)
        communes = [m.commune for m in members]
        side = {m.commune_id: m.responsible_party.unit for m in members}
        by_name = {c.name: c for c in communes}

        # Covid-19 checkpoints on the paths across the boundary (2021 waves in Đà Nẵng and Quảng Nam).
        for commune, place, starts_on, ends_on, units in (
            ("Phường Hoà Quý", "Đường mòn qua khu vực Làng Đại học, giáp ranh phường Điện Ngọc",
             D(2021, 5, 8), D(2021, 6, 20), [nhs, db]),
            ("Phường Hoà Hải", "Lối mở ven sông Cổ Cò, giáp ranh phường Điện Ngọc",
             D(2021, 5, 8), D(2021, 6, 20), [nhs]),
            ("Phường Điện Ngọc", "Đường mòn giáp ranh phường Hòa Quý, khu vực khối phố Tân Khai",
             D(2021, 7, 31), D(2021, 9, 30), [db, nhs]),
            ("Phường Điện Nam Bắc", "Lối mở qua cánh đồng giáp ranh quận Ngũ Hành Sơn",
             D(2021, 7, 31), D(2021, 9, 30), [db]),
        ):
            self.checkpoint(
                old, place=f"Chốt kiểm soát {place}", commune=by_name[commune], purpose=COVID_PURPOSE,
                starts_on=starts_on, ends_on=ends_on, units=units,
            )

        # 2020–2021 under the 2019 agreement (no cluster yet: communes within the parties' areas).
        for year, n_tips, n_incidents in ((2020, 4, 5), (2021, 10, 12)):
            for i, day in enumerate(spread(rng, D(year, 1, 6), D(year, 12, 10), n_tips)):
                sender, receiver = (nhs, db) if i % 2 == 0 else (db, nhs)
                commune = rng.choice([c for c in communes if side[c.pk] == receiver])
                code = rng.choice(["trom-cap", "khac", "su-dung-ma-tuy", "danh-bac"])
                jointly = rng.random() < 0.6
                self.tip(
                    old, from_unit=sender, to_unit=receiver, received_at=at(day, rng.randint(7, 21)), code=code,
                    summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)), commune=commune,
                    status=rng.choice([TipStatus.TRUE, TipStatus.TRUE, TipStatus.FALSE]), jointly=jointly,
                )
            for i, day in enumerate(spread(rng, D(year, 1, 10), D(year, 12, 15), n_incidents)):
                commune = rng.choice(communes)
                code = "khac" if year == 2021 and i % 4 == 1 else rng.choice(["trom-cap", "gay-roi", "danh-bac"])
                covid = code == "khac"
                self._background_incident(
                    rng, old, day=day, commune=commune, code=code, lead=side[commune.pk],
                    partner=db if side[commune.pk] == nhs else nhs,
                    text=COVID_INCIDENT if covid else None,
                    nature=Nature.ADMINISTRATIVE if covid else None,
                )

        # 2022–2024 under the 2021 agreement, in the cluster of border wards.
        for year, n_patrols, n_tips, n_incidents in ((2022, 8, 5, 6), (2023, 5, 4, 5), (2024, 4, 3, 4)):
            for i, day in enumerate(spread(rng, D(year, 1, 8), D(year, 12, 20), n_patrols)):
                lead, partner = (nhs, db) if i % 2 == 0 else (db, nhs)
                pair = [by_name["Phường Hoà Quý"], by_name["Phường Điện Ngọc"]] if i % 3 else [
                    by_name["Phường Hoà Hải"], by_name["Phường Điện Nam Bắc"]]
                self.patrol(
                    new, cluster=cluster, lead=lead, parts=[(lead, rng.choice([4, 5])), (partner, 4)],
                    started_at=at(day, 20), minutes=180, communes=pair, programme=PROGRAMME_000,
                    route="Các tuyến đường, đường mòn, lối mở giáp ranh "
                    + " – ".join(local_name(c) for c in pair),
                    findings="Kiểm tra hành chính, nhắc nhở các nhóm thanh niên tụ tập; không phát hiện vi phạm.",
                )
            for i, day in enumerate(spread(rng, D(year, 1, 5), D(year, 12, 10), n_tips)):
                sender, receiver = (nhs, db) if i % 2 else (db, nhs)
                commune = rng.choice(communes)
                code = rng.choice(["trom-cap", "khac", "su-dung-ma-tuy", "danh-bac", "gay-roi"])
                self.tip(
                    new, cluster=cluster, from_unit=sender, to_unit=receiver, received_at=at(day, rng.randint(7, 21)),
                    code=code, summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)),
                    commune=commune, status=rng.choice([TipStatus.TRUE, TipStatus.FALSE]), jointly=rng.random() < 0.7,
                )
            for day in spread(rng, D(year, 1, 12), D(year, 12, 15), n_incidents):
                commune = rng.choice(communes)
                lead = side[commune.pk]
                self._background_incident(
                    rng, new, cluster=cluster, day=day, commune=commune,
                    code=rng.choice(["trom-cap", "trom-cap", "gay-roi", "danh-bac", "su-dung-ma-tuy", "cuop-giat"]),
                    lead=lead, partner=db if lead == nhs else nhs,
                )

    def _background_incident(
        self,
        rng: random.Random,
        agreement: Agreement,
        *,
        day: datetime.date,
        commune: AdministrativeUnit,
        code: str,
        lead: Unit,
        partner: Unit | None,
        cluster: Cluster | None = None,
        text: str | None = None,
        nature: str | None = None,
        campaign: Campaign | None = None,
        latest: datetime.date | None = None,
    ) -> Incident:
        """An incident not quoted by any seed: solved most of the time, sometimes with the partner."""
        occurred = at(day, rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
        nature = nature or self.categories[code].default_nature
        roll = rng.random()
        status = (
            IncidentStatus.INVESTIGATING if roll < 0.12
            else IncidentStatus.SANCTIONED if nature == Nature.ADMINISTRATIVE
            else IncidentStatus.PROSECUTED if roll < 0.55
            else IncidentStatus.SOLVED
        )
        solved = None
        if status in CLEARED:
            solved = occurred + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(2, 10))
            if latest is not None and solved.date() > latest:
                solved = max(occurred + datetime.timedelta(hours=2), at(latest, 17))
        suspects = rng.randint(1, 3) if status in CLEARED else 0
        place = place_in(rng, commune)
        return self.incident(
            agreement, cluster=cluster, occurred_at=occurred, commune=commune, code=code, lead=lead,
            nature=nature, source=rng.choice([IncidentSource.PUBLIC, IncidentSource.PUBLIC, IncidentSource.OWN]),
            summary=(text or rng.choice(INCIDENT_TEXT[code])).format(place=place), place=place,
            supporting=[partner] if partner and rng.random() < 0.35 else [],
            status=status, solved_at=solved, suspects=suspects, dealt_with=suspects, campaign=campaign,
        )

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

    # Seed 002: Nho Quan – Thạch Thành, the mobile team's patrols after 08/08/2019 ------------------

    def seed_002(self) -> None:
        agreement = Agreement.objects.get(number=registry.NUMBER_002)
        if self.has_records([agreement]):
            return
        rng = random.Random(RANDOM_SEED + 2)
        cluster = agreement.clusters.get()
        members = self.members(cluster)
        police = {m.commune_id: m.responsible_party.unit for m in members}
        nho_quan = [m.commune for m in members if m.commune.parent.name == "Huyện Nho Quan"]
        thach_thanh = [m.commune for m in members if m.commune.parent.name != "Huyện Nho Quan"]
        team: dict[int, list[MobileTeamMember]] = {}
        for member in MobileTeamMember.objects.filter(team__cluster=cluster).order_by("commune__code", "pk"):
            team.setdefault(member.commune_id, []).append(member)
        pairs = list(zip(nho_quan, thach_thanh, strict=True))

        patrols: list[Patrol] = []
        for i, day in enumerate(spread(rng, D(2019, 8, 15), D(2019, 12, 28), 16)):
            a, b = pairs[i % len(pairs)]
            lead_commune, partner_commune = (a, b) if (i // len(pairs)) % 2 == 0 else (b, a)
            lead, partner = police[lead_commune.pk], police[partner_commune.pk]
            people = [
                ParticipantData(full_name=m.full_name, rank=m.rank, unit=police[c.pk])
                for c in (lead_commune, partner_commune) for m in team.get(c.pk, [])
            ]
            patrols.append(self.patrol(
                agreement, cluster=cluster, lead=lead, parts=[(lead, 3), (partner, 3)],
                started_at=at(day, rng.choice([19, 20, 21])), minutes=rng.choice([150, 180, 210]),
                communes=[lead_commune, partner_commune], programme=PROGRAMME_002, participants=people,
                route=f"Các tuyến đường liên xã giáp ranh {local_name(lead_commune)} – {local_name(partner_commune)}",
                findings="Tuyên truyền nhân dân về quy chế của cụm; kiểm tra các điểm tụ tập thanh niên ban đêm.",
            ))

        for i, day in enumerate(spread(rng, D(2019, 8, 20), D(2019, 12, 20), 6)):
            a, b = pairs[i % len(pairs)]
            sender, receiver = (police[a.pk], police[b.pk]) if i % 2 else (police[b.pk], police[a.pk])
            commune = b if receiver == police[b.pk] else a
            code = rng.choice(["khac", "trom-cap", "danh-bac"])
            self.tip(
                agreement, cluster=cluster, from_unit=sender, to_unit=receiver, commune=commune,
                received_at=at(day, rng.randint(7, 20)), code=code,
                summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)),
                status=rng.choice([TipStatus.TRUE, TipStatus.FALSE]), jointly=True,
            )
        # Two incidents found by the team's patrols, a few reported by the public.
        for patrol in (patrols[3], patrols[11]):
            commune = patrol.communes.order_by("code").first()
            occurred = patrol.started_at + datetime.timedelta(minutes=70)
            self.incident(
                agreement, cluster=cluster, occurred_at=occurred, commune=commune, code="danh-bac",
                nature=Nature.ADMINISTRATIVE, lead=patrol.lead_unit, source=IncidentSource.PATROL, patrols=[patrol],
                summary=INCIDENT_TEXT["danh-bac"][2].format(place=place_in(rng, commune)),
                supporting=[u for u in police.values() if u != patrol.lead_unit and patrol.participations.filter(
                    unit=u).exists()],
                status=IncidentStatus.SANCTIONED, solved_at=occurred + datetime.timedelta(hours=3), suspects=4,
                dealt_with=4,
            )
        for day in spread(rng, D(2019, 8, 25), D(2019, 12, 20), 6):
            commune = rng.choice([m.commune for m in members])
            self._background_incident(
                rng, agreement, cluster=cluster, day=day, commune=commune, lead=police[commune.pk], partner=None,
                code=rng.choice(["trom-cap", "gay-roi", "khac"]), nature=Nature.ADMINISTRATIVE,
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


def default_outcome(status: str, suspects: int, dealt_with: int) -> str:
    match status:
        case IncidentStatus.PROSECUTED:
            return f"Khởi tố vụ án, khởi tố bị can {dealt_with:02d} đối tượng."
        case IncidentStatus.SANCTIONED:
            return f"Xử phạt vi phạm hành chính {dealt_with:02d} đối tượng."
        case IncidentStatus.SOLVED:
            return f"Đã làm rõ vụ việc, xác định {suspects:02d} đối tượng."
        case IncidentStatus.CLOSED:
            return "Đã giải quyết xong."
        case IncidentStatus.INVESTIGATING:
            return "Đang xác minh, truy xét đối tượng."
        case IncidentStatus.SUSPENDED:
            return "Tạm đình chỉ do chưa xác định được đối tượng gây án."
    return ""


def load_records_demo() -> dict[str, int]:
    """Create the field records of the five seeds (after the registry demo) in one transaction.

    Returns how many objects of each kind (``COUNT_KEYS``) this run created; a seed whose
    agreement already has records is skipped, so a second run returns zeros everywhere.
    """
    with transaction.atomic():
        return _Records().run()
