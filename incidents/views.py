"""Pages of tips (nguồn tin) and incidents (vụ việc).

Every lookup goes through ``selectors`` (which start from ``visible_to``), so a record of another
jurisdiction answers 404 exactly like a missing one, for every HTTP method. Rights are checked only
after the lookup: out of scope is 404 before it is 403. Each form's ``form_valid`` calls one
service and maps its ``ValidationError`` back onto the form.
"""

from __future__ import annotations

import copy
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from agreements.forms import SCOPE_AGREEMENT, Scope
from agreements.history import Focus, history_for
from agreements.querysets import officer_of, user_unit_ids
from borderzone.forms import add_version_field, loaded_version
from borderzone.views import GuardedDetailView, GuardedMixin, RecordActionMixin, ServiceFormView, safe_next
from patrols.models import Patrol

from . import permissions, selectors, services
from .filters import IncidentFilterForm, TipFilterForm
from .forms import (
    IncidentForm,
    IncidentStatusForm,
    TipForm,
    TipLinkIncidentForm,
    TipStatusForm,
    now_local,
)
from .models import CLEARED_STATUSES, Incident, IncidentSource, IncidentStatus, SourceKind, Tip, TipStatus

# Days a partner unit has to verify a tip unless the sender says otherwise.
DEFAULT_TIP_DEADLINE_DAYS = 7
LEAD_ONLY = _("Chỉ đơn vị chủ trì mới sửa được vụ việc này.")


# History ----------------------------------------------------------------------------------------

# Who created or acknowledged the record is each event's actor already.
HIDDEN_IN_HISTORY = frozenset({"created_by_id", "acknowledged_by_id"})
TIP_HISTORY = Focus(Tip, hidden=HIDDEN_IN_HISTORY)
INCIDENT_HISTORY = Focus(Incident, hidden=HIDDEN_IN_HISTORY)


# Shared pieces ----------------------------------------------------------------------------------


class RecordFormView(ServiceFormView):
    """A tip or incident form, redrawn (not saved) when the agreement or the cluster changes."""

    permission = permissions.can_record
    denied_message = _("Tài khoản của bạn chưa gắn với đơn vị nào nên chưa ghi nhận được hồ sơ.")
    redraws = True

    def form_extra_kwargs(self) -> dict:
        return {"user": self.request.user}


# Tips -------------------------------------------------------------------------------------------


class TipCreateView(RecordFormView):
    template_name = "incidents/tip_form.html"
    form_class = TipForm

    def get_initial(self):
        officer = officer_of(self.request.user)
        today = timezone.localdate()
        initial = {
            "received_at": now_local(),
            "deadline": today + datetime.timedelta(days=DEFAULT_TIP_DEADLINE_DAYS),
            "source_kind": SourceKind.UNIT,
            "reliability": "F",
            "credibility": "6",
        }
        if officer is not None:
            initial["from_unit"] = officer.unit_id
        agreement = self.request.GET.get("quy_che", "")
        if agreement.isdecimal():
            initial["scope"] = f"{SCOPE_AGREEMENT}{agreement}"
        return initial

    def call_service(self, form):
        return services.tip_create(actor=self.request.user, **form.service_values())

    def get_success_message(self, tip):
        return gettext("Đã ghi nhận nguồn tin #%(pk)s và chuyển cho %(unit)s.") % {
            "pk": tip.pk, "unit": tip.to_unit.name,
        }


class TipInboxView(GuardedMixin, ListView):
    template_name = "incidents/tip_inbox.html"
    context_object_name = "tips"
    paginate_by = 25

    def get_queryset(self):
        return selectors.tip_inbox(user=self.request.user, unit_ids=user_unit_ids(self.request.user))

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        overdue = self.object_list.filter(deadline__lt=today).count()
        return super().get_context_data(today=today, overdue_count=overdue, can_record=permissions.can_record(
            self.request.user), **kwargs)


