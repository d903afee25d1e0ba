"""Every figure of a review period, computed once for dashboards, the printed report and the exports.

The contract is ``docs/FIGURES.md``; the counting rules are DESIGN §5. What must hold:

* a period is a half-open interval of local dates ``[start, end)`` in Asia/Ho_Chi_Minh: a
  timestamp belongs to it when ``start 00:00 local <= ts < end 00:00 local``;
* scope "agreement": records whose ``agreement`` is the agreement; scope "cluster": incidents of
  the cluster's agreement whose commune was a member of the cluster on the local date it occurred
  (membership dates inclusive), and patrols, tips, campaigns, checkpoints, self-management models
  and conferences whose ``cluster`` is the cluster;
* the number of queries does not depend on the number of rows (17 queries whatever the data):
  conditional aggregation (``Count(filter=Q(...))``) counts the current and the comparison period in
  the same query, and every breakdown is one grouped query;
* the result is JSON-serialisable (it is stored with each generated report so a printed report can
  be reproduced): ints, floats, None, ISO date strings, months as "YYYY-MM".

:func:`figures_scope_querysets` gives the querysets behind the figures (their counts equal them) and
:func:`figure_links` the list page and query-string filters that reproduce each headline figure.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from agreements.models import (
    AdministrativeUnit,
    Agreement,
    Cluster,
    ClusterMember,
    SelfManagementKind,
    SelfManagementModel,
)
from agreements.models import SelfManagementStatus as SMStatus
from incidents.models import (
    CLEARED_STATUSES,
    Incident,
    IncidentCategory,
    IncidentSource,
    Nature,
    Tip,
    TipStatus,
)
from patrols.models import Campaign, Checkpoint, Patrol, PatrolStatus
from patrols.selectors import Period, in_period

from .models import Award, Conference, RecipientKind

VERSION = 1
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN_TIP_STATUSES = (TipStatus.RECEIVED, TipStatus.VERIFYING)
HEADLINE_KEYS = (
    "incidents_occurred", "criminal_occurred", "solved_of_occurred", "clearance_rate",
    "criminal_solved_of_occurred", "criminal_clearance_rate", "suspects_dealt_with",
    "tips_exchanged", "tips_jointly_verified", "tips_overdue", "patrol_shifts", "person_participations",
)
# Rates are compared in percentage points only: "+2,3 điểm %" reads better than a percent of a percent.
RATE_KEYS = ("clearance_rate", "criminal_clearance_rate")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

PeriodKind = Literal["year", "half", "quarter", "month", "custom"]


# Periods -------------------------------------------------------------------------------------------


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29/02 becomes 01/03 (so a half-open end stays "the day after")."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def previous_year(period: Period) -> Period:
    """The same period one year earlier ("so với cùng kỳ năm trước"): 2023 → 2022, Q2/2023 → Q2/2022."""
    return Period(_shift_year(period.start, -1), _shift_year(period.end, -1))


def _month_start(year: int, month: int) -> datetime.date:
    """First day of ``month`` (which may run past 12 or below 1) of ``year``."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, 1)


def period_for(
    kind: PeriodKind,
    year: int | None = None,
    index: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Period:
    """The review period of a kind: a year, a half (index 1–2), a quarter (1–4), a month (1–12), or custom.

    For "custom", ``start`` is the first day and ``end`` the first day *after* the period, exactly as
    :class:`Period` (a form whose "đến ngày" is inclusive adds one day before calling this).
    Raises ``ValueError`` on a missing or out-of-range argument.
    """
    if kind == "custom":
        if start is None or end is None or end <= start:
            raise ValueError("A custom period needs start < end (end exclusive).")
        return Period(start, end)
    if year is None:
        raise ValueError(f"A {kind} period needs a year.")
    if kind == "year":
        return Period.year(year)
    sizes = {"half": (2, 6), "quarter": (4, 3), "month": (12, 1)}
    if kind not in sizes:
        raise ValueError(f"Unknown period kind: {kind!r}.")
    count, months = sizes[kind]
    if index is None or not 1 <= index <= count:
        raise ValueError(f"A {kind} period needs an index from 1 to {count}.")
    first = 1 + (index - 1) * months
    return Period(_month_start(year, first), _month_start(year, first + months))


def period_label(period: Period) -> str:
    """How a report names its period: "năm 2023", "6 tháng đầu năm 2023", "quý II năm 2023", "tháng 05 năm 2023",
    "giai đoạn 2017 - 2021", or "từ ngày 01/03/2023 đến ngày 15/06/2023" (the last day included)."""
    start, end = period.start, period.end
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
    last = end - datetime.timedelta(days=1)
    return f"từ ngày {start:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"


def _whole_year(period: Period) -> int | None:
    """The year when the period is exactly one calendar year, else None."""
    year = period.start.year
    if period.start == datetime.date(year, 1, 1) and period.end == datetime.date(year + 1, 1, 1):
        return year
    return None


def _months(period: Period) -> list[datetime.date]:
    """First days of the months the period touches, in order (a custom period may start mid-month)."""
    first = datetime.date(period.start.year, period.start.month, 1)
    last_day = period.end - datetime.timedelta(days=1)
    out = []
    while first <= last_day:
        out.append(first)
        first = _month_start(first.year, first.month + 1)
    return out


def _period_json(period: Period | None) -> dict | None:
    if period is None:
        return None
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period_label(period)}


