"""The dashboard page: what it shows below the period picker, and the officer's compact view."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from agreements.querysets import officer_of, record_scope
from borderzone.formatting import vn_date
from borderzone.periods import ONE_DAY, ChosenPeriod, Period, picker_query
from incidents.models import Incident, Tip
from incidents.selectors import incident_list, tip_list
from patrols.models import Patrol
from patrols.selectors import patrol_list, patrols_awaiting_confirmation

from .cache import cached_page, dashboard_figures, figures_key, page_key
from .links import Links, list_completeness
from .scope import Scope, related_scopes, unit_scope
from .tiles import breakdowns, build_tiles, charts_for, coverage_table

# Rows a page table shows (the export has them all).
PAGE_ROWS = 40


def latest_records(user, scope: Scope, limit: int = 5) -> dict:
    """The newest records of the scope the user may read (any date)."""
    patrols, tips, incidents = (
        scope.filter(model.objects.visible_to(user)) for model in (Patrol, Tip, Incident)
    )
    return {
        "patrols": list(patrols.select_related("lead_unit", "cluster").order_by("-started_at", "-pk")[:limit]),
        "tips": list(tips.select_related("from_unit", "to_unit", "category").order_by("-received_at", "-pk")[:limit]),
        "incidents": list(incidents.select_related("category", "commune").order_by("-occurred_at", "-pk")[:limit]),
    }


def overdue_tips(user, scope: Scope, limit: int = 8) -> dict:
    """Tips still open past their verification deadline today, oldest deadline first (``tip_list(overdue=True)``)."""
    qs = scope.filter(tip_list(user=user, overdue=True))
    params = scope.list_params("tips")
    url = None
    if params is not None:
        url = f"{reverse('incidents:tip_list')}?{urlencode({**params, 'qua_han': '1'})}"
    return {"items": list(qs.order_by("deadline", "received_at")[:limit]), "url": url}


def dashboard_context(user, scope: Scope, chosen: ChosenPeriod, today: datetime.date, key: str | None = None) -> dict:
    """Everything the page shows below the period picker, from the figures shared by every user of
    the scope (cached under the figures' key, also read by the exports) and what this user may
    open from them (which links his lists reproduce, the overdue tips and latest records he may read)."""
    figures = dashboard_figures(scope, chosen, today, key=key)
    querysets = scope.records.querysets(chosen.period)
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


def dashboard_content(request, scope: Scope, form, today: datetime.date, exports: list[dict]) -> str:
    """The page below the menu (heading, period picker, tiles, tables, charts) as HTML.

    ``form`` is the period picker (``reports.forms.PeriodForm``). The page is cached per user and
    picker values under the figures' key, so it is dropped with them when a record changes: a
    repeated visit reads this one entry and loads neither the figures nor the user's page parts
    (unpickling those cost more than the rest of the view). A picker with errors is rendered each
    time, as typed. ``exports`` is the export menu of the chosen period.
    """
    chosen = form.chosen()
    errors = form.error_messages()
    figures = figures_key(scope, chosen, today, request)
    typed = {name: form.data.get(name, "") for name in form.base_fields} if form.is_bound else None

    def render() -> str:
        context = dashboard_context(request.user, scope, chosen, today, key=figures)
        context.update(period_form=form, period_errors=errors, period_query=urlencode(picker_query(chosen)),
                       request=request, exports=exports)
        return render_to_string("reports/_dash_content.html", context)

    html = cached_page(page_key(figures, request.user.pk, typed), render, snapshot=scope.large, store=not errors)
    return mark_safe(html)  # noqa: S308 - rendered from our own templates, escaped there


def officer_context(user, today: datetime.date) -> dict:
    """The officer's compact view: his inbox, what waits for his confirmation, his unit's month.

    These are the lists' own counts (the selectors the list pages run), so each number equals the
    list it links to; the agreement-wide figures are on the agreement's dashboard.
    """
    officer = officer_of(user)
    unit_id = officer.unit_id
    month = Period(today.replace(day=1), today + ONE_DAY)
    month_params = {**month.to_query(), "don_vi": str(unit_id)}
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
