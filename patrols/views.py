"""Pages of joint patrols, campaigns and checkpoints.

Every lookup goes through ``selectors`` (which start from ``visible_to``), so a patrol of another
jurisdiction answers 404 exactly like a missing one; the right to change it is checked only after
the lookup (out of scope is 404 before it is 403). Each form hands its data to one service and
maps the service's ``ValidationError`` back onto the form.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from agreements.history import Focus, history_for
from agreements.querysets import user_unit_ids
from borderzone.forms import add_version_field, loaded_version
from borderzone.periods import Period
from borderzone.views import GuardedDetailView, GuardedMixin, ServiceFormsetView, ServiceFormView

from . import permissions, selectors, services
from .filters import PatrolFilterForm, RecordFilterForm
from .forms import CampaignForm, CheckpointForm, PatrolForm, participation_formset, patrol_initial_from
from .models import Patrol, PatrolParticipation, PatrolStatus

# Rights -----------------------------------------------------------------------------------------


def programme_names(user) -> list[str]:
    """Programme names already used in the user's jurisdiction, for the inputs' suggestion list."""
    return list(
        Patrol.objects.visible_to(user)
        .exclude(programme="")
        .order_by("programme")
        .values_list("programme", flat=True)
        .distinct()[:100]
    )


RECORDER_DENIED = _("Tài khoản của bạn chưa gắn với đơn vị nào nên chưa ghi nhận được hoạt động.")


# The confirmer and the creator are the events' actors already.
PATROL_HISTORY = Focus(Patrol, hidden=frozenset({"confirmed_by_id", "created_by_id"}))


def _patrol_date(patrol: Patrol) -> str:
    return date_format(timezone.localtime(patrol.started_at), "SHORT_DATE_FORMAT")


# Patrols ----------------------------------------------------------------------------------------


class PatrolListView(GuardedMixin, ListView):
    template_name = "patrols/patrol_list.html"
    context_object_name = "patrols"
    paginate_by = 25

    def get_queryset(self):
        data = self.request.GET.copy()
        data.pop("page", None)
        self.filter_form = PatrolFilterForm(data or None, user=self.request.user)
        qs = selectors.patrol_list(user=self.request.user, **self.filter_form.selector_kwargs())
        # One aggregate over the filtered rows gives both headline figures (and the paginator's count).
        self.totals = qs.aggregate(count=Count("pk"), officers=Sum("officer_total"))
        return qs

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        paginator.count = self.totals["count"]  # cached_property: no second COUNT query
        return paginator

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            filter_form=self.filter_form,
            total_count=self.totals["count"],
            total_officers=self.totals["officers"] or 0,
            programme_names=programme_names(user),
            can_record=permissions.can_record(user),
            **kwargs,
        )


class PatrolDetailView(GuardedDetailView):
    template_name = "patrols/patrol_detail.html"
    context_object_name = "patrol"

    def get_object(self, queryset=None):
        return selectors.patrol_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        patrol, user = self.object, self.request.user
        participations = list(patrol.participations.all())
        # Only the incidents the user may read themselves (their own visibility rule).
        incidents = []
        for incident in patrol.incidents.visible_to(user).select_related("category", "commune"):
            try:
                url = incident.get_absolute_url()
            except NoReverseMatch:  # the incident pages are not installed
                url = ""
            incidents.append({"incident": incident, "url": url})
        return super().get_context_data(
            participations=participations,
            officer_sum=sum(p.officers for p in participations),
            communes=list(patrol.communes.all()),
            participants=list(patrol.participants.all()),
            incidents=incidents,
            history=history_for(user=user, objects=[patrol], focus=PATROL_HISTORY),
            can_edit=permissions.can_edit(user, patrol),
            can_confirm=permissions.can_confirm(user, patrol) and patrol.status == PatrolStatus.DONE,
            **kwargs,
        )


class PatrolFormMixin(ServiceFormsetView):
    """The patrol's fields plus its rows of participating units; one service call saves both."""

    permission = permissions.can_record
    denied_message = RECORDER_DENIED
    template_name = "patrols/patrol_form.html"
    redraws = True
    redraw_template = "patrols/_patrol_communes.html"
    patrol = None

    def get_forms(self, data=None, files=None, refresh=None):
        user = self.request.user
        if refresh is not None:
            return PatrolForm(user=user, patrol=self.patrol, refresh=refresh), None
        initial = patrol_initial_from(self.patrol) if self.patrol is not None else None
        form = PatrolForm(data, user=user, patrol=self.patrol, initial=initial)
        formset = participation_formset(data, user=user, patrol=self.patrol)
        return form, formset

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            patrol=self.patrol, programme_names=programme_names(self.request.user), **kwargs
        )


class PatrolCreateView(PatrolFormMixin):
    def call_service(self, form, formset):
        return services.patrol_create(actor=self.request.user, participations=formset.rows(), **form.service_values())

    def get_success_message(self, patrol):
        return gettext("Đã ghi nhận ca tuần tra ngày %(day)s.") % {"day": _patrol_date(patrol)}


