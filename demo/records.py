"""The field-record part of the demo: patrols, campaigns, checkpoints, tips and incidents of the five seeds.

Runs after the registry demo (:func:`demo.registry_loader.load_registry_demo`) and writes only through
the services (:mod:`patrols.services`, :mod:`incidents.services`) with ``actor=None``, so the
records pass the same rules and carry the same audit trail as records entered by people. The one
exception is the partner's confirmation of a patrol: ``patrol_confirm`` accepts only a user of a
partner unit, so the demo commander of that unit confirms (patrols between commune police, whose
units have no demo account, stay "done").

The yearly figures the seed reports quote come out exactly when counted by the rules of docs/FIGURES.md; background
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

This module holds the names, texts and small helpers the seeds share (and the tests refer to); the
loading itself is :func:`demo.records_loader.load_records_demo` (writers in
:mod:`demo.records_writer`, the seeds whose figures the reports quote in :mod:`demo.records_figures`).
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from agreements.models import AdministrativeUnit
from incidents.models import IncidentStatus

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
