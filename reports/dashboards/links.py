"""Where each figure links: the list (patrols, tips, incidents) whose count, with its query-string
filters, equals the figure (``reports/tests/test_statistics.py`` checks this against every list)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from agreements.querysets import sees_everything
from borderzone.periods import Period
from incidents.models import Incident, Tip
from patrols.models import Patrol

from .scope import Scope, is_officer

LIST_URLS = {"incidents": "incidents:incident_list", "tips": "incidents:tip_list", "patrols": "patrols:patrol_list"}


@dataclass
class Links:
    """Builds the URL of the list behind a figure, or None when no list holds exactly its records."""

    scope: Scope
    period: Period
    # Lists that show the user every record of the scope (a tip is read only by its two units; an
    # officer's lists leave out agreement-wide records his unit had no part in).
    complete: dict[str, bool]

    def target(self, kind: str, period: Period | None = None, **extra) -> tuple[str, dict[str, str]] | None:
        """``(url name, query parameters)`` of the ``kind`` list behind a figure of ``period`` (default:
        the dashboard's), narrowed further by ``extra`` filters; None when no list holds exactly its records."""
        if not self.complete.get(kind, False):
            return None
        params = self.scope.list_params(kind)
        if params is None:
            return None
        params = {**params, **(period or self.period).to_query()}
        params.update({k: str(v) for k, v in extra.items() if v is not None and v != ""})
        return LIST_URLS[kind], params

    def url(self, kind: str, period: Period | None = None, **extra) -> str | None:
        target = self.target(kind, period, **extra)
        if target is None:
            return None
        url_name, params = target
        return f"{reverse(url_name)}?{urlencode(params)}"


def list_completeness(user, scope: Scope, querysets: dict) -> dict[str, bool]:
    """Whether the user's lists hold every record the figures count (one EXISTS per list, none for administrators)."""
    if sees_everything(user):
        return dict.fromkeys(LIST_URLS, True)
    complete = {}
    models = {"incidents": Incident, "tips": Tip, "patrols": Patrol}
    for kind, model in models.items():
        if kind != "tips" and not is_officer(user):
            complete[kind] = True  # commanders and staff see every record of their agreements
            continue
        hidden = querysets[kind].exclude(pk__in=model.objects.visible_to(user).values("pk"))
        complete[kind] = not hidden.exists()
    return complete