# Scope ---------------------------------------------------------------------------------------------


def _check_scope(agreement: Agreement, cluster: Cluster | None) -> None:
    if cluster is not None and cluster.agreement_id != agreement.pk:
        raise ValueError("The cluster does not operate under this agreement.")


def _incident_scope(agreement: Agreement, cluster: Cluster | None) -> QuerySet[Incident]:
    """Incidents of the scope, any date, without ordering (so GROUP BY stays on the grouped columns).

    For a cluster the test is membership on the *local* day of occurrence, not the incident's
    ``cluster`` field: an incident recorded without a cluster in a member commune still counts, and
    a commune's incidents from before it joined (or after it left) do not.
    """
    qs = Incident.objects.filter(agreement_id=agreement.pk).order_by()
    if cluster is None:
        return qs
    # (occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, compared with the inclusive membership dates.
    member_on_the_day = ClusterMember.objects.filter(
        cluster_id=cluster.pk,
        commune_id=OuterRef("commune_id"),
        valid_from__lte=OuterRef("local_day"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("local_day")))
    return qs.alias(local_day=TruncDate("occurred_at", tzinfo=LOCAL_TZ)).filter(Exists(member_on_the_day))


def _scoped(model, agreement: Agreement, cluster: Cluster | None) -> QuerySet:
    """Records of a model carrying ``agreement`` and ``cluster`` fields: the cluster's own, or the agreement's."""
    qs = model.objects.filter(agreement_id=agreement.pk).order_by()
    return qs.filter(cluster_id=cluster.pk) if cluster is not None else qs


def _active_models_q(period: Period) -> Q:
    """Self-management models that existed during the period.

    Started before its end (or no start date), and not ended before its start: an end date on or
    after the start, or no end date and not marked ended (an "ended" model without a date cannot be
    shown to have been running, so it is left out).
    """
    started = Q(started_on__isnull=True) | Q(started_on__lt=period.end)
    not_ended = Q(ended_on__gte=period.start) | (Q(ended_on__isnull=True) & ~Q(status=SMStatus.ENDED))
    return started & not_ended


def _conferences_q(period: Period) -> Q:
    """Conferences that review the period.

    A review conference for year Y is usually held at the end of Y or in January of Y+1, so for a
    whole-year period the conference's ``period_year`` decides (the January conference reviewing the
    previous year belongs to that year, not to this one); a conference without ``period_year``
    (signing, briefing) counts by its date. For any other period the date decides.
    """
    held_in = Q(held_on__gte=period.start, held_on__lt=period.end)
    year = _whole_year(period)
    if year is None:
        return held_in
    return Q(period_year=year) | (Q(period_year__isnull=True) & held_in)


def figures_scope_querysets(agreement: Agreement, cluster: Cluster | None, period: Period) -> dict[str, QuerySet]:
    """The querysets behind the figures of ``period``, so a dashboard can list what a figure counts.

    Their counts equal the figures of :func:`compute_figures` for the same scope and period:
    ``incidents`` → ``incidents.occurred``, ``incidents_solved`` → ``incidents.solved_in_period``,
    ``tips`` → ``tips.total``, ``patrols`` → ``patrols.shifts``, ``campaigns``, ``checkpoints``,
    ``self_management_models`` → ``self_management_models.count``, ``conferences``, ``awards``.
    Not narrowed to a user: callers apply ``visible_to(user)`` (``.filter(pk__in=...)``) themselves.
    """
    _check_scope(agreement, cluster)
    incidents = _incident_scope(agreement, cluster)
    conferences = _scoped(Conference, agreement, cluster).filter(_conferences_q(period))
    return {
        "incidents": incidents.filter(in_period("occurred_at", period)),
        "incidents_solved": incidents.filter(in_period("solved_at", period), status__in=CLEARED_STATUSES),
        "tips": _scoped(Tip, agreement, cluster).filter(in_period("received_at", period)),
        "patrols": _scoped(Patrol, agreement, cluster).filter(in_period("started_at", period)),
        "campaigns": _scoped(Campaign, agreement, cluster).filter(starts_on__lt=period.end, ends_on__gte=period.start),
        "checkpoints": _scoped(Checkpoint, agreement, cluster).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=period.start), starts_on__lt=period.end
        ),
        "self_management_models": _scoped(SelfManagementModel, agreement, cluster).filter(_active_models_q(period)),
        "conferences": conferences,
        "awards": Award.objects.filter(conference__in=conferences),
    }


