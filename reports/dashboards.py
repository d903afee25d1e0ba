"""Dashboards of an agreement, a cluster and a unit: what the page shows, and where each figure links.

Nothing here counts records for a figure: every number on a dashboard comes from
``reports.statistics.compute_figures`` (the module the printed review report reads too). This
module only
* works out the scope (agreement, cluster, unit) through the access choke point
  (``Agreement.objects.visible_to`` and friends), so another jurisdiction's dashboard is a 404;
* reads the period picker (year, quarter, month, from–to; default: the current year, which runs
  up to today and is compared with the same days one year earlier);
* builds, for each figure, the URL of the list of the records behind it (``patrols:patrol_list``,
  ``incidents:incident_list``, ``incidents:tip_list`` with their GET filters), so that the list's count
  equals the figure;
* adds the two views the statistics module does not have (patrols per commune per month, the latest
  records), each one query over the statistics module's own base querysets.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agreements import selectors as registry
from agreements.audit import request_stamp
from agreements.forms import DateInput
from agreements.models import Agreement, AgreementParty, Cluster, Role, Unit
from agreements.querysets import officer_of, record_scope, sees_everything, unit_subtree_ids
from borderzone.formatting import change_text, clearance_text, vn_date, vn_number
from incidents.models import Incident, Tip
from incidents.selectors import INBOX_TABLES
from patrols.models import Patrol
from patrols.selectors import Period, in_period

from . import statistics

ONE_DAY = datetime.timedelta(days=1)

# Periods ----------------------------------------------------------------------------------------

KIND_YEAR, KIND_QUARTER, KIND_MONTH, KIND_RANGE = "nam", "quy", "thang", "khoang"
PERIOD_KINDS = [
    (KIND_YEAR, _("Năm")),
    (KIND_QUARTER, _("Quý")),
    (KIND_MONTH, _("Tháng")),
    (KIND_RANGE, _("Từ ngày – đến ngày")),
]
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
# A dashboard compares like with like; a custom range longer than this is a review report's job.
MAX_RANGE_DAYS = 366 * 5

YEAR_ERRORS = {
    "invalid": _("Nhập năm bằng chữ số, ví dụ 2023."),
    "min_value": _("Năm phải từ %(limit_value)s trở về sau."),
    "max_value": _("Năm không được sau %(limit_value)s."),
}


def month_end(year: int, month: int) -> datetime.date:
    """The first day of the next month (the end of a half-open month)."""
    return datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)


@dataclass(frozen=True)
class ChosenPeriod:
    """What the picker chose: the half-open period, its comparison and how to word it."""

    period: Period
    comparison: Period
    label: str
    comparison_label: str
    kind: str
    # The period was cut at the end of today (a running year, quarter or month is compared with
    # the same days one year earlier, not with the whole of last year).
    running: bool = False

    @property
    def last_day(self) -> datetime.date:
        return self.period.end - datetime.timedelta(days=1)

    @property
    def months(self) -> list[str]:
        """Every month the period touches, "YYYY-MM"."""
        months, day = [], self.period.start.replace(day=1)
        while day < self.period.end:
            months.append(f"{day.year:04d}-{day.month:02d}")
            day = month_end(day.year, day.month)
        return months


class PeriodForm(forms.Form):
    """The period picker, read from the query string. Invalid input is reported and the default used."""

    ky = forms.ChoiceField(
        label=_("Kỳ"), choices=PERIOD_KINDS, required=False,
        error_messages={"invalid_choice": _("Chọn xem theo năm, quý, tháng hoặc khoảng ngày.")},
    )
    nam = forms.IntegerField(
        label=_("Năm"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR, error_messages=YEAR_ERRORS
    )
    quy = forms.TypedChoiceField(
        label=_("Quý"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *((q, f"Quý {q}") for q in range(1, 5))],
        error_messages={"invalid_choice": _("Quý phải là 1, 2, 3 hoặc 4.")},
    )
    thang = forms.TypedChoiceField(
        label=_("Tháng"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *((m, f"Tháng {m}") for m in range(1, 13))],
        error_messages={"invalid_choice": _("Tháng phải từ 1 đến 12.")},
    )
    tu_ngay = forms.DateField(
        label=_("Từ ngày"), required=False, widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/01/2023.")},
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"), required=False, widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2023.")},
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["nam"].widget.attrs.update({"inputmode": "numeric", "placeholder": str(self.today.year)})

    def _kind(self, cleaned: dict) -> str:
        kind = cleaned.get("ky")
        if kind:
            return kind
        if cleaned.get("tu_ngay") or cleaned.get("den_ngay"):
            return KIND_RANGE
        if cleaned.get("thang"):
            return KIND_MONTH
        if cleaned.get("quy"):
            return KIND_QUARTER
        return KIND_YEAR

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        kind = self._kind(cleaned)
        cleaned["ky"] = kind
        year = cleaned.get("nam") or self.today.year
        cleaned["nam"] = year
        if kind == KIND_QUARTER and not cleaned.get("quy"):
            if "nam" in self.data and self.data.get("nam"):
                self.add_error("quy", _("Chọn quý (1 đến 4)."))
            else:
                cleaned["quy"] = (self.today.month - 1) // 3 + 1
        if kind == KIND_MONTH and not cleaned.get("thang"):
            if "nam" in self.data and self.data.get("nam"):
                self.add_error("thang", _("Chọn tháng (1 đến 12)."))
            else:
                cleaned["thang"] = self.today.month
        if kind == KIND_RANGE:
            start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
            if not start:
                self.add_error("tu_ngay", _("Nhập “Từ ngày”."))
            if not end:
                self.add_error("den_ngay", _("Nhập “Đến ngày”."))
            if start and end:
                if end < start:
                    self.add_error("den_ngay", _("“Đến ngày” phải bằng hoặc sau “Từ ngày”."))
                elif (end - start).days >= MAX_RANGE_DAYS:
                    self.add_error("den_ngay", _("Khoảng thời gian dài nhất là 5 năm."))
                elif start.year < EARLIEST_YEAR or end.year > LATEST_YEAR:
                    self.add_error("tu_ngay", _("Chọn ngày trong khoảng từ năm 1990 đến năm 2100."))
        return cleaned

    def chosen(self) -> ChosenPeriod:
        """The chosen period, or the default (the current year) when nothing or something invalid was given."""
        valid = self.is_bound and self.is_valid()
        return build_period(self.cleaned_data if valid else {"ky": KIND_YEAR, "nam": self.today.year}, self.today)

    def error_messages(self) -> list[str]:
        if not self.is_bound or self.is_valid():
            return []
        messages = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages


def build_period(data: dict, today: datetime.date) -> ChosenPeriod:
    kind, year = data.get("ky") or KIND_YEAR, data.get("nam") or today.year
    if kind == KIND_QUARTER:
        period = statistics.period_for("quarter", year, data["quy"])
    elif kind == KIND_MONTH:
        period = statistics.period_for("month", year, data["thang"])
    elif kind == KIND_RANGE:
        period = statistics.period_for("custom", start=data["tu_ngay"],
                                       end=data["den_ngay"] + datetime.timedelta(days=1))
    else:
        kind, period = KIND_YEAR, Period.year(year)
    label = statistics.period_label(period)
    running = False
    if kind != KIND_RANGE and period.start <= today and today + datetime.timedelta(days=1) < period.end:
        # A running year, quarter or month is counted up to today and compared with the same days
        # one year earlier ("so với cùng kỳ"), not with the whole of last year.
        period, running = Period(period.start, today + datetime.timedelta(days=1)), True
        label += f" (đến ngày {vn_date(today)})"
    comparison = statistics.previous_year(period)
    if running:
        comparison_label = f"cùng kỳ năm {comparison.start.year} (đến ngày {vn_date(comparison.end - ONE_DAY)})"
    else:
        comparison_label = statistics.period_label(comparison)
    return ChosenPeriod(period=period, comparison=comparison, label=label, comparison_label=comparison_label,
                        kind=kind, running=running)


# Scopes -----------------------------------------------------------------------------------------

SCOPE_AGREEMENT, SCOPE_CLUSTER, SCOPE_UNIT = "quy-che", "cum", "don-vi"
SCOPE_KINDS = (SCOPE_AGREEMENT, SCOPE_CLUSTER, SCOPE_UNIT)
# A unit scope over more agreements than this (and the administrators' whole country) is served from
# a snapshot kept for SNAPSHOT_SECONDS and shown with "Số liệu tính đến …"; smaller scopes are exact
# (their cached figures are dropped as soon as any record changes, see ``data_stamp``).
LARGE_SCOPE_AGREEMENTS = 30
SNAPSHOT_SECONDS = 10 * 60
EXACT_CACHE_SECONDS = 30 * 60


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
            # Incidents count by the commune's membership on the day (DESIGN §5), the rest by their cluster.
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
            return Scope(kind=SCOPE_UNIT, title=str(_("Toàn quốc")), agreement_ids=None)
        if officer is None:
            raise Http404
        unit = officer.unit
    else:
        unit = get_object_or_404(Unit.objects.select_related("parent__parent"), pk=pk)
    ids = sorted(set(
        Agreement.objects.visible_to(user)
        .filter(pk__in=AgreementParty.objects.filter(unit_id__in=unit.ancestor_ids()).values("agreement_id"))
        .values_list("pk", flat=True)
    ))
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


def units_below(user) -> list[int]:
    officer = officer_of(user)
    return unit_subtree_ids(officer.unit_id) if officer is not None else []


# Figures ----------------------------------------------------------------------------------------

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


def scope_querysets(scope: Scope, period: Period) -> dict:
    """The statistics module's base querysets of the scope (incidents, tips, patrols of the period)."""
    if scope.kind == SCOPE_UNIT:
        def base(model, field):
            qs = model.objects.order_by().filter(in_period(field, period))
            return qs if scope.agreement_ids is None else qs.filter(agreement_id__in=scope.agreement_ids)

        return {"incidents": base(Incident, "occurred_at"), "tips": base(Tip, "received_at"),
                "patrols": base(Patrol, "started_at")}
    return statistics.figures_scope_querysets(scope.agreement, scope.cluster, period)


