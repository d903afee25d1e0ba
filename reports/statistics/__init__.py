"""Every figure of a review period, computed once for dashboards, the printed report and the exports.

The contract is ``docs/FIGURES.md``; the counting rules are in it too. What must hold:

* a period is a half-open interval of local dates ``[start, end)`` in ``settings.TIME_ZONE``
  (``borderzone.periods``): a timestamp belongs to it when ``start 00:00 local <= ts < end 00:00 local``;
* scope "agreement": records whose ``agreement`` is the agreement; scope "cluster": incidents of
  the cluster's agreement whose commune was a member of the cluster on the local date it occurred
  (membership dates inclusive), and patrols, tips, campaigns, checkpoints, self-management models
  and conferences whose ``cluster`` is the cluster (``scope.RecordScope``, the one place a scope
  becomes a queryset filter);
* the number of queries does not depend on the number of rows (17 queries whatever the data):
  conditional aggregation (``Count(filter=Q(...))``) counts the current and the comparison period in
  the same query, and every breakdown is one grouped query;
* the result is JSON-serialisable (it is stored with each generated report so a printed report can
  be reproduced): ints, floats, None, ISO date strings, months as "YYYY-MM".

:func:`figures_scope_querysets` gives the querysets behind the figures (their counts equal them);
:func:`patrol_coverage` the patrols per commune per month of a dashboard's heat table.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from agreements.models import Agreement, Cluster, SelfManagementKind
from agreements.models import SelfManagementStatus as SMStatus
from borderzone.periods import Period
from incidents.models import Incident, Tip
from patrols.models import Patrol

from ..models import RecipientKind
from .incident_figures import incident_figures
from .scope import RecordScope, figures_scope_querysets
from .shared import VERSION, compare, period_json, rate
from .tip_patrol_figures import OPEN_TIP_STATUSES, patrol_coverage, patrol_figures, tip_figures

__all__ = [
    "HEADLINE_KEYS", "OPEN_TIP_STATUSES", "RATE_KEYS", "VERSION", "RecordScope", "compute_figures",
    "compute_unit_figures", "figures_scope_querysets", "patrol_coverage",
]

HEADLINE_KEYS = (
    "incidents_occurred", "criminal_occurred", "solved_of_occurred", "clearance_rate",
    "criminal_solved_of_occurred", "criminal_clearance_rate", "suspects_dealt_with",
    "tips_exchanged", "tips_jointly_verified", "tips_overdue", "patrol_shifts", "person_participations",
)
# Rates are compared in percentage points only: "+2,3 điểm %" reads better than a percent of a percent.
RATE_KEYS = ("clearance_rate", "criminal_clearance_rate")


def _headline(incidents: dict, tips: dict, patrols: dict, comparison: Period | None) -> dict:
    """The headline figures with their comparison; pops the "_previous" parts of incidents and tips."""
    prev_i, prev_t = incidents.pop("_previous"), tips.pop("_previous")
    return {
        "incidents_occurred": compare(incidents["occurred"], prev_i["occurred"]),
        "criminal_occurred": compare(incidents["criminal"], prev_i["criminal"]),
        "solved_of_occurred": compare(incidents["solved_of_occurred"], prev_i["solved_of_occurred"]),
        "clearance_rate": compare(
            incidents["clearance_rate"],
            rate(prev_i["solved_of_occurred"], prev_i["occurred"]) if comparison else None, rate=True,
        ),
        "criminal_solved_of_occurred": compare(
            incidents["criminal_solved_of_occurred"], prev_i["criminal_solved_of_occurred"]
        ),
        "criminal_clearance_rate": compare(
            incidents["criminal_clearance_rate"],
            rate(prev_i["criminal_solved_of_occurred"], prev_i["criminal"]) if comparison else None, rate=True,
        ),
        "suspects_dealt_with": compare(incidents["suspects_dealt_with"], prev_i["suspects_dealt_with"]),
        "tips_exchanged": compare(tips["total"], tips["previous"]),
        "tips_jointly_verified": compare(tips["jointly_verified"], prev_t["jointly_verified"]),
        "tips_overdue": compare(tips["overdue"], prev_t["overdue"]),
        "patrol_shifts": compare(patrols["shifts"], patrols["previous_shifts"]),
        "person_participations": compare(patrols["person_participations"], patrols["previous_participations"]),
    }


def compute_unit_figures(
    *, agreement_ids: list[int] | None, period: Period, comparison: Period, today: datetime.date
) -> dict:
    """The headline, incident, tip and patrol figures of several agreements together (None: all of them).

    For a unit's dashboard: the same counting functions as :func:`compute_figures` over the
    agreements' records, in the same number of queries whatever the number of agreements. The
    caller has narrowed ``agreement_ids`` to what the user may see.
    """
    scope = RecordScope(None if agreement_ids is None else tuple(agreement_ids))
    incidents = incident_figures(scope.base(Incident), period, comparison)
    tips = tip_figures(scope.base(Tip), period, comparison, today)
    patrols = patrol_figures(scope.base(Patrol), period, comparison)
    return {
        "version": VERSION,
        "scope": {"kind": "unit", "agreement_ids": agreement_ids},
        "period": period_json(period),
        "comparison": period_json(comparison),
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

    ``comparison`` defaults to ``period.previous_year()``; ``compare=False`` gives no
    comparison (every "previous", "diff" and "pct" is None). ``today`` (default: the local date)
    fixes when open tips count as overdue, so a stored report can be recomputed identically.
    17 queries whatever the number of records.
    """
    scope = RecordScope.of(agreement, cluster)
    if not compare:
        comparison = None
    elif comparison is None:
        comparison = period.previous_year()
    today = today or timezone.localdate()

    incidents = incident_figures(scope.base(Incident), period, comparison)
    tips = tip_figures(scope.base(Tip), period, comparison, today)
    patrols = patrol_figures(scope.base(Patrol), period, comparison)
    querysets = scope.querysets(period)

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
        "period": period_json(period),
        "comparison": period_json(comparison),
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


