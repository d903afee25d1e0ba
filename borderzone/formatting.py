"""Vietnamese number, date and comparison wording for official documents, whatever the browser's language.

One definition for the whole project: the template filters (``agreements.templatetags.bz_tags``),
the statistics module, the SVG charts and the PDF all call these functions, so "1.290", "88,6%",
"06 đợt" and "giảm 13 vụ (-27,1%)" are written the same way everywhere (docs/ARCHITECTURE.md, "Figures").

What must hold:

* the output never depends on the active locale or on ``USE_THOUSAND_SEPARATOR`` (a printed report
  is Vietnamese even when the staff officer's browser asks for English);
* "." groups thousands, "," separates decimals, rounding is half-up (88,55 → 88,6), as people
  round by hand, not Python's banker's rounding;
* every function returns an NFC string (WeasyPrint and search both misbehave on decomposed
  Vietnamese diacritics), and ``None`` becomes "" so templates need no guards.
"""

from __future__ import annotations

import datetime
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

THOUSANDS = "."
DECIMAL = ","


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (precomposed "ệ", not "e" + two combining marks)."""
    return unicodedata.normalize("NFC", text)


def _decimal(value) -> Decimal | None:
    """``value`` as an exact Decimal, or None when it is not a number.

    Floats go through ``repr`` so 88.55 is 88.55 and not 88.5499999…, which would round down.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _group(digits: str) -> str:
    """"1290000" → "1.290.000"."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return THOUSANDS.join(parts)


def vn_number(value, decimals: int | None = None) -> str:
    """1290 → "1.290"; 88.6 → "88,6"; ``vn_number(88.571, 1)`` → "88,6"; ``vn_number(5, 1)`` → "5,0".

    ``decimals`` None keeps the digits the value has (an int stays an int; 88.50 → "88,5" is not
    trimmed for a Decimal that carries the zero). Something that is not a number is returned as
    text unchanged, so a template never shows an error; None and "" give "".
    """
    number = _decimal(value)
    if number is None:
        return "" if value is None else nfc(str(value))
    if not number.is_finite():
        return nfc(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    if decimals is None and isinstance(value, float) and fraction.strip("0") == "":
        fraction = ""  # 12.0 → "12", as people write it
    negative = number < 0  # -0.04 rounded to "0,0" is not negative: "-0,0" reads badly
    out = ("-" if negative else "") + _group(whole)
    if fraction:
        out += DECIMAL + fraction
    return out


def vn_percent(value, decimals: int = 1) -> str:
    """88.571 → "88,6%"; None → "" (a rate of nothing, e.g. 0 of 0, is not 0%)."""
    if _decimal(value) is None:
        return ""
    return vn_number(value, decimals) + "%"


def two_digits(n) -> str:
    """Official documents write whole numbers below ten with a leading zero: 6 → "06", 10 → "10", 1290 → "1.290".

    Anything that is not a whole number (e.g. "?" for an unknown count) comes back as text unchanged.
    """
    if n is None or n == "" or isinstance(n, bool):
        return "" if n is None else str(n)
    try:
        number = int(n)
    except (TypeError, ValueError):
        return nfc(str(n))
    return f"{number:02d}" if 0 <= number < 10 else vn_number(number)


def vn_date(d: datetime.date | datetime.datetime | None) -> str:
    """28/12/2023. An aware datetime is first put in local time (Asia/Ho_Chi_Minh): 23:30 on 31/12 local is 31/12."""
    if d is None or d == "":
        return ""
    if isinstance(d, datetime.datetime):
        if timezone.is_aware(d):
            d = timezone.localtime(d)
        d = d.date()
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def clearance_text(solved: int, occurred: int, unit: str = "vụ") -> str:
    """"31/35 vụ (đạt 88,6%)"; with nothing occurred only "0/0 vụ" (no rate of nothing)."""
    text = f"{vn_number(solved)}/{vn_number(occurred)} {unit}".rstrip()
    if occurred:
        text += f" (đạt {vn_percent(solved * 100 / occurred)})"
    return nfc(text)


def change_text(diff: int | float | None, pct: float | None, unit: str = "vụ") -> str:
    """The change against the same period a year earlier, as the reports word it.

    ``change_text(-13, -27.08)`` → "giảm 13 vụ (-27,1%)"; ``change_text(5, 20)`` → "tăng 5 vụ (+20,0%)";
    ``change_text(0, 0)`` → "không thay đổi"; with ``pct`` None (the earlier figure was 0) only the
    difference: "tăng 5 vụ". ``diff`` None (no comparison) gives "".
    """
    if diff is None:
        return ""
    if diff == 0:
        return "không thay đổi"
    word = "tăng" if diff > 0 else "giảm"
    amount = abs(diff)
    text = f"{word} {vn_number(amount)}" + (f" {unit}" if unit else "")
    if pct is not None:
        sign = "+" if pct > 0 else "-" if pct < 0 else ""
        text += f" ({sign}{vn_percent(abs(pct))})"
    return nfc(text)
