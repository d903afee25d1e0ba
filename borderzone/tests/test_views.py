"""The shared view layer on its own: the guard's order (login, lookup, permission), the service-form
base, the redraw flag and the ``next`` check."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.views.generic import View

from borderzone.views import REFRESH_PARAM, GuardedMixin, ServiceFormView, safe_next

factory = RequestFactory()


def signed_in(request, name: str = "canbo"):
    request.user = SimpleNamespace(is_authenticated=True, username=name, pk=1)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def allow_all(user) -> bool:
    return True


def deny_all(user) -> bool:
    return False


def owns(user, record) -> bool:
    return record["owner"] == user.username


class Page(GuardedMixin, View):
    looked_up = False
    missing = False

    def load_objects(self):
        type(self).looked_up = True
        if self.missing:
            raise Http404
        self.record = {"owner": "canbo"}

    def get(self, request, *args, **kwargs):
        return HttpResponse("ok")


def test_anonymous_is_sent_to_login_before_anything_is_looked_up():
    Page.looked_up = False
    request = factory.get("/trang")
    request.user = AnonymousUser()
    response = Page.as_view(permission=deny_all)(request)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert Page.looked_up is False


def test_out_of_scope_is_404_even_without_the_right():
    """A record the user may not see answers 404 before the right is asked (never 403: it would tell it exists)."""
    with pytest.raises(Http404):
        Page.as_view(permission=deny_all, missing=True)(signed_in(factory.post("/trang")))


def test_declared_permission_refuses_with_its_message():
    class Refused(Page):
        permission = deny_all
        denied_message = "Không được."

    with pytest.raises(PermissionDenied, match="Không được."):
        Refused.as_view()(signed_in(factory.get("/trang")))


def test_permission_is_a_plain_rule_of_the_user_and_lets_in():
    class Allowed(Page):
        permission = allow_all

    assert Allowed.as_view()(signed_in(factory.get("/trang"))).status_code == 200


def test_permission_object_hands_the_loaded_record_to_the_rule():
    class OwnerOnly(Page):
        permission = owns
        permission_object = "record"

    assert OwnerOnly.as_view()(signed_in(factory.get("/trang"), "canbo")).status_code == 200
    with pytest.raises(PermissionDenied):
        OwnerOnly.as_view()(signed_in(factory.get("/trang"), "nguoikhac"))


class NameForm(forms.Form):
    ten = forms.CharField()
    SERVICE_FIELDS = {"name": "ten"}

    def __init__(self, *args, refresh=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refresh = refresh


class Saved(SimpleNamespace):
    def get_absolute_url(self):
        return f"/ban-ghi/{self.pk}/"


class NameView(ServiceFormView):
    form_class = NameForm
    template_name = "base.html"
    success_message = "Đã lưu."
    calls: list = []

    def call_service(self, form):
        type(self).calls.append(form.cleaned_data["ten"])
        if form.cleaned_data["ten"] == "trùng":
            raise ValidationError({"name": ["Tên đã có."]})
        return Saved(pk=7)


def test_service_refusal_shows_beside_the_renamed_field_and_keeps_the_input():
    NameView.calls = []
    response = NameView.as_view()(signed_in(factory.post("/", {"ten": "trùng"})))
    assert response.status_code == 200
    form = response.context_data["form"]
    assert form.errors["ten"] == ["Tên đã có."]
    assert form.data["ten"] == "trùng"


def test_service_success_redirects_to_the_record_with_the_message():
    NameView.calls = []
    request = signed_in(factory.post("/", {"ten": "Cụm Đông"}))
    response = NameView.as_view()(request)
    assert response.status_code == 302 and response["Location"] == "/ban-ghi/7/"
    assert [str(m) for m in request._messages] == ["Đã lưu."]


def test_redraw_flag_redraws_without_saving_only_where_the_view_redraws():
    NameView.calls = []
    data = {"ten": "Cụm Đông", REFRESH_PARAM: "1"}
    response = NameView.as_view(redraws=True)(signed_in(factory.post("/", data)))
    assert response.status_code == 200
    form = response.context_data["form"]
    assert not form.is_bound and form.refresh["ten"] == "Cụm Đông"
    assert NameView.calls == []
    # Elsewhere the flag is an ordinary parameter: the form is saved as posted.
    response = NameView.as_view()(signed_in(factory.post("/", data)))
    assert response.status_code == 302 and NameView.calls == ["Cụm Đông"]


def test_next_must_stay_on_this_site():
    request = factory.post("/", {"next": "https://evil.example/"})
    assert safe_next(request, "/tin-bao/") == "/tin-bao/"
    request = factory.post("/", {"next": "/tin-bao/?trang=2"})
    assert safe_next(request, "/") == "/tin-bao/?trang=2"
