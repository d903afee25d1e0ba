"""What every app's services share."""

from __future__ import annotations

import pghistory


def audit_context(actor) -> pghistory.context:
    """The audit context of a write: every event it records names ``actor`` (None for the system).

    Services open it themselves (inside their transaction) because pghistory's middleware does not
    wrap reads, and writes also come from tasks and commands with no request at all.
    """
    return pghistory.context(user=getattr(actor, "pk", None))
