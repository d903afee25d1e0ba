"""Every read of patrols, campaigns and checkpoints, narrowed to what the user may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from borderzone.periods import Period, in_period

from .models import Campaign, Checkpoint, Patrol, PatrolParticipation


def patrol_list(
    *,
    user,
    period: Period | None = None,
    agreement_id: int | None = None,
    cluster_id: int | None = None,
    commune_id: int | None = None,
    unit_id: int | None = None,
    status: str = "",
    programme: str = "",
    q: str = "",
) -> QuerySet[Patrol]:
    qs = Patrol.objects.visible_to(user).filter(in_period("started_at", period))
    if agreement_id:
        qs = qs.filter(agreement_id=agreement_id)
    if cluster_id:
        qs = qs.filter(cluster_id=cluster_id)
    if commune_id:
        qs = qs.filter(communes__id=commune_id)
    if unit_id:
        qs = qs.filter(Q(lead_unit_id=unit_id) | Q(participations__unit_id=unit_id))
    if status:
        qs = qs.filter(status=status)
    if programme:
        qs = qs.filter(programme__unaccent__iexact=programme)
    if q:
        qs = qs.filter(
            Q(programme__unaccent__icontains=q)
            | Q(route__unaccent__icontains=q)
            | Q(findings__unaccent__icontains=q)
            | Q(communes__name__unaccent__icontains=q)
            | Q(lead_unit__name__unaccent__icontains=q)
        )
    if commune_id or unit_id or q:
        qs = qs.distinct()
    return qs.select_related("agreement", "cluster", "lead_unit").prefetch_related(
        Prefetch("participations", queryset=PatrolParticipation.objects.select_related("unit")), "communes"
    )


def patrol_detail(*, user, pk: int) -> Patrol:
    qs = Patrol.objects.visible_to(user).select_related(
        "agreement", "cluster", "lead_unit", "campaign", "confirmed_by", "created_by"
    ).prefetch_related(
        Prefetch("participations", queryset=PatrolParticipation.objects.select_related("unit")),
        "communes__parent",
        "participants__unit",
        "incidents__category",
        "incidents__commune",
    )
    return get_object_or_404(qs, pk=pk)


def patrols_awaiting_confirmation(*, user, unit_ids: list[int]) -> QuerySet[Patrol]:
    """Patrols a partner unit of the user's led and the user's unit took part in, not yet confirmed."""
    return (
        Patrol.objects.visible_to(user)
        .filter(status="done", participations__unit_id__in=unit_ids)
        .exclude(lead_unit_id__in=unit_ids)
        .select_related("lead_unit", "cluster")
        .distinct()
    )


def campaign_list(*, user, period: Period | None = None, agreement_id: int | None = None) -> QuerySet[Campaign]:
    qs = Campaign.objects.visible_to(user)
    if period is not None:
        qs = qs.filter(starts_on__lt=period.end, ends_on__gte=period.start)
    if agreement_id:
        qs = qs.filter(agreement_id=agreement_id)
    return qs.select_related("agreement", "cluster").prefetch_related("units")


def campaign_get(*, user, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(user).select_related("agreement"), pk=pk)


def checkpoint_list(*, user, agreement_id: int | None = None) -> QuerySet[Checkpoint]:
    qs = Checkpoint.objects.visible_to(user)
    if agreement_id:
        qs = qs.filter(agreement_id=agreement_id)
    return qs.select_related("agreement", "cluster", "commune").prefetch_related("units")