def patrol_coverage(scope: Scope, chosen: ChosenPeriod, limit: int | None = 25) -> dict:
    """Patrol shifts per commune per month (one grouped query over the statistics base queryset).

    Not in ``compute_figures`` yet (ask: ``patrols.by_commune_month``). A patrol through three
    communes counts once in each of them, as in ``patrols.by_commune``.
    """
    patrols = scope_querysets(scope, chosen.period)["patrols"]
    rows = (
        Patrol.communes.through.objects.filter(patrol__in=patrols.values("pk"))
        .annotate(month=TruncMonth("patrol__started_at", tzinfo=statistics.LOCAL_TZ))
        .values("month", commune_id=F("administrativeunit_id"), name=F("administrativeunit__name"),
                parent=F("administrativeunit__parent__name"))
        .annotate(shifts=Count("patrol_id"))
        .order_by()
    )
    months = chosen.months
    communes: dict[int, dict] = {}
    for row in rows:
        entry = communes.setdefault(row["commune_id"], {
            "commune_id": row["commune_id"], "name": row["name"], "parent": row["parent"] or "",
            "months": dict.fromkeys(months, 0), "total": 0,
        })
        month = statistics.month_key(row["month"])
        if month in entry["months"]:
            entry["months"][month] += row["shifts"]
            entry["total"] += row["shifts"]
    ordered = sorted(communes.values(), key=lambda c: (-c["total"], c["name"], c["commune_id"]))
    peak = max((n for c in ordered for n in c["months"].values()), default=0)
    shown = ordered if limit is None else ordered[:limit]
    return {"months": months, "rows": shown, "more": len(ordered) - len(shown), "peak": peak}


