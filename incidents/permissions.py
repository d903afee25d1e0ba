"""Who may record tips and incidents, process a tip and change an incident.

Jurisdiction (which rows exist for a user) is decided only in ``querysets.visible_to``; these rules
come after it. Recording and acting for a unit are the field-record rules of ``agreements.permissions``.
"""

from __future__ import annotations

from agreements.permissions import acts_for, can_record

from .models import Incident, Tip

__all__ = ["acts_for", "can_edit", "can_process", "can_record"]


def can_process(user, tip: Tip) -> bool:
    """Only the receiving unit (or a unit above it) acknowledges and moves a tip along."""
    return acts_for(user, tip.to_unit_id)


def can_edit(user, incident: Incident) -> bool:
    """Only the lead unit (or a unit above it) edits an incident or moves it along its statuses."""
    return acts_for(user, incident.lead_unit_id)
