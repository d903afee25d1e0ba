"""The shared view layer: one guard, one service-form base (with a formset variant), one redraw.

Every page that names a record in its URL looks it up through a selector before anything else, so
a record of another jurisdiction answers 404 exactly like a missing one, for every HTTP method;
only then is the page's declared ``permission`` checked (403). See docs/ARCHITECTURE.md, "The
access choke point".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView

from .forms import apply_service_errors

# Query-string (or POST) flag of a request that redraws the fields depending on a choice (the
# cluster, the agreement, the day) from the values typed so far, without saving anything.
REFRESH_PARAM = "_cap_nhat"


class GuardedMixin(AccessMixin):
    """Login, then the lookup of what the URL names (404), then the page's ``permission`` (403).

    ``permission`` is a rule of an app's ``permissions`` module, called as ``permission(user)``, or
    as ``permission(user, record)`` when ``permission_object`` names the attribute holding the
    record (set by ``load_objects``). ``None`` lets every signed-in user in: his lists and records
    are narrowed by the selectors anyway.
    """

    permission: Callable[..., bool] | None = None
    permission_object: str = ""
    denied_message = _("Bạn không có quyền thực hiện thao tác này.")

    def load_objects(self) -> None:
        """Fetch the records named in the URL or the query through the selectors (Http404 outside scope)."""

    def has_permission(self) -> bool:
        # Read from the class: a plain function stored as a class attribute must not bind to the view.
        rule = type(self).permission
        if rule is None:
            return True
        if self.permission_object:
            return rule(self.request.user, getattr(self, self.permission_object))
        return rule(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load_objects()
        if not self.has_permission():
            raise PermissionDenied(str(self.denied_message))
        return super().dispatch(request, *args, **kwargs)


class GuardedDetailView(GuardedMixin, DetailView):
    """A record's page; ``get_object`` goes through a selector and runs before any method is considered."""

    def load_objects(self) -> None:
        self.object = self.get_object()

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(object=self.object))


class ServiceResultMixin:
    """After one service call: the success message, then the record's page (or ``get_success_url``)."""

    success_message: Any = ""
    result: Any = None

    def get_success_message(self, result) -> str:
        return str(self.success_message)

    def get_success_url(self) -> str:
        return self.result.get_absolute_url()

    def service_succeeded(self, result):
        self.result = result
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())


class RedrawMixin:
    """Redraws the form from the values typed so far when a choice other fields depend on changes.

    The form takes them as ``refresh`` (a QueryDict) and is neither validated nor saved. The answer
    is ``redraw_template`` (the dependent fields only) when the view has one, else the whole page,
    from which htmx selects the part it swaps; without JavaScript a submit button named
    ``REFRESH_PARAM`` redraws the whole page. Only views that set ``redraws`` do this (their
    forms take ``refresh``); elsewhere the flag is an ordinary, ignored parameter.
    """

    redraws = False
    redraw_template = ""

    def redraw_data(self):
        if not self.redraws:
            return None
        if REFRESH_PARAM in self.request.GET:
            return self.request.GET
        if self.request.method == "POST" and REFRESH_PARAM in self.request.POST:
            return self.request.POST
        return None

    def redraw(self, form):
        if self.redraw_template:
            return render(self.request, self.redraw_template, {"form": form, "refresh_param": REFRESH_PARAM})
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(refresh_param=REFRESH_PARAM, **kwargs)


class ServiceFormView(RedrawMixin, ServiceResultMixin, GuardedMixin, FormView):
    """A form whose valid data goes to one service; the service's ValidationError goes back on the form."""

    def form_extra_kwargs(self) -> dict:
        """Keyword arguments of the form besides the data (the user, the record...)."""
        return {}

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), **self.form_extra_kwargs()}
        refresh = self.redraw_data()
        if refresh is not None:
            kwargs.pop("data", None)
            kwargs.pop("files", None)
            kwargs["refresh"] = refresh
        return kwargs

    def get(self, request, *args, **kwargs):
        if self.redraw_data() is not None:
            return self.redraw(self.get_form())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.redraw_data() is not None:
            return self.redraw(self.get_form())
        return super().post(request, *args, **kwargs)

    def call_service(self, form):
        """Subclasses call their one service with the cleaned data and return the saved record."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.call_service(form)
        except ValidationError as exc:
            apply_service_errors(exc, form)
            return self.form_invalid(form)
        return self.service_succeeded(result)


class ServiceFormsetView(RedrawMixin, ServiceResultMixin, GuardedMixin, TemplateView):
    """A form plus its rows (a formset) saved by one service call (agreement + parties, patrol + units).

    Subclasses give ``get_forms(data, files, refresh=None)`` and ``call_service(form, formset)``.
    """

    def get_forms(self, data=None, files=None, refresh=None):
        raise NotImplementedError

    def call_service(self, form, formset):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        refresh = self.redraw_data()
        form, formset = self.get_forms(refresh=refresh)
        if refresh is not None:
            return self.redraw(form)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        refresh = self.redraw_data()
        if refresh is not None:
            return self.redraw(self.get_forms(refresh=refresh)[0])
        form, formset = self.get_forms(request.POST, request.FILES)
        # Both are validated so every mistake shows at once.
        form_ok = form.is_valid()
        formset_ok = formset.is_valid()
        if form_ok and formset_ok:
            try:
                result = self.call_service(form, formset)
            except ValidationError as exc:
                apply_service_errors(exc, form, formset)
            else:
                return self.service_succeeded(result)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class RecordActionMixin:
    """A form posted from a record's page (a status change, a link): one service, then back to the page.

    Mix into the record's ``GuardedDetailView``: the record is looked up first (404 outside the
    jurisdiction), GET answers 405, the right is checked by ``check_action`` on POST. A refusal
    shows the page again with the form (``action_form_name`` in the context) and what was typed.
    """

    http_method_names = ["post"]
    action_form_name = "form"

    def check_action(self) -> None:
        """Raise PermissionDenied when the user may not act on the record."""

    def get_action_form(self, data):
        raise NotImplementedError

    def call_service(self, form):
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        raise NotImplementedError

    def get_success_url(self, result) -> str:
        return safe_next(self.request, self.object.get_absolute_url())

    def post(self, request, *args, **kwargs):
        self.check_action()
        form = self.get_action_form(request.POST)
        if form.is_valid():
            try:
                result = self.call_service(form)
            except ValidationError as exc:
                apply_service_errors(exc, form)
            else:
                messages.success(request, self.get_success_message(result))
                return HttpResponseRedirect(self.get_success_url(result))
        context = self.get_context_data(object=self.object, **{self.action_form_name: form})
        return self.render_to_response(context)


def safe_next(request, fallback: str) -> str:
    """The ``next`` page a form posted, when it stays on this site; else ``fallback``."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