@dataclass
class Figures:
    data: dict
    coverage: dict
    computed_at: datetime.datetime
    snapshot: bool  # served from a periodic snapshot (large scopes), not exact to the minute
    key: str = ""


def figures_key(scope: Scope, chosen: ChosenPeriod, today: datetime.date, request=None) -> str:
    """The cache key of a scope's figures. Small scopes are exact: the key includes ``data_stamp()``.
    Large scopes (the whole country, a unit with many agreements) are a snapshot at most
    SNAPSHOT_SECONDS old, and the page says when it was taken."""
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
    figures = Figures(data=data, coverage=patrol_coverage(scope, chosen), computed_at=timezone.now(),
                      snapshot=snapshot, key=key)
    cache.set(key, figures, cache_seconds(snapshot))
    return figures


def cache_seconds(snapshot: bool) -> int:
    return SNAPSHOT_SECONDS if snapshot else EXACT_CACHE_SECONDS


# Links from figures to lists ----------------------------------------------------------------------

LIST_URLS = {"incidents": "incidents:incident_list", "tips": "incidents:tip_list", "patrols": "patrols:patrol_list"}
LIST_OF_URL = {url: kind for kind, url in LIST_URLS.items()}


def period_params(period: Period) -> dict[str, str]:
    """Both ends as ISO dates, "đến ngày" inclusive: every list reads them the same way (``nam`` is not
    accepted for every year by every list)."""
    return {"tu_ngay": period.start.isoformat(), "den_ngay": (period.end - ONE_DAY).isoformat()}


