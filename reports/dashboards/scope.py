"""What a dashboard is about (an agreement, a cluster, the agreements of a unit), looked up through the
access choke point (``agreements.selectors``): another jurisdiction's dashboard is a 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import selectors as registry
from agreements.models import Agreement, Cluster, Role, Unit
from agreements.querysets import officer_of, record_scope, sees_everything
from reports.statistics import RecordScope

SCOPE_AGREEMENT, SCOPE_CLUSTER, SCOPE_UNIT = "quy-che", "cum", "don-vi"
SCOPE_KINDS = (SCOPE_AGREEMENT, SCOPE_CLUSTER, SCOPE_UNIT)
# A unit scope over more agreements than this (and the administrators' whole country) is served from
# a snapshot (see ``cache``) and shown with "Số liệu tính đến …"; smaller scopes are exact.
LARGE_SCOPE_AGREEMENTS = 30


@dataclass
class Scope:
    """What a dashboard is about: one agreement, one cluster, or the agreements of a unit."""

    kind: str
    title: str
    agreement: Agreement | None = None
    cluster: Cluster | None = None
    unit: Unit | None = None
    # Unit scope: the agreements aggregated (visible to the user); None means all of them (administrators).
    agreement_ids: list[int] | None = None
    # Unit scope: the agreement ids the user's lists show without an agreement filter (None: all).
    visible_ids: list[int] | None = field(default=None, repr=False)
    url_pk: int = 0

    @property
    def national(self) -> bool:
        return self.kind == SCOPE_UNIT and self.agreement_ids is None

    @property
    def large(self) -> bool:
        return self.national or (self.kind == SCOPE_UNIT and len(self.agreement_ids or []) > LARGE_SCOPE_AGREEMENTS)

    @property
    def key(self) -> str:
        if self.kind == SCOPE_AGREEMENT:
            return f"a{self.agreement.pk}"
        if self.kind == SCOPE_CLUSTER:
            return f"c{self.cluster.pk}"
        if self.national:
            return "all"
        return "u" + ",".join(str(pk) for pk in sorted(self.agreement_ids or []))

    @property
    def records(self) -> RecordScope:
        """The records the scope's figures count, as the statistics module narrows them."""
        if self.kind == SCOPE_AGREEMENT:
            return RecordScope((self.agreement.pk,))
        if self.kind == SCOPE_CLUSTER:
            return RecordScope((self.cluster.agreement_id,), self.cluster.pk)
        return RecordScope(None if self.agreement_ids is None else tuple(self.agreement_ids))

    def filter(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (incidents, tips, patrols, … any date) narrowed to the records of the scope."""
        return self.records.filter(queryset)

    def dashboard_url(self) -> str:
        if self.kind == SCOPE_AGREEMENT:
            return reverse("reports:dashboard_agreement", kwargs={"pk": self.agreement.pk})
        if self.kind == SCOPE_CLUSTER:
            return reverse("reports:dashboard_cluster", kwargs={"pk": self.cluster.pk})
        if self.url_pk:
            return reverse("reports:dashboard_unit", kwargs={"pk": self.url_pk})
        return reverse("reports:dashboard_unit")

    def export_url(self, table: str, fmt: str, period_query: str) -> str:
        url = reverse("reports:dashboard_export", kwargs={"kind": self.kind, "pk": self.url_pk})
        query = urlencode({"format": fmt, "table": table})
        return f"{url}?{query}&{period_query}" if period_query else f"{url}?{query}"

    # Filters of the lists (patrols, tips, incidents) that hold exactly this scope's records.
    def list_params(self, kind: str) -> dict[str, str] | None:
        """Query-string filters of the ``kind`` list ("patrols", "tips", "incidents") for this scope.

        None when no filter of the lists gives exactly this scope (a unit scope of several
        agreements that are not all the user's).
        """
        if self.kind == SCOPE_AGREEMENT:
            return {"quy_che": str(self.agreement.pk)}
        if self.kind == SCOPE_CLUSTER:
            params = {"quy_che": str(self.cluster.agreement_id)}
            # Incidents count by the commune's membership on the day (docs/FIGURES.md), the rest by their cluster.
            params["thanh_vien_cum" if kind == "incidents" else "cum"] = str(self.cluster.pk)
            return params
        if self.national:
            return {}
        ids = set(self.agreement_ids or [])
        if self.visible_ids is not None and ids == set(self.visible_ids):
            return {}
        if len(ids) == 1:
            return {"quy_che": str(next(iter(ids)))}
        return None


def national_scope() -> Scope:
    return Scope(kind=SCOPE_UNIT, title=str(_("Toàn quốc")), agreement_ids=None)


def agreement_scope(user, pk: int) -> Scope:
    agreement = registry.agreement_get(user=user, pk=pk)
    title = f"{agreement.number} – {agreement.title}" if agreement.number else agreement.title
    return Scope(kind=SCOPE_AGREEMENT, title=title, agreement=agreement, url_pk=agreement.pk)


def cluster_scope(user, pk: int) -> Scope:
    cluster = registry.cluster_get(user=user, pk=pk)
    return Scope(kind=SCOPE_CLUSTER, title=cluster.name, agreement=cluster.agreement, cluster=cluster,
                 url_pk=cluster.pk)


def unit_scope(user, pk: int | None = None) -> Scope:
    """The agreements a unit (or a unit above it) is party to, among those the user may see.

    No ``pk``: the user's own unit; for administrators (who see everything) the whole country. A
    unit that shares no visible agreement with the user is outside his jurisdiction: 404.
    """
    everything = sees_everything(user)
    officer = officer_of(user)
    if not pk:
        if everything:
            return national_scope()
        if officer is None:
            raise Http404
        unit = officer.unit
    else:
        unit = registry.unit_get(pk=pk)
    ids = registry.unit_agreement_ids(user=user, unit=unit)
    own = officer is not None and unit.pk == officer.unit_id
    if not ids and not own and not everything:
        raise Http404
    visible = None if everything else record_scope(user)["agreements"]
    return Scope(kind=SCOPE_UNIT, title=unit.name, unit=unit, agreement_ids=ids, visible_ids=visible,
                 url_pk=0 if (own and not pk) else unit.pk)


def resolve_scope(user, kind: str, pk: int | None) -> Scope:
    if kind == SCOPE_AGREEMENT:
        return agreement_scope(user, pk)
    if kind == SCOPE_CLUSTER:
        return cluster_scope(user, pk)
    if kind == SCOPE_UNIT:
        return unit_scope(user, pk)
    raise Http404


def is_officer(user) -> bool:
    """Officers (not commanders, staff or administrators) get the compact view of their unit."""
    officer = officer_of(user)
    return officer is not None and officer.role == Role.OFFICER and not sees_everything(user)


def related_scopes(scope: Scope, limit: int = 30) -> dict:
    """Where to go from here: an agreement's clusters, a cluster's agreement, a unit's agreements."""
    if scope.kind == SCOPE_AGREEMENT:
        return {"clusters": registry.agreement_clusters(agreement=scope.agreement)}
    if scope.kind == SCOPE_CLUSTER:
        return {"agreement": scope.agreement}
    if scope.national:
        return {}
    agreements = registry.agreements_by_ids(ids=scope.agreement_ids or [], limit=limit)
    return {"agreements": agreements, "more_agreements": max(0, len(scope.agreement_ids or []) - limit)}
