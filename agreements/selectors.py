"""Every read of the registry, already narrowed to what the user may see.

Lookups of a single record go through the same narrowed querysets, so a record outside the
user's jurisdiction raises Http404 exactly like a missing one.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from pghistory.models import Events

from .models import (
    AdministrativeUnit,
    Agreement,
    AgreementChapter,
    AgreementParty,
    BoardMember,
    Cluster,
    ClusterMember,
    MobileTeamMember,
    Unit,
)

User = get_user_model()


def agreement_list(*, user, q: str = "", status: str = "") -> QuerySet[Agreement]:
    qs = Agreement.objects.visible_to(user)
    if q:
        qs = qs.filter(
            Q(title__unaccent__icontains=q)
            | Q(number__unaccent__icontains=q)
            | Q(parties__unit__name__unaccent__icontains=q)
        ).distinct()
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(cluster_count=Count("clusters", distinct=True)).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("unit"))
    )


def agreement_get(*, user, pk: int) -> Agreement:
    return get_object_or_404(Agreement.objects.visible_to(user), pk=pk)


def agreement_detail(*, user, pk: int) -> Agreement:
    qs = Agreement.objects.visible_to(user).select_related("supersedes").prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("unit__area", "unit__parent")),
        "legal_bases",
        "coordination_areas",
        Prefetch("chapters", queryset=AgreementChapter.objects.prefetch_related("articles")),
        Prefetch("clusters", queryset=Cluster.objects.annotate(member_count=Count("members"))),
    )
    return get_object_or_404(qs, pk=pk)


def agreement_supersedes_chain(*, user, agreement: Agreement) -> dict[str, list[Agreement]]:
    """Older agreements this one replaced and newer ones that replaced it, limited to visible ones."""
    visible = Agreement.objects.visible_to(user)
    older_ids = agreement.supersedes_chain_ids()
    older_map = visible.in_bulk(older_ids)
    older = [older_map[i] for i in older_ids if i in older_map]
    newer: list[Agreement] = []
    seen = {agreement.pk}
    node = visible.filter(supersedes=agreement).first()
    while node is not None and node.pk not in seen:
        newer.append(node)
        seen.add(node.pk)
        node = visible.filter(supersedes=node).first()
    return {"older": older, "newer": newer}


def cluster_list(*, user, agreement: Agreement | None = None, q: str = "") -> QuerySet[Cluster]:
    qs = Cluster.objects.visible_to(user).select_related("agreement")
    if agreement is not None:
        qs = qs.filter(agreement=agreement)
    if q:
        qs = qs.filter(Q(name__unaccent__icontains=q) | Q(members__commune__name__unaccent__icontains=q)).distinct()
    return qs.annotate(member_count=Count("members", distinct=True))


def cluster_get(*, user, pk: int) -> Cluster:
    return get_object_or_404(Cluster.objects.visible_to(user).select_related("agreement"), pk=pk)


def cluster_detail(*, user, pk: int) -> Cluster:
    qs = Cluster.objects.visible_to(user).select_related("agreement", "mobile_team").prefetch_related(
        Prefetch(
            "members",
            queryset=ClusterMember.objects.select_related(
                "commune__parent__parent", "responsible_party__unit"
            ).prefetch_related(
                Prefetch("commune__successors", queryset=AdministrativeUnit.objects.select_related("parent"))
            ),
        ),
        Prefetch("board_members", queryset=BoardMember.objects.select_related("unit")),
        Prefetch(
            "mobile_team__members", queryset=MobileTeamMember.objects.select_related("unit", "commune")
        ),
    )
    return get_object_or_404(qs, pk=pk)


def cluster_communes_on(*, cluster: Cluster, day: datetime.date) -> QuerySet[AdministrativeUnit]:
    """Communes that were members of the cluster on ``day`` (membership dates are inclusive)."""
    return AdministrativeUnit.objects.filter(
        cluster_memberships__cluster=cluster,
        cluster_memberships__valid_from__lte=day,
    ).filter(Q(cluster_memberships__valid_to__isnull=True) | Q(cluster_memberships__valid_to__gte=day))


def party_units_for(*, agreement: Agreement) -> QuerySet[Unit]:
    return Unit.objects.filter(party_to__agreement=agreement).select_related("area")


def record_history(*, objects: list, limit: int = 100) -> list[dict]:
    """Audit events of the given records and of rows pointing at them, newest first, with the actor.

    The caller has already checked that the user may see the records.
    """
    if not objects:
        return []
    events = list(Events.objects.references(*objects).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context}
    users = {u.pk: u for u in User.objects.filter(pk__in=[i for i in user_ids if i])}
    rows = []
    for event in events:
        actor = users.get((event.pgh_context or {}).get("user"))
        rows.append(
            {
                "at": event.pgh_created_at,
                "label": event.pgh_label,
                "model": event.pgh_model,
                "obj_model": event.pgh_obj_model,
                "data": event.pgh_data,
                "diff": event.pgh_diff,
                "actor": actor,
            }
        )
    return rows