@dataclass
class Links:
    """Builds the URL of the list behind a figure, or None when no list holds exactly its records."""

    scope: Scope
    period: Period
    # Lists that show the user every record of the scope (a tip is read only by its two units; an
    # officer's lists leave out agreement-wide records his unit had no part in).
    complete: dict[str, bool]

    def url(self, kind: str, period: Period | None = None, **extra) -> str | None:
        if not self.complete.get(kind, False):
            return None
        params = self.scope.list_params(kind)
        if params is None:
            return None
        params = {**params, **period_params(period or self.period)}
        params.update({k: str(v) for k, v in extra.items() if v is not None and v != ""})
        return f"{reverse(LIST_URLS[kind])}?{urlencode(params)}"


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


# Tiles ------------------------------------------------------------------------------------------


@dataclass
class Tile:
    key: str
    label: str
    value: str
    previous: str
    change: str
    diff: float | int | None
    lower_is_better: bool = False
    url: str | None = None
    link_text: str = ""
    note: str = ""

    @property
    def trend(self) -> str:
        if not self.diff:
            return "flat"
        return "up" if self.diff > 0 else "down"

    @property
    def tone(self) -> str:
        """"good", "bad" or "neutral": for incidents and overdue tips a fall is good."""
        if not self.diff:
            return "neutral"
        better = self.diff < 0 if self.lower_is_better else self.diff > 0
        return "good" if better else "bad"


def _rate_change(diff: float | None) -> str:
    if diff is None:
        return ""
    if round(diff, 1) == 0:
        return "không thay đổi"
    word = "tăng" if diff > 0 else "giảm"
    return f"{word} {vn_number(abs(diff), 1)} điểm phần trăm"


