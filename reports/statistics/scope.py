"""Whose records a figure counts, and the querysets behind the figures of a period.

The one translation of a scope into a queryset filter: the figures, the dashboards (their
latest-records panel, the overdue tips, the completeness check of the lists) and the patrol
coverage table all narrow through :meth:`RecordScope.filter`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate

from agreements.models import Agreement, Cluster, ClusterMember, SelfManagementModel
from agreements.models import SelfManagementStatus as SMStatus
from borderzone.periods import Period, in_period, local_zone
from incidents.models import CLEARED_STATUSES, Incident, Tip
from patrols.models import Campaign, Checkpoint, Patrol

from ..models import Award, Conference


@dataclass(frozen=True)
class RecordScope:
    """The records of some agreements (``agreement_ids``; None: every agreement), or of one of their
    clusters (``cluster_id``).

    A cluster's incidents are those whose commune was a member of the cluster on the local day they
    occurred (membership dates inclusive), not those carrying its ``cluster`` field: an incident
    recorded without a cluster in a member commune still counts, and a commune's incidents from
    before it joined (or after it left) do not. Every other record counts by its ``cluster`` field.
    """

    agreement_ids: tuple[int, ...] | None
    cluster_id: int | None = None

    @classmethod
    def of(cls, agreement: Agreement, cluster: Cluster | None = None) -> RecordScope:
        """One agreement, or one of its clusters; ``ValueError`` for a cluster of another agreement."""
        if cluster is not None and cluster.agreement_id != agreement.pk:
            raise ValueError("The cluster does not operate under this agreement.")
        return cls((agreement.pk,), cluster.pk if cluster is not None else None)

    def filter(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (of a model with ``agreement`` and ``cluster`` fields) narrowed to the scope, any date."""
        qs = queryset
        if self.agreement_ids is not None:
            ids = self.agreement_ids
            qs = qs.filter(agreement_id=ids[0]) if len(ids) == 1 else qs.filter(agreement_id__in=ids)
        if self.cluster_id is None:
            return qs
        if not issubclass(qs.model, Incident):
            return qs.filter(cluster_id=self.cluster_id)
        # (occurred_at AT TIME ZONE <TIME_ZONE>)::date, compared with the inclusive membership dates.
        member_on_the_day = ClusterMember.objects.filter(
            cluster_id=self.cluster_id,
            commune_id=OuterRef("commune_id"),
            valid_from__lte=OuterRef("local_day"),
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("local_day")))
        return qs.alias(local_day=TruncDate("occurred_at", tzinfo=local_zone())).filter(Exists(member_on_the_day))

    def base(self, model) -> QuerySet:
        """Every record of ``model`` in the scope, without ordering (so GROUP BY stays on the grouped columns)."""
        return self.filter(model.objects.order_by())

    def querysets(self, period: Period) -> dict[str, QuerySet]:
        """The querysets behind the figures of ``period``, so a dashboard can list what a figure counts.

        Their counts equal the figures of ``compute_figures`` for the same scope and period:
        ``incidents`` → ``incidents.occurred``, ``incidents_solved`` → ``incidents.solved_in_period``,
        ``tips`` → ``tips.total``, ``patrols`` → ``patrols.shifts``, ``campaigns``, ``checkpoints``,
        ``self_management_models`` → ``self_management_models.count``, ``conferences``, ``awards``.
        Not narrowed to a user: callers apply ``visible_to(user)`` (``.filter(pk__in=...)``) themselves.
        """
        incidents = self.base(Incident)
        conferences = self.base(Conference).filter(_conferences_q(period))
        return {
            "incidents": incidents.filter(in_period("occurred_at", period)),
            "incidents_solved": incidents.filter(in_period("solved_at", period), status__in=CLEARED_STATUSES),
            "tips": self.base(Tip).filter(in_period("received_at", period)),
            "patrols": self.base(Patrol).filter(in_period("started_at", period)),
            "campaigns": self.base(Campaign).filter(starts_on__lt=period.end, ends_on__gte=period.start),
            "checkpoints": self.base(Checkpoint).filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=period.start), starts_on__lt=period.end
            ),
            "self_management_models": self.base(SelfManagementModel).filter(_active_models_q(period)),
            "conferences": conferences,
            "awards": Award.objects.filter(conference__in=conferences),
        }


def figures_scope_querysets(agreement: Agreement, cluster: Cluster | None, period: Period) -> dict[str, QuerySet]:
    """:meth:`RecordScope.querysets` of an agreement or one of its clusters."""
    return RecordScope.of(agreement, cluster).querysets(period)


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
    year = period.whole_year
    if year is None:
        return held_in
    return Q(period_year=year) | (Q(period_year__isnull=True) & held_in)
