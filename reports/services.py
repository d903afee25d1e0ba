"""Every write to review conferences (hội nghị) and the awards given at them.

Same pattern as the other apps: keyword-only typed arguments, validation with Vietnamese messages,
``full_clean()``, one transaction, the acting user in the audit context. ``actor=None`` is the
system (demo loader, imports).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Cluster, Unit
from agreements.permissions import can_manage_registry
from agreements.selectors import agreement_unit_ids

from .models import Award, AwardForm, Conference


def _audit(actor) -> pghistory.context:
    return pghistory.context(user=getattr(actor, "pk", None))


def _require_rights(actor, agreement: Agreement) -> None:
    """The system, or a staff officer / administrator who sees the agreement."""
    if actor is None:
        return
    if not can_manage_registry(actor) or not Agreement.objects.visible_to(actor).filter(pk=agreement.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _unit_active_on(unit: Unit, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or day <= unit.valid_to)


def _validate_units(
    *, agreement: Agreement, host_unit: Unit, attending_units: Sequence[Unit], held_on: datetime.date
) -> None:
    allowed = agreement_unit_ids(agreement=agreement)
    errors: dict[str, list[str]] = {}
    if host_unit.pk not in allowed:
        errors.setdefault("host_unit", []).append(
            _("%(unit)s không thuộc các bên của quy chế.") % {"unit": host_unit}
        )
    elif not _unit_active_on(host_unit, held_on):
        errors.setdefault("host_unit", []).append(
            _("%(unit)s không hoạt động vào ngày %(day)s.") % {"unit": host_unit, "day": f"{held_on:%d/%m/%Y}"}
        )
    others = [u for u in attending_units if u.pk != host_unit.pk]
    outside = [u for u in others if u.pk not in allowed]
    if outside:
        errors.setdefault("attending_units", []).append(
            _("%(units)s không thuộc các bên của quy chế.") % {"units": ", ".join(str(u) for u in outside)}
        )
    inactive = [u for u in others if u.pk in allowed and not _unit_active_on(u, held_on)]
    if inactive:
        errors.setdefault("attending_units", []).append(
            _("%(units)s không hoạt động vào ngày %(day)s.")
            % {"units": ", ".join(str(u) for u in inactive), "day": f"{held_on:%d/%m/%Y}"}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def conference_create(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    title: str,
    held_on: datetime.date,
    host_unit: Unit,
    place: str = "",
    cluster: Cluster | None = None,
    attending_units: Sequence[Unit] = (),
    period_year: int | None = None,
    outcomes: str = "",
    new_agreement: Agreement | None = None,
) -> Conference:
    """Record a conference held under an agreement (sơ kết, tổng kết, ký kết, giao ban).

    Must hold: the actor is the system or a staff officer / administrator who sees the agreement
    (and the new agreement, if any); ``kind`` is one of ``ConferenceKind``; the title is not blank;
    the conference was held, not in the future, and not before the agreement was signed; the
    cluster, if any, belongs to the agreement; the host and every attending unit are parties of
    the agreement or units under them, active on that day (the host is counted among the
    attending units); the year reviewed is not after the year of the conference, nor before the
    agreement took effect; an agreement signed at the conference is another agreement, signed on
    the day of the conference.
    """
    _require_rights(actor, agreement)
    if new_agreement is not None:
        _require_rights(actor, new_agreement)
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("Ngày tổ chức nằm ở tương lai.")
    elif agreement.signed_on and held_on < agreement.signed_on:
        errors["held_on"] = _("Hội nghị không thể diễn ra trước ngày ký quy chế (%(day)s).") % {
            "day": f"{agreement.signed_on:%d/%m/%Y}"
        }
    if cluster is not None and cluster.agreement_id != agreement.pk:
        errors["cluster"] = _("Cụm phải thuộc quy chế phối hợp đã chọn.")
    if period_year is not None:
        started = agreement.effective_from or agreement.signed_on
        if period_year > held_on.year:
            errors["period_year"] = _("Năm được đánh giá không thể sau năm tổ chức hội nghị.")
        elif started is not None and period_year < started.year:
            errors["period_year"] = _("Năm được đánh giá không thể trước năm quy chế có hiệu lực.")
    if new_agreement is not None:
        if new_agreement.pk == agreement.pk:
            errors["new_agreement"] = _("Quy chế được ký tại hội nghị phải khác quy chế được sơ kết, tổng kết.")
        elif new_agreement.signed_on and new_agreement.signed_on != held_on:
            errors["new_agreement"] = _("Quy chế này ký ngày %(day)s, không phải ngày tổ chức hội nghị.") % {
                "day": f"{new_agreement.signed_on:%d/%m/%Y}"
            }
    if errors:
        raise ValidationError(errors)
    attending = list({u.pk: u for u in [host_unit, *attending_units]}.values())
    _validate_units(agreement=agreement, host_unit=host_unit, attending_units=attending, held_on=held_on)
    conference = Conference(
        agreement=agreement, cluster=cluster, kind=kind, title=title.strip(), held_on=held_on, place=place.strip(),
        host_unit=host_unit, period_year=period_year, outcomes=outcomes, new_agreement=new_agreement,
    )
    conference.full_clean()
    with _audit(actor):
        conference.save()
        conference.attending_units.set(attending)
    return conference


@transaction.atomic
def award_create(
    *,
    actor,
    conference: Conference,
    recipient_kind: str,
    recipient: str,
    authority: str,
    form: str = AwardForm.CERTIFICATE,
    recipient_unit: Unit | None = None,
    reason: str = "",
) -> Award:
    """Record an award (giấy khen, bằng khen) given at a conference to a collective or an individual.

    Must hold: the actor may record conferences of the conference's agreement; ``recipient_kind``
    is one of ``RecipientKind`` and ``form`` one of ``AwardForm``; recipient and awarding
    authority are not blank; the unit the recipient belongs to, if given, is a party of the
    agreement or under one; the same recipient is not awarded twice at the same conference.
    """
    _require_rights(actor, conference.agreement)
    recipient, authority = recipient.strip(), authority.strip()
    if recipient_unit is not None and recipient_unit.pk not in agreement_unit_ids(agreement=conference.agreement):
        raise ValidationError(
            {"recipient_unit": _("%(unit)s không thuộc các bên của quy chế.") % {"unit": recipient_unit}}
        )
    if recipient and conference.awards.filter(recipient_kind=recipient_kind, recipient__iexact=recipient).exists():
        raise ValidationError({"recipient": _("%(name)s đã được khen thưởng tại hội nghị này.") % {"name": recipient}})
    award = Award(
        conference=conference, recipient_kind=recipient_kind, recipient=recipient, authority=authority, form=form,
        recipient_unit=recipient_unit, reason=reason,
    )
    award.full_clean()
    with _audit(actor):
        award.save()
    return award