def build_tiles(figures: dict, links: Links, chosen: ChosenPeriod, today: datetime.date) -> list[Tile]:
    head, incidents = figures["headline"], figures["incidents"]
    prev_solved = head["solved_of_occurred"]["previous"]
    prev_occurred = head["incidents_occurred"]["previous"]

    def simple(key: str, label: str, unit: str, *, lower_is_better=False, url=None, link_text="", note=""):
        item = head[key]
        return Tile(
            key=key, label=label, value=vn_number(item["value"] or 0), previous=vn_number(item["previous"]),
            change=change_text(item["diff"], item["pct"], unit), diff=item["diff"],
            lower_is_better=lower_is_better, url=url, link_text=link_text, note=note,
        )

    last_day = (chosen.period.end - ONE_DAY).isoformat()
    overdue_url = links.url("tips", qua_han="1") if chosen.period.end > today else None
    rate = head["clearance_rate"]
    return [
        simple("incidents_occurred", "Vụ việc xảy ra", "vụ", lower_is_better=True, url=links.url("incidents")),
        Tile(
            key="clearance_rate", label="Làm rõ (vụ xảy ra trong kỳ)",
            value=clearance_text(incidents["solved_of_occurred"], incidents["occurred"]),
            previous=clearance_text(prev_solved, prev_occurred) if prev_occurred is not None else "",
            change=_rate_change(rate["diff"]), diff=rate["diff"],
            url=links.url("incidents", lam_ro_den=last_day),
            note=(f"Ngoài ra làm rõ {vn_number(incidents['older_solved'])} vụ xảy ra từ trước"
                  if incidents.get("older_solved") else ""),
        ),
        simple("suspects_dealt_with", "Đối tượng bị bắt, xử lý", "đối tượng", url=links.url("incidents"),
               link_text="Các vụ xảy ra trong kỳ"),
        simple("tips_exchanged", "Nguồn tin trao đổi", "tin", url=links.url("tips")),
        simple("tips_jointly_verified", "Nguồn tin phối hợp xác minh", "tin", url=links.url("tips", phoi_hop="1")),
        simple("tips_overdue", "Nguồn tin quá hạn xác minh", "tin", lower_is_better=True, url=overdue_url,
               note="" if chosen.period.end > today else "Tính tại ngày cuối của kỳ"),
        simple("patrol_shifts", "Ca tuần tra chung", "ca", url=links.url("patrols")),
        simple("person_participations", "Lượt người tham gia tuần tra", "lượt", url=links.url("patrols"),
               link_text="Danh sách ca tuần tra"),
    ]


# The page ---------------------------------------------------------------------------------------


def month_label(month: str) -> str:
    """ "2023-05" → "05/2023"."""
    year, number = month.split("-")
    return f"{number}/{year}"


def month_period(month: str, within: Period) -> Period:
    """The part of a month ("YYYY-MM") inside ``within``."""
    year, number = (int(x) for x in month.split("-"))
    start = datetime.date(year, number, 1)
    return Period(max(start, within.start), min(month_end(year, number), within.end))


def _change(value: int, previous: int | None, unit: str) -> dict:
    if previous is None:
        return {"text": "", "diff": None}
    diff = value - previous
    pct = diff * 100 / previous if previous else None
    return {"text": change_text(diff, pct, unit), "diff": diff}


def breakdowns(figures: dict, links: Links, chosen: ChosenPeriod) -> dict:
    """The tables under the tiles (each row a figure of ``compute_figures`` with the link to its list)."""
    incidents, patrols, tips = figures["incidents"], figures["patrols"], figures["tips"]
    categories = [
        {**row, "change": _change(row["count"], row["previous"], "vụ"),
         "url": links.url("incidents", loai=row["category_id"])}
        for row in incidents["by_category"] if row["count"] or row["previous"]
    ]
    communes = [
        {**row, "change": _change(row["count"], row["previous"], "vụ"),
         "url": links.url("incidents", xa=row["commune_id"])}
        for row in sorted(incidents["by_commune"], key=lambda r: (-r["count"], r["name"], r["commune_id"]))
        if row["count"] or row["previous"]
    ]
    patrol_months = {row["month"]: row for row in patrols["by_month"]}
    months = []
    for row in incidents["by_month"]:
        within = month_period(row["month"], chosen.period)
        patrol_row = patrol_months.get(row["month"], {})
        months.append({
            "month": row["month"], "label": month_label(row["month"]), "count": row["count"],
            "previous": row["previous"], "url": links.url("incidents", period=within),
            "shifts": patrol_row.get("shifts", 0), "participations": patrol_row.get("participations", 0),
            "previous_shifts": patrol_row.get("previous_shifts"),
            "patrols_url": links.url("patrols", period=within),
        })
    statuses = {row["status"]: row for row in tips["by_status"]}
    pipeline = [
        {"status": status, "label": statuses[status]["label"], "count": statuses[status]["count"],
         "url": links.url("tips", trang_thai=status)}
        for status in ("received", "verifying", "verified_true", "verified_false", "handed_over")
        if status in statuses
    ]
    return {"categories": categories, "communes": communes, "months": months, "pipeline": pipeline,
            "directions": tips["by_direction"]}


