"""Who may record, edit and confirm field records (patrols here; tips and incidents build on these).

Jurisdiction (which rows exist for a user) is decided only in ``querysets.visible_to``; these rules
come after it. The pages ask them to show or refuse a page, the services to refuse a write.
"""

from __future__ import annotations

from agreements.querysets import officer_of, record_scope, sees_everything

from .models import Patrol


def can_record(user) -> bool:
    """Field records are written for a unit: the user needs one (administrators act for any)."""
    return sees_everything(user) or officer_of(user) is not None


def works_under(user, agreement_id: int) -> bool:
    """The user's unit is a party to the agreement (or under one), or the user sees everything."""
    if sees_everything(user):
        return True
    return agreement_id in record_scope(user)["agreements"]


def acts_for(user, unit_id: int) -> bool:
    """The user works for ``unit_id`` (or a unit under it), or sees everything."""
    if sees_everything(user):
        return True
    return unit_id in record_scope(user).get("own_units", [])


def can_edit(user, patrol: Patrol) -> bool:
    """The lead unit's people edit its patrol, under an agreement they work under."""
    return works_under(user, patrol.agreement_id) and acts_for(user, patrol.lead_unit_id)


def can_confirm(user, patrol: Patrol) -> bool:
    """A participating unit other than the lead confirms the patrol (the lead cannot vouch for itself)."""
    scope = record_scope(user)
    if scope["all"]:
        return True
    partners = {p.unit_id for p in patrol.participations.all() if p.unit_id != patrol.lead_unit_id}
    return bool(partners.intersection(scope["own_units"]))
