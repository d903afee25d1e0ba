"""Who may edit and confirm patrols. Recording and acting for a unit are the field-record rules of
``agreements.permissions`` (tips and incidents use them too).

Jurisdiction (which rows exist for a user) is decided only in ``querysets.visible_to``; these rules
come after it. The pages ask them to show or refuse a page, the services to refuse a write.
"""

from __future__ import annotations

from agreements.permissions import acts_for, can_record, works_under
from agreements.querysets import record_scope, unit_lines
from agreements.selectors import party_unit_ids_among

from .models import Patrol


def can_edit(user, patrol: Patrol) -> bool:
    """The lead unit's people edit its patrol, under an agreement they work under."""
    return works_under(user, patrol.agreement_id) and acts_for(user, patrol.lead_unit_id)


def can_confirm(user, patrol: Patrol) -> bool:
    """Another party vouches for the patrol: the user acts for a participating unit and works outside
    the line of the lead unit's party (that party's unit and the units under it), and did not record
    the patrol himself. A commune police under the lead's party, or the lead's own parent, cannot
    confirm: that would be the lead confirming itself.
    """
    if user is None or not user.is_authenticated:
        return False
    if patrol.created_by_id is not None and patrol.created_by_id == user.pk:
        return False
    scope = record_scope(user)
    if scope["all"]:
        return True
    own_units = set(scope["own_units"])
    if own_units.intersection(lead_party_line(patrol)):
        return False
    partners = {p.unit_id for p in patrol.participations.all() if p.unit_id != patrol.lead_unit_id}
    return bool(partners.intersection(own_units))


def lead_party_line(patrol: Patrol) -> set[int]:
    """The party units whose line holds the lead unit (the lead unit itself when no party's does).

    Someone whose unit or a unit above it is one of these works in the lead's line.
    """
    above_lead = unit_lines(patrol.lead_unit_id)[0]
    return set(party_unit_ids_among(agreement_id=patrol.agreement_id, unit_ids=above_lead)) or {patrol.lead_unit_id}


__all__ = ["acts_for", "can_confirm", "can_edit", "can_record", "works_under"]
