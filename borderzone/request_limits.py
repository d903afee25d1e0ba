"""Limits checked before a request reaches a view: failed logins per IP address, and the size of a body.

django-axes locks a username tried from one address after ``AXES_FAILURE_LIMIT`` failures; it has a
single limit for every lockout parameter, so locking the address at that limit too would lock a
whole police station behind one NAT after five typos. :class:`AxesHandler` adds a higher limit per
address, across usernames, which stops one password tried against many accounts.

Django reads a whole upload (to memory or a temporary file) before a form can look at its size; a
200 MB body was read in full before the 20 MB check refused it. :class:`RequestSizeMiddleware`
refuses by the declared Content-Length before anything reads the body (CSRF's check reads it).
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


class AxesHandler(AxesDatabaseHandler):
    """Axes' database handler, also locking an address after ``AXES_IP_FAILURE_LIMIT`` failures on any usernames."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return self.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        # Axes flags the lockout page here from its own count only; the address's count flags it too.
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and self.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def address_failures(self, request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class RequestSizeMiddleware:
    """Answer 413 with a Vietnamese page when the declared body is larger than ``REQUEST_MAX_BYTES``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django itself refuses a malformed length when the body is read.
        if declared > settings.REQUEST_MAX_BYTES:
            return self.too_large()
        return self.get_response(request)

    @staticmethod
    def too_large() -> HttpResponse:
        limit = settings.AGREEMENT_DOCUMENT_MAX_BYTES // (1024 * 1024)
        message = _("Tệp gửi lên quá lớn: văn bản quy chế tối đa %(mb)s MB. Hãy quay lại, chọn tệp nhỏ hơn "
                    "(ví dụ quét ở độ phân giải thấp hơn) rồi gửi lại.") % {"mb": limit}
        title = _("Tệp quá lớn")
        body = (
            f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>"
        )
        response = HttpResponse(body, status=413, content_type="text/html; charset=utf-8")
        # The unread body cannot be kept for another request on this connection.
        response["Connection"] = "close"
        return response