# Helpers -------------------------------------------------------------------------------------------


def _pct(value: float | int | None, previous: float | int | None) -> float | None:
    if value is None or not previous:
        return None
    return (value - previous) * 100 / previous


def _compare(value, previous, *, rate: bool = False) -> dict:
    """``{"value", "previous", "diff", "pct"}``; pct None when previous is 0 (or missing), and for rates."""
    diff = None if value is None or previous is None else value - previous
    return {"value": value, "previous": previous, "diff": diff, "pct": None if rate else _pct(value, previous)}


def _rate(part: int, whole: int) -> float | None:
    """Percent, None when ``whole`` is 0 (a clearance rate of nothing is not 0%)."""
    return part * 100 / whole if whole else None


def month_key(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, LOCAL_TZ)
    return f"{value.year:04d}-{value.month:02d}"


def _per_month(rows: list[dict], period: Period, comparison: Period | None, fields: dict[str, str],
               previous_fields: dict[str, str]) -> list[dict]:
    """Every month of ``period`` with its figures; the comparison's i-th month gives the i-th month's "previous".

    ``rows`` are grouped by "month" with conditional sums per period; ``fields`` maps output keys to
    current-period columns, ``previous_fields`` to comparison-period columns.
    """
    by_month = {month_key(row["month"]): row for row in rows}
    current = _months(period)
    earlier = _months(comparison) if comparison is not None else []
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


# The figures ---------------------------------------------------------------------------------------


