"""The number of open tips waiting in the user's inbox, for the badge in the navigation bar."""

from __future__ import annotations

from django.core.cache import cache

from agreements.audit import request_stamp
from agreements.querysets import user_unit_ids

from . import selectors

# What the inbox count depends on: the tips, which agreements the user's units are party to, the
# units' tree and the officer's unit and role. Cached under their newest audit events, the count is
# exact, and most pages read it from the cache instead of two queries through the choke point.
INBOX_TABLES = ("incidents_tipevent", "agreements_agreementpartyevent", "agreements_unitevent",
                "agreements_officerevent")
INBOX_SECONDS = 30 * 60


def inbox_count(user, request=None) -> int:
    unit_ids = user_unit_ids(user)
    if not unit_ids:
        return 0
    key = f"bz-inbox:{user.pk}:{'-'.join(map(str, unit_ids))}:{request_stamp(request, INBOX_TABLES)}"
    count = cache.get(key)
    if count is None:
        count = selectors.tip_inbox(user=user, unit_ids=unit_ids).count()
        cache.set(key, count, INBOX_SECONDS)
    return count


def open_tips(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memo: dict[str, int] = {}

    def count() -> int:
        # Evaluated only when a template shows it, and once per request.
        if "n" not in memo:
            memo["n"] = inbox_count(user, request)
        return memo["n"]

    return {"bz_open_tip_count": count}
