"""Vietnamese numbers, dates and comparison wording, whatever the active language."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from borderzone.formatting import change_text, clearance_text, two_digits, vn_date, vn_number, vn_percent


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1290, None, "1.290"),
        (1290000, None, "1.290.000"),
        (999, None, "999"),
        (0, None, "0"),
        (-1290, None, "-1.290"),
        (88.6, None, "88,6"),
        (12.0, None, "12"),
        (88.571, 1, "88,6"),
        (88.55, 1, "88,6"),  # half-up, as by hand (not banker's rounding, not 88.5499…)
        (88.45, 1, "88,5"),
        (5, 1, "5,0"),
        (1234567.891, 2, "1.234.567,89"),
        (Decimal("1290.50"), None, "1.290,50"),
        ("1290", None, "1.290"),
        (-0.04, 1, "0,0"),
        (None, None, ""),
        ("", None, ""),
        ("?", None, "?"),
    ],
)
def test_vn_number(value, decimals, expected):
    assert vn_number(value, decimals) == expected


def test_locale_independent():
    with translation.override("en"):
        assert vn_number(1290) == "1.290"
        assert vn_percent(88.571) == "88,6%"
        rendered = Template("{% load bz_tags %}{{ 1290|vn_number }}|{{ 88.6|vn_number:1 }}|{{ 6|two_digits }}").render(
            Context())
    assert rendered == "1.290|88,6|06"


def test_percent_and_two_digits():
    assert vn_percent(88.571) == "88,6%"
    assert vn_percent(100) == "100,0%"
    assert vn_percent(88.571, 0) == "89%"
    assert vn_percent(None) == ""
    assert [two_digits(n) for n in (0, 6, 9, 10, 25, 1290)] == ["00", "06", "09", "10", "25", "1.290"]
    assert two_digits("6") == "06"
    assert two_digits("?") == "?"
    assert two_digits(None) == ""


def test_vn_date():
    assert vn_date(datetime.date(2023, 12, 28)) == "28/12/2023"
    assert vn_date(datetime.date(2019, 8, 8)) == "08/08/2019"
    # An aware time is read in local time: 17:15 UTC on 31/12 is 00:15 on 1/1 in Hà Nội.
    assert vn_date(datetime.datetime(2023, 12, 31, 17, 15, tzinfo=datetime.UTC)) == "01/01/2024"
    assert vn_date(datetime.datetime(2023, 12, 31, 23, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))) == "31/12/2023"
    assert vn_date(None) == ""


def test_clearance_text():
    assert clearance_text(31, 35) == "31/35 vụ (đạt 88,6%)"
    assert clearance_text(0, 0) == "0/0 vụ"
    assert clearance_text(0, 4) == "0/4 vụ (đạt 0,0%)"
    assert clearance_text(1290, 1290) == "1.290/1.290 vụ (đạt 100,0%)"


def test_change_text():
    assert change_text(-13, -13 * 100 / 48) == "giảm 13 vụ (-27,1%)"
    assert change_text(5, 20.0) == "tăng 5 vụ (+20,0%)"
    assert change_text(0, 0.0) == "không thay đổi"
    assert change_text(0, None) == "không thay đổi"
    assert change_text(5, None) == "tăng 5 vụ"
    assert change_text(-1290, None, unit="lượt") == "giảm 1.290 lượt"
    assert change_text(3, 10.0, unit="") == "tăng 3 (+10,0%)"
    assert change_text(None, None) == ""


def test_everything_is_nfc():
    outputs = [clearance_text(31, 35), change_text(-13, -27.08), change_text(0, 0), vn_number(
        unicodedata.normalize("NFD", "Không rõ"))]
    assert all(unicodedata.is_normalized("NFC", text) for text in outputs)
    assert vn_number(unicodedata.normalize("NFD", "Không rõ")) == "Không rõ"
