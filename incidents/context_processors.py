"""The number of open tips waiting in the user's inbox, for the badge in the navigation bar."""

from __future__ import annotations

from . import selectors


def open_tips(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memo: dict[str, int] = {}

    def count() -> int:
        # Evaluated only when a template shows it, and once per request.
        if "n" not in memo:
            memo["n"] = selectors.tip_inbox_count(user=user, request=request)
        return memo["n"]

    return {"bz_open_tip_count": count}
