"""The writers of the field-record demo, one per kind of record and all through the services, and the
lookups the seeds share.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Sequence

from django.contrib.auth import get_user_model

from agreements.models import AdministrativeUnit, Agreement, Cluster, ClusterMember, Officer, Role, Unit
from demo import registry
from demo.records import CLEARED, INCIDENT_TEXT, at, default_outcome, place_in
from incidents import services
from incidents.models import (
    Incident,
    IncidentCategory,
    IncidentSource,
    IncidentStatus,
    Nature,
    SourceKind,
    Tip,
    TipStatus,
)
from patrols import services as patrol_services
from patrols.models import Campaign, Checkpoint, Patrol
from patrols.services import ParticipantData, ParticipationData


class RecordsWriter:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.categories = {c.code: c for c in IncidentCategory.objects.all()}
        # Who may confirm a patrol for a unit: its demo commander, else another demo account of it.
        users = get_user_model().objects.filter(username__in=registry.DEMO_USERNAMES)
        officers = Officer.objects.filter(user__in=users).exclude(role=Role.ADMINISTRATOR).select_related("user")
        self.confirmers: dict[int, object] = {}
        for officer in sorted(officers, key=lambda o: (o.role != Role.COMMANDER, o.user.username)):
            self.confirmers.setdefault(officer.unit_id, officer.user)

    # Writers ------------------------------------------------------------------------------------

    def campaign(self, agreement: Agreement, *, name: str, starts_on: datetime.date, ends_on: datetime.date,
                 units: Sequence[Unit], cluster: Cluster | None = None, targets: str = "",
                 results: str = "") -> Campaign:
        self.created["campaigns"] += 1
        return patrol_services.campaign_create(
            actor=None, agreement=agreement, name=name, starts_on=starts_on, ends_on=ends_on, units=units,
            cluster=cluster, targets=targets, results=results,
        )

    def checkpoint(self, agreement: Agreement, **values) -> Checkpoint:
        self.created["checkpoints"] += 1
        return patrol_services.checkpoint_create(actor=None, agreement=agreement, **values)

    def patrol(
        self,
        agreement: Agreement,
        *,
        lead: Unit,
        parts: Sequence[tuple[Unit, int]],
        started_at: datetime.datetime,
        minutes: int,
        communes: Sequence[AdministrativeUnit],
        cluster: Cluster | None = None,
        programme: str = "",
        route: str = "",
        findings: str = "",
        campaign: Campaign | None = None,
        participants: Sequence[ParticipantData] = (),
        confirm: bool = True,
    ) -> Patrol:
        patrol = patrol_services.patrol_create(
            actor=None, agreement=agreement, cluster=cluster, lead_unit=lead, started_at=started_at,
            ended_at=started_at + datetime.timedelta(minutes=minutes),
            participations=[ParticipationData(unit=unit, officers=n) for unit, n in parts],
            programme=programme, communes=communes, route=route, findings=findings, campaign=campaign,
            participants=participants,
        )
        self.created["patrols"] += 1
        if confirm:
            partner = next((self.confirmers[u.pk] for u, _n in parts if u.pk != lead.pk and u.pk in self.confirmers),
                           None)
            if partner is not None:
                patrol = patrol_services.patrol_confirm(actor=partner, patrol=patrol)
                self.created["patrol_confirmations"] += 1
        return patrol

    def tip(
        self,
        agreement: Agreement,
        *,
        from_unit: Unit,
        to_unit: Unit,
        received_at: datetime.datetime,
        code: str,
        summary: str,
        status: str = TipStatus.TRUE,
        jointly: bool = False,
        days: int = 10,
        cluster: Cluster | None = None,
        commune: AdministrativeUnit | None = None,
        reliability: str = "B",
        credibility: str = "2",
        note: str = "",
        source_kind: str = SourceKind.UNIT,
    ) -> Tip:
        tip = services.tip_create(
            actor=None, agreement=agreement, from_unit=from_unit, to_unit=to_unit, received_at=received_at,
            category=self.categories[code], summary=summary,
            deadline=received_at.date() + datetime.timedelta(days=days),
            source_kind=source_kind, cluster=cluster, commune=commune, reliability=reliability,
            credibility=credibility,
        )
        self.created["tips"] += 1
        steps = {
            TipStatus.RECEIVED: [],
            TipStatus.VERIFYING: [TipStatus.VERIFYING],
            TipStatus.TRUE: [TipStatus.VERIFYING, TipStatus.TRUE],
            TipStatus.FALSE: [TipStatus.VERIFYING, TipStatus.FALSE],
            TipStatus.HANDED_OVER: [TipStatus.HANDED_OVER],
        }[TipStatus(status)]
        for step in steps:
            last = step == steps[-1]
            tip = services.tip_set_status(
                actor=None, tip=tip, status=step, note=note if last else "", jointly_verified=jointly if last else None
            )
        return tip

    def incident(
        self,
        agreement: Agreement,
        *,
        occurred_at: datetime.datetime,
        commune: AdministrativeUnit,
        code: str,
        lead: Unit,
        source: str,
        summary: str,
        status: str,
        cluster: Cluster | None = None,
        nature: str | None = None,
        place: str = "",
        supporting: Sequence[Unit] = (),
        tips: Sequence[Tip] = (),
        patrols: Sequence[Patrol] = (),
        campaign: Campaign | None = None,
        solved_at: datetime.datetime | None = None,
        suspects: int = 0,
        dealt_with: int = 0,
        outcome: str = "",
    ) -> Incident:
        self.created["incidents"] += 1
        return services.incident_create(
            actor=None, agreement=agreement, cluster=cluster, occurred_at=occurred_at, commune=commune,
            category=self.categories[code], lead_unit=lead, source=source, nature=nature, place=place,
            summary=summary, supporting_units=supporting, tips=tips, patrols=patrols, campaign=campaign,
            status=status, solved_at=solved_at, suspects=suspects, suspects_dealt_with=dealt_with,
            outcome=outcome or default_outcome(status, suspects, dealt_with),
        )

    # Lookups ------------------------------------------------------------------------------------

    @staticmethod
    def has_records(agreements: Sequence[Agreement]) -> bool:
        return any(
            model.objects.filter(agreement__in=agreements).exists()
            for model in (Patrol, Campaign, Checkpoint, Tip, Incident)
        )

    @staticmethod
    def members(cluster: Cluster) -> list[ClusterMember]:
        return list(
            ClusterMember.objects.filter(cluster=cluster)
            .select_related("commune__parent", "responsible_party__unit")
            .order_by("commune__code", "valid_from")
        )

    @staticmethod
    def party(agreement: Agreement, name: str) -> Unit:
        return Unit.objects.get(party_to__agreement=agreement, name=name)

    def _background_incident(
        self,
        rng: random.Random,
        agreement: Agreement,
        *,
        day: datetime.date,
        commune: AdministrativeUnit,
        code: str,
        lead: Unit,
        partner: Unit | None,
        cluster: Cluster | None = None,
        text: str | None = None,
        nature: str | None = None,
        campaign: Campaign | None = None,
        latest: datetime.date | None = None,
    ) -> Incident:
        """An incident not quoted by any seed: solved most of the time, sometimes with the partner."""
        occurred = at(day, rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
        nature = nature or self.categories[code].default_nature
        roll = rng.random()
        status = (
            IncidentStatus.INVESTIGATING if roll < 0.12
            else IncidentStatus.SANCTIONED if nature == Nature.ADMINISTRATIVE
            else IncidentStatus.PROSECUTED if roll < 0.55
            else IncidentStatus.SOLVED
        )
        solved = None
        if status in CLEARED:
            solved = occurred + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(2, 10))
            if latest is not None and solved.date() > latest:
                solved = max(occurred + datetime.timedelta(hours=2), at(latest, 17))
        suspects = rng.randint(1, 3) if status in CLEARED else 0
        place = place_in(rng, commune)
        return self.incident(
            agreement, cluster=cluster, occurred_at=occurred, commune=commune, code=code, lead=lead,
            nature=nature, source=rng.choice([IncidentSource.PUBLIC, IncidentSource.PUBLIC, IncidentSource.OWN]),
            summary=(text or rng.choice(INCIDENT_TEXT[code])).format(place=place), place=place,
            supporting=[partner] if partner and rng.random() < 0.35 else [],
            status=status, solved_at=solved, suspects=suspects, dealt_with=suspects, campaign=campaign,
        )
