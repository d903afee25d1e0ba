"""The tip and patrol figures of a period and its comparison, and the patrols per commune per month."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from borderzone.periods import Period, in_period, local_zone, month_key
from incidents.models import Incident, Tip, TipStatus
from patrols.models import Patrol, PatrolStatus

from .scope import RecordScope
from .shared import per_month

OPEN_TIP_STATUSES = (TipStatus.RECEIVED, TipStatus.VERIFYING)


def tip_figures(base: QuerySet[Tip], period: Period, comparison: Period | None, today: datetime.date) -> dict:
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


def patrol_figures(base: QuerySet[Patrol], period: Period, comparison: Period | None) -> dict:
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
        .annotate(month=TruncMonth("started_at", tzinfo=local_zone()))
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
        "by_month": per_month(months, period, comparison, {"shifts": "shifts", "participations": "participations"},
                              {"previous_shifts": "previous_shifts"}),
        "by_commune": [{"commune_id": r["commune_id"], "name": r["name"], "shifts": r["shifts"]} for r in communes],
    }



def patrol_coverage(scope: RecordScope, period: Period, limit: int | None = 25) -> dict:
    """Patrol shifts per commune per month of the period, the communes with the most shifts first (one query).

    A patrol through three communes counts once in each of them, as in ``patrols.by_commune``.
    ``rows`` holds the first ``limit`` communes (None: all), ``more`` how many were left out, ``peak``
    the largest monthly count of any commune (for shading).
    """
    patrols = scope.base(Patrol).filter(in_period("started_at", period))
    rows = (
        Patrol.communes.through.objects.filter(patrol__in=patrols.values("pk"))
        .annotate(month=TruncMonth("patrol__started_at", tzinfo=local_zone()))
        .values("month", commune_id=F("administrativeunit_id"), name=F("administrativeunit__name"),
                parent=F("administrativeunit__parent__name"))
        .annotate(shifts=Count("patrol_id"))
        .order_by()
    )
    months = period.month_keys()
    communes: dict[int, dict] = {}
    for row in rows:
        entry = communes.setdefault(row["commune_id"], {
            "commune_id": row["commune_id"], "name": row["name"], "parent": row["parent"] or "",
            "months": dict.fromkeys(months, 0), "total": 0,
        })
        month = month_key(row["month"])
        if month in entry["months"]:
            entry["months"][month] += row["shifts"]
            entry["total"] += row["shifts"]
    ordered = sorted(communes.values(), key=lambda c: (-c["total"], c["name"], c["commune_id"]))
    peak = max((n for c in ordered for n in c["months"].values()), default=0)
    shown = ordered if limit is None else ordered[:limit]
    return {"months": months, "rows": shown, "more": len(ordered) - len(shown), "peak": peak}
