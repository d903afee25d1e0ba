"""Security review, finding 10: session lifetime, and the headers the pages answer with.

A session ends 12 hours after sign-in whatever the user does, and after DJANGO_SESSION_IDLE_MINUTES
(30 by default) without a request; signed-in pages are never stored by the browser or a proxy; the
Content-Security-Policy allows the app's own files only; the Permissions-Policy switches off every
browser feature the app does not use. Time passing is simulated by moving the session's timestamps back.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from borderzone.middleware import LAST_SEEN_AT, SIGNED_IN_AT, permissions_policy
from patrols.models import Patrol
from tools.devstack import REPO_ROOT

pytestmark = pytest.mark.django_db

PAGE = "patrols:patrol_list"
EXPECTED_CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
}
DENIED_FEATURES = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def directives(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";") if part.strip()}


def move_back(client, key: str, seconds: float) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


# Headers --------------------------------------------------------------------------------------------


def test_signed_in_page_is_not_stored_and_carries_the_policies(client, j):
    client.force_login(j.user)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert directives(response) == EXPECTED_CSP
    assert "unsafe" not in response["Content-Security-Policy"]
    policy = response["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert feature in policy.split(", ")


def test_login_page_carries_the_policies(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert directives(response) == EXPECTED_CSP
    assert "camera=()" in response["Permissions-Policy"]
    assert "unsafe" not in response["Content-Security-Policy"]


def test_static_files_stay_cacheable_for_a_signed_in_user(client, j):
    client.force_login(j.user)
    response = client.get(static("js/formset.js"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_permissions_policy_is_written_from_settings():
    assert permissions_policy({"camera": [], "geolocation": ["self"]}) == "camera=(), geolocation=(self)"
    assert permissions_policy({"fullscreen": ["self", "https://ban-do.example.vn"]}) == (
        'fullscreen=(self "https://ban-do.example.vn")'
    )


def test_a_feature_allowed_in_settings_reaches_the_header(client, settings):
    settings.PERMISSIONS_POLICY = {**settings.PERMISSIONS_POLICY, "geolocation": ["self"]}
    response = client.get(reverse("login"))
    assert "geolocation=(self)" in response["Permissions-Policy"].split(", ")
    assert "camera=()" in response["Permissions-Policy"].split(", ")


# Idle timeout ----------------------------------------------------------------------------------------


def test_a_request_within_the_idle_time_keeps_the_session(client, j):
    client.force_login(j.user)
    assert client.get(reverse(PAGE)).status_code == 200
    move_back(client, LAST_SEEN_AT, 29 * 60)
    before = client.session[LAST_SEEN_AT]
    assert client.get(reverse(PAGE)).status_code == 200
    assert client.session[LAST_SEEN_AT] > before + 28 * 60  # the request counted as activity


def test_idle_for_30_minutes_signs_out_with_a_vietnamese_message(client, j):
    client.force_login(j.user)
    assert client.get(reverse(PAGE)).status_code == 200
    move_back(client, LAST_SEEN_AT, 30 * 60 + 1)
    response = client.get(reverse(PAGE) + "?trang=2")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=" + reverse(PAGE) + "%3Ftrang%3D2"
    login_page = client.get(response["Location"])
    assert "không thao tác quá 30 phút" in login_page.content.decode()
    assert not login_page.wsgi_request.user.is_authenticated
    # Signed out for good, not only for one request.
    assert client.get(reverse(PAGE)).status_code == 302


def test_the_idle_time_is_a_setting(client, j, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client.force_login(j.user)
    assert client.get(reverse(PAGE)).status_code == 200
    move_back(client, LAST_SEEN_AT, 5 * 60 + 1)
    response = client.get(reverse(PAGE), follow=True)
    assert "không thao tác quá 5 phút" in response.content.decode()


def test_the_idle_time_is_read_from_the_environment():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "borderzone.settings.test", "DJANGO_SESSION_IDLE_MINUTES": "7"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_IDLE_TIMEOUT)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == str(7 * 60), result.stderr


def test_an_htmx_request_after_the_idle_time_sends_the_whole_page_to_the_login(client, j):
    client.force_login(j.user)
    assert client.get(reverse(PAGE)).status_code == 200
    move_back(client, LAST_SEEN_AT, 31 * 60)
    response = client.get(reverse("patrols:patrol_create"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("login")


def test_a_post_after_the_idle_time_saves_nothing_and_goes_to_the_login(client, j):
    client.force_login(j.user)
    assert client.get(reverse(PAGE)).status_code == 200
    move_back(client, LAST_SEEN_AT, 31 * 60)
    response = client.post(reverse("patrols:patrol_create"), {"programme": "Tuyến biển bình yên"})
    # Not back to the POST's address after signing in: a record's action answers 405 to a GET.
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not Patrol.objects.exists()


# Absolute lifetime -----------------------------------------------------------------------------------


def sign_in(client, j) -> None:
    response = client.post(reverse("login"), {"username": j.user.username, "password": "matkhau-thu-nghiem"})
    assert response.status_code == 302


def test_sessions_last_12_hours_from_sign_in(client, j, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    sign_in(client, j)
    assert abs(client.session[SIGNED_IN_AT] - timezone.now().timestamp()) < 60
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert 12 * 60 * 60 - 60 <= int(cookie["max-age"]) <= 12 * 60 * 60


def test_activity_never_extends_the_session(client, j):
    sign_in(client, j)
    key = client.session.session_key
    end = Session.objects.get(pk=key).expire_date
    for _ in range(3):
        # Enough time between requests that each one is written down as activity.
        move_back(client, LAST_SEEN_AT, 10 * 60)
        assert client.get(reverse(PAGE)).status_code == 200
    assert Session.objects.get(pk=key).expire_date == end
    assert client.session.get_expiry_date() == end
    expected = timezone.now() + datetime.timedelta(hours=12)
    assert abs((end - expected).total_seconds()) < 120


def test_12_hours_after_sign_in_the_session_ends_even_when_active(client, j):
    sign_in(client, j)
    assert client.get(reverse(PAGE)).status_code == 200
    move_back(client, SIGNED_IN_AT, 12 * 60 * 60 + 1)  # active a moment ago, signed in 12 hours ago
    response = client.get(reverse(PAGE), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "quá 12 giờ" in html
    assert not response.wsgi_request.user.is_authenticated


def test_signing_in_again_starts_a_new_lifetime(client, j):
    sign_in(client, j)
    move_back(client, SIGNED_IN_AT, 11 * 60 * 60)
    sign_in(client, j)
    assert abs(client.session[SIGNED_IN_AT] - timezone.now().timestamp()) < 60
    assert client.session.get_expiry_date() > timezone.now() + datetime.timedelta(hours=11, minutes=59)
