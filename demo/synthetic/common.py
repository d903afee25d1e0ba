"""What the synthetic data is made of: its period, the marks of its rows, weights, word lists, and the
weighted picker the generation loops inline.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
from collections.abc import Callable, Iterable

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
