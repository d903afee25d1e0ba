"""Pages of joint patrols, campaigns and checkpoints.

Every lookup goes through ``selectors`` (which start from ``visible_to``), so a patrol of another
jurisdiction answers 404 exactly like a missing one; the right to change it is checked only after
the lookup (out of scope is 404 before it is 403). Each form hands its data to one service and
maps the service's ``ValidationError`` back onto the form.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from agreements.history import Focus, history_for
from agreements.querysets import user_unit_ids
from agreements.views import FormsetServiceMixin, ScopedObjectMixin
from borderzone.periods import Period

from . import permissions, selectors, services
from .forms import (
    CampaignForm,
    CheckpointForm,
    PatrolFilterForm,
    PatrolForm,
    RecordFilterForm,
    apply_service_errors,
    participation_formset,
    patrol_initial_from,
)
from .models import Patrol, PatrolParticipation, PatrolStatus

# Query-string flag of the htmx request that re-draws the fields depending on the chosen cluster.
REFRESH_PARAM = "_cap_nhat"


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


class GuardedMixin:
    """After the login check: look the records up first (404), then check the right (403).

    Put this after ``LoginRequiredMixin``; subclasses load what the URL names in ``load_objects``
    through ``selectors`` and say in ``has_right`` whether the user may use the page.
    """

    denied_message = _("Bạn không có quyền thực hiện thao tác này.")

    def load_objects(self) -> None:
        """Fetch the records named in the URL through the selectors."""

    def has_right(self) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        self.load_objects()
        if not self.has_right():
            raise PermissionDenied(str(self.denied_message))
        return super().dispatch(request, *args, **kwargs)


class RecorderMixin(GuardedMixin):
    denied_message = _("Tài khoản của bạn chưa gắn với đơn vị nào nên chưa ghi nhận được hoạt động.")

    def has_right(self) -> bool:
        return permissions.can_record(self.request.user)


# The confirmer and the creator are the events' actors already.
PATROL_HISTORY = Focus(Patrol, hidden=frozenset({"confirmed_by_id", "created_by_id"}))


def _patrol_date(patrol: Patrol) -> str:
    return date_format(timezone.localtime(patrol.started_at), "SHORT_DATE_FORMAT")


# Patrols ----------------------------------------------------------------------------------------


class PatrolListView(LoginRequiredMixin, ListView):
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


class PatrolDetailView(LoginRequiredMixin, ScopedObjectMixin, DetailView):
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
            history=history_for(objects=[patrol], focus=PATROL_HISTORY),
            can_edit=permissions.can_edit(user, patrol),
            can_confirm=permissions.can_confirm(user, patrol) and patrol.status == PatrolStatus.DONE,
            **kwargs,
        )


class PatrolFormMixin(FormsetServiceMixin, LoginRequiredMixin, RecorderMixin, TemplateView):
    """The patrol's fields plus its rows of participating units; one service call saves both."""

    map_service_errors = staticmethod(apply_service_errors)

    template_name = "patrols/patrol_form.html"
    communes_template = "patrols/_patrol_communes.html"
    patrol = None

    def get_forms(self, data=None, files=None):
        user = self.request.user
        initial = None
        if self.patrol is not None:
            initial = patrol_initial_from(self.patrol)
        form = PatrolForm(data, user=user, patrol=self.patrol, initial=initial)
        formset = participation_formset(data, user=user, patrol=self.patrol)
        return form, formset

    def get(self, request, *args, **kwargs):
        if request.GET.get(REFRESH_PARAM):
            form = PatrolForm(user=request.user, patrol=self.patrol, refresh=request.GET)
            return render(request, self.communes_template, {"form": form, "refresh_param": REFRESH_PARAM})
        form, formset = self.get_forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


    def get_context_data(self, **kwargs):
        return super().get_context_data(
            patrol=self.patrol,
            programme_names=programme_names(self.request.user),
            refresh_param=REFRESH_PARAM,
            **kwargs,
        )


class PatrolCreateView(PatrolFormMixin):
    def call_service(self, form, formset):
        return services.patrol_create(actor=self.request.user, participations=formset.rows(), **form.service_values())

    def success_message(self, patrol):
        return gettext("Đã ghi nhận ca tuần tra ngày %(day)s.") % {"day": _patrol_date(patrol)}


class PatrolUpdateView(PatrolFormMixin):
    denied_message = _("Chỉ đơn vị chủ trì mới sửa được ca tuần tra này.")

    def load_objects(self):
        self.patrol = selectors.patrol_detail(user=self.request.user, pk=self.kwargs["pk"])
        self.was_confirmed = self.patrol.status == PatrolStatus.CONFIRMED

    def has_right(self):
        return permissions.can_edit(self.request.user, self.patrol)

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
            **values,
        )

    def success_message(self, patrol):
        message = gettext("Đã lưu thay đổi của ca tuần tra ngày %(day)s.") % {"day": _patrol_date(patrol)}
        if self.was_confirmed:
            message += " " + gettext("Ca tuần tra cần đơn vị bạn xác nhận lại.")
        return message


class PatrolConfirmView(LoginRequiredMixin, GuardedMixin, TemplateView):
    """GET asks (a page a partner can open from a link); POST confirms through the service."""

    template_name = "patrols/patrol_confirm.html"
    denied_message = _("Chỉ đơn vị cùng tham gia tuần tra (không phải đơn vị chủ trì) mới xác nhận được.")

    def load_objects(self):
        self.patrol = selectors.patrol_detail(user=self.request.user, pk=self.kwargs["pk"])

    def has_right(self):
        return permissions.can_confirm(self.request.user, self.patrol)

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


class PatrolPendingView(LoginRequiredMixin, ListView):
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


class RecordFormView(LoginRequiredMixin, RecorderMixin, FormView):
    """A simple form whose ``form_valid`` hands the data to one service."""

    fields_template = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get(self, request, *args, **kwargs):
        if request.GET.get(REFRESH_PARAM):
            form = self.form_class(user=request.user, refresh=request.GET)
            return render(request, self.fields_template, {"form": form, "refresh_param": REFRESH_PARAM})
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"starts_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            self.result = self.call_service(form)
        except ValidationError as exc:
            apply_service_errors(exc, form)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message())
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(refresh_param=REFRESH_PARAM, fields_template=self.fields_template, **kwargs)


class CampaignListView(LoginRequiredMixin, ListView):
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
    fields_template = "patrols/_campaign_units.html"
    form_class = CampaignForm

    def call_service(self, form):
        return services.campaign_create(actor=self.request.user, **form.service_values())

    def success_message(self):
        return gettext("Đã thêm đợt cao điểm “%(name)s”.") % {"name": self.result.name}

    def get_success_url(self):
        return reverse("patrols:campaign_list")


class CheckpointListView(LoginRequiredMixin, ListView):
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
    fields_template = "patrols/_checkpoint_fields.html"
    form_class = CheckpointForm

    def call_service(self, form):
        return services.checkpoint_create(actor=self.request.user, **form.service_values())

    def success_message(self):
        return gettext("Đã thêm chốt kiểm soát “%(place)s”.") % {"place": self.result.place}

    def get_success_url(self):
        return reverse("patrols:checkpoint_list")