def _incident_figures(base: QuerySet[Incident], period: Period, comparison: Period | None) -> dict:
    """6 queries: the totals of both periods, then by category and by commune (each grouped, then named), by month."""
    cur = in_period("occurred_at", period)
    prev = in_period("occurred_at", comparison) if comparison else Q(pk__in=[])
    cleared = Q(status__in=CLEARED_STATUSES)
    criminal = Q(nature=Nature.CRIMINAL)

    def solved_of(p: Period | None) -> Q:
        # Occurred in the period and cleared before its end: a case solved after the period closed
        # is not part of that period's clearance.
        if p is None:
            return Q(pk__in=[])
        return in_period("occurred_at", p) & cleared & Q(solved_at__lt=p.bounds()[1])

    solved_in = in_period("solved_at", period) & cleared
    older = solved_in & Q(occurred_at__lt=period.bounds()[0])
    joint = cur & Q(jointly_handled=True)
    wide = cur | prev | solved_in  # one scan covers every conditional count below

    totals = base.filter(wide).aggregate(
        occurred=Count("id", filter=cur),
        previous=Count("id", filter=prev),
        criminal=Count("id", filter=cur & criminal),
        previous_criminal=Count("id", filter=prev & criminal),
        administrative=Count("id", filter=cur & Q(nature=Nature.ADMINISTRATIVE)),
        solved_of_occurred=Count("id", filter=solved_of(period)),
        previous_solved_of_occurred=Count("id", filter=solved_of(comparison)),
        criminal_solved_of_occurred=Count("id", filter=solved_of(period) & criminal),
        previous_criminal_solved_of_occurred=Count("id", filter=solved_of(comparison) & criminal),
        solved_in_period=Count("id", filter=solved_in),
        solved_in_period_suspects=Sum("suspects", filter=solved_in),
        older_solved=Count("id", filter=older),
        older_solved_suspects=Sum("suspects", filter=older),
        # Aliases must not shadow field names, or the Sums below would refer to them.
        n_suspects=Sum("suspects", filter=cur),
        n_suspects_dealt_with=Sum("suspects_dealt_with", filter=cur),
        previous_suspects_dealt_with=Sum("suspects_dealt_with", filter=prev),
        n_jointly_handled=Count("id", filter=joint),
        jointly_handled_solved=Count("id", filter=joint & solved_of(period)),
        jointly_suspects_dealt_with=Sum("suspects_dealt_with", filter=joint & solved_of(period)),
        from_tips=Count("id", filter=cur & Q(source=IncidentSource.TIP)),
        from_patrols=Count("id", filter=cur & Q(source=IncidentSource.PATROL)),
        # Per nature in the same scan: the reports quote criminal cases on their own ("35 vụ phạm pháp
        # hình sự, làm rõ 31/35 vụ; trực tiếp phối hợp làm rõ 24 vụ, bắt xử lý 7 đối tượng").
        **{
            f"{n.value}__{key}": aggregate
            for n in Nature
            for key, aggregate in (
                ("count", Count("id", filter=cur & Q(nature=n))),
                ("previous", Count("id", filter=prev & Q(nature=n))),
                ("solved_of_occurred", Count("id", filter=solved_of(period) & Q(nature=n))),
                ("suspects", Sum("suspects", filter=cur & Q(nature=n))),
                ("suspects_dealt_with", Sum("suspects_dealt_with", filter=cur & Q(nature=n))),
                ("jointly_handled", Count("id", filter=joint & Q(nature=n))),
                ("jointly_handled_solved", Count("id", filter=joint & solved_of(period) & Q(nature=n))),
                ("jointly_suspects_dealt_with",
                 Sum("suspects_dealt_with", filter=joint & solved_of(period) & Q(nature=n))),
            )
        },
    )
    totals = {key: value or 0 for key, value in totals.items()}

    both = base.filter(cur | prev)
    # Grouped on the ids alone, named afterwards: joined before grouping, the names made the planner
    # join every incident row to the category and commune tables (it cannot estimate how many rows
    # a cluster's membership-on-the-day test keeps, and chose nested loops), the costliest part of a
    # cluster's figures on a large database.
    by_category = {
        r["category_id"]: r
        for r in both.values("category_id").annotate(
            count=Count("id", filter=cur),
            previous=Count("id", filter=prev),
            solved=Count("id", filter=solved_of(period)),
            n_suspects=Sum("suspects", filter=cur),
        ).order_by()
    }
    categories = sorted(
        ({**by_category[c["id"]], "code": c["code"], "name": c["name"], "group": c["group"], "order": c["order"]}
         for c in IncidentCategory.objects.filter(pk__in=by_category).values("id", "code", "name", "group", "order")),
        key=lambda r: (r["order"], r["name"], r["category_id"]),
    )
    by_commune = {
        r["commune_id"]: r
        for r in both.values("commune_id").annotate(
            count=Count("id", filter=cur),
            previous=Count("id", filter=prev),
            solved=Count("id", filter=solved_of(period)),
        ).order_by()
    }
    communes = sorted(
        ({**by_commune[c["id"]], "name": c["name"], "parent": c["parent__name"]}
         for c in AdministrativeUnit.objects.filter(pk__in=by_commune).values("id", "name", "parent__name")),
        key=lambda r: (r["parent"] or "", r["name"], r["commune_id"]),
    )
    months = list(
        both.annotate(month=TruncMonth("occurred_at", tzinfo=LOCAL_TZ))
        .values("month")
        .annotate(count=Count("id", filter=cur), previous=Count("id", filter=prev))
        .order_by("month")
    )
    previous_or_none = (lambda n: n) if comparison is not None else (lambda n: None)
    return {
        "occurred": totals["occurred"],
        "criminal": totals["criminal"],
        "administrative": totals["administrative"],
        "solved_of_occurred": totals["solved_of_occurred"],
        "clearance_rate": _rate(totals["solved_of_occurred"], totals["occurred"]),
        "criminal_solved_of_occurred": totals["criminal_solved_of_occurred"],
        "criminal_clearance_rate": _rate(totals["criminal_solved_of_occurred"], totals["criminal"]),
        "solved_in_period": totals["solved_in_period"],
        "solved_in_period_suspects": totals["solved_in_period_suspects"],
        "older_solved": totals["older_solved"],
        "older_solved_suspects": totals["older_solved_suspects"],
        "suspects": totals["n_suspects"],
        "suspects_dealt_with": totals["n_suspects_dealt_with"],
        "jointly_handled": totals["n_jointly_handled"],
        "jointly_handled_solved": totals["jointly_handled_solved"],
        "jointly_suspects_dealt_with": totals["jointly_suspects_dealt_with"],
        "from_tips": totals["from_tips"],
        "from_patrols": totals["from_patrols"],
        "by_nature": [
            {
                "nature": n.value,
                "label": str(n.label),
                "count": totals[f"{n.value}__count"],
                "previous": previous_or_none(totals[f"{n.value}__previous"]),
                "solved_of_occurred": totals[f"{n.value}__solved_of_occurred"],
                "clearance_rate": _rate(totals[f"{n.value}__solved_of_occurred"], totals[f"{n.value}__count"]),
                **{key: totals[f"{n.value}__{key}"] for key in (
                    "suspects", "suspects_dealt_with", "jointly_handled", "jointly_handled_solved",
                    "jointly_suspects_dealt_with")},
            }
            for n in Nature
        ],
        "by_category": [
            {"category_id": r["category_id"], "code": r["code"], "name": r["name"], "group": r["group"],
             "count": r["count"], "previous": previous_or_none(r["previous"]), "solved": r["solved"],
             "suspects": r["n_suspects"] or 0}
            for r in categories
        ],
        "by_commune": [
            {"commune_id": r["commune_id"], "name": r["name"], "parent": r["parent"] or "", "count": r["count"],
             "previous": previous_or_none(r["previous"]), "solved": r["solved"]}
            for r in communes
        ],
        "by_month": _per_month(months, period, comparison, {"count": "count"}, {"previous": "previous"}),
        "_previous": {
            "occurred": totals["previous"] if comparison else None,
            "criminal": totals["previous_criminal"] if comparison else None,
            "solved_of_occurred": totals["previous_solved_of_occurred"] if comparison else None,
            "criminal_solved_of_occurred": totals["previous_criminal_solved_of_occurred"] if comparison else None,
            "suspects_dealt_with": totals["previous_suspects_dealt_with"] if comparison else None,
        },
    }


