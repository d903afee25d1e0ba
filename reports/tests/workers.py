"""Real Celery worker processes for the outage tests: on a given broker, optionally with beat, killable.

Like ``test_tasks.running_worker`` (the test database, the test's MEDIA_ROOT, a queue of the test's own),
plus: the broker URL (a private Redis the test kills), the Celery app module (one whose renders pause),
extra environment, embedded beat (the periodic sweep), and SIGKILL of the whole worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings as django_settings

from reports.tests.test_tasks import REPO, worker_database_url


class Worker:
    def __init__(self, *, queue: str, broker: str, media_root: Path, app: str = "borderzone",
                 beat_dir: Path | None = None, env: dict[str, str] | None = None) -> None:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "borderzone.settings.test",
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": broker,
            "DJANGO_MEDIA_ROOT": str(media_root),
            # Beat sends the sweep to this queue (CELERY_BEAT_SCHEDULE reads it).
            "REPORT_TASK_QUEUE": queue,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        command = [
            sys.executable, "-m", "celery", "-A", app, "worker", "--pool", "solo", "-Q", queue,
            "-n", f"{queue}-{time.monotonic_ns()}@%h", "-l", "info", "--without-heartbeat", "--without-mingle",
            "--without-gossip",
        ]
        if beat_dir is not None:
            command += ["--beat", "--schedule", str(beat_dir / "celerybeat-schedule")]
        self.proc = subprocess.Popen(command, cwd=REPO, env=environment, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                                     start_new_session=True)
        self.log: list[str] = []
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line.rstrip())
            if " ready." in line:
                self._ready.set()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start:\n" + self.tail())

    def wait_for_line(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.log):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the worker never logged {text!r}:\n" + self.tail())
            time.sleep(0.1)

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log[-lines:])

    def kill(self) -> None:
        """SIGKILL of the worker's whole process group: no warm shutdown, no acknowledgement, no cleanup."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self._reader.join(5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reader.join(5)


def media_pdfs(report_id: int) -> list[Path]:
    folder = Path(django_settings.MEDIA_ROOT) / "reports" / str(report_id)
    return sorted(folder.glob("*.pdf")) if folder.exists() else []
