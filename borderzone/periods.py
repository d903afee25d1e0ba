"""Review periods: the one value every list, figure, dashboard and printed report counts by.

The rules are in docs/ARCHITECTURE.md, "Periods".

A period is a half-open interval of local dates ``[start, end)`` in the project's time zone
(``settings.TIME_ZONE``): a timestamp belongs to it when ``start 00:00 <= ts < end 00:00`` local
time. People type and read the last day included ("đến ngày 31/12/2023"), so every conversion from
or to what they see adds or removes that one day here, and nowhere else.

Two query-string shapes exist, both built and read here:
* the lists' filters (``tu_ngay`` / ``den_ngay``, ISO dates, both days included; ``nam`` for a year):
  :meth:`Period.to_query` / :meth:`Period.from_query`; every link from a figure to its list uses it;
* the dashboard picker's (``ky`` = nam / quy / thang / khoang and its fields): :func:`picker_query`,
  read back by ``reports.forms.PeriodForm`` into :func:`choose`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q
from django.utils import timezone

from .formatting import vn_date

ONE_DAY = datetime.timedelta(days=1)
# The years a period may fall in, for the dashboard picker, the lists' filters and the command line;
# an open-ended "from – to" filter runs to these bounds (a half-open period needs both ends).
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
EARLIEST = datetime.date(EARLIEST_YEAR, 1, 1)
LATEST = datetime.date(LATEST_YEAR + 1, 1, 1)
# Every date or time a person enters lies in [EARLIEST, LATEST) too (``borderzone.services.validate_moment``):
# year 1 is UTC+07:06:30 here and PostgreSQL stores it as a BC timestamp psycopg cannot read back.
# The database checks the same bounds on timestamps as these instants: local midnight in
# Asia/Ho_Chi_Minh, which has been UTC+7 since 1975 (a fixed offset keeps the migrations stable).
VIETNAM_OFFSET = datetime.timezone(datetime.timedelta(hours=7))
EARLIEST_MOMENT = datetime.datetime(EARLIEST_YEAR, 1, 1, tzinfo=VIETNAM_OFFSET)
LATEST_MOMENT = datetime.datetime(LATEST_YEAR + 1, 1, 1, tzinfo=VIETNAM_OFFSET)
# The Ministry's statistical year ("năm thống kê") Y runs from 15/12 of Y-1 to 14/12 of Y.
POLICE_YEAR_START = (12, 15)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

PeriodKind = Literal["year", "police_year", "half", "quarter", "month", "custom"]
# The parts of a calendar year: how many there are, and how many months each.
PARTS = {"half": (2, 6), "quarter": (4, 3), "month": (12, 1)}

# The dashboard picker's kinds, as they travel in its query string (``?ky=...``).
KIND_YEAR, KIND_QUARTER, KIND_MONTH, KIND_RANGE = "nam", "quy", "thang", "khoang"
# A dashboard compares like with like; a custom range longer than this is a review report's job.
MAX_RANGE_DAYS = 366 * 5

# What ``parse`` accepts, as the command's help and error messages say it.
PARSE_FORMS = (
    "2023 (cả năm), 2023-TK (năm thống kê: 15/12/2022 - 14/12/2023), 2023-H1 / 2023-H2 (6 tháng), "
    "2023-Q2 (quý), 2023-01-01:2023-12-31 (từ ngày đến ngày, tính cả hai ngày)"
)


def local_zone() -> datetime.tzinfo:
    """The zone periods are local to: ``settings.TIME_ZONE`` (read on each call, so tests may override it)."""
    return timezone.get_default_timezone()


def shift_year(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29/02 becomes 01/03 (so a half-open end stays "the day after")."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def month_start(year: int, month: int) -> datetime.date:
    """First day of ``month`` (which may run past 12 or below 1) of ``year``."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, 1)


