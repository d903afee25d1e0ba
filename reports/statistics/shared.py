"""What every figure module shares: the comparison of two values, rates, and the per-month rows."""

from __future__ import annotations

from typing import Any

from borderzone.periods import Period, month_key

VERSION = 1


def period_json(period: Period | None) -> dict | None:
    if period is None:
        return None
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}


def pct(value: float | int | None, previous: float | int | None) -> float | None:
    if value is None or not previous:
        return None
    return (value - previous) * 100 / previous


def compare(value, previous, *, rate: bool = False) -> dict:
    """``{"value", "previous", "diff", "pct"}``; pct None when previous is 0 (or missing), and for rates."""
    diff = None if value is None or previous is None else value - previous
    return {"value": value, "previous": previous, "diff": diff, "pct": None if rate else pct(value, previous)}


def rate(part: int, whole: int) -> float | None:
    """Percent, None when ``whole`` is 0 (a clearance rate of nothing is not 0%)."""
    return part * 100 / whole if whole else None


def per_month(rows: list[dict], period: Period, comparison: Period | None, fields: dict[str, str],
              previous_fields: dict[str, str]) -> list[dict]:
    """Every month of ``period`` with its figures; the comparison's i-th month gives the i-th month's "previous".

    ``rows`` are grouped by "month" with conditional sums per period; ``fields`` maps output keys to
    current-period columns, ``previous_fields`` to comparison-period columns.
    """
    by_month = {month_key(row["month"]): row for row in rows}
    current = period.months()
    earlier = comparison.months() if comparison is not None else []
    out = []
    for i, month in enumerate(current):
        row = by_month.get(month_key(month), {})
        item: dict[str, Any] = {"month": month_key(month)}
        item.update({key: row.get(column) or 0 for key, column in fields.items()})
        if comparison is None:
            item.update(dict.fromkeys(previous_fields))
        else:
            prev_row = by_month.get(month_key(earlier[i]), {}) if i < len(earlier) else {}
            item.update({key: prev_row.get(column) or 0 for key, column in previous_fields.items()})
        out.append(item)
    return out