def _tip_figures(base: QuerySet[Tip], period: Period, comparison: Period | None, today: datetime.date) -> dict:
    """2 queries: totals and statuses of both periods, then sender → receiver pairs (forces summed in Python)."""
    cur = in_period("received_at", period)
    prev = in_period("received_at", comparison) if comparison else Q(pk__in=[])
    open_ = Q(status__in=OPEN_TIP_STATUSES)

    def overdue(p: Period | None) -> Q:
        # Judged at the end of the period, or today while it is still running: a tip whose deadline
        # falls after the period closed was not overdue in it.
        if p is None:
            return Q(pk__in=[])
        return in_period("received_at", p) & open_ & Q(deadline__lt=min(today, p.end))

    led_to_incident = Exists(Incident.tips.through.objects.filter(tip_id=OuterRef("pk")))
    totals = base.filter(cur | prev).aggregate(
        total=Count("id", filter=cur),
        previous=Count("id", filter=prev),
        n_jointly_verified=Count("id", filter=cur & Q(jointly_verified=True)),
        previous_jointly_verified=Count("id", filter=prev & Q(jointly_verified=True)),
        open=Count("id", filter=cur & open_),
        overdue=Count("id", filter=overdue(period)),
        previous_overdue=Count("id", filter=overdue(comparison)),
        led_to_incidents=Count("id", filter=cur & Q(led_to_incident)),
        **{f"status_{s.value}": Count("id", filter=cur & Q(status=s)) for s in TipStatus},
    )
    pairs = list(
        base.filter(cur)
        .values("from_unit_id", "to_unit_id", from_name=F("from_unit__name"), from_force=F("from_unit__force"),
                to_name=F("to_unit__name"), to_force=F("to_unit__force"))
        .annotate(count=Count("id"))
        .order_by("-count", "from_name", "to_name")
    )
    forces: dict[tuple[str, str], int] = defaultdict(int)
    for row in pairs:
        forces[(row["from_force"], row["to_force"])] += row["count"]
    return {
        "total": totals["total"],
        "previous": totals["previous"] if comparison else None,
        "jointly_verified": totals["n_jointly_verified"],
        "verified_true": totals[f"status_{TipStatus.TRUE.value}"],
        "verified_false": totals[f"status_{TipStatus.FALSE.value}"],
        "handed_over": totals[f"status_{TipStatus.HANDED_OVER.value}"],
        "open": totals["open"],
        "overdue": totals["overdue"],
        "led_to_incidents": totals["led_to_incidents"],
        "by_direction": [
            {"from_unit_id": row["from_unit_id"], "from_unit": row["from_name"], "from_force": row["from_force"],
             "to_unit_id": row["to_unit_id"], "to_unit": row["to_name"], "to_force": row["to_force"],
             "count": row["count"]}
            for row in pairs
        ],
        "by_force_direction": [
            {"from_force": f, "to_force": t, "count": n}
            for (f, t), n in sorted(forces.items(), key=lambda item: (-item[1], item[0]))
        ],
        "by_status": [
            {"status": s.value, "label": str(s.label), "count": totals[f"status_{s.value}"]} for s in TipStatus
        ],
        "_previous": {
            "jointly_verified": totals["previous_jointly_verified"] if comparison else None,
            "overdue": totals["previous_overdue"] if comparison else None,
        },
    }


