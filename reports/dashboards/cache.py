"""The dashboards' cache: the figures of a scope and period, and each user's rendered page.

Small scopes are exact: their key includes the data stamp (the newest audit event of every table
behind the figures), so any write through the application drops them. Large scopes (the whole
country, a unit with many agreements) are a snapshot at most SNAPSHOT_SECONDS old, kept fresh by a
periodic task (:func:`refresh_national_snapshot`), and the page says when it was taken.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils import timezone

from agreements.audit import request_stamp
from borderzone.periods import KIND_YEAR, ChosenPeriod, choose
from incidents.selectors import INBOX_TABLES
from reports import statistics

from .scope import SCOPE_UNIT, Scope, national_scope

SNAPSHOT_SECONDS = 10 * 60
EXACT_CACHE_SECONDS = 30 * 60

# Audit tables whose newest event id changes whenever a record behind a figure is written through the
# application (the services, the admin, the pages): the cache key of the exact figures includes it.
STAMP_TABLES = (
    "incidents_incidentevent", "incidents_tipevent", "incidents_incidenttiplinkevent", "patrols_patrolevent",
    "agreements_clustermemberevent", "patrols_patrolparticipationevent",
)
# One stamp per dashboard visit serves the figures and the menu's inbox badge.
PAGE_STAMP_TABLES = STAMP_TABLES + tuple(t for t in INBOX_TABLES if t not in STAMP_TABLES)


def data_stamp(request=None) -> str:
    """One cheap query: the newest audit event of every table behind the figures (and the badge)."""
    return request_stamp(request, PAGE_STAMP_TABLES)


def cache_seconds(snapshot: bool) -> int:
    return SNAPSHOT_SECONDS if snapshot else EXACT_CACHE_SECONDS


@dataclass
class Figures:
    data: dict
    coverage: dict
    computed_at: datetime.datetime
    snapshot: bool  # served from a periodic snapshot (large scopes), not exact to the minute
    key: str = ""


def figures_key(scope: Scope, chosen: ChosenPeriod, today: datetime.date, request=None) -> str:
    """The cache key of a scope's figures: with ``data_stamp()`` for small scopes, "snapshot" for large ones."""
    stamp = "snapshot" if scope.large else data_stamp(request)
    return ":".join(("bz-dash", str(statistics.VERSION), scope.key, chosen.period.start.isoformat(),
                     chosen.period.end.isoformat(), chosen.comparison.start.isoformat(), today.isoformat(), stamp))


def dashboard_figures(scope: Scope, chosen: ChosenPeriod, today: datetime.date, key: str | None = None) -> Figures:
    """The scope's figures, from the cache when nothing changed since they were computed."""
    snapshot = scope.large
    key = key or figures_key(scope, chosen, today)
    cached = cache.get(key)
    if cached is not None:
        return cached
    if scope.kind == SCOPE_UNIT:
        data = statistics.compute_unit_figures(agreement_ids=scope.agreement_ids, period=chosen.period,
                                               comparison=chosen.comparison, today=today)
    else:
        data = statistics.compute_figures(agreement=scope.agreement, cluster=scope.cluster, period=chosen.period,
                                          comparison=chosen.comparison, today=today)
    figures = Figures(data=data, coverage=statistics.patrol_coverage(scope.records, chosen.period),
                      computed_at=timezone.now(), snapshot=snapshot, key=key)
    cache.set(key, figures, cache_seconds(snapshot))
    return figures


def page_key(figures: str, user_pk: int, typed: dict[str, str] | None) -> str:
    """The key of one user's rendered page: under the figures' key (dropped with them), per picker input."""
    text = urlencode(sorted(typed.items())) if typed is not None else ""
    return f"{figures}:u{user_pk}:page:{hashlib.sha1(text.encode()).hexdigest()}"


def cached_page(key: str, render: Callable[[], str], *, snapshot: bool, store: bool = True) -> str:
    """The page under ``key``, rendered and kept when missing; ``store=False`` renders it each time."""
    html = cache.get(key) if store else None
    if html is None:
        html = render()
        if store:
            cache.set(key, html, cache_seconds(snapshot))
    return html


def refresh_national_snapshot(today: datetime.date | None = None) -> Figures:
    """Recount the whole country's figures of the current year into the cache (for a periodic task).

    The national dashboard is served from a snapshot (counting a million incidents takes seconds);
    calling this every few minutes (Celery beat) keeps the snapshot fresh, so no visitor waits for
    the count. Needs a cache shared by the web processes (Redis in production).
    """
    today = today or timezone.localdate()
    scope = national_scope()
    chosen = choose(KIND_YEAR, year=today.year, today=today)
    key = figures_key(scope, chosen, today)
    cache.delete(key)
    return dashboard_figures(scope, chosen, today, key=key)
