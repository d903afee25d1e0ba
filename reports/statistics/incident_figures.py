"""The incident figures of a period and its comparison: 6 queries whatever the number of incidents."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from agreements.models import AdministrativeUnit
from borderzone.periods import Period, in_period, local_zone
from incidents.models import CLEARED_STATUSES, Incident, IncidentCategory, IncidentSource, Nature

from .shared import per_month, rate


def incident_figures(base: QuerySet[Incident], period: Period, comparison: Period | None) -> dict:
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
        both.annotate(month=TruncMonth("occurred_at", tzinfo=local_zone()))
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
        "clearance_rate": rate(totals["solved_of_occurred"], totals["occurred"]),
        "criminal_solved_of_occurred": totals["criminal_solved_of_occurred"],
        "criminal_clearance_rate": rate(totals["criminal_solved_of_occurred"], totals["criminal"]),
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
                "clearance_rate": rate(totals[f"{n.value}__solved_of_occurred"], totals[f"{n.value}__count"]),
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
        "by_month": per_month(months, period, comparison, {"count": "count"}, {"previous": "previous"}),
        "_previous": {
            "occurred": totals["previous"] if comparison else None,
            "criminal": totals["previous_criminal"] if comparison else None,
            "solved_of_occurred": totals["previous_solved_of_occurred"] if comparison else None,
            "criminal_solved_of_occurred": totals["previous_criminal_solved_of_occurred"] if comparison else None,
            "suspects_dealt_with": totals["previous_suspects_dealt_with"] if comparison else None,
        },
    }