def _patrol_figures(base: QuerySet[Patrol], period: Period, comparison: Period | None) -> dict:
    """4 queries: totals of both periods, by programme, by month, by commune covered."""
    cur = in_period("started_at", period)
    prev = in_period("started_at", comparison) if comparison else Q(pk__in=[])
    totals = base.filter(cur | prev).aggregate(
        shifts=Count("id", filter=cur),
        previous_shifts=Count("id", filter=prev),
        person_participations=Sum("officer_total", filter=cur),
        previous_participations=Sum("officer_total", filter=prev),
        confirmed=Count("id", filter=cur & Q(status=PatrolStatus.CONFIRMED)),
    )
    totals = {key: value or 0 for key, value in totals.items()}
    programmes = (
        base.filter(cur).values("programme")
        .annotate(shifts=Count("id"), participations=Sum("officer_total"))
        .order_by("-shifts", "programme")
    )
    months = list(
        base.filter(cur | prev)
        .annotate(month=TruncMonth("started_at", tzinfo=LOCAL_TZ))
        .values("month")
        .annotate(shifts=Count("id", filter=cur), participations=Sum("officer_total", filter=cur),
                  previous_shifts=Count("id", filter=prev))
        .order_by("month")
    )
    # The M2M rows are unique per (patrol, commune), so counting them counts patrols.
    communes = (
        Patrol.communes.through.objects.filter(patrol__in=base.filter(cur).values("pk"))
        .values(commune_id=F("administrativeunit_id"), name=F("administrativeunit__name"))
        .annotate(shifts=Count("patrol_id"))
        .order_by("-shifts", "name", "commune_id")
    )
    return {
        "shifts": totals["shifts"],
        "previous_shifts": totals["previous_shifts"] if comparison else None,
        "person_participations": totals["person_participations"],
        "previous_participations": totals["previous_participations"] if comparison else None,
        "confirmed": totals["confirmed"],
        "by_programme": [
            {"programme": r["programme"], "shifts": r["shifts"], "participations": r["participations"] or 0}
            for r in programmes
        ],
        "by_month": _per_month(months, period, comparison, {"shifts": "shifts", "participations": "participations"},
                               {"previous_shifts": "previous_shifts"}),
        "by_commune": [{"commune_id": r["commune_id"], "name": r["name"], "shifts": r["shifts"]} for r in communes],
    }


def _headline(incidents: dict, tips: dict, patrols: dict, comparison: Period | None) -> dict:
    """The headline figures with their comparison; pops the "_previous" parts of incidents and tips."""
    prev_i, prev_t = incidents.pop("_previous"), tips.pop("_previous")
    return {
        "incidents_occurred": _compare(incidents["occurred"], prev_i["occurred"]),
        "criminal_occurred": _compare(incidents["criminal"], prev_i["criminal"]),
        "solved_of_occurred": _compare(incidents["solved_of_occurred"], prev_i["solved_of_occurred"]),
        "clearance_rate": _compare(
            incidents["clearance_rate"],
            _rate(prev_i["solved_of_occurred"], prev_i["occurred"]) if comparison else None, rate=True,
        ),
        "criminal_solved_of_occurred": _compare(
            incidents["criminal_solved_of_occurred"], prev_i["criminal_solved_of_occurred"]
        ),
        "criminal_clearance_rate": _compare(
            incidents["criminal_clearance_rate"],
            _rate(prev_i["criminal_solved_of_occurred"], prev_i["criminal"]) if comparison else None, rate=True,
        ),
        "suspects_dealt_with": _compare(incidents["suspects_dealt_with"], prev_i["suspects_dealt_with"]),
        "tips_exchanged": _compare(tips["total"], tips["previous"]),
        "tips_jointly_verified": _compare(tips["jointly_verified"], prev_t["jointly_verified"]),
        "tips_overdue": _compare(tips["overdue"], prev_t["overdue"]),
        "patrol_shifts": _compare(patrols["shifts"], patrols["previous_shifts"]),
        "person_participations": _compare(patrols["person_participations"], patrols["previous_participations"]),
    }


def compute_unit_figures(
    *, agreement_ids: list[int] | None, period: Period, comparison: Period, today: datetime.date
) -> dict:
    """The headline, incident, tip and patrol figures of several agreements together (None: all of them).

    For a unit's dashboard: the same counting functions as :func:`compute_figures` over the
    agreements' records, in the same number of queries whatever the number of agreements. The
    caller has narrowed ``agreement_ids`` to what the user may see.
    """

    def base(model):
        qs = model.objects.order_by()
        return qs if agreement_ids is None else qs.filter(agreement_id__in=agreement_ids)

    incidents = _incident_figures(base(Incident), period, comparison)
    tips = _tip_figures(base(Tip), period, comparison, today)
    patrols = _patrol_figures(base(Patrol), period, comparison)
    return {
        "version": VERSION,
        "scope": {"kind": "unit", "agreement_ids": agreement_ids},
        "period": _period_json(period),
        "comparison": _period_json(comparison),
        "today": today.isoformat(),
        "headline": _headline(incidents, tips, patrols, comparison),
        "incidents": incidents,
        "tips": tips,
        "patrols": patrols,
    }


