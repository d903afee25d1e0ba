"""Every read of the registry, already narrowed to what the user may see.

Lookups of a single record go through the same narrowed querysets, so a record outside the
user's jurisdiction raises Http404 exactly like a missing one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, ForeignKey, Model, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from pghistory.models import Events

from .models import (
    AdministrativeUnit,
    AdminLevel,
    Agreement,
    AgreementChapter,
    AgreementParty,
    BoardMember,
    Cluster,
    ClusterMember,
    CoordinationArea,
    LegalBasis,
    MobileTeam,
    MobileTeamMember,
    SelfManagementModel,
    Unit,
    UnitLevel,
)
from .querysets import record_scope, sees_everything, unit_subtree_ids, user_unit_ids

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


def agreement_choices(*, user) -> QuerySet[Agreement]:
    """The agreements a picker or filter offers the user, newest first."""
    return Agreement.objects.visible_to(user).order_by("-signed_on", "-pk")


def cluster_choices(*, user, agreement: Agreement | None = None) -> QuerySet[Cluster]:
    """The clusters a picker or filter offers the user (of one agreement when given), by name."""
    clusters = Cluster.objects.visible_to(user)
    if agreement is not None:
        clusters = clusters.filter(agreement=agreement)
    return clusters.order_by("name", "pk")


def units_by_ids(*, ids) -> QuerySet[Unit]:
    """The units with these ids, by name (the ids come from the user's scope or an agreement's parties)."""
    return Unit.objects.filter(pk__in=ids).order_by("name")


def agreement_parties(*, agreement: Agreement) -> QuerySet[AgreementParty]:
    return AgreementParty.objects.filter(agreement=agreement).select_related("unit")


def legal_bases() -> QuerySet[LegalBasis]:
    return LegalBasis.objects.all()


def coordination_areas() -> QuerySet[CoordinationArea]:
    return CoordinationArea.objects.all()


def communes() -> QuerySet[AdministrativeUnit]:
    """Every commune of both eras: what a list filter accepts (its options stay narrowed)."""
    return AdministrativeUnit.objects.filter(level=AdminLevel.COMMUNE)


def units_under(*, agreement_ids) -> QuerySet[Unit]:
    """Party units of the agreements and the units under them (two levels): they may take part in a record."""
    return (
        Unit.objects.filter(
            Q(party_to__agreement__in=agreement_ids)
            | Q(parent__party_to__agreement__in=agreement_ids)
            | Q(parent__parent__party_to__agreement__in=agreement_ids)
        )
        .distinct()
        .order_by("name", "pk")
    )


def cluster_unit_choices(*, cluster: Cluster, current_unit_id: int | None = None) -> QuerySet[Unit]:
    """Units a board member or mobile-team member of the cluster may come from: the parties of its
    agreement and the units under them, plus the unit already on the row being edited."""
    condition = Q(pk__in=units_under(agreement_ids=[cluster.agreement_id]).values("pk"))
    if current_unit_id is not None:
        condition |= Q(pk=current_unit_id)
    return Unit.objects.filter(condition).order_by("name", "pk")


def party_unit_choices(*, user, agreement: Agreement | None = None) -> QuerySet[Unit]:
    """Units the user may name as parties: any for administrators; else the units of his own province
    (its police and every unit under it) plus the units already party to the agreement being edited.

    Which units of a neighbouring province may sign is not known to the application, so a party
    from elsewhere is added by an administrator.
    """
    if sees_everything(user):
        return Unit.objects.order_by("name", "pk")
    condition = Q(pk__in=[])
    own_line = user_unit_ids(user)
    if own_line:
        province = (
            Unit.objects.filter(pk__in=own_line, level=UnitLevel.PROVINCE).values_list("pk", flat=True).first()
        )
        condition |= Q(pk__in=unit_subtree_ids(province if province is not None else own_line[-1]))
    if agreement is not None:
        condition |= Q(pk__in=AgreementParty.objects.filter(agreement=agreement).values("unit_id"))
    return Unit.objects.filter(condition).order_by("name", "pk")


def candidate_units(*, user) -> QuerySet[Unit]:
    """Units a record of the user may name: every unit for administrators, else those of his agreements."""
    if sees_everything(user):
        return Unit.objects.order_by("name", "pk")
    return units_under(agreement_ids=record_scope(user)["agreements"])


def own_units(*, user) -> QuerySet[Unit]:
    """Units the user acts for: his unit and those above it."""
    return Unit.objects.filter(pk__in=record_scope(user)["own_units"]).order_by("name")


def recording_scopes(*, user) -> tuple[list[Agreement], list[Cluster]]:
    """The agreements and clusters a user may record under, newest agreements first (two queries)."""
    return list(agreement_choices(user=user)), list(cluster_choices(user=user))


def clusters_holding_area(*, cluster_ids: list[int], area_id: int, day: datetime.date) -> set[int]:
    """Which of the clusters hold, on ``day``, a commune in the area (commune, district or province)."""
    return set(
        ClusterMember.objects.filter(cluster__in=cluster_ids, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .filter(Q(commune_id=area_id) | Q(commune__parent_id=area_id) | Q(commune__parent__parent_id=area_id))
        .values_list("cluster_id", flat=True)
    )


def scope_communes(*, agreement: Agreement | None, cluster: Cluster | None = None) -> QuerySet[AdministrativeUnit]:
    """Communes a record under the agreement (and cluster) may name: the cluster's members (any time) and
    the parties' areas.

    The service checks the exact rule (a member on that day); accepting the wider set here lets it
    answer with its own message ("… không thuộc cụm vào ngày …").
    """
    if agreement is None:
        return AdministrativeUnit.objects.none()
    within = communes_within_party_areas(agreement=agreement).values("pk")
    condition = Q(pk__in=within)
    if cluster is not None:
        condition |= Q(cluster_memberships__cluster=cluster)
    return (
        AdministrativeUnit.objects.filter(condition)
        .distinct()
        .select_related("parent__parent")
        .order_by("name", "era", "code")
    )


# Roles a model's rows need on top of ``visible_to`` (review reports: the roles that read reports). The
# app owning the model registers its rule from ``AppConfig.ready``: the registry never imports it.
HISTORY_ROLE_RULES: dict[str, Callable[[Any], bool]] = {}
# Events the user may not see are dropped after the read: reading a few times the limit keeps the
# table full when many of the newest events belong to records of others.
_HISTORY_OVERREAD = 4


def register_history_role_rule(label: str, rule: Callable[[Any], bool]) -> None:
    """Show the events of rows of ``label`` ("app.Model") only to users for whom ``rule(user)`` holds."""
    HISTORY_ROLE_RULES[label] = rule


def record_history(*, user, objects: list, limit: int = 100) -> list[dict]:
    """Audit events of the given records and of rows pointing at them that ``user`` may see, newest
    first, with the actor.

    The caller has already checked that the user may see the records. Must hold: an event is shown
    only when its record is visible to the user (``visible_to``, plus the role rules registered for
    its model); a child or link row without a rule of its own counts as visible when every record
    it points to is. The cost is one query per kind of record, whatever the number of events.
    """
    if not objects:
        return []
    read = Events.objects.references(*objects).order_by("-pgh_created_at", "-pgh_id")
    events = _visible_events(user, list(read[: limit * _HISTORY_OVERREAD]))[:limit]
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


def _has_visibility_rule(model: type[Model]) -> bool:
    return callable(getattr(model._default_manager, "visible_to", None))


def _event_records(event) -> list[tuple[type[Model], int]] | None:
    """The records an event must be able to see to be shown; None when its model is unknown (never shown).

    A row of a model with its own rule is its record; other rows (board members, parties, links
    between incidents and tips) stand for the records they point to. Deleted records cannot be
    looked up, so their events are shown only to those who see everything.
    """
    try:
        model = apps.get_model(event.pgh_obj_model)
    except (LookupError, ValueError, TypeError):
        return None
    data = event.pgh_data or {}
    if _has_visibility_rule(model):
        pk = data.get(model._meta.pk.attname, event.pgh_obj_id)
        return None if pk is None else [(model, int(pk))]
    return [
        (field.related_model, data[field.attname])
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey)
        and data.get(field.attname) is not None
        and _has_visibility_rule(field.related_model)
    ]


def _visible_events(user, events: list) -> list:
    """The events ``user`` may see, in the same order: one ``visible_to`` query per kind of record."""
    if sees_everything(user):
        return events
    refused = {label for label, rule in HISTORY_ROLE_RULES.items() if not rule(user)}
    needed = [_event_records(event) for event in events]
    wanted: dict[type[Model], set[int]] = defaultdict(set)
    for records in needed:
        for model, pk in records or ():
            if model._meta.label not in refused:
                wanted[model].add(pk)
    visible = {
        model: set(model._default_manager.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        for model, ids in wanted.items()
    }
    return [
        event
        for event, records in zip(events, needed, strict=True)
        if records is not None
        and event.pgh_obj_model not in refused
        and all(pk in visible.get(model, ()) for model, pk in records)
    ]


# Lookups used by the registry pages (agreements/views.py). Child rows are found through the
# visible clusters, so a row under another jurisdiction's cluster answers 404 like a missing one.


def cluster_member_get(*, user, pk: int) -> ClusterMember:
    qs = ClusterMember.objects.filter(cluster__in=Cluster.objects.visible_to(user)).select_related(
        "cluster__agreement", "commune__parent__parent", "responsible_party__unit"
    )
    return get_object_or_404(qs, pk=pk)


def board_member_get(*, user, pk: int) -> BoardMember:
    qs = BoardMember.objects.filter(cluster__in=Cluster.objects.visible_to(user)).select_related(
        "cluster__agreement", "unit"
    )
    return get_object_or_404(qs, pk=pk)


def mobile_team_member_get(*, user, pk: int) -> MobileTeamMember:
    qs = MobileTeamMember.objects.filter(team__cluster__in=Cluster.objects.visible_to(user)).select_related(
        "team__cluster__agreement", "unit", "commune"
    )
    return get_object_or_404(qs, pk=pk)


def mobile_team_of(*, cluster: Cluster) -> MobileTeam | None:
    """The cluster's mobile team, or None; the caller has already checked that the cluster is visible."""
    return MobileTeam.objects.filter(cluster=cluster).first()


