"""Login throttling per IP address across usernames, and oversized uploads refused before their body is read."""

from __future__ import annotations

import io

import pytest
from django.test import RequestFactory
from django.urls import reverse

from agreements.models import Agreement
from agreements.tests.factories import OfficerFactory
from borderzone.request_limits import RequestSizeMiddleware

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-thu-nghiem"
MB = 1024 * 1024


def test_one_password_tried_across_many_accounts_locks_the_address(client, settings):
    settings.AXES_IP_FAILURE_LIMIT = 6
    officers = [OfficerFactory() for _ in range(7)]
    statuses = []
    for officer in officers[:6]:
        # One try each: far below the per-username limit of five; the sixth reaches the address's limit.
        response = client.post(reverse("login"), {"username": officer.user.username, "password": "123456"})
        statuses.append(response.status_code)
    assert statuses == [200] * 5 + [429]
    response = client.post(reverse("login"), {"username": officers[6].user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    # Another address is not affected.
    response = client.post(
        reverse("login"), {"username": officers[6].user.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_a_few_typos_on_several_accounts_do_not_lock_the_address(client, settings):
    assert settings.AXES_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    officers = [OfficerFactory() for _ in range(5)]
    for officer in officers[:4]:
        client.post(reverse("login"), {"username": officer.user.username, "password": "sai"})
    response = client.post(reverse("login"), {"username": officers[4].user.username, "password": PASSWORD})
    assert response.status_code == 302


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_an_oversized_upload_is_refused_by_its_content_length_without_reading_the_body(settings):
    request = RequestFactory().generic(
        "POST", reverse("agreements:agreement_create"), content_type="multipart/form-data; boundary=x",
    )
    request.META["CONTENT_LENGTH"] = str(200 * MB)
    request.META["wsgi.input"] = UnreadableBody()
    request._stream = UnreadableBody()
    reached = []
    response = RequestSizeMiddleware(lambda r: reached.append(r))(request)
    assert reached == []
    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn: văn bản quy chế tối đa 20 MB." in response.content.decode()


def test_the_agreement_page_answers_413_in_vietnamese_for_a_declared_200_mb(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("agreements:agreement_create"), {"title": "Quy chế"}, CONTENT_LENGTH=str(200 * MB)
    )
    assert response.status_code == 413
    assert "tối đa 20 MB" in response.content.decode()
    assert not Agreement.objects.filter(title="Quy chế").exists()


def test_a_request_within_the_limit_passes(settings):
    request = RequestFactory().post("/", {"a": "b"})
    assert int(request.META["CONTENT_LENGTH"]) < settings.REQUEST_MAX_BYTES
    assert RequestSizeMiddleware(lambda r: "passed")(request) == "passed"
