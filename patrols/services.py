"""Every write to patrols, campaigns and checkpoints."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import AdministrativeUnit, Agreement, Cluster, Unit
from agreements.selectors import agreement_unit_ids, candidate_units
from agreements.services import require_record_rights, validate_place
from borderzone.services import audit_context, check_version, validate_moment, validate_not_future

from . import permissions
from .models import Campaign, Checkpoint, Patrol, PatrolParticipant, PatrolParticipation, PatrolStatus


@dataclass(frozen=True)
class ParticipationData:
    unit: Unit
    officers: int


@dataclass(frozen=True)
class ParticipantData:
    full_name: str
    unit: Unit
    rank: str = ""



def _require_party_units(agreement: Agreement, units: Sequence[Unit]) -> None:
    allowed = agreement_unit_ids(agreement=agreement)
    outside = [u.name for u in units if u.pk not in allowed]
    if outside:
        message = _("%(names)s không thuộc các bên của quy chế.") % {"names": ", ".join(outside)}
        raise ValidationError({"units": message})


def _validate_participations(
    agreement: Agreement, lead_unit: Unit, rows: Sequence[ParticipationData], *, actor=None
) -> None:
    """Must hold: the messages name only units of the agreement or units the actor may pick
    (``candidate_units``); any other unit stays unnamed, its id may have been typed."""
    if not rows:
        raise ValidationError({"participations": _("Nhập ít nhất một đơn vị tham gia và số cán bộ, chiến sĩ.")})
    seen: set[int] = set()
    allowed = agreement_unit_ids(agreement=agreement)
    for row in rows:
        if row.officers is None or row.officers < 1:
            raise ValidationError({"participations": _("Số cán bộ, chiến sĩ của mỗi đơn vị phải lớn hơn 0.")})
        if row.unit.pk not in allowed:
            if actor is None or candidate_units(user=actor).filter(pk=row.unit.pk).exists():
                message = _("%(unit)s không thuộc các bên của quy chế.") % {"unit": row.unit}
            else:
                message = _("Một đơn vị tham gia không thuộc các bên của quy chế.")
            raise ValidationError({"participations": message})
        if row.unit.pk in seen:
            raise ValidationError({"participations": _("Đơn vị %(unit)s được khai báo hai lần.") % {"unit": row.unit}})
        seen.add(row.unit.pk)
    if lead_unit.pk not in seen:
        raise ValidationError({"participations": _("Đơn vị chủ trì phải có trong danh sách đơn vị tham gia.")})


def _write_patrol(
    patrol: Patrol,
    *,
    actor,
    communes: Sequence[AdministrativeUnit],
    participations: Sequence[ParticipationData],
    participants: Sequence[ParticipantData] | None,
) -> Patrol:
    # A planned patrol may lie ahead; every other one has happened.
    happened = patrol.status != PatrolStatus.PLANNED
    validate_moment(patrol.started_at, "started_at", not_in_future=happened)
    validate_moment(patrol.ended_at, "ended_at", not_in_future=happened)
    if patrol.campaign_id and patrol.campaign.agreement_id != patrol.agreement_id:
        raise ValidationError({"campaign": _("Đợt cao điểm phải thuộc cùng quy chế phối hợp.")})
    if patrol.started_at and patrol.ended_at and patrol.ended_at < patrol.started_at:
        raise ValidationError({"ended_at": _("Thời điểm kết thúc phải sau thời điểm bắt đầu.")})
    if patrol.ended_at and patrol.ended_at - patrol.started_at > datetime.timedelta(days=3):
        raise ValidationError({"ended_at": _("Một ca tuần tra không kéo dài quá 3 ngày.")})
    day = timezone.localdate(patrol.started_at)
    validate_place(agreement=patrol.agreement, cluster=patrol.cluster, communes=communes, day=day)
    _validate_participations(patrol.agreement, patrol.lead_unit, participations, actor=actor)
    patrol.officer_total = sum(p.officers for p in participations)
    patrol.full_clean()
    with audit_context(actor):
        patrol.save()
        patrol.communes.set(communes)
        patrol.participations.all().delete()
        PatrolParticipation.objects.bulk_create(
            [PatrolParticipation(patrol=patrol, unit=p.unit, officers=p.officers) for p in participations]
        )
        if participants is not None:
            patrol.participants.all().delete()
            PatrolParticipant.objects.bulk_create(
                [PatrolParticipant(patrol=patrol, full_name=p.full_name, unit=p.unit, rank=p.rank)
                 for p in participants]
            )
    return patrol


@transaction.atomic
def patrol_create(
    *,
    actor,
    agreement: Agreement,
    lead_unit: Unit,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    participations: Sequence[ParticipationData],
    cluster: Cluster | None = None,
    programme: str = "",
    communes: Sequence[AdministrativeUnit] = (),
    route: str = "",
    findings: str = "",
    status: str = PatrolStatus.DONE,
    campaign: Campaign | None = None,
    participants: Sequence[ParticipantData] = (),
) -> Patrol:
    """Log a joint patrol.

    Must hold: the actor works under the agreement and for the lead unit; end after start; not
    in the future unless planned; communes in the cluster on that day; every participating unit
    a party (or under a party) with at least one officer; the lead unit among them.
    """
    require_record_rights(actor, agreement=agreement, unit=lead_unit)
    if status == PatrolStatus.CONFIRMED:
        raise ValidationError({"status": _("Chỉ đơn vị bạn mới xác nhận được ca tuần tra.")})
    patrol = Patrol(
        agreement=agreement, cluster=cluster, programme=programme.strip(), started_at=started_at, ended_at=ended_at,
        route=route, lead_unit=lead_unit, findings=findings, status=status, campaign=campaign,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    return _write_patrol(patrol, actor=actor, communes=communes, participations=participations,
                         participants=participants)


@transaction.atomic
def patrol_update(
    *,
    actor,
    patrol: Patrol,
    participations: Sequence[ParticipationData],
    communes: Sequence[AdministrativeUnit],
    participants: Sequence[ParticipantData] | None = None,
    expected_version: int | None = None,
    **values,
) -> Patrol:
    """Change a patrol the actor's unit leads. ``participants=None`` keeps the named participants.

    A confirmed patrol changed afterwards needs confirming again: the partner confirmed what it
    saw, not what the lead unit wrote later. Only the partner sets "confirmed". An edit loaded
    from ``expected_version`` is refused when the patrol has changed since (None: no check).
    """
    require_record_rights(actor, agreement=patrol.agreement, unit=patrol.lead_unit)
    patrol.version = check_version(patrol, expected_version) + 1
    was_confirmed = patrol.status == PatrolStatus.CONFIRMED
    for name, value in values.items():
        setattr(patrol, name, value)
    require_record_rights(actor, agreement=patrol.agreement, unit=patrol.lead_unit)
    if was_confirmed or patrol.status == PatrolStatus.CONFIRMED:
        if patrol.status in (PatrolStatus.CONFIRMED, PatrolStatus.DONE):
            patrol.status = PatrolStatus.DONE
        patrol.confirmed_by, patrol.confirmed_at = None, None
    return _write_patrol(patrol, actor=actor, communes=communes, participations=participations,
                         participants=participants)


@transaction.atomic
def patrol_confirm(*, actor, patrol: Patrol, at: datetime.datetime | None = None) -> Patrol:
    """The partner confirms: the actor belongs to a participating unit outside the line of the lead
    unit's party, and is not the one who recorded the patrol.

    ``at`` back-dates a confirmation entered late (never before the patrol, never in the future);
    ``actor=None`` is the system (imports, demo data).
    """
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if actor is not None and patrol.created_by_id is not None and patrol.created_by_id == actor.pk:
        raise PermissionDenied(_("Người ghi nhận ca tuần tra không được tự xác nhận."))
    if actor is not None and not permissions.can_confirm(actor, patrol):
        raise PermissionDenied(_("Chỉ đơn vị cùng tham gia tuần tra mới xác nhận được."))
    if at is not None:
        validate_not_future(at, "confirmed_at")
        if at < patrol.started_at:
            raise ValidationError({"confirmed_at": _("Không thể xác nhận trước khi ca tuần tra bắt đầu.")})
    if patrol.status == PatrolStatus.PLANNED:
        raise ValidationError({"status": _("Ca tuần tra chưa thực hiện, chưa thể xác nhận.")})
    if patrol.status == PatrolStatus.CONFIRMED:
        return patrol
    patrol.status = PatrolStatus.CONFIRMED
    patrol.confirmed_by = actor if getattr(actor, "pk", None) else None
    patrol.confirmed_at = at or timezone.now()
    with audit_context(actor):
        patrol.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return patrol


@transaction.atomic
def campaign_create(
    *,
    actor,
    agreement: Agreement,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    units: Sequence[Unit] = (),
    cluster: Cluster | None = None,
    targets: str = "",
    results: str = "",
) -> Campaign:
    """Record a crackdown campaign under an agreement the actor works under."""
    require_record_rights(actor, agreement=agreement)
    validate_moment(starts_on, "starts_on")
    validate_moment(ends_on, "ends_on")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if cluster is not None and cluster.agreement_id != agreement.pk:
        raise ValidationError({"cluster": _("Cụm phải thuộc quy chế phối hợp đã chọn.")})
    _require_party_units(agreement, units)
    campaign = Campaign(
        agreement=agreement, cluster=cluster, name=name, starts_on=starts_on, ends_on=ends_on, targets=targets,
        results=results,
    )
    campaign.full_clean()
    with audit_context(actor):
        campaign.save()
        campaign.units.set(units)
    return campaign


@transaction.atomic
def checkpoint_create(
    *,
    actor,
    agreement: Agreement,
    place: str,
    commune: AdministrativeUnit,
    purpose: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    units: Sequence[Unit] = (),
    cluster: Cluster | None = None,
) -> Checkpoint:
    """Record a checkpoint; its commune must lie in the agreement's (or cluster's) area."""
    require_record_rights(actor, agreement=agreement)
    validate_moment(starts_on, "starts_on")
    validate_moment(ends_on, "ends_on")
    validate_place(agreement=agreement, cluster=cluster, communes=[commune], day=starts_on, field="commune")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    _require_party_units(agreement, units)
    checkpoint = Checkpoint(
        agreement=agreement, cluster=cluster, place=place, commune=commune, purpose=purpose, starts_on=starts_on,
        ends_on=ends_on,
    )
    checkpoint.full_clean()
    with audit_context(actor):
        checkpoint.save()
        checkpoint.units.set(units)
    return checkpoint