def compute_figures(
    *,
    agreement: Agreement,
    cluster: Cluster | None = None,
    period: Period,
    comparison: Period | None = None,
    compare: bool = True,
    today: datetime.date | None = None,
) -> dict:
    """Every figure of ``period`` for the agreement (or one of its clusters), per ``docs/FIGURES.md``.

    ``comparison`` defaults to :func:`previous_year` of ``period``; ``compare=False`` gives no
    comparison (every "previous", "diff" and "pct" is None). ``today`` (default: the local date)
    fixes when open tips count as overdue, so a stored report can be recomputed identically.
    17 queries whatever the number of records.
    """
    _check_scope(agreement, cluster)
    if not compare:
        comparison = None
    elif comparison is None:
        comparison = previous_year(period)
    today = today or timezone.localdate()

    incidents = _incident_figures(_incident_scope(agreement, cluster), period, comparison)
    tips = _tip_figures(_scoped(Tip, agreement, cluster), period, comparison, today)
    patrols = _patrol_figures(_scoped(Patrol, agreement, cluster), period, comparison)
    querysets = figures_scope_querysets(agreement, cluster, period)

    campaigns = [
        {"name": c["name"], "starts_on": c["starts_on"].isoformat(), "ends_on": c["ends_on"].isoformat()}
        for c in querysets["campaigns"].order_by("starts_on", "name").values("name", "starts_on", "ends_on")
    ]
    checkpoints = [
        {"place": c["place"], "commune": c["commune__name"], "purpose": c["purpose"],
         "starts_on": c["starts_on"].isoformat(), "ends_on": c["ends_on"].isoformat() if c["ends_on"] else None}
        for c in querysets["checkpoints"].order_by("starts_on", "place")
        .values("place", "commune__name", "purpose", "starts_on", "ends_on")
    ]
    kinds = {
        r["kind"]: r for r in querysets["self_management_models"].values("kind")
        .annotate(count=Count("id"), active=Count("id", filter=Q(status=SMStatus.ACTIVE)))
    }
    conferences = list(
        querysets["conferences"].order_by("held_on", "pk").values("title", "kind", "held_on", "place")
    )
    awards = list(
        querysets["awards"].order_by("conference__held_on", "recipient_kind", "pk")
        .values("recipient_kind", "recipient", "authority", "form", conference_title=F("conference__title"))
    )

    headline = _headline(incidents, tips, patrols, comparison)

    return {
        "version": VERSION,
        "scope": {
            "kind": "cluster" if cluster is not None else "agreement",
            "agreement_id": agreement.pk,
            "agreement_number": agreement.number,
            "agreement_title": agreement.title,
            "cluster_id": cluster.pk if cluster is not None else None,
            "cluster_name": cluster.name if cluster is not None else None,
        },
        "period": _period_json(period),
        "comparison": _period_json(comparison),
        "today": today.isoformat(),
        "headline": headline,
        "incidents": incidents,
        "tips": tips,
        "patrols": patrols,
        "campaigns": {"count": len(campaigns), "items": campaigns},
        "checkpoints": {"count": len(checkpoints), "items": checkpoints},
        "self_management_models": {
            "count": sum(r["count"] for r in kinds.values()),
            "active": sum(r["active"] for r in kinds.values()),
            "by_kind": [
                {"kind": k.value, "label": str(k.label), "count": kinds[k.value]["count"]}
                for k in SelfManagementKind if k.value in kinds
            ],
        },
        "conferences": [
            {"title": c["title"], "kind": c["kind"], "held_on": c["held_on"].isoformat(), "place": c["place"]}
            for c in conferences
        ],
        "awards": {
            "collectives": sum(1 for a in awards if a["recipient_kind"] == RecipientKind.COLLECTIVE),
            "individuals": sum(1 for a in awards if a["recipient_kind"] == RecipientKind.INDIVIDUAL),
            "items": [
                {"recipient_kind": a["recipient_kind"], "recipient": a["recipient"], "authority": a["authority"],
                 "form": a["form"], "conference": a["conference_title"]}
                for a in awards
            ],
        },
    }


# Links from a figure to the list that reproduces it ------------------------------------------------