def coverage_table(coverage: dict, links: Links, chosen: ChosenPeriod) -> dict:
    """The heat table: one row per commune, one cell per month, shaded by the number of shifts."""
    peak = coverage["peak"] or 1
    rows = []
    for entry in coverage["rows"]:
        cells = []
        for month in coverage["months"]:
            shifts = entry["months"][month]
            cells.append({
                "month": month, "shifts": shifts, "level": 0 if not shifts else min(4, 1 + (4 * shifts - 1) // peak),
                "url": links.url("patrols", period=month_period(month, chosen.period), xa=entry["commune_id"])
                if shifts else None,
            })
        rows.append({**entry, "cells": cells,
                     "url": links.url("patrols", xa=entry["commune_id"])})
    return {"months": [{"month": m, "label": month_label(m)} for m in coverage["months"]], "rows": rows,
            "more": coverage["more"]}


def scope_records(user, scope: Scope):
    """Querysets of the records of the scope the user may read (any date), for the latest-records panel."""
    from incidents.selectors import member_of_cluster

    patrols = Patrol.objects.visible_to(user)
    tips = Tip.objects.visible_to(user)
    incidents = Incident.objects.visible_to(user)
    if scope.kind == SCOPE_AGREEMENT:
        pk = scope.agreement.pk
        patrols, tips, incidents = (qs.filter(agreement_id=pk) for qs in (patrols, tips, incidents))
    elif scope.kind == SCOPE_CLUSTER:
        patrols, tips = patrols.filter(cluster_id=scope.cluster.pk), tips.filter(cluster_id=scope.cluster.pk)
        incidents = member_of_cluster(incidents.filter(agreement_id=scope.cluster.agreement_id), scope.cluster.pk)
    elif not scope.national:
        ids = scope.agreement_ids or []
        patrols, tips, incidents = (qs.filter(agreement_id__in=ids) for qs in (patrols, tips, incidents))
    return patrols, tips, incidents


def latest_records(user, scope: Scope, limit: int = 5) -> dict:
    patrols, tips, incidents = scope_records(user, scope)
    return {
        "patrols": list(patrols.select_related("lead_unit", "cluster").order_by("-started_at", "-pk")[:limit]),
        "tips": list(tips.select_related("from_unit", "to_unit", "category").order_by("-received_at", "-pk")[:limit]),
        "incidents": list(incidents.select_related("category", "commune").order_by("-occurred_at", "-pk")[:limit]),
    }


def overdue_tips(user, scope: Scope, limit: int = 8) -> dict:
    """Tips still open past their verification deadline today, oldest deadline first (``tip_list(overdue=True)``)."""
    from incidents.selectors import tip_list

    qs = tip_list(user=user, overdue=True)
    params = scope.list_params("tips")
    if scope.kind == SCOPE_AGREEMENT:
        qs = qs.filter(agreement_id=scope.agreement.pk)
    elif scope.kind == SCOPE_CLUSTER:
        qs = qs.filter(cluster_id=scope.cluster.pk)
    elif not scope.national:
        qs = qs.filter(agreement_id__in=scope.agreement_ids or [])
    url = None
    if params is not None:
        url = f"{reverse('incidents:tip_list')}?{urlencode({**params, 'qua_han': '1'})}"
    return {"items": list(qs.order_by("deadline", "received_at")[:limit]), "url": url}


# The page's own font stack (the charts' default is the PDF's serif).
CHART_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', Arial, sans-serif"


def charts_for(figures: dict, chosen: ChosenPeriod, parts: dict) -> dict:
    """Server-side SVG (``reports.charts``): the monthly trend and the two breakdowns, this period vs a year earlier.

    Each chart's table is on the page right below it (the SVG names its data in ``<desc>`` too).
    """
    from . import charts

    current = "Kỳ này"
    previous = "Cùng kỳ năm trước"
    months = parts["months"]
    trend = charts.line_chart(
        title="Vụ việc theo tháng",
        labels=[m["label"] for m in months],
        series=[(current, [m["count"] for m in months]), (previous, [m["previous"] for m in months])],
        font_family=CHART_FONT, chart_id="bieu-do-thang", width=760, height=280,
    )

    def bars(title: str, rows: list[dict], chart_id: str):
        rows = rows[:12]
        return charts.bar_chart(
            title=title, labels=[row["name"] for row in rows],
            series=[(current, [row["count"] for row in rows]), (previous, [row["previous"] for row in rows])],
            horizontal=True, font_family=CHART_FONT, chart_id=chart_id, width=560,
            height=70 + 30 * max(1, len(rows)),
        )

    return {
        "trend": trend,
        "categories": bars("Vụ việc theo loại (12 loại nhiều nhất)", sorted(
            parts["categories"], key=lambda r: (-r["count"], r["name"])), "bieu-do-loai"),
        "communes": bars("Vụ việc theo xã, phường (12 xã nhiều nhất)", parts["communes"], "bieu-do-xa"),
    }


# Rows a page table shows (the export has them all).
PAGE_ROWS = 40


def dashboard_context(user, scope: Scope, chosen: ChosenPeriod, today: datetime.date, key: str | None = None) -> dict:
    """Everything the page shows below the period picker, from the figures shared by every user of
    the scope (cached under the figures' key, also read by the exports) and what this user may
    open from them (which links his lists reproduce, the overdue tips and latest records he may read)."""
    figures = dashboard_figures(scope, chosen, today, key=key)
    querysets = scope_querysets(scope, chosen.period)
    links = Links(scope=scope, period=chosen.period, complete=list_completeness(user, scope, querysets))
    tables = breakdowns(figures.data, links, chosen)
    charts = charts_for(figures.data, chosen, tables)
    tables["more_communes"] = max(0, len(tables["communes"]) - PAGE_ROWS)
    tables["communes"] = tables["communes"][:PAGE_ROWS]
    tables["more_directions"] = max(0, len(tables["directions"]) - 10)
    tables["directions"] = tables["directions"][:10]
    data = figures.data
    return {
        "scope": scope,
        "chosen": chosen,
        "figures": {"headline": data["headline"], "period": data["period"], "comparison": data["comparison"]},
        "computed_at": figures.computed_at,
        "snapshot": figures.snapshot,
        "tiles": build_tiles(data, links, chosen, today),
        "parts": tables,
        "coverage": coverage_table(figures.coverage, links, chosen),
        "charts": charts,
        "overdue": overdue_tips(user, scope),
        "latest": latest_records(user, scope),
        "complete": links.complete,
        "linkable": scope.list_params("incidents") is not None,
        "related": related_scopes(scope),
    }


def dashboard_content(request, scope: Scope, form: PeriodForm, today: datetime.date, exports: list[dict]) -> str:
    """The page below the menu (heading, period picker, tiles, tables, charts) as HTML.

    Cached per user and picker values under the figures' key, so it is dropped with them when a
    record changes: a repeated visit reads this one entry and loads neither the figures nor the
    user's page parts (unpickling those cost more than the rest of the view). A picker with errors
    is rendered each time, as typed. ``exports`` is the export menu of the chosen period.
    """
    chosen = form.chosen()
    query = period_query(chosen)
    errors = form.error_messages()
    figures = figures_key(scope, chosen, today, request)
    typed = urlencode(sorted((name, form.data.get(name, "")) for name in form.base_fields)) if form.is_bound else ""
    key = f"{figures}:u{request.user.pk}:page:{hashlib.sha1(typed.encode()).hexdigest()}"
    html = None if errors else cache.get(key)
    if html is None:
        context = dashboard_context(request.user, scope, chosen, today, key=figures)
        context.update(period_form=form, period_errors=errors, period_query=query, request=request,
                       exports=exports)
        html = render_to_string("reports/_dash_content.html", context)
        if not errors:
            cache.set(key, html, cache_seconds(scope.large))
    return mark_safe(html)  # noqa: S308 - rendered from our own templates, escaped there


def related_scopes(scope: Scope, limit: int = 30) -> dict:
    """Where to go from here: an agreement's clusters, a cluster's agreement, a unit's agreements."""
    if scope.kind == SCOPE_AGREEMENT:
        return {"clusters": list(Cluster.objects.filter(agreement=scope.agreement).order_by("name", "pk"))}
    if scope.kind == SCOPE_CLUSTER:
        return {"agreement": scope.agreement}
    if scope.national:
        return {}
    agreements = list(Agreement.objects.filter(pk__in=scope.agreement_ids or []).order_by("-signed_on", "-pk")[:limit])
    return {"agreements": agreements, "more_agreements": max(0, len(scope.agreement_ids or []) - limit)}


def officer_context(user, today: datetime.date) -> dict:
    """The officer's compact view: his inbox, what waits for his confirmation, his unit's month.

    These are the lists' own counts (the selectors the list pages run), so each number equals the
    list it links to; the agreement-wide figures are on the agreement's dashboard.
    """
    from incidents.selectors import incident_list
    from patrols.selectors import patrol_list, patrols_awaiting_confirmation

    officer = officer_of(user)
    unit_id = officer.unit_id
    month = Period(today.replace(day=1), today + ONE_DAY)
    month_params = {**period_params(month), "don_vi": str(unit_id)}
    scope = unit_scope(user)
    return {
        "scope": scope,
        "month": month,
        "month_label": f"tháng {today.month:02d}/{today.year} (đến ngày {vn_date(today)})",
        "pending_count": patrols_awaiting_confirmation(user=user, unit_ids=record_scope(user)["own_units"]).count(),
        "patrols_month": patrol_list(user=user, period=month, unit_id=unit_id).count(),
        "patrols_month_url": f"{reverse('patrols:patrol_list')}?{urlencode(month_params)}",
        "incidents_month": incident_list(user=user, period=month, unit_id=unit_id).count(),
        "incidents_month_url": f"{reverse('incidents:incident_list')}?{urlencode(month_params)}",
        "latest": latest_records(user, scope),
        "related": related_scopes(scope),
    }


def period_query(chosen: ChosenPeriod) -> str:
    """The picker's query string that gives ``chosen`` again (for exports and links between dashboards)."""
    start = chosen.period.start
    if chosen.kind == KIND_QUARTER:
        params = {"ky": KIND_QUARTER, "nam": start.year, "quy": (start.month - 1) // 3 + 1}
    elif chosen.kind == KIND_MONTH:
        params = {"ky": KIND_MONTH, "nam": start.year, "thang": start.month}
    elif chosen.kind == KIND_RANGE:
        params = {"ky": KIND_RANGE, "tu_ngay": start.isoformat(), "den_ngay": chosen.last_day.isoformat()}
    else:
        params = {"ky": KIND_YEAR, "nam": start.year}
    return urlencode(params)


def refresh_national_snapshot(today: datetime.date | None = None) -> Figures:
    """Recount the whole country's figures of the current year into the cache (for a periodic task).

    The national dashboard is served from a snapshot (counting a million incidents takes seconds);
    calling this every few minutes (Celery beat) keeps the snapshot fresh, so no visitor waits for
    the count. Needs a cache shared by the web processes (Redis in production).
    """
    today = today or timezone.localdate()
    scope = Scope(kind=SCOPE_UNIT, title=str(_("Toàn quốc")), agreement_ids=None)
    chosen = build_period({"ky": KIND_YEAR, "nam": today.year}, today)
    key = figures_key(scope, chosen, today)
    cache.delete(key)
    return dashboard_figures(scope, chosen, today, key=key)