def month_key(value: datetime.date | datetime.datetime) -> str:
    """ "YYYY-MM" of a date, or of an aware timestamp's local date."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, local_zone())
    return f"{value.year:04d}-{value.month:02d}"


def month_label(key: str) -> str:
    """ "2023-05" → "05/2023"."""
    year, number = key.split("-")
    return f"{number}/{year}"


def _check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"năm phải từ {EARLIEST_YEAR} đến {LATEST_YEAR}")


@dataclass(frozen=True)
class Period:
    """A half-open interval of local dates ``[start, end)``."""

    start: datetime.date
    end: datetime.date

    # Building ----------------------------------------------------------------------------------

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))

    @classmethod
    def police_year(cls, year: int) -> Period:
        """The statistical year ``year``: 15/12 of the year before up to 14/12 of ``year`` included."""
        month, day = POLICE_YEAR_START
        return cls(datetime.date(year - 1, month, day), datetime.date(year, month, day))

    @classmethod
    def part(cls, kind: str, year: int, index: int | None) -> Period:
        """A half (index 1–2), quarter (1–4) or month (1–12) of ``year``."""
        if kind not in PARTS:
            raise ValueError(f"Unknown period kind: {kind!r}.")
        count, months = PARTS[kind]
        if index is None or not 1 <= index <= count:
            raise ValueError(f"A {kind} period needs an index from 1 to {count}.")
        first = 1 + (index - 1) * months
        return cls(month_start(year, first), month_start(year, first + months))

    @classmethod
    def half(cls, year: int, index: int) -> Period:
        return cls.part("half", year, index)

    @classmethod
    def quarter(cls, year: int, index: int) -> Period:
        return cls.part("quarter", year, index)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls.part("month", year, month)

    @classmethod
    def custom(cls, start: datetime.date | None, end: datetime.date | None) -> Period:
        """``end`` is the first day *after* the period (a form's inclusive "đến ngày" plus one day)."""
        if start is None or end is None or end <= start:
            raise ValueError("A custom period needs start < end (end exclusive).")
        return cls(start, end)

    @classmethod
    def of(
        cls,
        kind: PeriodKind,
        year: int | None = None,
        index: int | None = None,
        start: datetime.date | None = None,
        end: datetime.date | None = None,
    ) -> Period:
        """The period of a kind: a year, a statistical year, a half, a quarter, a month, or custom.

        Raises ``ValueError`` on a missing or out-of-range argument.
        """
        if kind == "custom":
            return cls.custom(start, end)
        if year is None:
            raise ValueError(f"A {kind} period needs a year.")
        if kind == "year":
            return cls.year(year)
        if kind == "police_year":
            return cls.police_year(year)
        return cls.part(kind, year, index)

    @classmethod
    def between(
        cls, start: datetime.date | None = None, last: datetime.date | None = None, *, year: int | None = None
    ) -> Period | None:
        """What a list's "năm", "từ ngày" and "đến ngày" filters select together (None: no filter).

        The days given are included; the year and the dates narrow each other (a year and dates
        that do not meet give an empty period); an open side runs to EARLIEST or LATEST.
        """
        if not (year or start or last):
            return None
        lower = start or EARLIEST
        upper = last + ONE_DAY if last else LATEST
        if year:
            whole = cls.year(year)
            lower = max(lower, whole.start) if start else whole.start
            upper = min(upper, whole.end) if last else whole.end
        return cls(lower, max(lower, upper))

    # Reading -----------------------------------------------------------------------------------

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Local midnight of the first day and of the day after the last, as aware datetimes."""
        tz = local_zone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(self.end, datetime.time.min, tzinfo=tz),
        )

    @property
    def last_day(self) -> datetime.date:
        return self.end - ONE_DAY

    @property
    def whole_year(self) -> int | None:
        """The year when the period is exactly one calendar year, else None."""
        return self.start.year if self == Period.year(self.start.year) else None

    @property
    def whole_police_year(self) -> int | None:
        """The statistical year when the period is exactly one, else None."""
        return self.end.year if self == Period.police_year(self.end.year) else None

    def previous_year(self) -> Period:
        """The same period one year earlier ("so với cùng kỳ năm trước"): 2023 → 2022, Q2/2023 → Q2/2022."""
        return Period(shift_year(self.start, -1), shift_year(self.end, -1))

    @property
    def label(self) -> str:
        """How a report names the period: "năm 2023", "năm thống kê 2023 (…)", "6 tháng đầu năm 2023",
        "quý II năm 2023", "tháng 05 năm 2023", "giai đoạn 2017 - 2021", or "từ ngày 01/03/2023 đến
        ngày 15/06/2023" (the last day included)."""
        start, end = self.start, self.end
        police = self.whole_police_year
        if police is not None:
            return f"năm thống kê {police} (từ ngày {start:%d/%m/%Y} đến ngày {self.last_day:%d/%m/%Y})"
        if start.day == 1 and end.day == 1:
            months = (end.year - start.year) * 12 + end.month - start.month
            if start.month == 1 and months == 12:
                return f"năm {start.year}"
            if start.month == 1 and months > 12 and months % 12 == 0:
                return f"giai đoạn {start.year} - {end.year - 1}"
            if months == 6 and start.month in (1, 7):
                return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {start.year}"
            if months == 3 and start.month in (1, 4, 7, 10):
                return f"quý {ROMAN[(start.month - 1) // 3 + 1]} năm {start.year}"
            if months == 1:
                return f"tháng {start.month:02d} năm {start.year}"
        return f"từ ngày {start:%d/%m/%Y} đến ngày {self.last_day:%d/%m/%Y}"

    def months(self) -> list[datetime.date]:
        """First days of the months the period touches, in order (a custom period may start mid-month)."""
        first = datetime.date(self.start.year, self.start.month, 1)
        out = []
        while first < self.end:
            out.append(first)
            first = month_start(first.year, first.month + 1)
        return out

    def month_keys(self) -> list[str]:
        """Every month the period touches, "YYYY-MM"."""
        return [month_key(month) for month in self.months()]

    def month_part(self, key: str) -> Period:
        """The part of a month ("YYYY-MM") inside this period."""
        year, number = (int(x) for x in key.split("-"))
        start = datetime.date(year, number, 1)
        return Period(max(start, self.start), min(month_start(year, number + 1), self.end))

    # The lists' query string -------------------------------------------------------------------

    def to_query(self) -> dict[str, str]:
        """The lists' filters that select exactly this period: both ends as ISO dates, "đến ngày"
        included (``nam`` is not offered for every year by every list, the dates are)."""
        return {"tu_ngay": self.start.isoformat(), "den_ngay": self.last_day.isoformat()}

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Period | None:
        """The period the lists' filters ``nam``, ``tu_ngay``, ``den_ngay`` select (ISO dates); None
        when none is given. Raises ``ValueError`` on a malformed value or a year out of bounds."""
        year_text, start_text, last_text = (params.get(name) or "" for name in ("nam", "tu_ngay", "den_ngay"))
        year = int(year_text) if year_text else None
        if year is not None:
            _check_year(year)
        start = datetime.date.fromisoformat(start_text) if start_text else None
        last = datetime.date.fromisoformat(last_text) if last_text else None
        if start and last and last < start:
            raise ValueError("“đến ngày” trước “từ ngày”")
        return cls.between(start, last, year=year)


def in_period(field: str, period: Period | None) -> Q:
    """``field`` (a timestamp) within the period; no condition for no period."""
    if period is None:
        return Q()
    start, end = period.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def parse(text: str) -> Period:
    """The command line's period (see PARSE_FORMS); ``ValueError`` on anything else or out of bounds."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})", text):
        period = Period.year(int(m[1]))
    elif m := re.fullmatch(r"(\d{4})-TK", text, flags=re.IGNORECASE):
        period = Period.police_year(int(m[1]))
    elif m := re.fullmatch(r"(\d{4})-[Hh]([12])", text):
        period = Period.half(int(m[1]), int(m[2]))
    elif m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
        period = Period.quarter(int(m[1]), int(m[2]))
    elif m := re.fullmatch(r"(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})", text):
        start, last = datetime.date.fromisoformat(m[1]), datetime.date.fromisoformat(m[2])
        if last < start:
            raise ValueError("ngày kết thúc trước ngày bắt đầu")
        period = Period.custom(start, last + ONE_DAY)
    else:
        raise ValueError(f"dạng được nhận: {PARSE_FORMS}")
    _check_year(period.start.year)
    _check_year(period.last_day.year)
    return period


# The dashboard picker ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChosenPeriod:
    """What the dashboard picker chose: the half-open period, its comparison and how to word them."""

    period: Period
    comparison: Period
    label: str
    comparison_label: str
    kind: str
    # The period was cut at the end of today (a running year, quarter or month is compared with
    # the same days one year earlier, not with the whole of last year).
    running: bool = False

    @property
    def last_day(self) -> datetime.date:
        return self.period.last_day

    @property
    def months(self) -> list[str]:
        """Every month the period touches, "YYYY-MM"."""
        return self.period.month_keys()


def choose(
    kind: str,
    *,
    today: datetime.date,
    year: int | None = None,
    quarter: int | None = None,
    month: int | None = None,
    start: datetime.date | None = None,
    last: datetime.date | None = None,
) -> ChosenPeriod:
    """The picker's period of a kind (``KIND_*``); ``start`` and ``last`` of a range are both included."""
    year = year or today.year
    if kind == KIND_QUARTER:
        period = Period.quarter(year, quarter)
    elif kind == KIND_MONTH:
        period = Period.month(year, month)
    elif kind == KIND_RANGE:
        period = Period.custom(start, last + ONE_DAY if last else None)
    else:
        kind, period = KIND_YEAR, Period.year(year)
    label = period.label
    running = False
    if kind != KIND_RANGE and period.start <= today and today + ONE_DAY < period.end:
        # A running year, quarter or month is counted up to today and compared with the same days
        # one year earlier ("so với cùng kỳ"), not with the whole of last year.
        period, running = Period(period.start, today + ONE_DAY), True
        label += f" (đến ngày {vn_date(today)})"
    comparison = period.previous_year()
    if running:
        comparison_label = f"cùng kỳ năm {comparison.start.year} (đến ngày {vn_date(comparison.last_day)})"
    else:
        comparison_label = comparison.label
    return ChosenPeriod(period=period, comparison=comparison, label=label, comparison_label=comparison_label,
                        kind=kind, running=running)


def picker_query(chosen: ChosenPeriod) -> dict[str, str]:
    """The picker's query parameters that give ``chosen`` again (for exports and links between dashboards)."""
    start = chosen.period.start
    if chosen.kind == KIND_QUARTER:
        return {"ky": KIND_QUARTER, "nam": str(start.year), "quy": str((start.month - 1) // 3 + 1)}
    if chosen.kind == KIND_MONTH:
        return {"ky": KIND_MONTH, "nam": str(start.year), "thang": str(start.month)}
    if chosen.kind == KIND_RANGE:
        return {"ky": KIND_RANGE, **chosen.period.to_query()}
    return {"ky": KIND_YEAR, "nam": str(start.year)}
