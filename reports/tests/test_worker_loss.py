"""A Celery worker killed (SIGKILL) in the middle of a render: the version is still finished, once, and cleanly.

Real processes only: a private Redis, a worker whose renders pause after writing the PDF (so the claim
is held and the temporary files exist when it dies), then a second worker with embedded beat as
production runs it (``CELERY_BEAT_SCHEDULE``, default intervals). Its periodic sweep sees the claim's
heartbeat stop, queues the version again, and the render that follows removes what the dead one left.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from reports import services
from reports.models import ReportVersion, VersionStatus
from reports.tests.test_tasks import _scene, wait_for
from reports.tests.workers import Worker, media_pdfs
from tests.private_redis import private_redis

FINISHED_WITHIN = 120  # seconds after the worker died


@pytest.mark.django_db(transaction=True)
def test_a_version_whose_worker_was_killed_mid_render_is_finished_once(settings, tmp_path, monkeypatch):
    from borderzone.celery import app

    (tmp_path / "redis").mkdir()
    with private_redis(tmp_path / "redis") as broker:
        queue = f"bz-test-loss-{uuid.uuid4().hex[:10]}"
        settings.REPORT_TASK_QUEUE = queue
        monkeypatch.setattr(app.conf, "broker_url", broker.url)
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)
        media = Path(settings.MEDIA_ROOT)
        doomed = Worker(queue=queue, broker=broker.url, media_root=media, app="reports.tests.slow_render_worker",
                        env={"BZ_TEST_RENDER_PAUSE": "600"})
        survivor = None
        try:
            doomed.wait_ready()
            j, report = _scene()
            version = services.report_request_pdf(actor=j.user, report=report)
            doomed.wait_for_line("render written; pausing", timeout=90)
            # The worker that will finish the job, with beat; booting meanwhile keeps the test short.
            survivor = Worker(queue=queue, broker=broker.url, media_root=media, beat_dir=tmp_path)
            # Let at least one heartbeat land: the claim is alive when the worker dies, not already stale.
            time.sleep(services.HEARTBEAT_EVERY + 1)
            held = ReportVersion.objects.get(pk=version.pk)
            assert held.status == VersionStatus.RENDERING and held.attempts == 1
            assert held.heartbeat_at > held.started_at and held.claimed_by.endswith(f":{doomed.proc.pid}")
            leftovers = list(services.render_root().glob(f"v{version.pk}-a*"))
            assert [p.name for p in leftovers] == [f"v{version.pk}-a1"] and (leftovers[0] / "report.pdf").exists()

            doomed.kill()
            killed_at = time.monotonic()
            survivor.wait_ready()
            done = wait_for(version.pk, (VersionStatus.READY, VersionStatus.FAILED), survivor.log,
                            timeout=FINISHED_WITHIN - (time.monotonic() - killed_at))
            assert done.status == VersionStatus.READY, done.error
            assert time.monotonic() - killed_at < FINISHED_WITHIN
            assert done.attempts == 2 and done.page_count >= 2 and not done.claimed_by.endswith(
                f":{doomed.proc.pid}")
            assert [p.name for p in media_pdfs(report.pk)] == [Path(done.pdf.name).name]
            assert not list(services.render_root().glob(f"v{version.pk}-a*"))
        finally:
            doomed.kill()
            if survivor is not None:
                survivor.stop()