def communes_within_party_areas(*, agreement: Agreement) -> QuerySet[AdministrativeUnit]:
    """Communes (either era) lying within the area of one of the agreement's parties, by name.

    Mirrors ``AdministrativeUnit.lies_within``: the area itself when it is a commune, its communes
    when it is a district or a current-era province, and a legacy province's communes through
    their districts.
    """
    area_ids = list(Unit.objects.filter(party_to__agreement=agreement).values_list("area_id", flat=True))
    return (
        AdministrativeUnit.objects.filter(level=AdminLevel.COMMUNE)
        .filter(Q(pk__in=area_ids) | Q(parent_id__in=area_ids) | Q(parent__parent_id__in=area_ids))
        .select_related("parent__parent")
        .order_by("name", "era", "code")
    )


def cluster_member_communes(*, cluster: Cluster) -> QuerySet[AdministrativeUnit]:
    """Communes that are or were members of the cluster, by name."""
    return (
        AdministrativeUnit.objects.filter(cluster_memberships__cluster=cluster)
        .distinct()
        .select_related("parent__parent")
        .order_by("name", "era", "code")
    )


def self_management_models(*, agreement: Agreement | None = None, cluster: Cluster | None = None):
    """Self-management models under an agreement or a cluster the caller may already see."""
    qs = SelfManagementModel.objects.select_related("commune__parent")
    if agreement is not None:
        qs = qs.filter(agreement=agreement)
    if cluster is not None:
        qs = qs.filter(cluster=cluster)
    return qs


