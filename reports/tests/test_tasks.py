"""The render task through a real Celery worker: a subprocess on the test database and the Redis broker.

The worker runs ``celery -A borderzone worker --pool solo`` with the test settings, DATABASE_URL
pointing at pytest-django's test database (``test_…``), the same MEDIA_ROOT as the test, and a
queue of its own (``REPORT_TASK_QUEUE``, unique per run), so a worker of ``make run`` on the same
Redis never takes these tasks and these workers never take its. The tests enqueue through
``report_request_pdf`` exactly as the page does, then poll the database for the version's status.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader

from agreements.models import Role
from agreements.tests.factories import jurisdiction
from borderzone.formatting import clearance_text
from incidents.models import IncidentStatus
from incidents.tests.factories import IncidentFactory
from patrols.tests.factories import local
from reports import services
from reports.models import ReportStatus, ReportVersion, VersionStatus
from reports.tasks import render_report_version

REPO = Path(__file__).resolve().parent.parent.parent
WAIT_READY = 90  # seconds: worker start-up (Django, Celery) plus one render


def worker_database_url() -> str:
    """DATABASE_URL of the database pytest-django created (its name prefixed with ``test_``).

    A unix-socket directory (the embedded PostgreSQL of ``make test``) and other connection options
    travel as query parameters, which django-environ turns back into OPTIONS.
    """
    db = django_settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    options = {key: str(value) for key, value in (db.get("OPTIONS") or {}).items()}
    host = db.get("HOST") or ""
    if host.startswith("/"):
        options["host"], host = host, ""
        if db.get("PORT"):
            options["port"] = str(db["PORT"])
    port = f":{db['PORT']}" if db.get("PORT") and host else ""
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{auth}{host}{port}/{quote(db['NAME'], safe='')}{query}"


@contextlib.contextmanager
def running_worker(*, queue: str, media_root: Path, timeout: float = 60) -> Iterator[list[str]]:
    """A Celery worker subprocess consuming ``queue``; yields its output lines (a live list) and stops it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "borderzone.settings.test",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": django_settings.CELERY_BROKER_URL,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "borderzone", "worker", "--pool", "solo", "-Q", queue,
        "-n", f"{queue}@%h", "-l", "info", "--without-heartbeat", "--without-mingle", "--without-gossip",
    ]
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line.rstrip())
            if " ready." in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + timeout
        while not ready.wait(0.2):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start:\n" + "\n".join(lines[-40:]))
        yield lines
    finally:
        proc.terminate()  # warm shutdown: a task being rendered finishes first
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        reader.join(5)
        _forget_queue(queue)


def _forget_queue(queue: str) -> None:
    """Remove the run's queue keys from Redis (best effort)."""
    try:
        import redis

        client = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
        client.delete(queue, f"_kombu.binding.{queue}")
        client.close()
    except Exception:  # noqa: BLE001 - a leftover empty key is harmless
        pass


@pytest.fixture
def report_worker(settings):
    """A worker on a queue of this test's own; report_request_pdf sends to it (settings.REPORT_TASK_QUEUE)."""
    queue = f"bz-test-reports-{uuid.uuid4().hex[:10]}"
    settings.REPORT_TASK_QUEUE = queue
    with running_worker(queue=queue, media_root=Path(settings.MEDIA_ROOT)) as lines:
        yield {"queue": queue, "log": lines}


def wait_for(version_id: int, statuses: tuple[str, ...], log: list[str], timeout: float = WAIT_READY) -> ReportVersion:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version = ReportVersion.objects.get(pk=version_id)
        if version.status in statuses:
            return version
        time.sleep(0.3)
    raise AssertionError(f"version {version_id} still {version.status}; worker log:\n" + "\n".join(log[-40:]))


def _scene():
    j = jurisdiction(role=Role.STAFF)
    for day in range(1, 8):
        IncidentFactory(agreement=j.agreement, cluster=j.cluster, commune=j.commune_a,
                        lead_unit=j.unit_a, occurred_at=local(2023, 3, day, 20),
                        status=IncidentStatus.SOLVED if day <= 6 else IncidentStatus.INVESTIGATING,
                        solved_at=local(2023, 3, day + 2, 9) if day <= 6 else None)
    report = services.report_create(
        actor=j.user, agreement=j.agreement, period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2024, 1, 1), comparison_start=datetime.date(2022, 1, 1),
        comparison_end=datetime.date(2023, 1, 1), document_number="07/BC-CAH", place="Thử Nghiệm",
        issuing_unit=j.unit_a.name, situation="Tình hình an ninh, trật tự cơ bản ổn định.",
    )
    return j, report


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_queued_version(report_worker):
    j, report = _scene()
    version = services.report_request_pdf(actor=j.user, report=report)
    assert ReportVersion.objects.get(pk=version.pk).status in (VersionStatus.QUEUED, VersionStatus.RENDERING,
                                                                VersionStatus.READY)
    done = wait_for(version.pk, (VersionStatus.READY, VersionStatus.FAILED), report_worker["log"])
    assert done.status == VersionStatus.READY, done.error
    assert done.attempts == 1 and done.started_at <= done.finished_at and done.page_count >= 2
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    with done.pdf.open("rb") as handle:
        reader = PdfReader(handle)
        body = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Số: 07/BC-CAH" in body
    assert f"làm rõ {clearance_text(6, 7)}" in body  # "6/7 vụ (đạt 85,7%)"
    assert any("render_report_version" in line and "succeeded" in line for line in report_worker["log"])


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_delivery_renders_nothing_twice(report_worker):
    j, report = _scene()
    version = services.report_request_pdf(actor=j.user, report=report)
    # The broker hands the same version out again (visibility timeout, a second click, a retry race).
    render_report_version.apply_async((version.pk,), queue=report_worker["queue"])
    render_report_version.apply_async((version.pk,), queue=report_worker["queue"])
    done = wait_for(version.pk, (VersionStatus.READY, VersionStatus.FAILED), report_worker["log"])
    assert done.status == VersionStatus.READY, done.error
    deadline = time.monotonic() + 30
    while sum("succeeded" in line for line in report_worker["log"]) < 3 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert sum("render_report_version" in line and "succeeded" in line for line in report_worker["log"]) == 3
    done.refresh_from_db()
    assert done.attempts == 1  # claimed once; the two duplicates found nothing to claim
