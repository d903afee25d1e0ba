"""Dashboards of an agreement, a cluster and a unit: what the page shows, and where each figure links.

Nothing here counts records: every number on a dashboard comes from ``reports.statistics`` (the
module the printed review report reads too), and every period from ``borderzone.periods``. The
package only
* works out the scope through the access choke point, so another jurisdiction's dashboard is a
  404 (``scope``);
* caches the figures (exact, keyed by the data stamp, or a periodic snapshot for large scopes) and
  each user's rendered page (``cache``);
* builds, for each figure, the URL of the list of the records behind it, so that the list's count
  equals the figure (``links``), and the tiles, tables and charts (``tiles``) of the page (``page``).
"""

from .cache import (
    EXACT_CACHE_SECONDS,
    SNAPSHOT_SECONDS,
    STAMP_TABLES,
    Figures,
    dashboard_figures,
    data_stamp,
    figures_key,
    refresh_national_snapshot,
)
from .links import LIST_URLS, Links, list_completeness
from .page import dashboard_content, dashboard_context, latest_records, officer_context, overdue_tips
from .scope import (
    LARGE_SCOPE_AGREEMENTS,
    SCOPE_AGREEMENT,
    SCOPE_CLUSTER,
    SCOPE_KINDS,
    SCOPE_UNIT,
    Scope,
    agreement_scope,
    cluster_scope,
    is_officer,
    national_scope,
    related_scopes,
    resolve_scope,
    unit_scope,
)
from .tiles import Tile, breakdowns, build_tiles, charts_for, coverage_table

__all__ = [
    "EXACT_CACHE_SECONDS", "LARGE_SCOPE_AGREEMENTS", "LIST_URLS", "SCOPE_AGREEMENT", "SCOPE_CLUSTER", "SCOPE_KINDS",
    "SCOPE_UNIT", "SNAPSHOT_SECONDS", "STAMP_TABLES", "Figures", "Links", "Scope", "Tile", "agreement_scope",
    "breakdowns", "build_tiles", "charts_for", "cluster_scope", "coverage_table", "dashboard_content",
    "dashboard_context", "dashboard_figures", "data_stamp", "figures_key", "is_officer", "latest_records",
    "list_completeness", "national_scope", "officer_context", "overdue_tips", "refresh_national_snapshot",
    "related_scopes", "resolve_scope", "unit_scope",
]