class PatrolUpdateView(PatrolFormMixin):
    permission = permissions.can_edit
    permission_object = "patrol"
    denied_message = _("Chỉ đơn vị chủ trì mới sửa được ca tuần tra này.")

    def load_objects(self):
        self.patrol = selectors.patrol_detail(user=self.request.user, pk=self.kwargs["pk"])
        self.was_confirmed = self.patrol.status == PatrolStatus.CONFIRMED

    def get_forms(self, data=None, files=None, refresh=None):
        form, formset = super().get_forms(data, files, refresh)
        add_version_field(form, self.patrol, refresh)
        return form, formset

    def call_service(self, form, formset):
        values = form.service_values()
        communes = values.pop("communes")
        # Named participants are not on this form; participants=None keeps the stored ones.
        return services.patrol_update(
            actor=self.request.user,
            # A copy: on a refused change the page still shows the patrol as stored.
            patrol=copy.copy(self.patrol),
            participations=formset.rows(),
            communes=communes,
            participants=None,
            expected_version=loaded_version(form),
            **values,
        )

    def get_success_message(self, patrol):
        message = gettext("Đã lưu thay đổi của ca tuần tra ngày %(day)s.") % {"day": _patrol_date(patrol)}
        if self.was_confirmed:
            message += " " + gettext("Ca tuần tra cần đơn vị bạn xác nhận lại.")
        return message


class PatrolConfirmView(GuardedMixin, TemplateView):
    """GET asks (a page a partner can open from a link); POST confirms through the service."""

    permission = permissions.can_confirm
    permission_object = "patrol"
    template_name = "patrols/patrol_confirm.html"
    denied_message = _("Chỉ đơn vị cùng tham gia tuần tra (không phải đơn vị chủ trì) mới xác nhận được.")

    def load_objects(self):
        self.patrol = selectors.patrol_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            patrol=self.patrol, participations=list(self.patrol.participations.all()), **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            patrol = services.patrol_confirm(actor=request.user, patrol=self.patrol)
        except ValidationError as exc:
            for errors in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
                for error in errors:
                    messages.error(request, error)
            return redirect(self.patrol)
        messages.success(
            request,
            gettext("Đã xác nhận ca tuần tra ngày %(day)s do %(unit)s chủ trì.")
            % {"day": _patrol_date(patrol), "unit": self.patrol.lead_unit.name},
        )
        return redirect(self.patrol)


class PatrolPendingView(GuardedMixin, ListView):
    """Patrols partner units led with the user's unit, waiting for the user's unit to confirm."""

    template_name = "patrols/patrol_pending.html"
    context_object_name = "patrols"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        return selectors.patrols_awaiting_confirmation(user=user, unit_ids=user_unit_ids(user)).prefetch_related(
            Prefetch("participations", queryset=PatrolParticipation.objects.select_related("unit"))
        )


# Campaigns and checkpoints ----------------------------------------------------------------------


class RecordFormView(ServiceFormView):
    """A campaign or checkpoint form; its units and communes are redrawn when the cluster changes."""

    permission = permissions.can_record
    denied_message = RECORDER_DENIED
    redraws = True

    def form_extra_kwargs(self):
        return {"user": self.request.user}

    def get_initial(self):
        return {"starts_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(fields_template=self.redraw_template, **kwargs)


class CampaignListView(GuardedMixin, ListView):
    template_name = "patrols/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 25

    def get_queryset(self):
        data = self.request.GET.copy()
        data.pop("page", None)
        self.filter_form = RecordFilterForm(data or None, user=self.request.user)
        year = self.filter_form.value("nam")
        agreement = self.filter_form.value("quy_che")
        return selectors.campaign_list(
            user=self.request.user,
            period=Period.year(year) if year else None,
            agreement_id=agreement.pk if agreement else None,
        ).order_by("-starts_on", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form, can_record=permissions.can_record(self.request.user), **kwargs
        )


class CampaignCreateView(RecordFormView):
    template_name = "patrols/campaign_form.html"
    redraw_template = "patrols/_campaign_units.html"
    form_class = CampaignForm

    def call_service(self, form):
        return services.campaign_create(actor=self.request.user, **form.service_values())

    def get_success_message(self, campaign):
        return gettext("Đã thêm đợt cao điểm “%(name)s”.") % {"name": campaign.name}

    def get_success_url(self):
        return reverse("patrols:campaign_list")


class CheckpointListView(GuardedMixin, ListView):
    template_name = "patrols/checkpoint_list.html"
    context_object_name = "checkpoints"
    paginate_by = 25

    def get_queryset(self):
        data = self.request.GET.copy()
        data.pop("page", None)
        self.filter_form = RecordFilterForm(data or None, user=self.request.user, with_year=False)
        agreement = self.filter_form.value("quy_che")
        return selectors.checkpoint_list(
            user=self.request.user, agreement_id=agreement.pk if agreement else None
        ).order_by("-starts_on", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            can_record=permissions.can_record(self.request.user),
            today=timezone.localdate(),
            **kwargs,
        )


class CheckpointCreateView(RecordFormView):
    template_name = "patrols/checkpoint_form.html"
    redraw_template = "patrols/_checkpoint_fields.html"
    form_class = CheckpointForm

    def call_service(self, form):
        return services.checkpoint_create(actor=self.request.user, **form.service_values())

    def get_success_message(self, checkpoint):
        return gettext("Đã thêm chốt kiểm soát “%(place)s”.") % {"place": checkpoint.place}

    def get_success_url(self):
        return reverse("patrols:checkpoint_list")
