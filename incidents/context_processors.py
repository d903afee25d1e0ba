"""The number of open tips waiting in the user's inbox, for the badge in the navigation bar."""

from __future__ import annotations

from agreements.querysets import user_unit_ids

from . import selectors


def open_tips(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache: dict[str, int] = {}

    def count() -> int:
        # Evaluated only when a template shows it, and once per request.
        if "n" not in cache:
            unit_ids = user_unit_ids(user)
            cache["n"] = selectors.tip_inbox(user=user, unit_ids=unit_ids).count() if unit_ids else 0
        return cache["n"]

    return {"bz_open_tip_count": count}
