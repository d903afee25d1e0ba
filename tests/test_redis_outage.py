"""Redis gone (killed, or frozen): the site keeps serving from PostgreSQL, and no PDF request is lost.

Nothing is mocked: the cache (``borderzone.cache.ResilientRedisCache``, as in production settings) and
the Celery broker of this process point at a private redis-server the test kills with SIGKILL and
starts again; the PDFs are rendered afterwards by a real worker with embedded beat, whose periodic
sweep sends what the outage kept or lost.
"""

from __future__ import annotations

import datetime
import logging
import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ReportVersion, VersionStatus
from reports.tests.test_tasks import _scene, wait_for
from reports.tests.workers import Worker, media_pdfs
from tests.private_redis import private_redis

PASSWORD = "matkhau-thu-nghiem"
QUEUE_DOWN = "hàng đợi tạm thời không hoạt động"


def _redis_cache(url: str) -> dict:
    return {"default": {
        "BACKEND": "borderzone.cache.ResilientRedisCache", "LOCATION": url, "KEY_PREFIX": "bz-outage-test",
        "TIMEOUT": 600, "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }}


@pytest.fixture
def broker_of_this_process(monkeypatch):
    """Point this process's Celery app at another broker (its connection pools are made again on use)."""
    from borderzone.celery import app

    def use(url: str) -> None:
        monkeypatch.setattr(app.conf, "broker_url", url)
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)

    return use


@pytest.mark.django_db(transaction=True)
def test_pages_login_and_pdf_requests_survive_redis_being_killed(
    client, settings, tmp_path, broker_of_this_process, caplog
):
    (tmp_path / "redis").mkdir()
    with private_redis(tmp_path / "redis") as redis_server:
        settings.CACHES = _redis_cache(redis_server.url)
        settings.REPORT_TASK_QUEUE = queue = f"bz-test-outage-{uuid.uuid4().hex[:10]}"
        broker_of_this_process(redis_server.url)
        j, report = _scene()
        pages = [
            reverse("reports:dashboard_agreement", args=[j.agreement.pk]),
            reverse("incidents:incident_list"), reverse("incidents:tip_list"), reverse("reports:report_list"),
            report.get_absolute_url(),
        ]
        response = client.post(reverse("login"), {"username": j.user.username, "password": PASSWORD})
        assert response.status_code == 302
        for url in pages:
            assert client.get(url).status_code == 200, url
        # Sent while Redis is up, lost with it: nothing consumes the queue yet and Redis keeps nothing on disk.
        lost = services.report_request_pdf(actor=j.user, report=report)
        assert ReportVersion.objects.get(pk=lost.pk).sent_at is not None

        redis_server.kill()
        caplog.set_level(logging.WARNING, logger="borderzone.cache")
        started = time.monotonic()
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.wsgi_request.user == j.user  # the session came from the database
        # Logging out and in again: the session is written to the database although the cache is down.
        assert client.post(reverse("logout")).status_code == 302
        assert client.get(pages[0])["Location"].startswith(reverse("login"))
        response = client.post(reverse("login"), {"username": j.user.username, "password": PASSWORD})
        assert response.status_code == 302
        assert Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
        response = client.get(pages[0])
        assert response.status_code == 200 and response.wsgi_request.user == j.user

        response = client.post(reverse("reports:report_request_pdf", args=[report.pk]))
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        kept = report.versions.order_by("-number").first()
        assert kept.pk != lost.pk and kept.status == VersionStatus.QUEUED and kept.sent_at is None
        assert QUEUE_DOWN in kept.error and QUEUE_DOWN in html and "Đang chờ xử lý" in html
        assert time.monotonic() - started < 30  # no page waited on Redis
        outage_logs = [r for r in caplog.records if r.name == "borderzone.cache"]
        assert len(outage_logs) == 1, [r.getMessage() for r in outage_logs]  # once per interval, not per call

        # Redis is back after a few minutes: both requests are older than the sweep's thresholds.
        redis_server.start()
        ReportVersion.objects.filter(pk__in=[lost.pk, kept.pk]).update(
            requested_at=timezone.now() - datetime.timedelta(minutes=4))
        ReportVersion.objects.filter(pk=lost.pk).update(
            sent_at=timezone.now() - services.RESEND_AFTER - datetime.timedelta(seconds=5))
        worker = Worker(queue=queue, broker=redis_server.url, media_root=Path(settings.MEDIA_ROOT),
                        beat_dir=tmp_path)
        try:
            worker.wait_ready()
            for version in (lost, kept):
                done = wait_for(version.pk, (VersionStatus.READY, VersionStatus.FAILED), worker.log, timeout=90)
                assert done.status == VersionStatus.READY, done.error
                assert done.attempts == 1 and done.error == ""
        finally:
            worker.stop()
        assert len(media_pdfs(report.pk)) == 2
        time.sleep(3)  # past the cache's pause after a failure: it asks Redis again
        for url in pages:
            assert client.get(url).status_code == 200, url
        assert caches["default"].get("probe", "absent") == "absent" and caches["default"].add("probe", 1)
        assert caches["default"].get("probe") == 1  # Redis serves the cache again


@pytest.mark.django_db
def test_an_entry_changed_while_redis_was_frozen_is_not_served_stale(settings, tmp_path):
    """A frozen (SIGSTOP) Redis keeps its data: what was deleted meanwhile must not come back from it."""
    (tmp_path / "redis").mkdir()
    with private_redis(tmp_path / "redis") as redis_server:
        settings.CACHES = _redis_cache(redis_server.url)
        cache = caches["default"]
        cache.set("session-of-someone", {"user": 1})
        os.kill(redis_server.proc.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            cache.delete("session-of-someone")  # a logout: the database row goes, the cache cannot answer
            assert cache.get("session-of-someone") is None
            assert time.monotonic() - started < 3
        finally:
            os.kill(redis_server.proc.pid, signal.SIGCONT)
        time.sleep(2.5)  # past the pause after a failure
        assert cache.get("session-of-someone") is None
        assert cache.get_many(["session-of-someone"]) == {}
