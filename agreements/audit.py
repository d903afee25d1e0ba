"""Stamps of the audit trail: the newest event id of some audited tables, for exact cache keys.

Every write through the application (services, admin, pages) adds an audit event, so a value cached
under a key that contains the stamp of the tables it was computed from is exact: any change to them
gives a new key. Writes that bypass the triggers (``generate_data``'s synthetic load) are not seen.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def audit_stamp(tables: Sequence[str]) -> str:
    """One cheap query (an index lookup per table): the newest event id of each audit table, joined."""
    sql = "SELECT " + ", ".join(f"(SELECT max(pgh_id) FROM {connection.ops.quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return "-".join(str(v or 0) for v in row)


def request_stamp(request, tables: Sequence[str]) -> str:
    """``audit_stamp(tables)``, queried once per read request.

    A stamp already taken in the request over more tables serves as well: it changes whenever one
    of ``tables`` does. Only GET and HEAD keep it, since they do not write and so it cannot change
    while they run; any other request queries each time.
    """
    if request is None or request.method not in ("GET", "HEAD"):
        return audit_stamp(tables)
    memo: dict[tuple[str, ...], str] = request.__dict__.setdefault("_borderzone_audit_stamps", {})
    wanted = set(tables)
    for known, stamp in memo.items():
        if wanted <= set(known):
            return stamp
    stamp = memo[tuple(tables)] = audit_stamp(tables)
    return stamp
