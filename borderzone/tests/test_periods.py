"""Periods: building, naming, bounding and encoding them (docs/ARCHITECTURE.md, "Periods").

The expectations are written out by hand."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from borderzone import periods
from borderzone.periods import (
    EARLIEST,
    KIND_MONTH,
    KIND_QUARTER,
    KIND_RANGE,
    KIND_YEAR,
    LATEST,
    Period,
    in_period,
    month_key,
    month_label,
)

D = datetime.date
Y2022, Y2023 = Period.year(2022), Period.year(2023)


def test_period_of_and_labels():
    assert Period.of("year", 2023) == Period(D(2023, 1, 1), D(2024, 1, 1))
    assert Period.of("half", 2023, 2) == Period(D(2023, 7, 1), D(2024, 1, 1))
    assert Period.of("quarter", 2023, 2) == Period(D(2023, 4, 1), D(2023, 7, 1))
    assert Period.of("month", 2023, 12) == Period(D(2023, 12, 1), D(2024, 1, 1))
    assert Period.of("custom", start=D(2023, 3, 1), end=D(2023, 6, 16)) == Period(D(2023, 3, 1), D(2023, 6, 16))
    for bad in (("quarter", 2023, 5), ("month", 2023, None), ("week", 2023, 1), ("year", None)):
        with pytest.raises(ValueError):
            Period.of(*bad)
    with pytest.raises(ValueError):
        Period.of("custom", start=D(2023, 3, 1), end=D(2023, 3, 1))

    assert Y2023.label == "năm 2023"
    assert Period.of("half", 2023, 1).label == "6 tháng đầu năm 2023"
    assert Period.of("half", 2023, 2).label == "6 tháng cuối năm 2023"
    assert Period.of("quarter", 2023, 2).label == "quý II năm 2023"
    assert Period.of("month", 2023, 5).label == "tháng 05 năm 2023"
    assert Period(D(2017, 1, 1), D(2022, 1, 1)).label == "giai đoạn 2017 - 2021"
    assert Period(D(2023, 3, 1), D(2023, 6, 16)).label == "từ ngày 01/03/2023 đến ngày 15/06/2023"


def test_previous_year():
    assert Y2023.previous_year() == Y2022
    assert Period.of("quarter", 2023, 2).previous_year() == Period.of("quarter", 2022, 2)
    # 29/02 has no counterpart: the day after 28/02 stands in, so a half-open end stays "the day after".
    assert Period(D(2024, 2, 1), D(2024, 2, 29)).previous_year() == Period(D(2023, 2, 1), D(2023, 3, 1))


def test_police_statistical_year():
    year = Period.police_year(2023)
    assert year == Period(D(2022, 12, 15), D(2023, 12, 15)) == Period.of("police_year", 2023)
    assert year.last_day == D(2023, 12, 14)
    assert year.label == "năm thống kê 2023 (từ ngày 15/12/2022 đến ngày 14/12/2023)"
    assert year.whole_police_year == 2023 and year.whole_year is None
    assert Y2023.whole_police_year is None and Y2023.whole_year == 2023
    assert year.previous_year() == Period.police_year(2022)
    # December of the year before, then January to December: thirteen months touched.
    assert year.month_keys()[0] == "2022-12" and year.month_keys()[-1] == "2023-12" and len(year.months()) == 13
    assert year.month_part("2022-12") == Period(D(2022, 12, 15), D(2023, 1, 1))
    assert year.month_part("2023-12") == Period(D(2023, 12, 1), D(2023, 12, 15))
    # 14/12 23:59 local is in the year, 15/12 00:00 local is in the next one.
    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    start, end = year.bounds()
    assert start == datetime.datetime(2022, 12, 15, tzinfo=hcm) and end == datetime.datetime(2023, 12, 15, tzinfo=hcm)


def test_bounds_follow_the_time_zone_setting():
    assert Y2023.bounds()[0].utcoffset() == datetime.timedelta(hours=7)
    with override_settings(TIME_ZONE="UTC"):
        assert Y2023.bounds()[0].utcoffset() == datetime.timedelta(0)
    condition = in_period("occurred_at", Y2023)
    assert dict(condition.children) == {
        "occurred_at__gte": Y2023.bounds()[0], "occurred_at__lt": Y2023.bounds()[1],
    }
    assert not in_period("occurred_at", None)


def test_months():
    custom = Period(D(2023, 3, 15), D(2023, 6, 1))
    assert custom.months() == [D(2023, 3, 1), D(2023, 4, 1), D(2023, 5, 1)]
    assert custom.month_keys() == ["2023-03", "2023-04", "2023-05"]
    assert custom.month_part("2023-03") == Period(D(2023, 3, 15), D(2023, 4, 1))
    assert Period(D(2023, 12, 1), D(2024, 1, 1)).month_keys() == ["2023-12"]
    assert month_label("2023-05") == "05/2023"
    # 31/12 20:00 UTC is already 01/01 in Hanoi.
    assert month_key(datetime.datetime(2023, 12, 31, 20, tzinfo=datetime.UTC)) == "2024-01"


def test_list_filters_select_with_the_shared_bounds():
    assert Period.between() is None
    assert Period.between(year=2023) == Y2023
    assert Period.between(D(2023, 3, 1), D(2023, 6, 15)) == Period(D(2023, 3, 1), D(2023, 6, 16))
    assert Period.between(D(2023, 3, 1)) == Period(D(2023, 3, 1), LATEST)
    assert Period.between(last=D(2023, 6, 15)) == Period(EARLIEST, D(2023, 6, 16))
    assert (D(1990, 1, 1), D(2101, 1, 1)) == (EARLIEST, LATEST)
    # The year and the dates narrow each other; apart, they select nothing.
    assert Period.between(D(2023, 3, 1), year=2023) == Period(D(2023, 3, 1), D(2024, 1, 1))
    assert Period.between(D(2022, 3, 1), D(2024, 6, 1), year=2023) == Y2023
    empty = Period.between(D(2024, 3, 1), year=2023)
    assert empty.start == empty.end


@pytest.mark.parametrize("period", [
    Y2023, Period.police_year(2023), Period.of("half", 2023, 2), Period.of("quarter", 2024, 1),
    Period.of("month", 2024, 2), Period(D(2023, 3, 1), D(2023, 6, 16)), Period(D(2023, 3, 1), D(2023, 3, 2)),
])
def test_list_query_round_trip(period):
    params = period.to_query()
    assert params == {"tu_ngay": period.start.isoformat(), "den_ngay": (period.end - datetime.timedelta(1)).isoformat()}
    assert Period.from_query(params) == period


def test_list_query_decoding():
    assert Period.from_query({}) is None
    assert Period.from_query({"nam": "2023"}) == Y2023
    assert Period.from_query({"nam": "", "tu_ngay": "2023-03-01"}) == Period(D(2023, 3, 1), LATEST)
    for bad in ({"nam": "abc"}, {"nam": "1800"}, {"tu_ngay": "01/03/2023"},
                {"tu_ngay": "2023-06-01", "den_ngay": "2023-01-01"}):
        with pytest.raises(ValueError):
            Period.from_query(bad)


@pytest.mark.parametrize(("kind", "values", "query"), [
    (KIND_YEAR, {"year": 2023}, {"ky": "nam", "nam": "2023"}),
    (KIND_QUARTER, {"year": 2023, "quarter": 2}, {"ky": "quy", "nam": "2023", "quy": "2"}),
    (KIND_MONTH, {"year": 2023, "month": 5}, {"ky": "thang", "nam": "2023", "thang": "5"}),
    (KIND_RANGE, {"start": D(2023, 3, 1), "last": D(2023, 6, 15)},
     {"ky": "khoang", "tu_ngay": "2023-03-01", "den_ngay": "2023-06-15"}),
])
def test_picker_query_gives_the_choice_again(kind, values, query):
    today = D(2026, 11, 21)
    chosen = periods.choose(kind, today=today, **values)
    assert periods.picker_query(chosen) == query
    again = periods.choose(
        query["ky"], today=today, year=int(query["nam"]) if "nam" in query else None,
        quarter=int(query.get("quy", 0)) or None, month=int(query.get("thang", 0)) or None,
        start=D.fromisoformat(query["tu_ngay"]) if "tu_ngay" in query else None,
        last=D.fromisoformat(query["den_ngay"]) if "den_ngay" in query else None,
    )
    assert again == chosen


def test_a_running_period_is_cut_at_today_and_compared_with_the_same_days():
    today = D(2026, 11, 21)
    chosen = periods.choose(KIND_YEAR, today=today)
    assert chosen.period == Period(D(2026, 1, 1), D(2026, 11, 22)) and chosen.running
    assert chosen.comparison == Period(D(2025, 1, 1), D(2025, 11, 22))
    assert chosen.label == "năm 2026 (đến ngày 21/11/2026)"
    assert chosen.comparison_label == "cùng kỳ năm 2025 (đến ngày 21/11/2025)"
    assert chosen.months[0] == "2026-01" and chosen.months[-1] == "2026-11"
    past = periods.choose(KIND_QUARTER, today=today, year=2025, quarter=4)
    assert not past.running and past.comparison_label == "quý IV năm 2024"


def test_command_line_syntax():
    assert periods.parse("2023") == Y2023
    assert periods.parse(" 2023-tk ") == periods.parse("2023-TK") == Period.police_year(2023)
    assert periods.parse("2023-H1") == Period.of("half", 2023, 1)
    assert periods.parse("2023-q2") == Period.of("quarter", 2023, 2)
    assert periods.parse("2023-01-01:2023-12-31") == Y2023
    for bad in ("2023-H3", "2023-05", "1800", "2023-06-01:2023-01-01", "2023-02-30:2023-03-01", "năm 2023"):
        with pytest.raises(ValueError):
            periods.parse(bad)
