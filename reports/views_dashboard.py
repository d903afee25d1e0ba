"""Dashboard pages (an agreement, a cluster, a unit), their exports, and the landing page after login.

Every scope is looked up through the access choke point (``dashboards.resolve_scope``): another
jurisdiction's dashboard or export answers 404 exactly like a missing one. The figures come from
``reports.statistics`` (see ``reports.dashboards``); these views only pick the period and render.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from agreements.models import Agreement, Role
from agreements.permissions import role_of
from agreements.querysets import officer_of
from borderzone.periods import picker_query
from borderzone.views import GuardedMixin

from . import dashboards, exports
from .forms import PeriodForm


class DashboardView(GuardedMixin, TemplateView):
    template_name = "reports/dashboard.html"
    scope_kind = dashboards.SCOPE_AGREEMENT

    def load_objects(self):
        self.scope = dashboards.resolve_scope(self.request.user, self.scope_kind, self.kwargs.get("pk"))

    def period_form(self) -> PeriodForm:
        data = self.request.GET
        return PeriodForm(data if any(k in data for k in PeriodForm.base_fields) else None)

    def export_links(self, period_query: str) -> list[dict]:
        return [
            {"table": table, "label": label,
             "xlsx": self.scope.export_url(table, "xlsx", period_query),
             "csv": self.scope.export_url(table, "csv", period_query)}
            for table, label in exports.TABLES.items()
        ]

    def get_context_data(self, **kwargs):
        form = self.period_form()
        exports = self.export_links(urlencode(picker_query(form.chosen())))
        content = dashboards.dashboard_content(self.request, self.scope, form, timezone.localdate(), exports)
        return super().get_context_data(scope=self.scope, content=content, **kwargs)


class AgreementDashboardView(DashboardView):
    scope_kind = dashboards.SCOPE_AGREEMENT


class ClusterDashboardView(DashboardView):
    scope_kind = dashboards.SCOPE_CLUSTER


class UnitDashboardView(DashboardView):
    """A unit's agreements together. An officer's own unit page is the compact view (``?day_du=1``: the full one)."""

    scope_kind = dashboards.SCOPE_UNIT

    @property
    def compact(self) -> bool:
        return (
            not self.kwargs.get("pk")
            and dashboards.is_officer(self.request.user)
            and self.request.GET.get("day_du") != "1"
        )

    def get_template_names(self):
        return ["reports/dashboard_officer.html"] if self.compact else [self.template_name]

    def get_context_data(self, **kwargs):
        if self.compact:
            context = dashboards.officer_context(self.request.user, timezone.localdate())
            return TemplateView.get_context_data(self, **context, **kwargs)
        return super().get_context_data(**kwargs)


class DashboardExportView(GuardedMixin, View):
    """One table of a dashboard as Excel (xlsx) or CSV, through the same scope lookup (404 outside)."""

    def load_objects(self):
        self.scope = dashboards.resolve_scope(self.request.user, self.kwargs["kind"], self.kwargs["pk"] or None)

    def get(self, request, kind: str, pk: int):
        chosen = PeriodForm(request.GET).chosen()
        return exports.export_response(request, self.scope, chosen, timezone.localdate())


class HomeView(GuardedMixin, View):
    """Where a user lands after login.

    Commanders and staff officers: the dashboard of their unit's agreements (of the agreement itself
    when there is only one). Officers: the compact view of their own unit (inbox, confirmations,
    this month). Administrators, and accounts tied to no unit: the list of agreements (the national
    dashboard is one click away in the menu).
    """

    def get(self, request, *args, **kwargs):
        user = request.user
        role = role_of(user)
        if role in (Role.COMMANDER, Role.STAFF) and officer_of(user) is not None:
            ids = list(Agreement.objects.visible_to(user).values_list("pk", flat=True)[:2])
            if len(ids) == 1:
                return redirect(reverse("reports:dashboard_agreement", kwargs={"pk": ids[0]}))
            return redirect(reverse("reports:dashboard_unit"))
        if role == Role.OFFICER and officer_of(user) is not None:
            return redirect(reverse("reports:dashboard_unit"))
        return redirect(reverse("agreements:agreement_list"))