# For each headline figure: the list page and the query-string filters (besides the scope and the
# period, added by figure_links) under which the list's count equals the figure, for a user who sees
# every record of the scope (commanders, staff; an officer's lists are narrower by design).
#   scope:  quy_che=<agreement id>; cluster scope: cum=<cluster id> for patrols and tips,
#           thanh_vien_cum=<cluster id> for incidents (see CLUSTER_MEMBER_FILTER)
#   period: nam=<year> for a whole year, else tu_ngay=<start>&den_ngay=<last day> (ISO dates, inclusive)
FIGURE_LIST_FILTERS: dict[str, tuple[str, dict[str, str]]] = {
    "incidents_occurred": ("incidents:incident_list", {}),
    "criminal_occurred": ("incidents:incident_list", {"tinh_chat": Nature.CRIMINAL.value}),
    # Cleared before the period's end: lam_ro_den=<last day of the period> (lam_ro_tu open). The
    # services keep solved_at set exactly when the status is a cleared one, so no status filter is needed.
    "solved_of_occurred": ("incidents:incident_list", {"lam_ro_den": "<last day>"}),
    "criminal_solved_of_occurred": (
        "incidents:incident_list", {"tinh_chat": Nature.CRIMINAL.value, "lam_ro_den": "<last day>"}
    ),
    "jointly_handled": ("incidents:incident_list", {"phoi_hop": "1"}),
    "tips_exchanged": ("incidents:tip_list", {}),
    "tips_jointly_verified": ("incidents:tip_list", {"phoi_hop": "1"}),
    # The list's "quá hạn" compares the deadline with today, the figure with min(today, period end):
    # equal only while the period is still running (figure_links leaves it out otherwise).
    "tips_overdue": ("incidents:tip_list", {"qua_han": "1"}),
    "patrol_shifts": ("patrols:patrol_list", {}),
    "person_participations": ("patrols:patrol_list", {}),  # the list shows the sum of "lượt người"
}
# The incident list's "cum" filters on the incident's cluster field; the figures use membership of
# the commune on the day. The services only let an incident carry a cluster its commune belonged to
# on that day, so "cum" can only be short (incidents recorded without a cluster): not exact. The
# list's "thanh_vien_cum" filter (membership on the day) is exact; it is used when the list has it.
CLUSTER_MEMBER_FILTER = "thanh_vien_cum"


def _incident_list_has_member_filter() -> bool:
    """Whether the incident list offers the membership-on-the-day filter (imported late: forms are heavy)."""
    from incidents.filters import IncidentFilterForm

    return CLUSTER_MEMBER_FILTER in IncidentFilterForm.base_fields


def _period_params(period: Period) -> dict[str, str]:
    year = _whole_year(period)
    if year is not None:
        return {"nam": str(year)}
    return {"tu_ngay": period.start.isoformat(), "den_ngay": (period.end - datetime.timedelta(days=1)).isoformat()}


def figure_links(
    figures: dict, *, approximate: bool = False, today: datetime.date | None = None
) -> dict[str, tuple[str, dict[str, str]]]:
    """For each headline figure (and each category / commune row, keyed "category:<id>" / "commune:<id>"),
    ``(url_name, query params)`` of the list whose count equals the figure.

    A cluster's incident figures link with ``thanh_vien_cum`` (membership on the day, exact); were the
    list without it, they are left out, as are overdue tips of a closed period and rates.
    ``approximate=True`` adds them with the nearest filters (a cluster's incidents by ``cum``).
    """
    period = Period(datetime.date.fromisoformat(figures["period"]["start"]),
                    datetime.date.fromisoformat(figures["period"]["end"]))
    today = today or timezone.localdate()
    scope = figures["scope"]
    base = {"quy_che": str(scope["agreement_id"]), **_period_params(period)}
    incident_base = dict(base)
    incidents_exact = True
    if scope["cluster_id"]:
        base["cum"] = str(scope["cluster_id"])  # patrols and tips: their cluster field is the rule
        incidents_exact = _incident_list_has_member_filter()
        incident_base[CLUSTER_MEMBER_FILTER if incidents_exact else "cum"] = str(scope["cluster_id"])
    last_day = (period.end - datetime.timedelta(days=1)).isoformat()

    def link(url_name: str, extra: dict[str, str]) -> tuple[str, dict[str, str]]:
        start = incident_base if url_name == "incidents:incident_list" else base
        params = {**start, **{k: (last_day if v == "<last day>" else v) for k, v in extra.items()}}
        return url_name, params

    links: dict[str, tuple[str, dict[str, str]]] = {}
    for name, (url_name, extra) in FIGURE_LIST_FILTERS.items():
        if url_name == "incidents:incident_list" and not (incidents_exact or approximate):
            continue
        if name == "tips_overdue" and not (today < period.end or approximate):
            continue
        links[name] = link(url_name, extra)
    if incidents_exact or approximate:
        for row in figures["incidents"]["by_category"]:
            links[f"category:{row['category_id']}"] = link("incidents:incident_list", {"loai": str(row["category_id"])})
        for row in figures["incidents"]["by_commune"]:
            links[f"commune:{row['commune_id']}"] = link("incidents:incident_list", {"xa": str(row["commune_id"])})
    return links

