"""Session lifetime and the response headers every page gets (security review, finding 10).

A session ends SESSION_COOKIE_AGE after sign-in whatever the user does (the absolute lifetime), and
earlier when no request came for SESSION_IDLE_TIMEOUT seconds (the idle timeout). Pages seen by a
signed-in user are never stored by the browser or a proxy, and browser features the app does not use
are switched off by a Permissions-Policy read from settings.PERMISSIONS_POLICY.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# Unix timestamps in the session: when the user signed in, when the last request came.
SIGNED_IN_AT = "_bz_signed_in_at"
LAST_SEEN_AT = "_bz_last_seen_at"
# Writing the last request's time on every request would write the session row on every request;
# a minute of slack on a 30-minute timeout costs nothing.
LAST_SEEN_GRANULARITY = 60

Middleware = Callable[[HttpRequest], HttpResponseBase]


def _start(request: HttpRequest, now: float) -> None:
    """Fix the session's end at sign-in: later writes to the session must not push it back."""
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session.set_expiry(timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE))


# borderzone is not an installed app (no AppConfig.ready() to connect in); Django imports this module
# when it builds the request handler, before any sign-in can happen.
@receiver(user_logged_in, dispatch_uid="borderzone.middleware.start_session_lifetime")
def start_session_lifetime(sender: type, request: HttpRequest, **kwargs: object) -> None:
    """Every sign-in starts a new lifetime, also one into a session the same user already had."""
    _start(request, time.time())


class SessionLifetimeMiddleware:
    """Signs out after the idle timeout or the absolute lifetime, with a message on the login page.

    Goes after the session, authentication, message and htmx middleware.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            ended = self.check(request, time.time())
            if ended is not None:
                return ended
        return self.get_response(request)

    def check(self, request: HttpRequest, now: float) -> HttpResponseBase | None:
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is None:
            # A session from before this middleware was deployed: its lifetime starts now.
            _start(request, now)
            return None
        idle_for = now - session.get(LAST_SEEN_AT, signed_in_at)
        if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
            message = _("Phiên làm việc đã quá %(hours)d giờ. Vui lòng đăng nhập lại.") % {
                "hours": settings.SESSION_COOKIE_AGE // 3600,
            }
        elif idle_for >= settings.SESSION_IDLE_TIMEOUT:
            message = _("Bạn đã không thao tác quá %(minutes)d phút nên phiên làm việc đã kết thúc. "
                        "Vui lòng đăng nhập lại.") % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
        else:
            if idle_for >= LAST_SEEN_GRANULARITY:
                session[LAST_SEEN_AT] = now
            return None
        logout(request)
        # The message survives the flushed session: the default message storage tries a cookie first.
        messages.warning(request, message)
        if getattr(request, "htmx", False):
            # An htmx request would put the login page inside the fragment it redraws.
            return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
        if request.method != "GET":
            # A POST's address (the logout, a record's action) may answer 405 to the GET after signing in.
            return redirect(settings.LOGIN_URL)
        return redirect_to_login(request.get_full_path())


class SecurityHeadersMiddleware:
    """Cache-Control on signed-in users' pages, and the Permissions-Policy on every page.

    Static files never get here: WhiteNoise answers them earlier in the chain, and they may be cached.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Records of other units must not stay in a shared computer's cache or a proxy.
            patch_cache_control(response, private=True, no_store=True)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The header's value: ``{"camera": [], "geolocation": ["self"]}`` -> ``camera=(), geolocation=(self)``.

    Origins other than ``self`` and ``*`` are written quoted, as the header's syntax requires.
    """
    def origin(value: str) -> str:
        return value if value in ("self", "*") else f'"{value}"'

    return ", ".join(f"{feature}=({' '.join(origin(o) for o in allowed)})" for feature, allowed in features.items())