class TipListView(GuardedMixin, ListView):
    template_name = "incidents/tip_list.html"
    context_object_name = "tips"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        self.filter_form = TipFilterForm(self.request.GET or None, user=user)
        officer = officer_of(user)
        filters = self.filter_form.selector_filters(officer.unit_id if officer else None)
        return selectors.tip_list(user=user, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            filtered=self.filter_form.active_count() > 0,
            today=timezone.localdate(),
            can_record=permissions.can_record(self.request.user),
            **kwargs,
        )


class TipDetailView(GuardedDetailView):
    template_name = "incidents/tip_detail.html"
    context_object_name = "tip"

    def get_object(self, queryset=None):
        return selectors.tip_detail(user=self.request.user, pk=self.kwargs["pk"])

    @property
    def can_process(self) -> bool:
        return permissions.can_process(self.request.user, self.object)

    def get_context_data(self, status_form=None, link_form=None, **kwargs):
        tip = self.object
        user = self.request.user
        visible = set(Incident.objects.visible_to(user).filter(tips=tip).values_list("pk", flat=True))
        incidents = [i for i in tip.incidents.all() if i.pk in visible]
        can_process = self.can_process
        if status_form is None and can_process and tip.is_open:
            status_form = TipStatusForm(tip=tip)
        if link_form is None:
            link_form = TipLinkIncidentForm(user=user, tip=tip)
        today = timezone.localdate()
        return super().get_context_data(
            incidents=incidents,
            hidden_incident_count=len(tip.incidents.all()) - len(incidents),
            can_process=can_process,
            can_acknowledge=can_process and tip.acknowledged_at is None,
            status_form=status_form,
            link_form=link_form,
            can_record=permissions.can_record(user),
            overdue=tip.is_open and tip.deadline < today,
            today=today,
            statuses=TipStatus,
            history=history_for(user=user, objects=[tip], focus=TIP_HISTORY),
            **kwargs,
        )


