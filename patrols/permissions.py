"""Who may edit and confirm patrols. Recording and acting for a unit are the field-record rules of
``agreements.permissions`` (tips and incidents use them too).

Jurisdiction (which rows exist for a user) is decided only in ``querysets.visible_to``; these rules
come after it. The pages ask them to show or refuse a page, the services to refuse a write.
"""

from __future__ import annotations

from agreements.permissions import acts_for, can_record, works_under
from agreements.querysets import record_scope

from .models import Patrol


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


__all__ = ["acts_for", "can_confirm", "can_edit", "can_record", "works_under"]
