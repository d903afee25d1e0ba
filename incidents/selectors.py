"""Every read of tips and incidents, narrowed to what the user may see."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.audit import request_stamp
from agreements.models import ClusterMember
from agreements.querysets import record_scope, user_unit_ids
from borderzone.periods import Period, in_period

from .models import Incident, IncidentCategory, Tip, TipStatus

OPEN_TIP_STATUSES = (TipStatus.RECEIVED, TipStatus.VERIFYING)


def tip_list(
    *,
    user,
    period: Period | None = None,
    agreement_id: int | None = None,
    cluster_id: int | None = None,
    commune_id: int | None = None,
    category_id: int | None = None,
    status: str = "",
    from_unit_id: int | None = None,
    to_unit_id: int | None = None,
    unit_id: int | None = None,
    overdue: bool = False,
    jointly_verified: bool | None = None,
    q: str = "",
) -> QuerySet[Tip]:
    qs = Tip.objects.visible_to(user).filter(in_period("received_at", period))
    for field, value in (
        ("agreement_id", agreement_id), ("cluster_id", cluster_id), ("commune_id", commune_id),
        ("category_id", category_id), ("from_unit_id", from_unit_id), ("to_unit_id", to_unit_id),
    ):
        if value:
            qs = qs.filter(**{field: value})
    if unit_id:
        qs = qs.filter(Q(from_unit_id=unit_id) | Q(to_unit_id=unit_id))
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_TIP_STATUSES, deadline__lt=timezone.localdate())
    if jointly_verified is not None:
        qs = qs.filter(jointly_verified=jointly_verified)
    if q:
        qs = qs.filter(Q(summary__unaccent__icontains=q) | Q(commune__name__unaccent__icontains=q))
    return qs.select_related("agreement", "cluster", "from_unit", "to_unit", "category", "commune")


def tip_inbox(*, user, unit_ids: list[int] | None = None) -> QuerySet[Tip]:
    """Open tips handed to the user's unit (or the given ones among his), oldest deadline first."""
    own = record_scope(user).get("own_units") or []
    unit_ids = own if unit_ids is None else [u for u in unit_ids if u in own]
    return (
        Tip.objects.visible_to(user)
        .filter(to_unit_id__in=unit_ids, status__in=OPEN_TIP_STATUSES)
        .select_related("from_unit", "category", "commune")
        .order_by("deadline", "received_at")
    )


# What the inbox count depends on: the tips, which agreements the user's units are party to, the
# units' tree and the officer's unit and role. Cached under their newest audit events, the count is
# exact, and most pages read it from the cache instead of two queries through the choke point.
INBOX_TABLES = ("incidents_tipevent", "agreements_agreementpartyevent", "agreements_unitevent",
                "agreements_officerevent")
INBOX_SECONDS = 30 * 60


def tip_inbox_count(*, user, request=None) -> int:
    """How many tips :func:`tip_inbox` holds for the user (the menu's badge); ``request`` shares its audit stamp."""
    unit_ids = user_unit_ids(user)
    if not unit_ids:
        return 0
    key = f"bz-inbox:{user.pk}:{'-'.join(map(str, unit_ids))}:{request_stamp(request, INBOX_TABLES)}"
    count = cache.get(key)
    if count is None:
        count = tip_inbox(user=user, unit_ids=unit_ids).count()
        cache.set(key, count, INBOX_SECONDS)
    return count


def tip_detail(*, user, pk: int) -> Tip:
    qs = Tip.objects.visible_to(user).select_related(
        "agreement", "cluster", "from_unit", "to_unit", "category", "commune", "patrol", "acknowledged_by",
        "created_by",
    ).prefetch_related("incidents__category", "incidents__commune")
    return get_object_or_404(qs, pk=pk)


def incident_list(
    *,
    user,
    period: Period | None = None,
    solved_period: Period | None = None,
    agreement_id: int | None = None,
    cluster_id: int | None = None,
    commune_id: int | None = None,
    category_id: int | None = None,
    category_group: str = "",
    nature: str = "",
    status: str = "",
    unit_id: int | None = None,
    jointly_handled: bool | None = None,
    member_of_cluster_id: int | None = None,
    q: str = "",
) -> QuerySet[Incident]:
    qs = Incident.objects.visible_to(user).filter(in_period("occurred_at", period))
    if member_of_cluster_id:
        qs = member_of_cluster(qs, member_of_cluster_id)
    if solved_period is not None:
        qs = qs.filter(in_period("solved_at", solved_period))
    for field, value in (
        ("agreement_id", agreement_id), ("cluster_id", cluster_id), ("commune_id", commune_id),
        ("category_id", category_id),
    ):
        if value:
            qs = qs.filter(**{field: value})
    if category_group:
        qs = qs.filter(category__group=category_group)
    if nature:
        qs = qs.filter(nature=nature)
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(Q(lead_unit_id=unit_id) | Q(supporting_units__id=unit_id)).distinct()
    if jointly_handled is not None:
        qs = qs.filter(jointly_handled=jointly_handled)
    if q:
        qs = qs.filter(
            Q(summary__unaccent__icontains=q)
            | Q(place__unaccent__icontains=q)
            | Q(commune__name__unaccent__icontains=q)
            | Q(category__name__unaccent__icontains=q)
        )
    return qs.select_related("agreement", "cluster", "commune__parent", "category", "lead_unit")


def member_of_cluster(qs: QuerySet[Incident], cluster_id: int) -> QuerySet[Incident]:
    """Incidents whose commune was a member of the cluster on the local day they occurred (docs/FIGURES.md).

    The rule the figures count a cluster's incidents by (not the incident's ``cluster`` field), so a
    dashboard figure and this list agree. Only the cluster's agreement; membership dates are inclusive.
    """
    member = ClusterMember.objects.filter(
        cluster_id=cluster_id, cluster__agreement_id=OuterRef("agreement_id"), commune_id=OuterRef("commune_id"),
        valid_from__lte=OuterRef("local_day"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("local_day")))
    return qs.alias(local_day=TruncDate("occurred_at", tzinfo=timezone.get_default_timezone())).filter(
        Exists(member)
    )


def incident_detail(*, user, pk: int) -> Incident:
    qs = Incident.objects.visible_to(user).select_related(
        "agreement", "cluster", "commune__parent", "category", "lead_unit", "campaign", "created_by"
    ).prefetch_related("supporting_units", "tips__from_unit", "patrols__lead_unit")
    return get_object_or_404(qs, pk=pk)


def categories() -> QuerySet[IncidentCategory]:
    return IncidentCategory.objects.all()


def tip_communes(*, user) -> QuerySet:
    """Commune ids of the tips the user may read (the tip list offers these in its commune filter)."""
    return Tip.objects.visible_to(user).values("commune_id")


def incident_communes(*, user) -> QuerySet:
    """Commune ids of the incidents the user may read (offered by the incident list's commune filter)."""
    return Incident.objects.visible_to(user).values("commune_id")