class TipAcknowledgeView(TipDetailView):
    """The receiving unit confirms it has the tip (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        tip = services.tip_acknowledge(actor=request.user, tip=self.object)
        messages.success(request, gettext("Đã xác nhận tiếp nhận nguồn tin #%(pk)s.") % {"pk": tip.pk})
        return HttpResponseRedirect(safe_next(request, tip.get_absolute_url()))


class TipStatusView(RecordActionMixin, TipDetailView):
    """The receiving unit moves the tip on: verifying, verified true / false, handed over (POST only)."""

    action_form_name = "status_form"

    def check_action(self):
        if not self.can_process:
            raise PermissionDenied(gettext("Chỉ đơn vị tiếp nhận mới xử lý được nguồn tin này."))

    def get_action_form(self, data):
        return TipStatusForm(data, tip=self.object)

    def call_service(self, form):
        return services.tip_set_status(actor=self.request.user, tip=self.object, **form.service_values())

    def get_success_message(self, tip):
        return gettext("Nguồn tin #%(pk)s: %(status)s.") % {"pk": tip.pk, "status": tip.get_status_display()}


class TipLinkIncidentView(RecordActionMixin, TipDetailView):
    """Record that the tip led to an incident the user may edit under the same agreement (POST only)."""

    action_form_name = "link_form"

    def get_action_form(self, data):
        return TipLinkIncidentForm(data, user=self.request.user, tip=self.object)

    def call_service(self, form):
        incident = form.cleaned_data["incident"]
        if not permissions.can_edit(self.request.user, incident):
            raise PermissionDenied
        services.tip_link_incident(actor=self.request.user, tip=self.object, incident=incident)
        return incident

    def get_success_message(self, incident):
        return gettext("Đã liên kết nguồn tin với vụ việc %(incident)s.") % {
            "incident": f"{incident.category.name} – {incident.commune.name}",
        }

    def get_success_url(self, incident):
        return self.object.get_absolute_url()


# Incidents --------------------------------------------------------------------------------------


class IncidentCreateView(RecordFormView):
    template_name = "incidents/incident_form.html"
    form_class = IncidentForm
    tip = None

    def load_objects(self):
        tip_pk = self.request.GET.get("tip", "")
        if tip_pk.isdecimal():
            self.tip = selectors.tip_detail(user=self.request.user, pk=int(tip_pk))

    def get_initial(self):
        officer = officer_of(self.request.user)
        initial = {
            "occurred_at": now_local(),
            "source": IncidentSource.PUBLIC,
            "status": IncidentStatus.RECEIVED,
            "suspects": 0,
            "suspects_dealt_with": 0,
        }
        if officer is not None:
            initial["lead_unit"] = officer.unit_id
        agreement = self.request.GET.get("quy_che", "")
        if agreement.isdecimal():
            initial["scope"] = f"{SCOPE_AGREEMENT}{agreement}"
        tip = self.tip
        if tip is not None:
            initial.update(
                scope=Scope(agreement=tip.agreement, cluster=tip.cluster).value,
                commune=tip.commune_id,
                category=tip.category_id,
                occurred_at=timezone.localtime(tip.received_at).replace(second=0, microsecond=0),
                source=IncidentSource.TIP,
                tips=[tip.pk],
                summary=tip.summary,
            )
        return initial

    def call_service(self, form):
        return services.incident_create(
            actor=self.request.user,
            agreement=form.cleaned_data["scope"].agreement,
            **form.service_values(),
            **form.links(),
        )

    def get_success_message(self, incident):
        return gettext("Đã ghi nhận vụ việc “%(incident)s”.") % {"incident": incident}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tip=self.tip, incident=None, **kwargs)


class IncidentLeadMixin:
    """The incident named by ``pk`` (404 outside the jurisdiction); changes are for its lead unit (403)."""

    def load_incident(self) -> Incident:
        return selectors.incident_detail(user=self.request.user, pk=self.kwargs["pk"])

    def require_lead(self, incident: Incident) -> None:
        if not permissions.can_edit(self.request.user, incident):
            raise PermissionDenied(str(LEAD_ONLY))


class IncidentUpdateView(IncidentLeadMixin, RecordFormView):
    template_name = "incidents/incident_form.html"
    form_class = IncidentForm
    permission = permissions.can_edit
    permission_object = "incident"
    denied_message = LEAD_ONLY

    def load_objects(self):
        self.incident = self.load_incident()

    def form_extra_kwargs(self):
        return {"user": self.request.user, "fixed_agreement": self.incident.agreement, "editing": True}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        add_version_field(form, self.incident, self.redraw_data())
        return form

    def _linked(self):
        """Linked tips and patrols split into those the user sees (editable) and the others (kept)."""
        user = self.request.user
        tips = list(self.incident.tips.all())
        patrols = list(self.incident.patrols.all())
        seen_tips = set(Tip.objects.visible_to(user).filter(pk__in=[t.pk for t in tips]).values_list("pk", flat=True))
        seen_patrols = set(
            Patrol.objects.visible_to(user).filter(pk__in=[p.pk for p in patrols]).values_list("pk", flat=True)
        )
        return (
            [t for t in tips if t.pk in seen_tips], [t for t in tips if t.pk not in seen_tips],
            [p for p in patrols if p.pk in seen_patrols], [p for p in patrols if p.pk not in seen_patrols],
        )

    def get_initial(self):
        incident = self.incident
        tips, _hidden_tips, patrols, _hidden_patrols = self._linked()
        return {
            "scope": Scope(agreement=incident.agreement, cluster=incident.cluster).value,
            "occurred_at": incident.occurred_at,
            "commune": incident.commune_id,
            "place": incident.place,
            "category": incident.category_id,
            "nature": incident.nature,
            "summary": incident.summary,
            "lead_unit": incident.lead_unit_id,
            "supporting_units": [u.pk for u in incident.supporting_units.all()],
            "source": incident.source,
            "tips": [t.pk for t in tips],
            "patrols": [p.pk for p in patrols],
            "solved_at": incident.solved_at,
            "suspects": incident.suspects,
            "suspects_dealt_with": incident.suspects_dealt_with,
            "outcome": incident.outcome,
        }

    def call_service(self, form):
        _tips, hidden_tips, _patrols, hidden_patrols = self._linked()
        links = form.links()
        # Links the user cannot see stay as they are: an edit must not drop another unit's tip.
        links["tips"] += hidden_tips
        links["patrols"] += hidden_patrols
        return services.incident_update(
            actor=self.request.user, incident=copy.copy(self.incident), expected_version=loaded_version(form),
            **links, **form.service_values(),
        )

    success_message = _("Đã lưu thay đổi của vụ việc.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(incident=self.incident, tip=None, **kwargs)


class IncidentListView(GuardedMixin, ListView):
    template_name = "incidents/incident_list.html"
    context_object_name = "incidents"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = IncidentFilterForm(self.request.GET or None, user=self.request.user)
        return selectors.incident_list(user=self.request.user, **self.filter_form.selector_filters())

    def get_paginator(self, queryset, *args, **kwargs):
        # One aggregate gives both the count the pages need and the "đã làm rõ X/Y" figure.
        # DISTINCT only when a filter joins to many rows (unit filter); on a million rows it costs seconds.
        distinct = queryset.query.distinct
        self.totals = queryset.order_by().aggregate(
            total=Count("pk", distinct=distinct),
            solved=Count("pk", filter=Q(status__in=CLEARED_STATUSES), distinct=distinct),
        )
        paginator = super().get_paginator(queryset, *args, **kwargs)
        paginator.count = self.totals["total"]
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        total, solved = self.totals["total"], self.totals["solved"]
        context.update(
            filter_form=self.filter_form,
            filtered=self.filter_form.active_count() > 0,
            total=total,
            solved=solved,
            solved_rate=round(100 * solved / total, 1) if total else None,
            can_record=permissions.can_record(self.request.user),
        )
        return context


class IncidentDetailView(IncidentLeadMixin, GuardedDetailView):
    template_name = "incidents/incident_detail.html"
    context_object_name = "incident"

    def get_object(self, queryset=None):
        return self.load_incident()

    def get_context_data(self, status_form=None, **kwargs):
        incident = self.object
        user = self.request.user
        tips = list(incident.tips.all())
        patrols = list(incident.patrols.all())
        seen_tips = set(Tip.objects.visible_to(user).filter(pk__in=[t.pk for t in tips]).values_list("pk", flat=True))
        seen_patrols = set(
            Patrol.objects.visible_to(user).filter(pk__in=[p.pk for p in patrols]).values_list("pk", flat=True)
        )
        can_edit = permissions.can_edit(user, incident)
        if status_form is None and can_edit and services.INCIDENT_TRANSITIONS[IncidentStatus(incident.status)]:
            status_form = IncidentStatusForm(incident=incident)
        return super().get_context_data(
            tips=[t for t in tips if t.pk in seen_tips],
            hidden_tip_count=len(tips) - len(seen_tips),
            patrols=[p for p in patrols if p.pk in seen_patrols],
            supporting_units=list(incident.supporting_units.all()),
            can_edit=can_edit,
            status_form=status_form,
            cleared=incident.status in CLEARED_STATUSES,
            history=history_for(user=user, objects=[incident], focus=INCIDENT_HISTORY),
            **kwargs,
        )


class IncidentStatusView(RecordActionMixin, IncidentDetailView):
    """The lead unit moves the incident along its statuses (POST only)."""

    action_form_name = "status_form"

    def check_action(self):
        self.require_lead(self.object)

    def get_action_form(self, data):
        return IncidentStatusForm(data, incident=self.object)

    def call_service(self, form):
        return services.incident_set_status(actor=self.request.user, incident=self.object, **form.service_values())

    def get_success_message(self, incident):
        return gettext("Vụ việc chuyển sang “%(status)s”.") % {"status": incident.get_status_display()}

    def get_success_url(self, incident):
        return incident.get_absolute_url()
