"""The project's Celery app with renders that pause once their PDF is written, for tests that kill a worker.

Started as ``celery -A reports.tests.slow_render_worker worker …`` with ``BZ_TEST_RENDER_PAUSE`` seconds:
the temporary PDF exists and the claim is held while the worker sleeps, which is when the test kills it.
Production code is untouched: the pause wraps ``reports.pdf.render_pdf`` in this process only.
"""

from __future__ import annotations

import os
import time

from celery.signals import worker_ready

from borderzone.celery import app

__all__ = ["app"]


@worker_ready.connect
def _pause_after_rendering(**_kwargs) -> None:
    from reports import pdf

    pause = float(os.environ.get("BZ_TEST_RENDER_PAUSE", "0"))
    render = pdf.render_pdf

    def render_then_pause(*args, **kwargs):
        rendered = render(*args, **kwargs)
        print("render written; pausing", flush=True)
        time.sleep(pause)
        return rendered

    pdf.render_pdf = render_then_pause