def agreement_communes_on(
    *, agreement: Agreement, cluster: Cluster | None, day: datetime.date
) -> QuerySet[AdministrativeUnit]:
    """Communes a record of this agreement may take place in on ``day``.

    With a cluster: its members on that day. Without: every commune within a party's area.
    """
    if cluster is not None:
        return cluster_communes_on(cluster=cluster, day=day)
    return communes_within_party_areas(agreement=agreement)


def agreement_unit_ids(*, agreement: Agreement) -> set[int]:
    """The parties' units and the units under them: they may take part in the agreement's records."""
    ids = set(agreement.parties.values_list("unit_id", flat=True))
    frontier = set(ids)
    # Units nest at most province → district → commune → post, so three hops reach every one.
    for _level in range(3):
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        if not frontier:
            break
        ids |= frontier
    return ids


def filter_communes(*, user, record_communes: QuerySet | None = None) -> QuerySet[AdministrativeUnit]:
    """Communes the list filters offer: members of the clusters the user sees, plus the communes of
    his records outside any cluster.

    The records' communes are only looked up for users with a bounded scope: for a national
    administrator that would be a DISTINCT over millions of rows on every list page.
    """
    from django.db.models import Exists, OuterRef

    from .querysets import sees_everything

    members = ClusterMember.objects.filter(commune_id=OuterRef("pk"), cluster__in=Cluster.objects.visible_to(user))
    condition = Q(Exists(members))
    if record_communes is not None and not sees_everything(user):
        ids = {pk for pk in record_communes.values_list("commune_id", flat=True).distinct() if pk}
        condition |= Q(pk__in=ids)
    return AdministrativeUnit.objects.filter(condition).select_related("parent__parent").order_by("name", "era", "code")


def unit_get(*, pk: int) -> Unit:
    """A unit with the two levels above it (404 when missing); the caller decides whether the user may
    look at it (a unit dashboard: only when it shares a visible agreement, see :func:`unit_agreement_ids`)."""
    return get_object_or_404(Unit.objects.select_related("parent__parent"), pk=pk)


def unit_agreement_ids(*, user, unit: Unit) -> list[int]:
    """Ids of the agreements the unit, or a unit above it, is party to, among those the user may see (sorted)."""
    parties = AgreementParty.objects.filter(unit_id__in=unit.ancestor_ids()).values("agreement_id")
    return sorted(set(Agreement.objects.visible_to(user).filter(pk__in=parties).values_list("pk", flat=True)))


def party_unit_ids_among(*, agreement_id: int, unit_ids: list[int]) -> list[int]:
    """Which of ``unit_ids`` are units of parties to the agreement."""
    return list(
        AgreementParty.objects.filter(agreement_id=agreement_id, unit_id__in=unit_ids).values_list("unit_id", flat=True)
    )


def agreement_clusters(*, agreement: Agreement) -> list[Cluster]:
    """The clusters operating under an agreement the caller already looked up for the user, by name."""
    return list(Cluster.objects.filter(agreement=agreement).order_by("name", "pk"))


def agreements_by_ids(*, ids: list[int], limit: int) -> list[Agreement]:
    """The newest ``limit`` of the given agreements (ids the caller narrowed to the user's)."""
    return list(Agreement.objects.filter(pk__in=ids).order_by("-signed_on", "-pk")[:limit])
