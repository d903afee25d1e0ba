"""Every write to tips and incidents."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import AdministrativeUnit, Agreement, Cluster, Unit
from agreements.querysets import sees_everything
from agreements.selectors import agreement_unit_ids
from agreements.services import require_record_rights, validate_place
from borderzone.services import audit_context, check_version, validate_moment, validate_not_future
from patrols.models import Campaign, Patrol

from . import permissions
from .models import CLEARED_STATUSES, Incident, IncidentCategory, IncidentStatus, SourceKind, Tip, TipStatus

# Allowed moves of a tip; a verified or handed-over tip is closed.
TIP_TRANSITIONS = {
    TipStatus.RECEIVED: {TipStatus.VERIFYING, TipStatus.HANDED_OVER},
    TipStatus.VERIFYING: {TipStatus.TRUE, TipStatus.FALSE, TipStatus.HANDED_OVER},
    TipStatus.TRUE: set(),
    TipStatus.FALSE: set(),
    TipStatus.HANDED_OVER: set(),
}

INCIDENT_TRANSITIONS = {
    IncidentStatus.RECEIVED: {IncidentStatus.INVESTIGATING, IncidentStatus.SOLVED, IncidentStatus.SANCTIONED,
                              IncidentStatus.CLOSED},
    IncidentStatus.INVESTIGATING: {IncidentStatus.SOLVED, IncidentStatus.SUSPENDED, IncidentStatus.SANCTIONED,
                                   IncidentStatus.CLOSED},
    IncidentStatus.SOLVED: {IncidentStatus.PROSECUTED, IncidentStatus.SANCTIONED, IncidentStatus.CLOSED},
    IncidentStatus.SUSPENDED: {IncidentStatus.INVESTIGATING, IncidentStatus.CLOSED},
    IncidentStatus.PROSECUTED: {IncidentStatus.CLOSED},
    IncidentStatus.SANCTIONED: {IncidentStatus.CLOSED},
    IncidentStatus.CLOSED: set(),
}



def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


# Tips -------------------------------------------------------------------------------------------


@transaction.atomic
def tip_create(
    *,
    actor,
    agreement: Agreement,
    from_unit: Unit,
    to_unit: Unit,
    received_at: datetime.datetime,
    category: IncidentCategory,
    summary: str,
    deadline: datetime.date,
    source_kind: str = SourceKind.UNIT,
    cluster: Cluster | None = None,
    commune: AdministrativeUnit | None = None,
    patrol: Patrol | None = None,
    reliability: str = "F",
    credibility: str = "6",
) -> Tip:
    """Record a tip and hand it to a partner unit.

    Must hold: the actor works for ``from_unit`` under the agreement; ``to_unit`` is another
    party (or under one); received not in the future; the deadline not before the receipt.
    """
    require_record_rights(actor, agreement=agreement, unit=from_unit)
    if to_unit.pk == from_unit.pk:
        raise ValidationError({"to_unit": _("Đơn vị tiếp nhận phải khác đơn vị cung cấp.")})
    if to_unit.pk not in agreement_unit_ids(agreement=agreement):
        raise ValidationError({"to_unit": _("Đơn vị tiếp nhận không thuộc các bên của quy chế.")})
    validate_moment(received_at, "received_at", not_in_future=True)
    validate_moment(deadline, "deadline")
    if deadline < timezone.localdate(received_at):
        raise ValidationError({"deadline": _("Hạn xác minh không thể trước ngày tiếp nhận.")})
    if commune is not None:
        validate_place(agreement=agreement, cluster=cluster, communes=[commune],
                       day=timezone.localdate(received_at), field="commune")
    if patrol is not None and patrol.agreement_id != agreement.pk:
        raise ValidationError({"patrol": _("Ca tuần tra phải thuộc cùng quy chế.")})
    tip = Tip(
        agreement=agreement, cluster=cluster, from_unit=from_unit, to_unit=to_unit, received_at=received_at,
        category=category, summary=summary, deadline=deadline, source_kind=source_kind, commune=commune,
        patrol=patrol, reliability=reliability, credibility=credibility, created_by=_actor_or_none(actor),
    )
    tip.full_clean()
    with audit_context(actor):
        tip.save()
    return tip


def _require_receiver(actor, tip: Tip) -> None:
    if actor is not None and not permissions.can_process(actor, tip):
        raise PermissionDenied(_("Chỉ đơn vị tiếp nhận mới xử lý được nguồn tin này."))


@transaction.atomic
def tip_acknowledge(*, actor, tip: Tip) -> Tip:
    """The receiving unit confirms it has the tip; a second acknowledgement changes nothing."""
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    _require_receiver(actor, tip)
    if tip.acknowledged_at is None:
        tip.acknowledged_at, tip.acknowledged_by = timezone.now(), _actor_or_none(actor)
        with audit_context(actor):
            tip.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return tip


@transaction.atomic
def tip_set_status(
    *,
    actor,
    tip: Tip,
    status: str,
    note: str = "",
    jointly_verified: bool | None = None,
    at: datetime.datetime | None = None,
) -> Tip:
    """Move a tip along received → verifying → verified true/false or handed over (receiver only).

    Starting verification acknowledges the tip if nobody had. ``at`` back-dates a step entered
    late: not before the tip was received, not in the future.
    """
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    _require_receiver(actor, tip)
    if at is not None:
        validate_not_future(at, "at")
        if at < tip.received_at:
            raise ValidationError({"at": _("Thời điểm xử lý không thể trước thời điểm tiếp nhận.")})
    now = at or timezone.now()
    if status not in TIP_TRANSITIONS[TipStatus(tip.status)]:
        raise ValidationError(
            {"status": _("Không thể chuyển nguồn tin từ “%(old)s” sang “%(new)s”.")
             % {"old": tip.get_status_display(), "new": TipStatus(status).label}}
        )
    tip.status = status
    if tip.acknowledged_at is None:
        tip.acknowledged_at, tip.acknowledged_by = now, _actor_or_none(actor)
    if status in (TipStatus.TRUE, TipStatus.FALSE):
        tip.verified_at = now
    if note:
        tip.verification_note = note
    if jointly_verified is not None:
        tip.jointly_verified = jointly_verified
    tip.full_clean()
    with audit_context(actor):
        tip.save()
    return tip


@transaction.atomic
def tip_link_incident(*, actor, tip: Tip, incident: Incident) -> None:
    """Record that a tip led to an incident; both must be under the same agreement and visible, and the
    actor must be allowed to edit the incident (the link changes it and the figures of its lead unit)."""
    if actor is not None and not sees_everything(actor):
        if not Tip.objects.visible_to(actor).filter(pk=tip.pk).exists():
            raise PermissionDenied
        if not Incident.objects.visible_to(actor).filter(pk=incident.pk).exists():
            raise PermissionDenied
        if not permissions.can_edit(actor, incident):
            raise PermissionDenied(_("Chỉ đơn vị chủ trì vụ việc mới liên kết được nguồn tin với vụ việc."))
    if tip.agreement_id != incident.agreement_id:
        raise ValidationError({"incident": _("Vụ việc và nguồn tin phải thuộc cùng quy chế.")})
    with audit_context(actor):
        incident.tips.add(tip)


# Incidents --------------------------------------------------------------------------------------


def _validate_incident(incident: Incident, supporting_units: Sequence[Unit]) -> None:
    validate_moment(incident.occurred_at, "occurred_at", not_in_future=True)
    validate_moment(incident.solved_at, "solved_at", not_in_future=True)
    if incident.solved_at and incident.occurred_at and incident.solved_at < incident.occurred_at:
        raise ValidationError({"solved_at": _("Thời điểm làm rõ không thể trước thời điểm xảy ra.")})
    if incident.suspects_dealt_with > incident.suspects:
        raise ValidationError({"suspects_dealt_with": _("Số đối tượng bị xử lý không thể lớn hơn số đối tượng.")})
    if incident.status in CLEARED_STATUSES and incident.solved_at is None:
        raise ValidationError({"solved_at": _("Nhập thời điểm làm rõ vụ việc.")})
    if incident.status not in CLEARED_STATUSES and incident.solved_at is not None:
        raise ValidationError({"status": _("Vụ việc đã có thời điểm làm rõ phải ở trạng thái đã làm rõ.")})
    validate_place(agreement=incident.agreement, cluster=incident.cluster, communes=[incident.commune],
                   day=timezone.localdate(incident.occurred_at), field="commune")
    allowed = agreement_unit_ids(agreement=incident.agreement)
    for unit in supporting_units:
        if unit.pk not in allowed:
            raise ValidationError({"supporting_units": _("%(unit)s không thuộc các bên của quy chế.") % {"unit": unit}})


def _save_incident(incident: Incident, *, actor, supporting_units, tips, patrols) -> Incident:
    _validate_incident(incident, supporting_units)
    for tip in tips:
        if tip.agreement_id != incident.agreement_id:
            raise ValidationError({"tips": _("Nguồn tin phải thuộc cùng quy chế.")})
    for patrol in patrols:
        if patrol.agreement_id != incident.agreement_id:
            raise ValidationError({"patrols": _("Ca tuần tra phải thuộc cùng quy chế.")})
    incident.jointly_handled = any(u.pk != incident.lead_unit_id for u in supporting_units)
    incident.full_clean()
    with audit_context(actor):
        incident.save()
        incident.supporting_units.set([u for u in supporting_units if u.pk != incident.lead_unit_id])
        incident.tips.set(tips)
        incident.patrols.set(patrols)
    return incident


@transaction.atomic
def incident_create(
    *,
    actor,
    agreement: Agreement,
    occurred_at: datetime.datetime,
    commune: AdministrativeUnit,
    category: IncidentCategory,
    lead_unit: Unit,
    source: str,
    nature: str | None = None,
    cluster: Cluster | None = None,
    place: str = "",
    summary: str = "",
    supporting_units: Sequence[Unit] = (),
    tips: Sequence[Tip] = (),
    patrols: Sequence[Patrol] = (),
    campaign: Campaign | None = None,
    status: str = IncidentStatus.RECEIVED,
    solved_at: datetime.datetime | None = None,
    suspects: int = 0,
    suspects_dealt_with: int = 0,
    outcome: str = "",
) -> Incident:
    """Record an incident for the actor's unit.

    Must hold: not in the future; solved after it occurred; suspects dealt with ≤ suspects; the
    commune in the cluster on that day (or in a party's area); supporting units parties.
    """
    require_record_rights(actor, agreement=agreement, unit=lead_unit)
    incident = Incident(
        agreement=agreement, cluster=cluster, occurred_at=occurred_at, commune=commune, place=place,
        category=category, nature=nature or category.default_nature, summary=summary, lead_unit=lead_unit,
        source=source, campaign=campaign, status=status, solved_at=solved_at, suspects=suspects,
        suspects_dealt_with=suspects_dealt_with, outcome=outcome, created_by=_actor_or_none(actor),
    )
    return _save_incident(incident, actor=actor, supporting_units=supporting_units, tips=tips, patrols=patrols)


@transaction.atomic
def incident_update(
    *, actor, incident: Incident, supporting_units: Sequence[Unit], tips: Sequence[Tip], patrols: Sequence[Patrol],
    expected_version: int | None = None, **values,
) -> Incident:
    """Change an incident the actor's unit leads (same rules as creating it).

    Links to tips and patrols the actor cannot see are kept whatever the form sent: a tip is only
    visible to its two units, and an edit by a third unit must not silently cut it loose. An edit
    loaded from ``expected_version`` is refused when the incident has changed since (None: no check).
    """
    require_record_rights(actor, agreement=incident.agreement, unit=incident.lead_unit)
    incident.version = check_version(incident, expected_version) + 1
    for name, value in values.items():
        setattr(incident, name, value)
    require_record_rights(actor, agreement=incident.agreement, unit=incident.lead_unit)
    if actor is not None and not sees_everything(actor):
        hidden_tips = incident.tips.exclude(pk__in=Tip.objects.visible_to(actor).values("pk"))
        hidden_patrols = incident.patrols.exclude(pk__in=Patrol.objects.visible_to(actor).values("pk"))
        tips = list({t.pk: t for t in [*tips, *hidden_tips]}.values())
        patrols = list({p.pk: p for p in [*patrols, *hidden_patrols]}.values())
    return _save_incident(incident, actor=actor, supporting_units=supporting_units, tips=tips, patrols=patrols)


@transaction.atomic
def incident_set_status(
    *,
    actor,
    incident: Incident,
    status: str,
    solved_at: datetime.datetime | None = None,
    suspects_dealt_with: int | None = None,
    outcome: str = "",
) -> Incident:
    """Move an incident along its statuses; reaching "solved" needs the time it was solved."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    require_record_rights(actor, agreement=incident.agreement, unit=incident.lead_unit)
    if status not in INCIDENT_TRANSITIONS[IncidentStatus(incident.status)]:
        raise ValidationError(
            {"status": _("Không thể chuyển vụ việc từ “%(old)s” sang “%(new)s”.")
             % {"old": incident.get_status_display(), "new": IncidentStatus(status).label}}
        )
    incident.status = status
    if solved_at is not None:
        incident.solved_at = solved_at
    if suspects_dealt_with is not None:
        incident.suspects_dealt_with = suspects_dealt_with
    if outcome:
        incident.outcome = outcome
    _validate_incident(incident, list(incident.supporting_units.all()))
    incident.full_clean()
    with audit_context(actor):
        incident.save()
    return incident
