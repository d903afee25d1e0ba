"""Celery tasks of the reports app: thin, they take ids and call a service."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import services

# WeasyPrint lays out a 30-page report in about 5 s and a 116-page one in about 20 s (docs/BENCHMARKS.md):
# minutes are plenty. A dead worker is noticed by its claim's heartbeat (services.STALE_RENDERING), not
# by these limits.
SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def render_report_version(self, version_id: int) -> str | None:
    """Render a queued report version to PDF; a duplicate delivery does nothing (the service claims the row)."""
    return services.report_version_render(version_id=version_id)


@shared_task(acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT, ignore_result=True)
def refresh_national_dashboard() -> None:
    """Recount the national dashboard's snapshot (scheduled by Celery beat, see CELERY_BEAT_SCHEDULE)."""
    from .dashboards import refresh_national_snapshot

    refresh_national_snapshot()


@shared_task(ignore_result=True)
def sweep_report_versions() -> int:
    """Send again the PDF requests a lost message or a dead worker left (scheduled by Celery beat)."""
    return services.report_versions_sweep()
